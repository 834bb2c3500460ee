import type { Change, JsonValue, OutputChange, ResourceChange, TerraformPlan } from './plan-json.js'

export const SENSITIVE = '(sensitive)'
export const UNKNOWN = '(known after apply)'

type JsonObject = { [key: string]: JsonValue }

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `true` at this node of a mask (sensitive or unknown) means the whole value below is marked. */
function marked(mask: JsonValue | undefined): boolean {
  return mask === true
}

function child(mask: JsonValue | undefined, key: string | number): JsonValue | undefined {
  if (Array.isArray(mask) && typeof key === 'number') return mask[key]
  if (isObject(mask) && typeof key === 'string') return mask[key]
  return undefined
}

/**
 * Returns `value` where every part marked `true` in `sensitive` becomes "(sensitive)" and every
 * part marked `true` in `unknown` becomes "(known after apply)". Masks mirror the value's shape (objects,
 * lists and sets alike are arrays/objects); a `true` at a parent covers everything below. Sensitivity wins
 * over unknown-ness. Unknown attributes that are absent from `value` (terraform omits them) are added.
 * A sensitive `null` stays `null`: there is nothing to leak and it keeps "no object" readable.
 * Parts that nothing changes are returned as they are (shared with the input, never modified); an object
 * with an own "__proto__" key is always copied, which drops that key (as a plain copy always did).
 */
export function redactValue(value: JsonValue | undefined, sensitive?: JsonValue, unknown?: JsonValue): JsonValue {
  if (sensitive === true) return value === null ? null : SENSITIVE
  if (unknown === true) return UNKNOWN
  if (value === undefined) {
    // absent from `after` but partly unknown: rebuild the shape from the mask
    if (Array.isArray(unknown) && hasMark(unknown)) return redactValue([], sensitive, unknown)
    if (isObject(unknown) && hasMark(unknown)) return redactValue({}, sensitive, unknown)
    return null
  }
  if (typeof value !== 'object' || value === null) return value
  // a mask that is not an object/array, or an empty one, marks nothing below: the same as no mask
  const sMask = nonEmptyMask(sensitive)
  const uMask = nonEmptyMask(unknown)
  if (sMask === undefined && uMask === undefined) return hasProtoKey(value) ? copyPlain(value) : value
  if (Array.isArray(value)) {
    let out: JsonValue[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as JsonValue
      const r = redactValue(item, child(sMask, i), child(uMask, i))
      if (out === undefined && r !== item) out = value.slice(0, i)
      if (out !== undefined) out.push(r)
    }
    if (Array.isArray(uMask)) {
      for (let i = value.length; i < uMask.length; i++) {
        if (hasMark(uMask[i])) {
          if (out === undefined) out = value.slice()
          out.push(redactValue(undefined, child(sMask, i), uMask[i]))
        }
      }
    }
    return out ?? value
  }
  const keys = Object.keys(value)
  let results: JsonValue[] | undefined
  let changed = false
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string
    const v = value[k] as JsonValue
    const r = redactValue(v, child(sMask, k), child(uMask, k))
    if (!changed && (r !== v || k === '__proto__')) {
      changed = true
      results = new Array<JsonValue>(keys.length)
      for (let j = 0; j < i; j++) results[j] = value[keys[j] as string] as JsonValue
    }
    if (results !== undefined) results[i] = r
  }
  let extra: [string, JsonValue][] | undefined
  if (isObject(uMask)) {
    const uKeys = Object.keys(uMask)
    for (let i = 0; i < uKeys.length; i++) {
      const k = uKeys[i] as string
      if (k in value) continue
      const u = uMask[k] as JsonValue
      if (hasMark(u)) (extra ??= []).push([k, redactValue(undefined, child(sMask, k), u)])
    }
  }
  if (!changed && extra === undefined) return value
  const out: JsonObject = {}
  for (let i = 0; i < keys.length; i++) out[keys[i] as string] = results ? (results[i] as JsonValue) : (value[keys[i] as string] as JsonValue)
  if (extra) for (const [k, r] of extra) out[k] = r
  return out
}

