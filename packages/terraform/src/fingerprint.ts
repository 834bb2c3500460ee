import { createHash, type Hash } from 'node:crypto'
import type { JsonValue, OutputChange, ResourceChange, TerraformPlan } from './plan-json.js'
import { classifyActions, isSignificant } from './classify.js'
import { planSecrets, redactChange, type RedactedChange } from './sensitive-places.js'

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  // Fast: copy only the objects whose keys are out of order (sorted), share the rest, and let
  // JSON.stringify write it all; terraform writes values with sorted keys, so little is copied.
  const unsorted = new Set<object>()
  markUnsorted(value, unsorted)
  try {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON.stringify(undefined) is undefined, not a string as typed
    return JSON.stringify(canonicalCopy(value, unsorted)) ?? 'null'
  } catch (error) {
    if (error !== NOT_PLAIN) throw error
  }
  // Slow, for what JSON.stringify cannot be made to write canonically (integer-like keys out of order,
  // values that are not JSON): one key at a time.
  const parts: string[] = []
  const w = new CanonicalWriter((chunk) => parts.push(chunk))
  w.value(value)
  w.flush()
  return parts.join('')
}

const NOT_PLAIN = new Error('not plain JSON')
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/

/**
 * `value` with every object in `unsorted` replaced by a copy with its keys inserted in sorted order (and
 * undefined values left out), recursively; everything else shared. Throws NOT_PLAIN when an object to copy
 * has an integer-like key (JavaScript enumerates those first whatever the insertion order) or a value that
 * is not JSON.
 */
function canonicalCopy(value: unknown, unsorted: Set<object>): unknown {
  if (value === null || typeof value !== 'object' || !unsorted.has(value)) return value
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length)
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i]
      if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw NOT_PLAIN
      out[i] = canonicalCopy(v, unsorted)
    }
    return out
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw NOT_PLAIN
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj).sort()
  const out: Record<string, unknown> = {}
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    const v = obj[k]
    if (v === undefined) continue
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw NOT_PLAIN
    const c0 = k.charCodeAt(0)
    if (c0 >= 48 && c0 <= 57 && INDEX_KEY.test(k)) throw NOT_PLAIN
    const c = canonicalCopy(v, unsorted)
    // a plain assignment to "__proto__" would set the prototype instead of adding the key
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true })
    else out[k] = c
  }
  return out
}

/**
 * Writes canonicalJson(value) in chunks of about CHUNK characters to `sink` (the fingerprint hashes them
 * as they come instead of building one large string).
 */
class CanonicalWriter {
  private buf = ''
  constructor(private readonly sink: (chunk: string) => void) {}

  flush(): void {
    if (this.buf !== '') this.sink(this.buf)
    this.buf = ''
  }

  private put(s: string): void {
    this.buf += s
    if (this.buf.length > CHUNK) this.flush()
  }

  /**
   * Writes canonicalJson(value). A part whose keys are already in order at every level (terraform writes
   * values that way) is the same as its plain JSON, so it is written by JSON.stringify in one go; only the
   * objects `markUnsorted` found out of order (and their containers) are walked here.
   */
  value(value: unknown): void {
    if (value !== null && typeof value === 'object') markUnsorted(value, this.unsorted)
    this.write(value, this.unsorted)
  }

  /** Objects out of canonical order (the values written are never modified while the writer lives). */
  private readonly unsorted = new Set<object>()

  private write(value: unknown, unsorted: Set<object>): void {
    if (value === undefined) {
      this.put('null')
      return
    }
    if (value === null || typeof value !== 'object') {
      this.put(JSON.stringify(value))
      return
    }
    if (!unsorted.has(value)) {
      this.put(JSON.stringify(value))
      return
    }
    if (Array.isArray(value)) {
      this.put('[')
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.put(',')
        const v: unknown = value[i]
        // what canonicalJson always did for a function or symbol in an array: nothing between the commas
        if (typeof v === 'function' || typeof v === 'symbol') continue
        this.write(v, unsorted)
      }
      this.put(']')
      return
    }
    const obj = value as Record<string, unknown>
    const keys = Object.keys(obj).sort()
    const copy = sortedCopy(obj, keys, unsorted)
    if (copy !== undefined) {
      this.put(JSON.stringify(copy))
      return
    }
    this.put('{')
    let first = true
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!
      const v = obj[k]
      if (v === undefined) continue
      this.put(first ? `${JSON.stringify(k)}:` : `,${JSON.stringify(k)}:`)
      first = false
      this.write(v, unsorted)
    }
    this.put('}')
  }
}

const CHUNK = 16 * 1024

/**
 * For an object out of key order whose values are all in order already (plain JSON values, no unsorted
 * object or array): a shallow copy with the keys inserted in `keys` order, so that
 * JSON.stringify(copy) is its canonical JSON. Undefined when that does not hold: a value is undefined or not
 * JSON, or a key starts with a digit (integer-like keys would be enumerated first, whatever the order).
 */
