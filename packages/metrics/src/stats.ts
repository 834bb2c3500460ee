/**
 * Order statistics for the metrics. Median: the middle value, or the mean of the two middle values
 * for an even count. p90: nearest rank (the smallest value with at least 90 % of the values at or
 * below it), so it is always an observed duration. Empty input gives null: "no data" is not zero.
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1]!
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null
  return values.reduce((s, v) => s + v, 0) / values.length
}

export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole
}
