import { ConfigurationError } from '../../kit/src/errors.js'
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
  if (/Terraform (will perform|used the selected providers)|^Plan: \d+ to|No changes\.|Changes to Outputs:|Terraform planned the following actions/m.test(t)) {
    return 'is the human-readable `terraform plan` text, not JSON'
  }
  if (t.startsWith('{"@level"') || t.startsWith('{"@message"')) return 'is `terraform plan -json` machine-readable UI log lines, not a plan document'
  return 'is not valid JSON'
}

/**
 * Parses and validates the JSON of `terraform show -json <planfile>` (format_version 1.x).
 * Throws a one-line ConfigurationError naming `source` that says what was given and what to pass instead.
 */
export function parsePlanJson(text: string, source: string): TerraformPlan {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    fail(source, describeText(text))
  }
  if (!isRecord(data)) fail(source, `is JSON ${Array.isArray(data) ? 'array' : typeof data === 'object' ? 'null' : typeof data}, not a plan object`)
  if ('lineage' in data && 'serial' in data && 'resources' in data) {
    fail(source, 'is a raw state file (terraform.tfstate), not a plan')
  }
  if (typeof data.format_version !== 'string') fail(source, 'has no "format_version"; it is not terraform plan JSON')
  if (!/^1\./.test(data.format_version)) {
    fail(source, `has unsupported format_version "${data.format_version}" (this tool reads 1.x)`)
  }
  const planKeys = ['resource_changes', 'planned_values', 'output_changes', 'resource_drift', 'prior_state', 'errored']
  if (!planKeys.some((k) => k in data)) {
    if ('values' in data) fail(source, 'is state JSON (`terraform show -json` without a plan file), not a plan')
    if ('provider_schemas' in data) fail(source, 'is provider schema JSON (`terraform providers schema -json`), not a plan')
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
  return data as unknown as TerraformPlan
}
