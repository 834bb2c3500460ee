import type { RollbackPreview, RollbackResult, VersionSummary } from '@tfpipe/state/rollback-model.js'

const MAX_ADDRESSES = 200

function esc(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`)
}

function row(label: string, v: VersionSummary | undefined, serial?: number, versionId?: string): string {
  if (!v) return `| ${label} | ${esc(versionId ?? '—')} | ${serial ?? '—'} | | | |`
  return `| ${label} | \`${esc(versionId ?? v.versionId)}\` | ${serial ?? v.serial} | \`${esc(v.lineage)}\` | ${v.size} | ${v.lastModified ?? ''} |`
}

function addresses(title: string, list: string[]): string[] {
  if (list.length === 0) return []
  const shown = list.slice(0, MAX_ADDRESSES).map((a) => `- \`${esc(a)}\``)
  if (list.length > MAX_ADDRESSES) shown.push(`- … and ${list.length - MAX_ADDRESSES} more`)
  return [`**${title} (${list.length})**`, '', ...shown, '']
}

/** One-line-per-fact preview for the log. */
export function previewLines(p: RollbackPreview): string[] {
  const lines = [
    `state: s3://${p.bucket}/${p.statePath} (workspace ${p.workspace})`,
    `current: version ${p.current.versionId}, serial ${p.current.serial}, lineage ${p.current.lineage}`,
    `restore: version ${p.target.versionId}, serial ${p.target.serial}, lineage ${p.target.lineage}${p.target.lastModified ? `, from ${p.target.lastModified}` : ''}`,
    `write: serial ${p.newSerial}, lineage ${p.lineage}${p.lineageChanged ? ' (LINEAGE CHANGES)' : ''}`,
    `resources: ${p.diff.added.length} added, ${p.diff.removed.length} removed, ${p.diff.changed.length} changed, ${p.diff.unchanged} unchanged`,
  ]
  for (const a of p.diff.added) lines.push(`  + ${a}`)
  for (const a of p.diff.removed) lines.push(`  - ${a}`)
  for (const a of p.diff.changed) lines.push(`  ~ ${a}`)
  for (const l of p.heldLocks)
    lines.push(
      `held lock: ${l.kind} ${l.location} by ${l.info?.Who ?? '?'} since ${l.info?.Created ?? '?'} (ID ${l.id})`,
    )
  if (p.digest && !p.digest.matchesCurrent)
    lines.push(
      `warning: the recorded DynamoDB digest ${p.digest.recorded} does not match the current state (${p.current.md5})`,
    )
  return lines
}

export function renderSummary(
  result: RollbackResult,
  extra: { environment: string; reason: string; source: string },
): string {
  const p = result.preview
  const title = result.dryRun
    ? `Rollback preview (dry run) — ${esc(extra.environment || p.workspace)}`
    : `State rolled back — ${esc(extra.environment || p.workspace)}`
  const lines = [
    `## ${title}`,
    '',
    `State \`s3://${esc(p.bucket)}/${esc(p.statePath)}\` (workspace \`${esc(p.workspace)}\`), target from ${esc(extra.source)}.${extra.reason ? ` Reason: ${esc(extra.reason)}` : ''}`,
    '',
    '| | Version | Serial | Lineage | Bytes | Last modified |',
    '| --- | --- | --- | --- | --- | --- |',
    row('Current', p.current),
    row('Restore', p.target),
    result.dryRun
      ? `| Would write | — | ${p.newSerial} | \`${esc(p.lineage)}\` | | |`
      : row('Written', undefined, p.newSerial, result.newVersionId),
    '',
    `Resources in the state: **${p.diff.added.length}** added, **${p.diff.removed.length}** removed, **${p.diff.changed.length}** changed, ${p.diff.unchanged} unchanged.`,
    '',
    ...addresses('Added back', p.diff.added),
    ...addresses('Removed', p.diff.removed),
    ...addresses('Changed', p.diff.changed),
  ]
  if (p.lineageChanged) lines.push('> [!WARNING]', '> The restored state has another lineage than the current one.', '')
  if (p.heldLocks.length > 0) {
    lines.push(
      '**Locks held now**',
      '',
      ...p.heldLocks.map(
        (l) =>
          `- ${l.kind} \`${esc(l.location)}\` by ${esc(l.info?.Who ?? '?')} since ${esc(l.info?.Created ?? '?')} for ${esc(l.info?.Operation ?? '?')} (ID \`${esc(l.id)}\`)`,
      ),
      '',
    )
  }
  if (result.dryRun) {
    lines.push(
      `Nothing was written. To restore, run again with \`dry-run: false\` and \`confirmation: rollback-${esc(extra.environment || '<environment>')}\`.`,
    )
  } else {
    lines.push(
      `Written with serial ${p.newSerial} (any plan saved before is now stale) under the backend's locks; DynamoDB digest updated; read back and verified.`,
      `Backup: the replaced state is version \`${esc(result.previousVersionId)}\`${result.backupKey ? ` and a copy at \`${esc(result.backupKey)}\`` : ''}.`,
      `**Undo:** run rollback-state with \`version-id: ${esc(result.previousVersionId)}\`.`,
    )
  }
  return `${lines.join('\n')}\n`
}
