import { escapeHtml } from '@tfpipe/markdown/escape.js'

/**
 * Bar charts as inline SVG for the self-contained HTML page (no script, no external file). Hand-written:
 * a charting library would bring a script or a font, which the page must not load. Every text goes
 * through escapeHtml; numbers are formatted by the caller's `format`.
 */
export interface Series {
  name: string
  /** A CSS colour literal of our own (never user input). */
  color: string
  values: (number | null)[]
}

export interface BarChartOptions {
  title: string
  categories: string[]
  series: Series[]
  /** Stack the series (counts per day) instead of grouping them (median vs p90). */
  stacked?: boolean
  /** Formats bar values and axis ticks; an empty string leaves the tick unlabelled (half a deployment). */
  format: (value: number) => string
  /** Show every n-th category label (days). Default 1. */
  labelEvery?: number
  width?: number
  height?: number
}

const round = (n: number): string => String(Math.round(n * 10) / 10)

/** A "nice" upper bound for the axis: 1, 2 or 5 × 10^k at or above max. */
export function niceMax(max: number): number {
  if (max <= 0) return 1
  const p = 10 ** Math.floor(Math.log10(max))
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p
  return 10 * p
}

export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 720
  const height = o.height ?? 240
  const left = 64
  const right = 12
  const top = 28
  const bottom = 44
  const plotW = width - left - right
  const plotH = height - top - bottom
  const n = Math.max(1, o.categories.length)
  const totals = o.categories.map((_, i) =>
    o.stacked
      ? o.series.reduce((s, x) => s + (x.values[i] ?? 0), 0)
      : Math.max(0, ...o.series.map((x) => x.values[i] ?? 0)),
  )
  const max = niceMax(Math.max(0, ...totals))
  const y = (v: number): number => top + plotH - (v / max) * plotH
  const slot = plotW / n
  const groupW = slot * 0.8
  const barW = o.stacked ? groupW : groupW / Math.max(1, o.series.length)
  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="${escapeHtml(o.title)}">`,
  )
  parts.push(`<title>${escapeHtml(o.title)}</title>`)
  parts.push(`<text x="${left}" y="16" class="chart-title">${escapeHtml(o.title)}</text>`)
  for (const f of [0, 0.5, 1]) {
    const v = max * f
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${round(y(v))}" y2="${round(y(v))}" class="grid"/>`)
    const label = o.format(v)
    if (label !== '')
      parts.push(
        `<text x="${left - 6}" y="${round(y(v) + 4)}" text-anchor="end" class="axis">${escapeHtml(label)}</text>`,
      )
  }
  o.categories.forEach((category, i) => {
    const x0 = left + i * slot + (slot - groupW) / 2
    let base = 0
    o.series.forEach((s, j) => {
      const v = s.values[i]
      if (v === null || v === undefined || v <= 0) return
      const x = o.stacked ? x0 : x0 + j * barW
      const y1 = y(base + v)
      const h = y(base) - y1
      parts.push(
        `<rect class="bar" x="${round(x)}" y="${round(y1)}" width="${round(Math.max(1, barW - 1))}" height="${round(h)}" fill="${s.color}"><title>${escapeHtml(`${category} — ${s.name}: ${o.format(v)}`)}</title></rect>`,
      )
      if (o.stacked) base += v
    })
    if (i % (o.labelEvery ?? 1) === 0) {
      parts.push(
        `<text x="${round(left + i * slot + slot / 2)}" y="${height - bottom + 16}" text-anchor="middle" class="axis">${escapeHtml(category)}</text>`,
      )
    }
  })
  let lx = left
  for (const s of o.series) {
    parts.push(
      `<rect x="${lx}" y="${height - 14}" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="${height - 5}" class="legend">${escapeHtml(s.name)}</text>`,
    )
    lx += 24 + s.name.length * 7
  }
  parts.push('</svg>')
  return parts.join('')
}
