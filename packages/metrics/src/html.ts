import { escapeHtml } from '@tfpipe/markdown/escape.js'
import type { EnvironmentMetrics, MetricsReport } from './compute.js'
import { formatDuration, formatPercent, formatWindow } from './format.js'
import { barChart } from './svg.js'

/**
 * The report as one self-contained HTML page (uploaded as an artifact): inline CSS and SVG only, and
 * a Content-Security-Policy that forbids every script, font, image or stylesheet from elsewhere, so
 * the page shows the same offline and cannot load anything. Every text is escaped.
 */
const OK = '#2da44e'
const FAIL = '#cf222e'
const MEDIAN = '#0969da'
const P90 = '#8250df'

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
p.window { color: #59636e; margin: 0 0 16px; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border: 1px solid #d1d9e0; padding: 6px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f6f8fa; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg.chart { border: 1px solid #d1d9e0; border-radius: 6px; background: #fff; max-width: 100%; height: auto; }
svg .chart-title { font-size: 13px; font-weight: 600; fill: #1f2328; }
svg .axis, svg .legend { font-size: 11px; fill: #59636e; }
svg .grid { stroke: #d1d9e0; stroke-width: 1; }
ul.notes { color: #59636e; }
footer { margin-top: 28px; color: #59636e; font-size: 12px; }
`

function table(envs: EnvironmentMetrics[]): string {
  const head = [
    'Environment',
    'Deployments',
    'Success rate',
    'Duration median',
    'Duration p90',
    'Rollbacks',
    'Rollback rate',
    'MTTR',
    'Recoveries',
    'Lead time median',
    'Lead time p90',
  ]
  const rows = envs.map((e) =>
    [
      e.environment,
      String(e.deployments) + (e.pending ? ` (+${e.pending} running)` : ''),
      e.deployments ? `${formatPercent(e.successRate)} (${e.succeeded}/${e.deployments})` : '—',
      formatDuration(e.duration.medianSeconds),
      formatDuration(e.duration.p90Seconds),
      String(e.rollbacks) + (e.rollbacksInferred ? ` (${e.rollbacksInferred} inferred)` : ''),
      formatPercent(e.rollbackRate),
      formatDuration(e.mttrSeconds),
      String(e.recoveries),
      formatDuration(e.leadTime.medianSeconds),
      formatDuration(e.leadTime.p90Seconds),
    ]
      .map((c) => `<td>${escapeHtml(c)}</td>`)
      .join(''),
  )
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table>`
}

const count = (v: number): string => (Number.isInteger(v) ? String(v) : '')
const amount = (v: number): string => (v === 0 ? '0' : v >= 10 ? String(Math.round(v)) : v.toFixed(1))
const hours = (s: number | null): number | null => (s === null ? null : s / 3600)
const minutes = (s: number | null): number | null => (s === null ? null : s / 60)

function charts(envs: EnvironmentMetrics[]): string {
  const names = envs.map((e) => e.environment)
  const out: string[] = []
  out.push(
    barChart({
      title: 'Deployments per environment',
      categories: names,
      series: [
        { name: 'succeeded', color: OK, values: envs.map((e) => e.succeeded) },
        { name: 'failed', color: FAIL, values: envs.map((e) => e.failed) },
      ],
      stacked: true,
      format: count,
      width: 360,
    }),
    barChart({
      title: 'Success rate (%)',
      categories: names,
      series: [
        {
          name: 'success rate',
          color: OK,
          values: envs.map((e) => (e.successRate === null ? null : e.successRate * 100)),
        },
      ],
      format: (v) => `${Math.round(v)}`,
      width: 360,
    }),
    barChart({
      title: 'Deploy duration (minutes)',
      categories: names,
      series: [
        { name: 'median', color: MEDIAN, values: envs.map((e) => minutes(e.duration.medianSeconds)) },
        { name: 'p90', color: P90, values: envs.map((e) => minutes(e.duration.p90Seconds)) },
      ],
      format: amount,
      width: 360,
    }),
    barChart({
      title: 'Lead time, commit → deploy (hours)',
      categories: names,
      series: [
        { name: 'median', color: MEDIAN, values: envs.map((e) => hours(e.leadTime.medianSeconds)) },
        { name: 'p90', color: P90, values: envs.map((e) => hours(e.leadTime.p90Seconds)) },
      ],
      format: amount,
      width: 360,
    }),
  )
  return `<div class="charts">${out.join('')}</div>`
}

function daily(e: EnvironmentMetrics): string {
  return barChart({
    title: `${e.environment}: deployments per day`,
    categories: e.daily.map((d) => d.date.slice(5)),
    series: [
      { name: 'succeeded', color: OK, values: e.daily.map((d) => d.succeeded) },
      { name: 'failed', color: FAIL, values: e.daily.map((d) => d.failed) },
    ],
    stacked: true,
    format: count,
    labelEvery: Math.max(1, Math.ceil(e.daily.length / 10)),
  })
}

export function renderHtml(report: MetricsReport): string {
  const envs = report.environments
  const notes: string[] = []
  for (const e of envs) {
    if (e.unrecoveredSince)
      notes.push(`${e.environment}: failing since ${e.unrecoveredSince} (no successful deploy after it yet).`)
    if (e.rollbacksInferred)
      notes.push(
        `${e.environment}: ${e.rollbacksInferred} rollback(s) inferred: an earlier commit was deployed again and the records predate tag-deploy's operation field.`,
      )
  }
  const title = `Delivery metrics of ${report.repository}`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="window">${escapeHtml(formatWindow(report.since, report.until))}, generated ${escapeHtml(report.generatedAt)}</p>
${envs.length === 0 ? '<p>No environments to report on.</p>' : table(envs)}
${notes.length ? `<ul class="notes">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
${envs.length ? `<h2>Per environment</h2>${charts(envs)}<h2>Per day</h2><div class="charts">${envs.map(daily).join('')}</div>` : ''}
<footer>Duration: the deploy job (GitHub's in_progress status, else the run's start) to the final status. MTTR: first failure to the next successful deploy. Lead time: the commit's committer date to its first successful deploy.${report.requests !== undefined ? ` ${report.requests} GitHub API request(s).` : ''}</footer>
</body>
</html>
`
}
