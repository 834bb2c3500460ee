/** Scrubbing: known secret strings removed from values and free text wherever terraform lost their marks. */
import type { JsonValue } from './plan-json.js'
import { copyPlain, hasProtoKey, SENSITIVE, type JsonObject } from './redact.js'

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
    const k = keys[i]!
    const v = value[k] as JsonValue
    const r = scrub(v, m)
    if (results === undefined && (r !== v || k === '__proto__' || leaksAny(k, m))) {
      results = new Array<JsonValue>(keys.length)
      for (let j = 0; j < i; j++) results[j] = value[keys[j]!] as JsonValue
    }
    if (results !== undefined) results[i] = r
  }
  if (results === undefined) return value
  const out: JsonObject = {}
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
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
  for (let i = 0; i < list.length; i++) if (s.includes(list[i]!)) return true
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
