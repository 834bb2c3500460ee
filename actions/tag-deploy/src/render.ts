import type { CreateDeployTagResult, DeployTag } from '@tfpipe/github/deploy-tags.js'

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ')

function counts(t: DeployTag): string {
  const c = t.metadata?.counts
  return c ? `+${c.add} ~${c.change} -${c.destroy}` : ''
}

export function deploymentsTable(environment: string, tags: DeployTag[]): string {
  const lines = [`### Deployments of \`${esc(environment)}\` (newest first)`, '']
  if (tags.length === 0) return `${lines.join('\n')}\nNo deploy tags yet.\n`
  lines.push('| Tag | Status | Commit | Changes | Finished | By |', '| --- | --- | --- | --- | --- | --- |')
  for (const t of tags) {
    const m = t.metadata
    lines.push(
      `| [${esc(t.name)}](${t.url}) | ${m?.status ?? ''} | \`${(m?.sha ?? t.commitSha).slice(0, 12)}\` | ${counts(t)} | ${m?.finishedAt ?? ''} | ${esc(m?.actor ?? '')} |`,
    )
  }
  return `${lines.join('\n')}\n`
}

export function summarizeTag(result: CreateDeployTagResult, deploymentId: string): string {
  const t = result.tag
  const m = t.metadata
  const lines = [
    `### ${m?.status === 'success' ? '🏷️ Deployed' : '❌ Failed deploy'}: [${esc(t.name)}](${t.url})${result.created ? '' : ' (already tagged by this run)'}`,
    '',
    '| | |',
    '| --- | --- |',
    `| Environment | ${esc(m?.environment ?? '')} |`,
    `| Commit | \`${t.commitSha}\` |`,
    `| Changes | ${counts(t) || 'not recorded'} |`,
    `| Fingerprint | ${m?.fingerprint ? `\`${m.fingerprint.slice(0, 16)}…\`` : 'not recorded'} |`,
    `| State | ${m?.state ? `serial ${m.state.serial}, version \`${esc(m.state.versionId)}\`` : 'not recorded'} |`,
    `| Previous good | ${result.previous ? `[${esc(result.previous.name)}](${result.previous.url})` : 'none'} |`,
    `| GitHub Deployment | ${deploymentId || 'not created'} |`,
  ]
  return `${lines.join('\n')}\n`
}
