import type { PlanCounts, PlanModel } from '../../terraform/src/model.js'
import { terraformCounts } from './counts.js'

/** The JSON report (output `report`): counts and addresses by action. Addresses only, never values. */
export interface PlanReport {
  schema: 1
  environment: string
  directory: string
  terraformVersion: string
  errored: boolean
  hasChanges: boolean
  fingerprint: string
  counts: PlanCounts
  /** Counts as Terraform prints them (replacements inside add and destroy). */
  terraformCounts: { import: number; add: number; change: number; destroy: number; forget: number }
  addresses: {
    create: string[]
    update: string[]
    delete: string[]
    replace: string[]
    read: string[]
    forget: string[]
    import: string[]
    move: { from: string; to: string }[]
    drift: string[]
  }
  outputs: { name: string; action: string; sensitive: boolean }[]
}

export function buildReport(model: PlanModel, environment: string, directory: string): PlanReport {
  const a: PlanReport['addresses'] = { create: [], update: [], delete: [], replace: [], read: [], forget: [], import: [], move: [], drift: [] }
  for (const e of model.resources) {
    if (e.kind !== 'no-op') a[e.kind].push(e.address)
    if (e.importing) a.import.push(e.address)
    if (e.previousAddress && e.previousAddress !== e.address) a.move.push({ from: e.previousAddress, to: e.address })
    // ["create","forget"]: created, and the old object is forgotten
    if (e.kind === 'create' && e.actions.includes('forget')) a.forget.push(e.address)
  }
  for (const e of model.drift) a.drift.push(e.address)
  return {
    schema: 1,
    environment,
    directory,
    terraformVersion: model.terraformVersion,
    errored: model.errored,
    hasChanges: model.hasChanges,
    fingerprint: model.fingerprint,
    counts: model.counts,
    terraformCounts: terraformCounts(model.counts),
    addresses: a,
    outputs: model.outputs.filter((o) => o.kind !== 'no-op').map((o) => ({ name: o.name, action: o.kind, sensitive: o.sensitive })),
  }
}
