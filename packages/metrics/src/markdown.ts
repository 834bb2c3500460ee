import { escapeText } from '@tfpipe/markdown/escape.js'
import type { EnvironmentMetrics, MetricsReport } from './compute.js'
import { formatDuration, formatPercent, formatWindow } from './format.js'

/**
 * The job summary: one table (a row per environment), mermaid `xychart-beta` bar charts (GitHub
 * renders them), and notes for what a number alone does not say (an unrecovered failure, inferred
 * rollbacks). Environment names are ref-safe (letters, digits, . _ -), so they need no quoting in
 * mermaid; they are escaped in the table anyway.
 */
function row(e: EnvironmentMetrics): string {
  const cells = [
    `\`${e.environment}\``,
    String(e.deployments) + (e.pending ? ` (+${e.pending} running)` : ''),
    e.deployments ? `${formatPercent(e.successRate)} (${e.succeeded}/${e.deployments})` : '—',
    formatDuration(e.duration.medianSeconds),
    formatDuration(e.duration.p90Seconds),
    e.deployments ? `${e.rollbacks} (${formatPercent(e.rollbackRate)})` : '—',
    e.recoveries ? `${formatDuration(e.mttrSeconds)} (${e.recoveries})` : '—',
    formatDuration(e.leadTime.medianSeconds),
    formatDuration(e.leadTime.p90Seconds),
  ]
  return `| ${cells.join(' | ')} |`
}

function chart(
  title: string,
  axis: string,
  envs: EnvironmentMetrics[],
  value: (e: EnvironmentMetrics) => number | null,
): string {
  const values = envs.map((e) => value(e) ?? 0)
  const max = Math.max(1, ...values)
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis [${envs.map((e) => e.environment).join(', ')}]`,
    `  y-axis "${axis}" 0 --> ${Math.ceil(max * 1.1)}`,
    `  bar [${values.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(1))).join(', ')}]`,
    '```',
  ].join('\n')
}

export function renderMarkdown(report: MetricsReport): string {
  const envs = report.environments
  const lines = [
    `### Delivery metrics of ${escapeText(report.repository)}`,
    '',
    `${formatWindow(report.since, report.until)}.`,
    '',
  ]
  if (envs.length === 0) return `${lines.join('\n')}No environments to report on.\n`
  lines.push(
    '| Environment | Deployments | Success rate | Duration (median) | Duration (p90) | Rollbacks (rate) | MTTR (recoveries) | Lead time (median) | Lead time (p90) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...envs.map(row),
    '',
  )
  const notes: string[] = []
  for (const e of envs) {
    if (e.unrecoveredSince)
      notes.push(`- \`${e.environment}\`: failing since ${e.unrecoveredSince} (no successful deploy after it yet).`)
    if (e.rollbacksInferred)
      notes.push(
        `- \`${e.environment}\`: ${e.rollbacksInferred} rollback(s) inferred (an earlier commit deployed again; the records predate tag-deploy's \`operation\`).`,
      )
  }
  if (notes.length) lines.push(...notes, '')
  if (envs.some((e) => e.deployments > 0)) {
    lines.push(
      chart('Deployments', 'deployments', envs, (e) => e.deployments),
      '',
    )
    lines.push(
      chart('Success rate (%)', '%', envs, (e) =>
        e.successRate === null ? null : Math.round(e.successRate * 1000) / 10,
      ),
      '',
    )
    if (envs.some((e) => e.leadTime.count > 0))
      lines.push(
        chart('Lead time, median (hours)', 'hours', envs, (e) =>
          e.leadTime.medianSeconds === null ? null : Math.round(e.leadTime.medianSeconds / 360) / 10,
        ),
        '',
      )
  }
  lines.push(
    '<sub>Duration: the deploy job (from GitHub’s in_progress status, else from the run’s start) to the final status. MTTR: first failure → next successful deploy. Lead time: commit (committer date) → its first successful deploy.' +
      (report.requests !== undefined ? ` ${report.requests} GitHub API request(s).` : '') +
      '</sub>',
  )
  return `${lines.join('\n')}\n`
}
