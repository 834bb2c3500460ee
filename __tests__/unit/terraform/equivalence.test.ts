import { describe, expect, test } from '@jest/globals'
import { buildPlanModel } from '../../../packages/terraform/src/build-model.js'
import { canonicalJson, changeSet, planFingerprint } from '../../../packages/terraform/src/fingerprint.js'
import type { ChangeAction, JsonValue, ResourceChange, TerraformPlan } from '../../../packages/terraform/src/plan-json.js'
import { collectPlanSecrets, planSecrets, redactChange, redactPlan, redactValue, scrubValue } from '../../../packages/terraform/src/redact.js'
import * as ref from '../../support/reference/redact.js'
import { buildPlanModel as refBuildPlanModel } from '../../support/reference/build-model.js'
import { canonicalJson as refCanonicalJson, planFingerprint as refPlanFingerprint } from '../../support/reference/fingerprint.js'

/**
 * The optimised redaction, model and fingerprint (packages/terraform/src) against a frozen copy of the code
 * before the performance work (__tests__/support/reference), on random plans with the awkward cases:
 * secrets repeated unmarked (in values and keys), masks deeper or shallower than values, unknown parts
 * absent from `after`, "__proto__" / "constructor" / integer-like keys, keys out of order.
 */

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SECRETS = ['s3cr3t-token-1234', 'hunter2-password', 'abc', 'tok3n-xyz']
const KEYS = ['name', 'zone', 'id', 'tags', 'b', 'a', '10', '9', '0', '__proto__', 'constructor', 'toString', 'output', 'input', 'Z', 'password']

function gen(r: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
  const str = (): string => {
    const x = r()
    if (x < 0.15) return pick(SECRETS)
    if (x < 0.25) return `Bearer ${pick(SECRETS)}`
    if (x < 0.3) return ''
    return pick(['eu-west-1', 'node-1', 'true', 'r2', 'x'.repeat(Math.floor(r() * 10)), 'emoji ♻️'])
  }
  const value = (depth: number): JsonValue => {
    const x = r()
    if (depth > 3 || x < 0.35) return pick<JsonValue>([null, true, false, 0, 42, -1.5, str(), str()])
    if (x < 0.6) return Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1))
    const o: { [k: string]: JsonValue } = {}
    const n = Math.floor(r() * 5)
    for (let i = 0; i < n; i++) {
      const k = r() < 0.1 ? str() : pick(KEYS)
      // JSON.parse makes an own "__proto__" key; assignment would not
      Object.defineProperty(o, k, { value: value(depth + 1), enumerable: true, writable: true, configurable: true })
    }
    return o
  }
  // a mask that follows the value's shape some of the way, with `true` here and there
  const mask = (v: JsonValue | undefined, depth: number): JsonValue | undefined => {
    const x = r()
    if (x < 0.12) return true
    if (x < 0.2) return undefined
    if (x < 0.25) return false
    if (Array.isArray(v)) return Array.from({ length: v.length + (r() < 0.3 ? 2 : 0) }, (_, i) => mask(v[i], depth + 1) ?? false)
    if (v !== null && typeof v === 'object') {
      const m: { [k: string]: JsonValue } = {}
      for (const k of Object.keys(v)) {
        const c = mask(v[k], depth + 1)
        if (c !== undefined) Object.defineProperty(m, k, { value: c, enumerable: true, writable: true, configurable: true })
      }
      if (r() < 0.3) m[pick(KEYS)] = r() < 0.5 ? true : {}
      return m
    }
    return depth > 3 ? false : r() < 0.1 ? { extra: true } : false
  }
  const actions: ChangeAction[][] = [['create'], ['update'], ['delete'], ['delete', 'create'], ['create', 'delete'], ['no-op'], ['read'], ['forget']]
  const rc = (i: number): ResourceChange => {
    const before = r() < 0.3 ? null : value(0)
    const after = r() < 0.2 ? null : value(0)
    const change: ResourceChange['change'] = { actions: pick(actions), before, after }
    const bs = mask(before, 0)
    const as = mask(after, 0)
    const au = mask(after, 0)
    if (bs !== undefined) change.before_sensitive = bs
    if (as !== undefined) change.after_sensitive = as
    if (au !== undefined) change.after_unknown = au
    if (r() < 0.1) change.importing = { id: `imp-${i}` }
    if (r() < 0.2) change.replace_paths = [['tags', 'Name'], ['list', 0]]
    const out: ResourceChange = { address: `terraform_data.r[${Math.floor(r() * 50)}]`, mode: 'managed', type: 'terraform_data', name: 'r', provider_name: 'p', change }
    if (r() < 0.1) out.previous_address = `terraform_data.old[${i}]`
    if (r() < 0.1) out.deposed = `dep${i % 3}`
    if (r() < 0.2) out.index = i
    return out
  }
  const plan: TerraformPlan = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: Array.from({ length: 1 + Math.floor(r() * 12) }, (_, i) => rc(i)),
    resource_drift: Array.from({ length: Math.floor(r() * 3) }, (_, i) => rc(100 + i)),
    output_changes: {},
    variables: { pw: { value: pick(SECRETS) }, plain: { value: str() } },
    configuration: { root_module: { variables: { pw: { sensitive: true, default: pick(SECRETS) } } } },
    planned_values: { outputs: { o: { sensitive: true, value: pick(SECRETS) } }, root_module: { resources: [{ address: 'x', values: value(0), sensitive_values: true }] } },
  }
  for (let i = 0; i < 3; i++) {
    const name = pick(['z', 'a', 'out', '__proto__', '10'])
    const before = value(1)
    const after = value(1)
    const oc = { actions: pick(actions), before, after, before_sensitive: mask(before, 1) ?? false, after_sensitive: mask(after, 1) ?? false, after_unknown: mask(after, 1) ?? false, sensitive: r() < 0.2 }
    Object.defineProperty(plan.output_changes, name, { value: oc, enumerable: true, writable: true, configurable: true })
  }
  return { plan, value, mask }
}