function sortedCopy(
  obj: Record<string, unknown>,
  keys: readonly string[],
  unsorted: Set<object>,
): Record<string, unknown> | undefined {
  const copy: Record<string, unknown> = {}
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    const c = k.charCodeAt(0)
    if (c >= 48 && c <= 57) return undefined
    const v = obj[k]
    if (v !== null) {
      const t = typeof v
      if (t === 'object') {
        if (unsorted.has(v as object)) return undefined
      } else if (t !== 'string' && t !== 'number' && t !== 'boolean') return undefined
    }
    // a plain assignment to "__proto__" would set the prototype instead of adding the key
    if (k === '__proto__')
      Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true })
    else copy[k] = v
  }
  return copy
}

/**
 * Adds to `unsorted` every object or array below `value` (itself included) whose JSON.stringify would differ
 * from canonicalJson: an object whose own keys do not come in ascending order, or with an undefined value
 * (JSON.stringify leaves it out too, but canonicalJson's filter must see it), or anything containing one.
 * Returns true when `value` was added. One pass; every node is visited once.
 */
function markUnsorted(value: unknown, unsorted: Set<object>): boolean {
  if (value === null || typeof value !== 'object') return false
  let bad = false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i]
      // JSON.stringify writes an undefined element as null, like canonicalJson; anything else non-JSON
      // (functions, symbols) is left to the slow path
      if (v === undefined) continue
      if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') bad = true
      else if (markUnsorted(v, unsorted)) bad = true
    }
  } else {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') bad = true
    const obj = value as Record<string, unknown>
    const keys = Object.keys(obj)
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!
      if (i > 0 && !(keys[i - 1]! < k)) bad = true
      const v = obj[k]
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') bad = true
      else if (markUnsorted(v, unsorted)) bad = true
    }
  }
  if (bad) unsorted.add(value)
  return bad
}

function sha256(): Hash {
  return createHash('sha256')
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
  return changeSetOf(
    plan,
    (rc) => redactChange(rc.change, secrets),
    (_name, oc) => redactChange(oc, secrets),
  )
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
    const entry: Record<string, JsonValue> = {
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
  const keyed = resources.map((entry) => ({ key: sortKey(entry), entry }))
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  for (let i = 0; i < keyed.length; i++) resources[i] = (keyed[i] as { entry: JsonValue }).entry
  const outputs: JsonValue[] = []
  for (const name of Object.keys(plan.output_changes ?? {}).sort()) {
    const oc = plan.output_changes![name]!
    if (classifyActions(oc.actions) === 'no-op') continue
    const { before, after } = redactedOutput(name, oc)
    outputs.push({ name, actions: [...oc.actions], before, after })
  }
  return { resources, outputs }
}

/**
 * fingerprintOf(changeSet(plan)) without building the change set: `changes` are the significant resource
 * changes in plan order with their redacted values (redactChange(rc.change, planSecrets(plan))), `outputs`
 * the redacted non-no-op output changes by name. Writes the same canonical JSON straight into the hash.
 */
export function fingerprintOfChanges(
  plan: TerraformPlan,
  changes: readonly ResourceChange[],
  redacted: (index: number) => RedactedChange,
  redactedOutput: (name: string, oc: OutputChange) => RedactedChange,
): string {
  // the change set of changeSet(), built with its keys already in canonical (sorted) order
  const outputs: JsonValue[] = []
  for (const name of Object.keys(plan.output_changes ?? {}).sort()) {
    const oc = plan.output_changes![name]!
    if (classifyActions(oc.actions) === 'no-op') continue
    const { before, after } = redactedOutput(name, oc)
    outputs.push({ actions: [...oc.actions], after, before, name })
  }
  const keys = changes.map((rc) => `${rc.address}\u0000${rc.deposed ?? ''}`)
  const order = changes.map((_, i) => i)
  order.sort((a, b) => {
    const ka = keys[a]!
    const kb = keys[b]!
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
  // canonicalJson({ outputs, resources }) written piece by piece (the keys are in canonical order already,
  // and an array is its items joined by commas): each resource's redacted values live only while hashed
  const hash = sha256()
  hash.update(`{"outputs":${canonicalJson(outputs)},"resources":[`, 'utf8')
  for (let n = 0; n < order.length; n++) {
    const i = order[n]!
    const rc = changes[i]!
    const { before, after } = redacted(i)
    const imp = rc.change.importing
    const entry: Record<string, JsonValue> = {
      actions: [...rc.change.actions],
      address: rc.address,
      after,
      before,
      deposed: rc.deposed ?? null,
    }
    if (imp) entry.importing = { id: imp.id ?? null, identity: imp.identity ?? null }
    entry.previous_address = rc.previous_address ?? null
    hash.update(n === 0 ? canonicalJson(entry) : `,${canonicalJson(entry)}`, 'utf8')
  }
  hash.update(']}', 'utf8')
  return hash.digest('hex')
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
  return sha256().update(canonicalJson(set), 'utf8').digest('hex')
}
