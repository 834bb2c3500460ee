/**
 * One PR comment per directory for all environments, written by one job after the plan matrix from the
 * matrix jobs' report JSON files (plan-and-comment `combine-reports`), so parallel jobs never race on one
 * comment: a row per environment (counts, cost, security, gate preview), then each environment's details
 * folded, each with the hidden marker and change list safety-gate reads (packages/github/src/reviewed-plan.ts).
 */
import { COMMENT_BUDGET, fitCountedLines, joinedLength } from '@tfpipe/markdown/budget.js'
import { escapeText, inlineCode } from '@tfpipe/markdown/escape.js'
import { changeList, formatPlanChangesMarker } from '@tfpipe/github/reviewed-plan.js'
import { SEVERITIES } from '@tfpipe/policy/types.js'
import { planLineOf } from './counts.js'
import { formatMarker } from './marker.js'
import { money } from './insights.js'
import type { PlanReport } from './report.js'

export const COMBINED_MARKER_PREFIX = '<!-- tfpipe:plan-and-comment-combined '

export function formatCombinedMarker(directory: string): string {
  return `${COMBINED_MARKER_PREFIX}dir=${encodeURIComponent(directory)} -->`
}

export function isCombinedMarkerFor(body: string | null | undefined, directory: string): boolean {
  return !!body && body.split('\n', 1)[0] === formatCombinedMarker(directory)
}

function icon(r: PlanReport): string {
  if (r.errored) return '❌'
  if (r.counts.destroy > 0 || r.counts.replace > 0) return '⚠️'
  if (r.hasChanges) return '📝'
  if (r.counts.drift > 0) return '🌀'
  return '✅'
}

function planText(r: PlanReport): string {
  const c = r.counts
  if (r.errored) return 'errored: the plan is incomplete'
  return c.add + c.change + c.destroy + c.replace + c.import + c.forget > 0 ? planLineOf(c) : 'No changes.'
}

function securityCell(r: PlanReport): string {
  const s = r.security
  if (!s) return '—'
  const parts = [...SEVERITIES]
    .reverse()
    .filter((sev) => s.bySeverity[sev] > 0)
    .map((sev) => `${s.bySeverity[sev]} ${sev}`)
  return `${s.total === 0 ? 'no findings' : parts.join(', ')}${s.suppressed ? ` (+${s.suppressed} suppressed)` : ''}`
}

function gateCell(r: PlanReport): string {
  const g = r.gatePreview
  if (!g) return '—'
  return g.verdict === 'refuse' ? `❌ would refuse: ${g.refusing.map((x) => x.check).join(', ')}` : '✅ would allow'
}

/** Names in risk order (destroy, replace, update, create, forget, read, move, import), exact "…and N more". */
function detailLines(r: PlanReport): { lines: string[]; weights: number[] } {
  const lines: string[] = []
  const weights: number[] = []
  const a = r.addresses
  const groups: [string, string[]][] = [
    ['🗑️ destroy', a.delete],
    ['♻️ replace', a.replace],
    ['✏️ update', a.update],
    ['➕ create', a.create],
    ['🫥 forget', a.forget.filter((x) => !a.create.includes(x))],
    ['📖 read', a.read],
    [
      '🚚 move',
      a.move
        .filter(
          (m) =>
            !a.update.includes(m.to) &&
            !a.replace.includes(m.to) &&
            !a.delete.includes(m.to) &&
            !a.create.includes(m.to),
        )
        .map((m) => `${m.from} → ${m.to}`),
    ],
  ]
  for (const [label, names] of groups) {
    for (const name of names) {
      lines.push(`- ${label} ${inlineCode(name)}`)
      weights.push(1)
    }
  }
  return { lines, weights }
}

/** The combined comment of one directory, within `budget` characters. */
export function renderCombined(directory: string, reports: readonly PlanReport[], budget = COMMENT_BUDGET): string {
  const head: string[] = [formatCombinedMarker(directory)]
  const worst = reports.some((r) => r.errored)
    ? '❌'
    : reports.some((r) => icon(r) === '⚠️')
      ? '⚠️'
      : reports.some((r) => r.hasChanges)
        ? '📝'
        : '✅'
  head.push(
    `### ${worst} Terraform plan: ${inlineCode(directory || '.', 200)} · ${reports.length} ${reports.length === 1 ? 'environment' : 'environments'}`,
  )
  const table = ['| environment | plan | cost / month | security | gate preview |', '|---|---|---|---|---|']
  for (const r of reports) {
    const cost = r.cost ? escapeText(money(r.cost.diff, r.cost.currency)) : '—'
    const env = r.runUrl
      ? `[${escapeText(r.environment || '(none)')}](${r.runUrl})`
      : escapeText(r.environment || '(none)')
    table.push(
      `| ${icon(r)} ${env} | ${escapeText(planText(r))} | ${cost} | ${escapeText(securityCell(r))} | ${escapeText(gateCell(r))} |`,
    )
  }
  const top = `${head.join('\n')}\n\n${table.join('\n')}\n\n<sub>One comment for every environment of this directory; each environment's details are folded below. Gate previews are previews: safety-gate decides at deploy.</sub>`
  const sections: string[] = []
  let used = top.length
  const share = Math.floor((budget - used) / Math.max(1, reports.length)) - 4
  for (const r of reports) {
    const marker = formatMarker({ environment: r.environment, directory, fingerprint: r.fingerprint })
    const changes = formatPlanChangesMarker(
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- reports of older versions have no changes
      r.changes ?? changeList({ resources: [] }),
      Math.max(200, Math.min(12_000, Math.floor(share / 4))),
    )
    const summary = `<details><summary>${icon(r)} <b>${escapeText(r.environment || '(none)')}</b>: ${escapeText(planText(r))}</summary>\n\n`
    const extra: string[] = []
    for (const g of r.gatePreview?.refusing ?? [])
      extra.push(`- ❌ gate preview **${g.check}** — ${escapeText(g.message)}`)
    if (r.runUrl)
      extra.push(`<sub>[workflow run](${r.runUrl}) — its job summary and plan artifact have the full plan.</sub>`)
    const extraText = extra.length ? `\n\n${extra.join('\n')}` : ''
    const frame = marker.length + changes.length + summary.length + extraText.length + '\n\n</details>'.length + 4
    const { lines, weights } = detailLines(r)
    const where = r.runUrl
      ? 'full list in the plan artifact of the [workflow run](' + r.runUrl + ')'
      : 'full list in the plan artifact'
    const body =
      lines.length === 0
        ? '*No resource changes.*'
        : fitCountedLines(
            lines,
            weights,
            Math.max(0, share - frame),
            (n) => `- ✂️ *…and ${n} more — ${where}*`,
            joinedLength(lines),
          )
    const section = `${marker}\n${changes}\n${summary}${body}${extraText}\n\n</details>`
    sections.push(section)
    used += section.length + 2
  }
  return `${top}\n\n${sections.join('\n\n')}\n`
}
