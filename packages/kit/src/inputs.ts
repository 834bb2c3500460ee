import * as core from '@actions/core'
import { parseDurationMs } from './duration.js'
import { ConfigurationError } from './errors.js'

/**
 * Typed readers for action inputs. Every error names the input and says what it accepts, so the
 * user knows what to change. An empty input counts as "not given" (that is what the runner passes
 * for an input the workflow omitted and that has no default).
 */
export function getInput(name: string, options: { required?: boolean; default?: string; trim?: boolean } = {}): string {
  const value = core.getInput(name, { trimWhitespace: options.trim ?? true })
  if (value === '') {
    if (options.required) throw new ConfigurationError(`Input '${name}' is required; set it in the step's 'with:'.`)
    return options.default ?? ''
  }
  return value
}

export function getOptionalInput(name: string): string | undefined {
  const value = core.getInput(name)
  return value === '' ? undefined : value
}

export function getSecretInput(name: string, options: { required?: boolean } = {}): string | undefined {
  const value = getOptionalInput(name)
  if (value === undefined) {
    if (options.required) throw new ConfigurationError(`Input '${name}' is required; pass it from a secret.`)
    return undefined
  }
  core.setSecret(value)
  return value
}

/** How an error names an option: an action input as `Input 'name'`, a CLI flag (`--limit`) as itself. */
export const optionLabel = (name: string): string => (name.startsWith('-') ? name : `Input '${name}'`)

const TRUE = ['true', 'yes', 'on', '1']
const FALSE = ['false', 'no', 'off', '0']

export function parseBoolean(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase()
  if (TRUE.includes(v)) return true
  if (FALSE.includes(v)) return false
  throw new ConfigurationError(`${optionLabel(name)} must be true or false; got '${raw}'.`)
}

export function getBooleanInput(name: string, defaultValue: boolean): boolean {
  const raw = getOptionalInput(name)
  return raw === undefined ? defaultValue : parseBoolean(name, raw)
}

export function parseInteger(name: string, raw: string, bounds: { min?: number; max?: number } = {}): number {
  const trimmed = raw.trim()
  if (!/^-?\d+$/.test(trimmed))
    throw new ConfigurationError(`${optionLabel(name)} must be a whole number; got '${raw}'.`)
  const n = Number(trimmed)
  if (bounds.min !== undefined && n < bounds.min)
    throw new ConfigurationError(`${optionLabel(name)} must be at least ${bounds.min}; got ${n}.`)
  if (bounds.max !== undefined && n > bounds.max)
    throw new ConfigurationError(`${optionLabel(name)} must be at most ${bounds.max}; got ${n}.`)
  return n
}

export function getIntegerInput(
  name: string,
  defaultValue: number,
  bounds: { min?: number; max?: number } = {},
): number {
  const raw = getOptionalInput(name)
  return raw === undefined ? defaultValue : parseInteger(name, raw, bounds)
}

export function parseChoice<T extends string>(name: string, raw: string, choices: readonly T[]): T {
  const v = raw.trim()
  if ((choices as readonly string[]).includes(v)) return v as T
  throw new ConfigurationError(
    `${optionLabel(name)} must be one of ${choices.map((c) => `'${c}'`).join(', ')}; got '${raw}'.`,
  )
}

export function getChoiceInput<T extends string>(name: string, choices: readonly T[], defaultValue: T): T {
  const raw = getOptionalInput(name)
  return raw === undefined ? defaultValue : parseChoice(name, raw, choices)
}

/** Newline- or comma-separated list, blanks and `#` comments dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'))
}

export function getListInput(name: string): string[] {
  const raw = getOptionalInput(name)
  return raw === undefined ? [] : parseList(raw)
}

/** Durations such as `90s`, `30m`, `2h`, `1d`, `1h30m` or a bare number of seconds; returns milliseconds. */
export function parseDuration(name: string, raw: string): number {
  const ms = parseDurationMs(raw)
  if (ms === undefined)
    throw new ConfigurationError(`${optionLabel(name)} must be a duration such as 90s, 30m, 2h or 1d; got '${raw}'.`)
  return ms
}

export function getDurationInput(name: string, defaultValue: string): number {
  return parseDuration(name, getOptionalInput(name) ?? defaultValue)
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
export function parseJson<T = unknown>(name: string, raw: string): T {
  try {
    return JSON.parse(raw) as T
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConfigurationError(`${optionLabel(name)} must be valid JSON (${reason}).`)
  }
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
export function getJsonInput<T = unknown>(name: string): T | undefined {
  const raw = getOptionalInput(name)
  return raw === undefined ? undefined : parseJson<T>(name, raw)
}

/**
 * An HTTP header given as `Name: value` (e.g. `Authorization: Bearer ...`). The value is a secret:
 * errors name the input, never the value.
 */
export function parseHeaderLine(name: string, raw: string): { name: string; value: string } {
  const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):[ \t]*(.*?)\s*$/s.exec(raw.trim())
  if (!m || m[2] === '' || /[\r\n]/.test(m[2]!)) {
    throw new ConfigurationError(
      `${optionLabel(name)} must be one header line 'Name: value', e.g. 'Authorization: Bearer <token>' from a secret (the value is not shown here).`,
    )
  }
  return { name: m[1]!, value: m[2]! }
}