function nonEmptyMask(mask: JsonValue | undefined): JsonValue[] | JsonObject | undefined {
  if (typeof mask !== 'object' || mask === null) return undefined
  if (Array.isArray(mask)) return mask.length > 0 ? mask : undefined
  for (const _ in mask) return mask
  return undefined
}

/** True if an object anywhere in `value` has an own "__proto__" key (JSON.parse makes those). */
function hasProtoKey(value: JsonValue): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasProtoKey(value[i] as JsonValue)) return true
    return false
  }
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return true
  const keys = Object.keys(value)
  for (let i = 0; i < keys.length; i++) if (hasProtoKey(value[keys[i] as string] as JsonValue)) return true
  return false
}

/** A plain deep copy (assignment drops own "__proto__" keys, as the copies made here always did). */
function copyPlain(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(copyPlain)
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(value)) out[k] = copyPlain(v)
  return out
}

/** True if the mask marks anything at all. */
export function hasMark(mask: JsonValue | undefined): boolean {
  if (mask === true) return true
  if (Array.isArray(mask)) return mask.some(hasMark)
  if (isObject(mask)) return Object.values(mask).some(hasMark)
  return false
}

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

function maskWhole(v: JsonValue | undefined): JsonValue {
  return v === null || v === undefined ? null : SENSITIVE
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

/**
 * Replaces any string leaf (or object key) containing a secret of at least MIN_SCRUB_LENGTH characters
 * with "(sensitive)". The whole string goes, not just the secret: "Bearer <token>" becomes "(sensitive)".
 * Parts without any secret are returned as they are (shared with the input, never modified); an object
 * with an own "__proto__" key is always copied, which drops that key (as a plain copy always did).
 */
export function scrubValue(value: JsonValue, secrets: readonly string[]): JsonValue {
  if (secrets.length === 0) return value
  const matcher = secretMatcher(secrets)
  if (matcher.secrets.length === 0) return hasProtoKey(value) ? copyPlain(value) : value
  return scrub(value, matcher)
}

function scrub(value: JsonValue, m: SecretMatcher): JsonValue {
  if (typeof value === 'string') return leaksAny(value, m) ? SENSITIVE : value
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) {
    let out: JsonValue[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as JsonValue
      const r = scrub(item, m)
      if (out === undefined && r !== item) out = value.slice(0, i)
      if (out !== undefined) out.push(r)
    }
    return out ?? value
  }
  const keys = Object.keys(value)
  let results: JsonValue[] | undefined
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string
    const v = value[k] as JsonValue
    const r = scrub(v, m)
    if (results === undefined && (r !== v || k === '__proto__' || leaksAny(k, m))) {
      results = new Array<JsonValue>(keys.length)
      for (let j = 0; j < i; j++) results[j] = value[keys[j] as string] as JsonValue
    }
    if (results !== undefined) results[i] = r
  }
  if (results === undefined) return value
  const out: JsonObject = {}
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string
    out[leaksAny(k, m) ? SENSITIVE : k] = results[i] as JsonValue
  }
  return out
}

interface SecretMatcher {
  /** The secrets that are scrubbed (at least MIN_SCRUB_LENGTH characters), in the given order. */
  secrets: string[]
  /** Length of the shortest of them: shorter strings cannot contain any. */
  minLength: number
}

const matcherCache = new WeakMap<readonly string[], SecretMatcher>()

/** The scrubbable secrets of a list, computed once per list (planSecrets returns the same array each time). */
function secretMatcher(secrets: readonly string[]): SecretMatcher {
  let m = matcherCache.get(secrets)
  if (!m) {
    const list = secrets.filter((s) => s.length >= MIN_SCRUB_LENGTH)
    let minLength = Infinity
    for (const s of list) if (s.length < minLength) minLength = s.length
    m = { secrets: list, minLength }
    // a caller may modify its array later: cache only frozen lists
    if (Object.isFrozen(secrets)) matcherCache.set(secrets, m)
  }
  return m
}

function leaksAny(s: string, m: SecretMatcher): boolean {
  if (s.length < m.minLength) return false
  const list = m.secrets
  for (let i = 0; i < list.length; i++) if (s.includes(list[i] as string)) return true
  return false
}

