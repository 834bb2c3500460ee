/** Durations as inputs, flags and policies write them: `90` (seconds), `500ms`, `90s`, `30m`, `1h30m`, `2d`. */
export function parseDurationMs(raw: string): number | undefined {
  const v = raw.trim().toLowerCase()
  if (/^\d+$/.test(v)) return Number(v) * 1000
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
  let total = 0
  let consumed = 0
  for (const match of v.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(match[1]) * (units[match[2]!] ?? 0)
    consumed += match[0].length
  }
  return consumed === 0 || consumed !== v.length ? undefined : total
}

/** A duration for people, its two largest units: `1d 2h`, `2h 5m`, `4m 12s`, `9s`; under a second `250ms`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms)
  if (abs < 1000) return `${Math.round(abs)}ms`
  const s = Math.round(abs / 1000)
  const units: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ]
  const first = units.findIndex(([n]) => n > 0)
  return units
    .slice(first, first + 2)
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ')
}
