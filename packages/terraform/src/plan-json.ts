/**
 * The parts of `terraform show -json <planfile>` (format 1.x) this project reads.
 * Values are arbitrary JSON; sensitive ones appear IN CLEAR and are marked only by the
 * `*_sensitive` masks (same shape as the value, `true` where sensitive).
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget'

export interface Change {
  actions: ChangeAction[]
  before: JsonValue
  after: JsonValue
  after_unknown?: JsonValue
  before_sensitive?: JsonValue
  after_sensitive?: JsonValue
  replace_paths?: JsonValue[][]
  importing?: { id?: string; identity?: JsonValue } | null
  generated_config?: string
}

export interface ResourceChange {
  address: string
  previous_address?: string
  module_address?: string
  mode: 'managed' | 'data'
  type: string
  name: string
  index?: string | number
  provider_name: string
  deposed?: string
  change: Change
  action_reason?: string
}

export interface OutputChange extends Change {
  sensitive?: boolean
}

export interface TerraformPlan {
  format_version: string
  terraform_version?: string
  timestamp?: string
  applyable?: boolean
  complete?: boolean
  errored?: boolean
  variables?: Record<string, { value: JsonValue }>
  resource_changes?: ResourceChange[]
  resource_drift?: ResourceChange[]
  deferred_changes?: { reason: string; resource_change: ResourceChange }[]
  output_changes?: Record<string, OutputChange>
  prior_state?: JsonValue
  planned_values?: JsonValue
  configuration?: JsonValue
  relevant_attributes?: { resource: string; attribute: JsonValue[] }[]
  checks?: JsonValue
}