/** A plan the way JSON.parse makes it (own "__proto__" keys kept). */
const reparse = (p: TerraformPlan): TerraformPlan => JSON.parse(JSON.stringify(p)) as TerraformPlan

describe('optimised redaction, model and fingerprint equal the reference implementation', () => {
  test('on 400 random plans', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed)
      const { plan: made, value, mask } = gen(r)
      const plan = reparse(made)
      const refPlan = reparse(made)
      const secrets = collectPlanSecrets(plan)
      expect(secrets).toEqual(ref.collectPlanSecrets(refPlan))
      expect(planSecrets(plan)).toEqual(secrets)
      // the model (values, order, everything) and the fingerprint
      expect(JSON.stringify(buildPlanModel(plan))).toBe(JSON.stringify(refBuildPlanModel(refPlan)))
      expect(planFingerprint(plan)).toBe(refPlanFingerprint(refPlan))
      expect(buildPlanModel(plan).fingerprint).toBe(refPlanFingerprint(refPlan))
      expect(canonicalJson(changeSet(plan))).toBe(refCanonicalJson(changeSet(plan)))
      expect(JSON.stringify(redactPlan(plan))).toBe(JSON.stringify(ref.redactPlan(refPlan)))
      for (const rc of plan.resource_changes ?? []) {
        expect(JSON.stringify(redactChange(rc.change, secrets))).toBe(JSON.stringify(ref.redactChange(rc.change, secrets)))
      }
      // the building blocks on their own, with masks that do not fit the value
      for (let i = 0; i < 5; i++) {
        const v = JSON.parse(JSON.stringify(value(0) ?? null)) as JsonValue
        const s = mask(v, 0)
        const u = mask(v, 0)
        expect(JSON.stringify(redactValue(v, s, u))).toBe(JSON.stringify(ref.redactValue(v, s, u)))
        expect(JSON.stringify(redactValue(undefined, s, u))).toBe(JSON.stringify(ref.redactValue(undefined, s, u)))
        expect(JSON.stringify(scrubValue(v, secrets))).toBe(JSON.stringify(ref.scrubValue(v, secrets)))
        expect(JSON.stringify(scrubValue(v, ['abc']))).toBe(JSON.stringify(ref.scrubValue(v, ['abc'])))
        expect(canonicalJson(v)).toBe(refCanonicalJson(v))
      }
      // building the model never modifies the plan
      expect(JSON.stringify(plan)).toBe(JSON.stringify(refPlan))
    }
  })

  test('canonicalJson on values JSON.stringify cannot order, and non-JSON values', () => {
    const cases: unknown[] = [
      { b: 1, 10: 'x', 9: 'y', a: { d: 1, c: [3, { z: 1, y: 2 }] } },
      JSON.parse('{"b":1,"__proto__":{"y":1,"x":2},"a":[{"__proto__":1}]}'),
      { b: undefined, a: 1, c: [undefined, 1] },
      { b: () => 1, a: 1 },
      [1, () => 1, Symbol('s')],
      { toJSON: () => 'x', a: 1 },
      { a: new Date(0), b: 1 },
      undefined,
      null,
      'str',
      [],
      {},
    ]
    for (const c of cases) expect(canonicalJson(c)).toBe(refCanonicalJson(c))
  })
})
