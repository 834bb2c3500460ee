/** The fields of `infracost diff --format json` the gate reads (amounts are decimal strings or null). */
export interface InfracostDiff {
  currency?: string
  totalMonthlyCost?: string | number | null
  pastTotalMonthlyCost?: string | number | null
  diffTotalMonthlyCost?: string | number | null
}

export type CostField = 'totalMonthlyCost' | 'pastTotalMonthlyCost' | 'diffTotalMonthlyCost'

/** A decimal amount: a finite number or a string that is exactly one ("12.50", "-3"). Anything else is unreadable. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/** `undefined` when absent (null, missing, ""), `NaN` when present but not a number ("NaN", "lots", {}). */
export function amount(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return undefined
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN
  if (typeof value === 'string' && DECIMAL.test(value.trim())) {
    const n = Number(value.trim())
    return Number.isFinite(n) ? n : Number.NaN
  }
  return Number.NaN
}

export type CostChange =
  | { readable: true; diff: number; past: number; percent: number | undefined; currency: string }
  | { readable: false; problem: string }

/**
 * The monthly change: diffTotalMonthlyCost, else totalMonthlyCost - pastTotalMonthlyCost (a missing
 * past total is 0: nothing was deployed). A field that is present but not a number, or no usable
 * total at all, makes the change unreadable: the gate refuses rather than read it as 0.
 */
export function costChange(diff: InfracostDiff): CostChange {
  const fields: CostField[] = ['diffTotalMonthlyCost', 'totalMonthlyCost', 'pastTotalMonthlyCost']
  const values = new Map<CostField, number | undefined>()
  for (const field of fields) {
    const v = amount(diff[field])
    if (v !== undefined && Number.isNaN(v))
      return { readable: false, problem: `${field} is ${JSON.stringify(diff[field])}, not a number` }
    values.set(field, v)
  }
  const past = values.get('pastTotalMonthlyCost') ?? 0
  const total = values.get('totalMonthlyCost')
  const d = values.get('diffTotalMonthlyCost') ?? (total !== undefined ? total - past : undefined)
  if (d === undefined) return { readable: false, problem: 'neither diffTotalMonthlyCost nor totalMonthlyCost is given' }
  if (typeof diff.currency !== 'string' || !/^[A-Za-z]{3}$/.test(diff.currency)) {
    return {
      readable: false,
      problem: `currency is ${diff.currency === undefined ? 'missing' : JSON.stringify(diff.currency)}, not an ISO 4217 code`,
    }
  }
  return {
    readable: true,
    diff: d,
    past,
    percent: past > 0 ? (d / past) * 100 : d > 0 ? undefined : 0,
    currency: diff.currency.toUpperCase(),
  }
}
