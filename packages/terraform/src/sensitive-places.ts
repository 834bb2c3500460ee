/**
 * The places a plan holds sensitive values (mapSensitivePlaces), walked to redact them (redactPlan, redactChange)
 * and to collect their secrets (collectPlanSecrets, planSecrets).
 */
import type { Change, JsonValue, OutputChange, ResourceChange, TerraformPlan } from './plan-json.js'
import { child, isObject, marked, maskWhole, redactValue, SENSITIVE, type JsonObject } from './redact.js'
import { scrubValue } from './scrub.js'

export interface RedactedChange {
  before: JsonValue
  after: JsonValue
}

/**
 * Redacted before/after of a resource (or output) change. Output changes marked `sensitive` are masked
 * whole. `secrets` (from collectPlanSecrets) are then scrubbed from what is left: terraform does not always
 * carry the marks along (1.11 drops them from terraform_data's computed `output` in the prior state, so
 * `before.output` holds the secret unmarked) and the masks alone would leak it.
 */
export function redactChange(change: Change | OutputChange, secrets: readonly string[] = []): RedactedChange {
  const whole = 'sensitive' in change && change.sensitive === true
  const before = whole ? maskWhole(change.before) : redactValue(change.before, change.before_sensitive)
  let after = whole ? maskWhole(change.after) : redactValue(change.after, change.after_sensitive, change.after_unknown)
  if (whole && change.after_unknown === true) after = SENSITIVE
  return { before: scrubValue(before, secrets), after: scrubValue(after, secrets) }
}

/** Collects every string/number/boolean leaf of `value` that the mask marks sensitive. */
function collectSecrets(value: JsonValue | undefined, mask: JsonValue | undefined, into: Set<string>): void {
  if (value === undefined || value === null) return
  if (marked(mask)) {
    collectLeaves(value, into)
    return
  }
  if (Array.isArray(value)) value.forEach((v, i) => collectSecrets(v, child(mask, i), into))
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) collectSecrets(v, child(mask, k), into)
}

function collectLeaves(value: JsonValue, into: Set<string>): void {
  if (value === null) return
  if (Array.isArray(value)) value.forEach((v) => collectLeaves(v, into))
  else if (isObject(value)) Object.values(value).forEach((v) => collectLeaves(v, into))
  else if (typeof value === 'string') into.add(value)
}

/** Names of root variables declared `sensitive = true` in the configuration. */
export function sensitiveVariableNames(plan: TerraformPlan): Set<string> {
  const names = new Set<string>()
  const cfg = plan.configuration
  if (!isObject(cfg) || !isObject(cfg.root_module) || !isObject(cfg.root_module.variables)) return names
  for (const [name, v] of Object.entries(cfg.root_module.variables)) {
    if (isObject(v) && v.sensitive === true) names.add(name)
  }
  return names
}

/**
 * What to do at each place of a plan that holds sensitive values: `marked` gets a value and its
 * sensitivity mask (`true` = all of it), `whole` a value that is sensitive as a whole. Each returns what
 * goes in the value's place.
 */
interface SensitivePlaces {
  marked(value: JsonValue | undefined, mask: JsonValue | undefined): JsonValue | undefined
  whole(value: JsonValue | undefined): JsonValue | undefined
}

/**
 * The one list of the places a plan holds sensitive values, walked for both redaction and collection
 * (so a place cannot be redacted without its secrets being collected, or the other way round):
 * resource changes, drift and deferred changes (before/after by their masks), output changes (whole or
 * by masks), prior_state and planned_values (resources by `sensitive_values`, sensitive outputs, child
 * modules), root variables declared sensitive, sensitive variable defaults in the configuration (module
 * calls too). Returns a copy with every place replaced; the rest is shared with the input.
 */
