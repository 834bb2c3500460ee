/** Human forms of the numbers, shared by the job summary, the HTML page and the CLI. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—'
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`
  return `${Math.floor(h / 24)}d ${h % 24}h`
}

export function formatPercent(value: number | null): string {
  if (value === null) return '—'
  const p = value * 100
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)} %`
}

/** The window as `2026-11-01 → 2026-12-01 (30 days)`. */
export function formatWindow(since: string, until: string): string {
  const days = Math.round((Date.parse(until) - Date.parse(since)) / 86_400_000)
  return `${since.slice(0, 10)} → ${until.slice(0, 10)} (${days} ${days === 1 ? 'day' : 'days'})`
}