/**
 * Replaces every occurrence of a secret (of at least MIN_SCRUB_LENGTH characters) in free text, e.g. the output of
 * `terraform show -no-color`, which prints values whose marks terraform lost IN CLEAR.
 */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length >= MIN_SCRUB_LENGTH && out.includes(secret)) out = out.split(secret).join(SENSITIVE)
  }
  return out
}

/**
 * Secrets shorter than this are not scrubbed outside their marked places: a wholly sensitive object such as
 * sensitive({ release = "r2", token = "..." }) would otherwise turn every "r2" (or "true", "eu") in the plan
 * into "(sensitive)". Values in marked places are always masked, whatever their length.
 */
export const MIN_SCRUB_LENGTH = 6

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
    return { ...rc, change: { ...c, before: at.marked(c.before, c.before_sensitive) ?? null, after: at.marked(c.after, c.after_sensitive) ?? null } }
  }
  const output = (oc: OutputChange): OutputChange => {
    if (oc.sensitive !== true) return { ...oc, before: at.marked(oc.before, oc.before_sensitive) ?? null, after: at.marked(oc.after, oc.after_sensitive) ?? null }
    const before = at.whole(oc.before) ?? null
    const after = at.whole(oc.after) ?? null
    return { ...oc, before, after: oc.after_unknown === true ? null : after }
  }
  const moduleValues = (mod: JsonObject): JsonObject => {
    const out: JsonObject = { ...mod }
    if (Array.isArray(mod.resources)) out.resources = mod.resources.map((r) => (isObject(r) ? { ...r, values: at.marked(r.values, r.sensitive_values) ?? null } : r))
    if (Array.isArray(mod.child_modules)) out.child_modules = mod.child_modules.map((m) => (isObject(m) ? moduleValues(m) : m))
    return out
  }
  const valuesDoc = (doc: JsonValue | undefined): JsonValue | undefined => {
    if (!isObject(doc)) return doc
    const out: JsonObject = { ...doc }
    if (isObject(doc.outputs)) {
      out.outputs = Object.fromEntries(Object.entries(doc.outputs).map(([name, o]) => [name, isObject(o) && o.sensitive === true ? { ...o, value: at.whole(o.value) ?? null } : o]))
    }
    if (isObject(doc.root_module)) out.root_module = moduleValues(doc.root_module)
    return out
  }
  const configModule = (mod: JsonValue | undefined): JsonValue | undefined => {
    if (!isObject(mod)) return mod
    const out: JsonObject = { ...mod }
    if (isObject(mod.variables)) {
      out.variables = Object.fromEntries(
        Object.entries(mod.variables).map(([name, v]) => [name, isObject(v) && v.sensitive === true && 'default' in v ? { ...v, default: at.whole(v.default) ?? null } : v]),
      )
    }
    if (isObject(mod.module_calls)) {
      out.module_calls = Object.fromEntries(Object.entries(mod.module_calls).map(([name, call]) => [name, isObject(call) ? { ...call, module: configModule(call.module) ?? null } : call]))
    }
    return out
  }

  const out: TerraformPlan = { ...plan }
  if (plan.resource_changes) out.resource_changes = plan.resource_changes.map(change)
  if (plan.resource_drift) out.resource_drift = plan.resource_drift.map(change)
  if (plan.deferred_changes) out.deferred_changes = plan.deferred_changes.map((d) => ({ ...d, resource_change: change(d.resource_change) }))
  if (plan.output_changes) out.output_changes = Object.fromEntries(Object.entries(plan.output_changes).map(([name, c]) => [name, output(c)]))
  if (isObject(plan.prior_state)) {
    const values = valuesDoc(plan.prior_state.values)
    out.prior_state = values === undefined ? { ...plan.prior_state } : { ...plan.prior_state, values }
  }
  if (plan.planned_values !== undefined) out.planned_values = valuesDoc(plan.planned_values) ?? null
  if (plan.variables) {
    const sensitiveVars = sensitiveVariableNames(plan)
    out.variables = Object.fromEntries(Object.entries(plan.variables).map(([name, v]) => [name, sensitiveVars.has(name) ? { ...v, value: at.whole(v.value) ?? null } : v]))
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
    for (const k of Object.keys(mask)) if (Object.prototype.hasOwnProperty.call(value, k)) collectMarked(value[k], mask[k], into)
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
