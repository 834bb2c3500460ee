import type { ChangeAction, JsonValue } from './plan-json.js'

/**
 * The plan as this project reasons about it: one entry per resource instance with a single kind,
 * values already redacted (sensitive -> "(sensitive)", unknown -> "(known after apply)").
 * Built by buildPlanModel() from the raw JSON; renderers, gates and reports read only this.
 */
export type ChangeKind = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'forget' | 'no-op'

export interface ResourceEntry {
  address: string
  moduleAddress: string // '' for the root module
  type: string
  name: string
  mode: 'managed' | 'data'
  kind: ChangeKind
  actions: ChangeAction[]
  /** Set when the resource moved: the address it had before. */
  previousAddress?: string
  importing: boolean
  /** e.g. replace_because_tainted, replace_because_cannot_update, delete_because_no_resource_config */
  actionReason?: string
  /** Attribute paths that force replacement, rendered as dotted paths ("tags.Name", "ami"). */
  replacePaths: string[]
  /** Redacted values. */
  before: JsonValue
  after: JsonValue
  /** Top-level attribute names that differ between before and after (for update summaries). */
  changedAttributes: string[]
  /** Set for a deposed object (a leftover of an interrupted create_before_destroy). */
  deposed?: string
  /** count/for_each key of the instance, when it has one. */
  index?: string | number
}

export interface OutputEntry {
  name: string
  kind: ChangeKind
  sensitive: boolean
  before: JsonValue // redacted
  after: JsonValue // redacted
}

export interface PlanCounts {
  add: number
  change: number
  destroy: number
  replace: number
  import: number
  move: number
  forget: number
  read: number
  drift: number
  outputs: number
  /** Of `replace`, those that forget the old object instead of destroying it (["create","forget"]). */
  replaceForget?: number
}

export interface PlanModel {
  terraformVersion: string
  errored: boolean
  complete: boolean
  /** Every managed resource with a change, moves/imports included even when their action is no-op. */
  resources: ResourceEntry[]
  /** Objects changed outside Terraform (`resource_drift`), redacted. */
  drift: ResourceEntry[]
  outputs: OutputEntry[]
  counts: PlanCounts
  hasChanges: boolean
  /** terraform's own `applyable` (true also for a refresh-only plan that only records drift). */
  applyable?: boolean
  /** Stable hash of the semantic change set (see fingerprint.ts). */
  fingerprint: string
}
