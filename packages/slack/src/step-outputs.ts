/** Reading step outputs loosely: JSON still encoded as strings, keys in any case and spelling, numbers and booleans as text. */

export type Json = unknown
export const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)

export const normKey = (k: string): string => k.toLowerCase().replace(/[-_\s.]/g, '')

/** Step outputs are strings: `"[{...}]"` or `"{...}"` become JSON again; anything else stays. */
export function decode(v: Json): Json {
  if (typeof v !== 'string') return v
  const t = v.trim()
  if ((t.startsWith('[') && t.endsWith(']')) || (t.startsWith('{') && t.endsWith('}'))) {
    try {
      return JSON.parse(t) as Json
    } catch {
      return v
    }
  }
  return v
}

export function str(v: Json): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v
  if (typeof v === 'number' || typeof v === 'bigint') return String(v)
  if (typeof v === 'boolean') return String(v)
  return undefined
}

export function num(v: Json): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v)
  if (Array.isArray(v)) return v.length
  return undefined
}

export function bool(v: Json): boolean | undefined {
  if (typeof v === 'boolean') return v
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true'
  return undefined
}

/** Looks a key up by its normalised name among several aliases. */
export function pick(obj: Record<string, Json>, ...aliases: string[]): Json {
  const entries = Object.entries(obj).map(([k, v]) => [normKey(k), v] as const)
  for (const alias of aliases.map(normKey)) {
    const hit = entries.find(([k, v]) => k === alias && v !== null && v !== undefined && v !== '')
    if (hit) return decode(hit[1])
  }
  return undefined
}

export function strings(v: Json): string[] {
  const d = decode(v)
  if (Array.isArray(d)) {
    return d
      .map((x) => (isObject(x) ? str(pick(x, 'address', 'name', 'id', 'resource')) : str(x)))
      .filter((x): x is string => x !== undefined)
  }
  if (typeof d === 'string')
    return d
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s !== '')
  return []
}
