/** Value-level redaction: a value with the parts terraform's sensitive and unknown masks mark replaced. */
import type { JsonValue } from './plan-json.js'

export const SENSITIVE = '(sensitive)'
export const UNKNOWN = '(known after apply)'

export type JsonObject = Record<string, JsonValue>

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `true` at this node of a mask (sensitive or unknown) means the whole value below is marked. */
export function marked(mask: JsonValue | undefined): boolean {
  return mask === true
}

export function child(mask: JsonValue | undefined, key: string | number): JsonValue | undefined {
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
          out ??= value.slice()
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
    const k = keys[i]!
    const v = value[k] as JsonValue
    const r = redactValue(v, child(sMask, k), child(uMask, k))
    if (!changed && (r !== v || k === '__proto__')) {
      changed = true
      results = new Array<JsonValue>(keys.length)
      for (let j = 0; j < i; j++) results[j] = value[keys[j]!] as JsonValue
    }
    if (results !== undefined) results[i] = r
  }
  let extra: [string, JsonValue][] | undefined
  if (isObject(uMask)) {
    const uKeys = Object.keys(uMask)
    for (let i = 0; i < uKeys.length; i++) {
      const k = uKeys[i]!
      if (k in value) continue
      const u = uMask[k] as JsonValue
      if (hasMark(u)) (extra ??= []).push([k, redactValue(undefined, child(sMask, k), u)])
    }
  }
  if (!changed && extra === undefined) return value
  const out: JsonObject = {}
  for (let i = 0; i < keys.length; i++)
    out[keys[i]!] = results ? (results[i] as JsonValue) : (value[keys[i]!] as JsonValue)
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
export function hasProtoKey(value: JsonValue): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasProtoKey(value[i] as JsonValue)) return true
    return false
  }
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return true
  const keys = Object.keys(value)
  for (let i = 0; i < keys.length; i++) if (hasProtoKey(value[keys[i]!] as JsonValue)) return true
  return false
}

/** A plain deep copy (assignment drops own "__proto__" keys, as the copies made here always did). */
export function copyPlain(value: JsonValue): JsonValue {
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

export function maskWhole(v: JsonValue | undefined): JsonValue {
  return v === null || v === undefined ? null : SENSITIVE
}