function mapSensitivePlaces(plan: TerraformPlan, at: SensitivePlaces): TerraformPlan {
  const change = (rc: ResourceChange): ResourceChange => {
    const c = rc.change
    return {
      ...rc,
      change: {
        ...c,
        before: at.marked(c.before, c.before_sensitive) ?? null,
        after: at.marked(c.after, c.after_sensitive) ?? null,
      },
    }
  }
  const output = (oc: OutputChange): OutputChange => {
    if (oc.sensitive !== true)
      return {
        ...oc,
        before: at.marked(oc.before, oc.before_sensitive) ?? null,
        after: at.marked(oc.after, oc.after_sensitive) ?? null,
      }
    const before = at.whole(oc.before) ?? null
    const after = at.whole(oc.after) ?? null
    return { ...oc, before, after: oc.after_unknown === true ? null : after }
  }
  const moduleValues = (mod: JsonObject): JsonObject => {
    const out: JsonObject = { ...mod }
    if (Array.isArray(mod.resources))
      out.resources = mod.resources.map((r) =>
        isObject(r) ? { ...r, values: at.marked(r.values, r.sensitive_values) ?? null } : r,
      )
    if (Array.isArray(mod.child_modules))
      out.child_modules = mod.child_modules.map((m) => (isObject(m) ? moduleValues(m) : m))
    return out
  }
  const valuesDoc = (doc: JsonValue | undefined): JsonValue | undefined => {
    if (!isObject(doc)) return doc
    const out: JsonObject = { ...doc }
    if (isObject(doc.outputs)) {
      out.outputs = Object.fromEntries(
        Object.entries(doc.outputs).map(([name, o]) => [
          name,
          isObject(o) && o.sensitive === true ? { ...o, value: at.whole(o.value) ?? null } : o,
        ]),
      )
    }
    if (isObject(doc.root_module)) out.root_module = moduleValues(doc.root_module)
    return out
  }
  const configModule = (mod: JsonValue | undefined): JsonValue | undefined => {
    if (!isObject(mod)) return mod
    const out: JsonObject = { ...mod }
    if (isObject(mod.variables)) {
      out.variables = Object.fromEntries(
        Object.entries(mod.variables).map(([name, v]) => [
          name,
          isObject(v) && v.sensitive === true && 'default' in v ? { ...v, default: at.whole(v.default) ?? null } : v,
        ]),
      )
    }
    if (isObject(mod.module_calls)) {
      out.module_calls = Object.fromEntries(
        Object.entries(mod.module_calls).map(([name, call]) => [
          name,
          isObject(call) ? { ...call, module: configModule(call.module) ?? null } : call,
        ]),
      )
    }
    return out
  }

  const out: TerraformPlan = { ...plan }
  if (plan.resource_changes) out.resource_changes = plan.resource_changes.map(change)
  if (plan.resource_drift) out.resource_drift = plan.resource_drift.map(change)
  if (plan.deferred_changes)
    out.deferred_changes = plan.deferred_changes.map((d) => ({ ...d, resource_change: change(d.resource_change) }))
  if (plan.output_changes)
    out.output_changes = Object.fromEntries(Object.entries(plan.output_changes).map(([name, c]) => [name, output(c)]))
  if (isObject(plan.prior_state)) {
    const values = valuesDoc(plan.prior_state.values)
    out.prior_state = values === undefined ? { ...plan.prior_state } : { ...plan.prior_state, values }
  }
  if (plan.planned_values !== undefined) out.planned_values = valuesDoc(plan.planned_values) ?? null
  if (plan.variables) {
    const sensitiveVars = sensitiveVariableNames(plan)
    out.variables = Object.fromEntries(
      Object.entries(plan.variables).map(([name, v]) => [
        name,
        sensitiveVars.has(name) ? { ...v, value: at.whole(v.value) ?? null } : v,
      ]),
    )
  }
  if (isObject(plan.configuration)) {
    const root = configModule(plan.configuration.root_module)
    out.configuration = root === undefined ? { ...plan.configuration } : { ...plan.configuration, root_module: root }
  }
  return out
}

/**
 * A redacted deep copy of the whole raw plan, safe to upload as an artifact: resource changes, drift,
 * deferred changes, output changes, prior_state and planned_values (by their `sensitive_values` masks),
 * root variables declared sensitive, sensitive variable defaults in the configuration. Every secret value
 * found on the way is then scrubbed from the rest of the document (configuration literals, checks,
 * generated config...), so a secret repeated anywhere unmarked does not survive either.
 */
export function redactPlan(plan: TerraformPlan): TerraformPlan {
  const secrets = new Set<string>()
  const out = mapSensitivePlaces(plan, {
    marked: (value, mask) => {
      collectSecrets(value, mask, secrets)
      return redactValue(value, mask)
    },
    whole: (value) => {
      collectLeaves(value ?? null, secrets)
      return maskWhole(value)
    },
  })
  secrets.delete('')
  const list = [...secrets].sort((a, b) => b.length - a.length)
  const scrubbed = scrubValue(out as unknown as JsonValue, list) as unknown as TerraformPlan
  // identification fields are never secret; keep them even if a secret happens to equal them
  scrubbed.format_version = plan.format_version
  if (plan.terraform_version !== undefined) scrubbed.terraform_version = plan.terraform_version
  return scrubbed
}

/** collectSecrets, walking the mask: only where the mask has something can a leaf be collected. */
function collectMarked(value: JsonValue | undefined, mask: JsonValue | undefined, into: Set<string>): void {
  if (value === undefined || value === null) return
  if (mask === true) {
    collectLeaves(value, into)
    return
  }
  if (typeof mask !== 'object' || mask === null || typeof value !== 'object') return
  if (Array.isArray(value)) {
    if (!Array.isArray(mask)) return
    const n = Math.min(value.length, mask.length)
    for (let i = 0; i < n; i++) collectMarked(value[i], mask[i], into)
  } else {
    if (Array.isArray(mask)) return
    for (const k of Object.keys(mask))
      if (Object.prototype.hasOwnProperty.call(value, k)) collectMarked(value[k], mask[k], into)
  }
}

/**
 * Every secret string the plan marks somewhere: values under `true` in any sensitive mask (changes, drift,
 * deferred changes, prior_state/planned_values `sensitive_values`), sensitive outputs, root variables and
 * variable defaults declared sensitive. Longest first, for scrubValue/scrubText.
 */
export function collectPlanSecrets(plan: TerraformPlan): string[] {
  const secrets = new Set<string>()
  // The same places as redactPlan; only the masks are walked (an unmarked part holds nothing to collect).
  mapSensitivePlaces(plan, {
    marked: (value, mask) => {
      collectMarked(value, mask, secrets)
      return value
    },
    whole: (value) => {
      collectLeaves(value ?? null, secrets)
      return value
    },
  })
  secrets.delete('')
  return [...secrets].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
}

const secretCache = new WeakMap<TerraformPlan, string[]>()

/** collectPlanSecrets, memoized per plan object (buildPlanModel and planFingerprint both need it). */
export function planSecrets(plan: TerraformPlan): string[] {
  let secrets = secretCache.get(plan)
  if (!secrets) {
    secrets = Object.freeze(collectPlanSecrets(plan)) as string[]
    secretCache.set(plan, secrets)
  }
  return secrets
}
