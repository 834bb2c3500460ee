import { codeBlock, escapeText, inlineCode } from '@tfpipe/markdown/escape.js'
import type { IssueOutcome } from './sync.js'
import { formatAge } from './locks.js'
import type { StackResult, StaleLock } from './types.js'

const STATUS_ICON: Record<StackResult['status'], string> = { clean: '✅', drifted: '⚠️', error: '❌' }

function issueCell(outcome: IssueOutcome | undefined): string {
  if (!outcome) return '—'
  if (outcome.action === 'failed') return `not updated: ${escapeText(outcome.error ?? 'error')}`
  if (!outcome.number) return '—'
  const link = outcome.url ? `[#${outcome.number}](${outcome.url})` : `#${outcome.number}`
  const verb: Record<string, string> = {
    opened: 'opened',
    updated: 'updated',
    commented: 'updated, commented',
    closed: 'closed',
    reopened: 'reopened',
  }
  return verb[outcome.action] ? `${link} ${verb[outcome.action]}` : link
}

/** The job summary: one row per stack, then errors (terraform's stderr tail) and stale locks. */
export function renderSummary(
  results: StackResult[],
  outcomes: IssueOutcome[],
  locks: StaleLock[],
  options: { environment: string; mode: string; durationMs?: number },
): string {
  const byDir = new Map(outcomes.map((o) => [o.dir, o]))
  const drifted = results.filter((r) => r.status === 'drifted').length
  const errors = results.filter((r) => r.status === 'error').length
  const lines = [
    `## Drift check${options.environment ? `: ${escapeText(options.environment)}` : ''}`,
    '',
    `${results.length} stack(s), mode ${escapeText(options.mode)}: ${drifted} drifted, ${errors} failed, ${results.length - drifted - errors} clean${options.durationMs !== undefined ? ` (${(options.durationMs / 1000).toFixed(1)} s)` : ''}.`,
    '',
    '| Directory | Status | Drifted | Pending | Issue |',
    '| --- | --- | ---: | ---: | --- |',
  ]
  for (const r of results) {
    const status = `${STATUS_ICON[r.status]} ${r.status}`
    lines.push(
      `| ${inlineCode(r.dir)} | ${status} | ${r.status === 'error' ? '—' : r.drift.length} | ${r.status === 'error' ? '—' : r.pending.length} | ${issueCell(byDir.get(r.dir))} |`,
    )
  }
  const failed = results.filter((r) => r.status === 'error')
  if (failed.length) {
    lines.push('', '### Errors', '')
    for (const r of failed)
      lines.push(
        `<details><summary>${escapeText(r.dir)}</summary>`,
        '',
        codeBlock(r.error ?? 'unknown error'),
        '',
        '</details>',
        '',
      )
  }
  const withItems = results.filter((r) => r.status === 'drifted')
  if (withItems.length) {
    lines.push('', '### Drifted resources', '')
    for (const r of withItems) {
      lines.push(
        `<details><summary>${escapeText(r.dir)}: ${r.drift.length} changed outside Terraform, ${r.pending.length} pending</summary>`,
        '',
      )
      for (const d of r.drift.slice(0, 200))
        lines.push(
          `- ${inlineCode(d.address)} ${d.kind === 'delete' ? 'deleted' : 'modified'} outside Terraform${d.attributes.length ? ` (${d.attributes.map((a) => inlineCode(a, 80)).join(', ')})` : ''}`,
        )
      for (const p of r.pending.slice(0, 200)) lines.push(`- ${inlineCode(p.address)} would ${p.kind}`)
      lines.push('', '</details>', '')
    }
  }
  if (locks.length) {
    lines.push(
      '',
      '### Stale state locks',
      '',
      '| Directory | Lock | Who | Operation | Created | Age |',
      '| --- | --- | --- | --- | --- | ---: |',
    )
    for (const l of locks) {
      lines.push(
        `| ${inlineCode(l.dir)} | ${escapeText(l.source)} ${inlineCode(l.path, 120)} | ${l.who ? inlineCode(l.who, 120) : '?'} | ${escapeText(l.operation || '?')} | ${escapeText(l.created || '?')} | ${formatAge(l.ageMs)} |`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}
