/** Frozen copy of packages/terraform/src (before the performance work): the reference the optimised code is compared with in __tests__/unit/terraform/equivalence.test.ts. Do not optimise. */
import { createHash } from 'node:crypto'
import type { JsonValue, TerraformPlan } from '../../../packages/terraform/src/plan-json.js'
import { classifyActions, isSignificant } from '../../../packages/terraform/src/classify.js'
import { planSecrets, redactChange } from './redact.js'

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
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
  const resources: JsonValue[] = []
  for (const rc of plan.resource_changes ?? []) {
    if (!isSignificant(rc)) continue
    const { before, after } = redactChange(rc.change, secrets)
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
    const { before, after } = redactChange(oc, secrets)
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
  return createHash('sha256').update(canonicalJson(changeSet(plan))).digest('hex')
}
