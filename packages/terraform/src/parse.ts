import { ConfigurationError } from '@tfpipe/kit/errors.js'
import type { TerraformPlan } from './plan-json.js'

const HOW = 'pass the output of `terraform show -json <planfile>` instead'

function fail(source: string, what: string): never {
  throw new ConfigurationError(`${source}: ${what}; ${HOW}`)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Guesses what a non-JSON text is, for the error message. */
function describeText(text: string): string {
  const t = text.trimStart()
  if (t === '') return 'is empty'
  if (t.startsWith('PK')) return 'is a binary plan file (zip), not its JSON'
  if (
    /Terraform (will perform|used the selected providers)|^Plan: \d+ to|No changes\.|Changes to Outputs:|Terraform planned the following actions/m.test(
      t,
    )
  ) {
    return 'is the human-readable `terraform plan` text, not JSON'
  }
  if (t.startsWith('{"@level"') || t.startsWith('{"@message"'))
    return 'is `terraform plan -json` machine-readable UI log lines, not a plan document'
  return 'is not valid JSON'
}

/** Plan JSON formats read: 0.1 (Terraform 0.12-0.14), 0.2 (0.15-1.0), 1.x (1.1 and later, OpenTofu). */
export const SUPPORTED_FORMAT = /^(0\.[12]|1\.\d+)$/
export const SUPPORTED_RANGE = 'Terraform 0.12 and later and OpenTofu'

/** A change without either sensitivity mask: Terraform 0.12/0.13 wrote none, so nothing in it is known to be safe. */
function maskUnmarked(change: Record<string, unknown>): void {
  if ('before_sensitive' in change || 'after_sensitive' in change) return
  change.before_sensitive = change.before !== null && change.before !== undefined
  change.after_sensitive = change.after !== null && change.after !== undefined
}

function maskUnmarkedModule(mod: unknown): void {
  if (!isRecord(mod)) return
  if (Array.isArray(mod.resources))
    for (const r of mod.resources) if (isRecord(r) && !('sensitive_values' in r)) r.sensitive_values = true
  if (Array.isArray(mod.child_modules)) mod.child_modules.forEach(maskUnmarkedModule)
}

/**
 * Plans of Terraform 0.12 to 1.0 (format 0.1 and 0.2) have the structure of 1.x for everything read
 * here (resource_changes, output_changes, resource_drift, planned_values, prior_state). Terraform 0.14
 * added the sensitivity masks; a plan written before (0.12, 0.13) has none and shows provider-sensitive
 * values in clear. Those values are marked wholly sensitive here, so every reader (comment, gate,
 * artifact, fingerprint) redacts them; root variables of such a plan count as sensitive too.
 */
function markLegacyPlan(data: Record<string, unknown>): void {
  let unmarked = false
  for (const key of ['resource_changes', 'resource_drift'] as const) {
    const list = data[key]
    if (!Array.isArray(list)) continue
    for (const rc of list) {
      if (!isRecord(rc) || !isRecord(rc.change)) continue
      if (!('before_sensitive' in rc.change) && !('after_sensitive' in rc.change)) unmarked = true
      maskUnmarked(rc.change)
    }
  }
  if (isRecord(data.output_changes))
    for (const oc of Object.values(data.output_changes)) if (isRecord(oc)) maskUnmarked(oc)
  for (const key of ['planned_values', 'prior_state'] as const) {
    const v = data[key]
    if (!isRecord(v)) continue
    maskUnmarkedModule(key === 'prior_state' ? (isRecord(v.values) ? v.values.root_module : undefined) : v.root_module)
  }
  if (unmarked && isRecord(data.variables)) {
    const config = isRecord(data.configuration) ? data.configuration : (data.configuration = {})
    const root = isRecord(config.root_module) ? config.root_module : (config.root_module = {})
    const vars = isRecord(root.variables) ? root.variables : (root.variables = {})
    for (const name of Object.keys(data.variables)) {
      const v = isRecord(vars[name]) ? vars[name] : (vars[name] = {})
      v.sensitive = true
    }
  }
}

/**
 * Parses and validates the JSON of `terraform show -json <planfile>` (format_version 0.1, 0.2 or 1.x).
 * Throws a one-line ConfigurationError naming `source` that says what was given and what to pass instead.
 */
export function parsePlanJson(text: string, source: string): TerraformPlan {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    fail(source, describeText(text))
  }
  if (!isRecord(data))
    fail(
      source,
      `is JSON ${Array.isArray(data) ? 'array' : typeof data === 'object' ? 'null' : typeof data}, not a plan object`,
    )
  if ('lineage' in data && 'serial' in data && 'resources' in data) {
    fail(source, 'is a raw state file (terraform.tfstate), not a plan')
  }
  if (typeof data.format_version !== 'string') fail(source, 'has no "format_version"; it is not terraform plan JSON')
  if (!SUPPORTED_FORMAT.test(data.format_version)) {
    throw new ConfigurationError(
      `${source}: has plan format_version "${data.format_version}", which this tool cannot read; it reads plans of ${SUPPORTED_RANGE} (format_version 0.1, 0.2 and 1.x): pass the output of \`terraform show -json <planfile>\` of one of those versions`,
    )
  }
  const planKeys = ['resource_changes', 'planned_values', 'output_changes', 'resource_drift', 'prior_state', 'errored']
  if (!planKeys.some((k) => k in data)) {
    if ('values' in data) fail(source, 'is state JSON (`terraform show -json` without a plan file), not a plan')
    if ('provider_schemas' in data)
      fail(source, 'is provider schema JSON (`terraform providers schema -json`), not a plan')
    if ('valid' in data && 'diagnostics' in data) fail(source, 'is `terraform validate -json` output, not a plan')
    fail(source, 'has none of resource_changes/planned_values/output_changes; it is not a plan')
  }
  for (const key of ['resource_changes', 'resource_drift', 'deferred_changes'] as const) {
    const v = data[key]
    if (v === undefined || v === null) continue
    if (!Array.isArray(v)) fail(source, `has "${key}" that is not an array`)
    v.forEach((rc: unknown, i: number) => {
      const entry = key === 'deferred_changes' && isRecord(rc) ? rc.resource_change : rc
      if (!isRecord(entry) || typeof entry.address !== 'string') fail(source, `has ${key}[${i}] without an "address"`)
      if (!isRecord(entry.change) || !Array.isArray(entry.change.actions)) {
        fail(source, `has ${key}[${i}] (${entry.address}) without "change.actions"`)
      }
    })
  }
  if (data.output_changes !== undefined && data.output_changes !== null) {
    if (!isRecord(data.output_changes)) fail(source, 'has "output_changes" that is not an object')
    for (const [name, oc] of Object.entries(data.output_changes)) {
      if (!isRecord(oc) || !Array.isArray(oc.actions)) fail(source, `has output_changes.${name} without "actions"`)
    }
  }
  if (data.variables !== undefined && !isRecord(data.variables)) fail(source, 'has "variables" that is not an object')
  if (data.format_version.startsWith('0.')) markLegacyPlan(data)
  return data as unknown as TerraformPlan
}
