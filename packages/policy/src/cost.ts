/** The fields of `infracost diff --format json` the gate reads (amounts are decimal strings or null). */
export interface InfracostDiff {
  currency?: string
  totalMonthlyCost?: string | number | null
  pastTotalMonthlyCost?: string | number | null
  diffTotalMonthlyCost?: string | number | null
}

export function amount(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined
  const n = typeof value === 'number' ? value : Number.parseFloat(value)
  return Number.isFinite(n) ? n : undefined
}

export function costChange(diff: InfracostDiff): { diff: number; past: number; percent: number | undefined; currency: string } {
  const past = amount(diff.pastTotalMonthlyCost) ?? 0
  const total = amount(diff.totalMonthlyCost)
  const d = amount(diff.diffTotalMonthlyCost) ?? (total !== undefined ? total - past : 0)
  return { diff: d, past, percent: past > 0 ? (d / past) * 100 : d > 0 ? undefined : 0, currency: diff.currency ?? 'USD' }
}
