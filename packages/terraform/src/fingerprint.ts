import { createHash } from 'node:crypto'
import type { JsonValue, OutputChange, ResourceChange, TerraformPlan } from './plan-json.js'
import { classifyActions, isSignificant } from './classify.js'
import { planSecrets, redactChange, type RedactedChange } from './redact.js'

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  return appendCanonical('', value)
}

/** Appends canonicalJson(value) to `out` (one growing string, no intermediate arrays). */
function appendCanonical(out: string, value: unknown): string {
  if (value === undefined) return `${out}null`
  if (value === null || typeof value !== 'object') return out + JSON.stringify(value)
  if (Array.isArray(value)) {
    out += '['
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ','
      out = appendCanonical(out, value[i])
    }
    return `${out}]`
  }
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj).sort()
  out += '{'
  let first = true
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string
    const v = obj[k]
    if (v === undefined) continue
    out += first ? JSON.stringify(k) : `,${JSON.stringify(k)}`
    first = false
    out = appendCanonical(`${out}:`, v)
  }
  return `${out}}`
}

/**
 * The semantic change set a fingerprint covers: every resource change that is not a plain no-op (moves,
 * imports and forgets included) and every output change, with redacted values and unknown markers.
 * Deliberately left out: timestamp, terraform_version, variables, resource_drift, prior_state and
 * ordering. Values are redacted, so a plan differing ONLY in a sensitive value hashes the same (the
 * fingerprint is published in PR comments; hashing raw secrets would let low-entropy ones be guessed).
 */
export function changeSet(plan: TerraformPlan): JsonValue {
  const secrets = planSecrets(plan)
  return changeSetOf(plan, (rc) => redactChange(rc.change, secrets), (_name, oc) => redactChange(oc, secrets))
}

/**
 * changeSet, with the redacted values supplied by the caller (buildPlanModel has them already); they must
 * be redactChange(rc.change, planSecrets(plan)) and redactChange(oc, planSecrets(plan)).
 */
export function changeSetOf(
  plan: TerraformPlan,
  redactedResource: (rc: ResourceChange) => RedactedChange,
  redactedOutput: (name: string, oc: OutputChange) => RedactedChange,
): JsonValue {
  const resources: JsonValue[] = []
  for (const rc of plan.resource_changes ?? []) {
    if (!isSignificant(rc)) continue
    const { before, after } = redactedResource(rc)
    const entry: { [k: string]: JsonValue } = {
      address: rc.address,
      previous_address: rc.previous_address ?? null,
      deposed: rc.deposed ?? null,
      actions: [...rc.change.actions],
      before,
      after,
    }
    const imp = rc.change.importing
    if (imp) entry.importing = { id: imp.id ?? null, identity: imp.identity ?? null }
    resources.push(entry)
  }
  resources.sort((a, b) => {
    const ka = sortKey(a)
    const kb = sortKey(b)
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
  const outputs: JsonValue[] = []
  for (const name of Object.keys(plan.output_changes ?? {}).sort()) {
    const oc = plan.output_changes![name]!
    if (classifyActions(oc.actions) === 'no-op') continue
    const { before, after } = redactedOutput(name, oc)
    outputs.push({ name, actions: [...oc.actions], before, after })
  }
  return { resources, outputs }
}

function sortKey(v: JsonValue): string {
  const o = v as { address: string; deposed: string | null }
  return `${o.address}\u0000${o.deposed ?? ''}`
}

/** sha256 hex of canonicalJson(changeSet(plan)). */
export function planFingerprint(plan: TerraformPlan): string {
  return fingerprintOf(changeSet(plan))
}

/** sha256 hex of canonicalJson(set). */
export function fingerprintOf(set: JsonValue): string {
  return createHash('sha256').update(canonicalJson(set)).digest('hex')
}
