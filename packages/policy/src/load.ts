import { readFileSync } from 'node:fs'
import AjvModule, { type ErrorObject } from 'ajv'
import { parseDocument } from 'yaml'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { schema } from './schema.js'
import { parseDurationMs } from '@tfpipe/kit/duration.js'
import { clockMinutes, isValidTimeZone } from './time.js'
import { DAYS, type EnvironmentPolicy, type PolicyDocument } from './types.js'

/** A policy file with one or more problems; `problems` has one line per problem, each with its path. */
export class PolicyError extends ConfigurationError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `${source} is not a valid policy (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
    this.name = 'PolicyError'
  }
}

// ajv ships CommonJS with a default export; under ESM interop it may arrive wrapped.
type AjvClass = typeof AjvModule
const Ajv = (AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule
type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null }
let validator: Validator | undefined

function compiled(): Validator {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false })
    validator = ajv.compile(schema) as Validator
  }
  return validator
}

/** `/environments/prod/windows/0/days/2` -> `environments.prod.windows[0].days[2]`. */
export function formatPath(pointer: string): string {
  if (pointer === '') return '(top level)'
  let out = ''
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (/^\d+$/.test(seg)) out += `[${seg}]`
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`
    else out += `[${JSON.stringify(seg)}]`
  }
  return out
}

function join(path: string, key: string): string {
  return path === '(top level)'
    ? key
    : /^[A-Za-z_$][\w$-]*$/.test(key)
      ? `${path}.${key}`
      : `${path}[${JSON.stringify(key)}]`
}

function describe(error: ErrorObject): string {
  const path = formatPath(error.instancePath)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'enum': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? []
      const list = allowed.join(',') === DAYS.join(',') ? 'mon..sun' : allowed.map((v) => String(v)).join(', ')
      return `${path}: must be one of ${list}`
    }
    case 'additionalProperties':
      return `${join(path, String(params.additionalProperty))}: unknown setting (not in the policy schema)`
    case 'required':
      return `${path}: missing required '${String(params.missingProperty)}'`
    case 'dependencies':
      return `${path}: '${String(params.property)}' needs '${String(params.missingProperty)}' too`
    case 'anyOf':
      return `${path}: needs either from/to dates or days`
    case 'pattern':
      if (error.instancePath.endsWith('/currency'))
        return `${path}: must be an ISO 4217 currency code such as USD, EUR or GBP`
      if (/clock|start|end/.test(error.schemaPath) || /\/(start|end)$/.test(error.instancePath))
        return `${path}: must be a time HH:MM (00:00-24:00)`
      if (/\/(from|to)$/.test(error.instancePath)) return `${path}: must be a date YYYY-MM-DD or a recurring MM-DD`
      if (error.schemaPath.includes('duration')) return `${path}: must be a duration such as 30m, 2h or 1d`
      return `${path}: ${error.message ?? 'does not match'}`
    case 'const':
      return `${path}: must be ${JSON.stringify(params.allowedValue)}`
    default:
      return `${path}: ${error.message ?? 'is invalid'}`
  }
}

function isDate(text: string): boolean {
  const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  const recurring = /^(\d{2})-(\d{2})$/.exec(text)
  const [y, m, d] = full
    ? [Number(full[1]), Number(full[2]), Number(full[3])]
    : recurring
      ? [2024, Number(recurring[1]), Number(recurring[2])]
      : [0, 0, 0]
  if (!m) return false
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/

/**
 * Hours of a window or freeze: [start, end), start after end crosses midnight (22:00-02:00), 24:00 is
 * the end of the day. Refused: start 24:00 (nothing follows it) and start equal to end (empty).
 */
function hoursProblems(path: string, rawStart: unknown, end: unknown): string[] {
  if (rawStart !== undefined && (typeof rawStart !== 'string' || !CLOCK.test(rawStart))) return [] // the schema reports it
  if (end !== undefined && (typeof end !== 'string' || !CLOCK.test(end))) return []
  const start = rawStart ?? '00:00'
  if (start === '24:00') return [`${path}.start: 24:00 is the end of a day, not a start; use 00:00`]
  const to = end ?? '24:00'
  if (clockMinutes(start) === clockMinutes(to) % 1440 && !(start === '00:00' && to === '24:00')) {
    return [`${path}: start ${start} equals end ${to}, an empty range; use 00:00-24:00 for a whole day`]
  }
  return []
}

/** Checks the schema cannot express: time zones, regular expressions, real dates, date kinds, windows. */
function semanticProblems(doc: PolicyDocument): string[] {
  const problems: string[] = []
  const sections: [string, EnvironmentPolicy | undefined][] = [['defaults', doc.defaults]]
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a policy may have no environments map
  for (const [name, env] of Object.entries(doc.environments ?? {})) sections.push([join('environments', name), env])
  for (const [base, env] of sections) {
    if (!env || typeof env !== 'object') continue
    if (typeof env.timezone === 'string' && !isValidTimeZone(env.timezone)) {
      problems.push(`${base}.timezone: '${env.timezone}' is not an IANA time zone (e.g. Europe/Berlin, UTC)`)
    }
    const pattern = env.ticket?.pattern
    if (typeof pattern === 'string') {
      try {
        new RegExp(pattern)
      } catch (error) {
        problems.push(
          `${base}.ticket.pattern: not a valid regular expression (${error instanceof Error ? error.message : String(error)})`,
        )
      }
    }
    const verify = env.ticket?.['verify-url']
    if (typeof verify === 'string' && !verify.includes('{ticket}'))
      problems.push(`${base}.ticket.verify-url: must contain {ticket}`)
    const timeout = env.ticket?.timeout
    if (typeof timeout === 'string' && parseDurationMs(timeout) === 0)
      problems.push(`${base}.ticket.timeout: must be more than 0`)
    ;(Array.isArray(env.windows) ? env.windows : []).forEach((w, i) => {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- user YAML: an entry may be any value
      if (w && typeof w === 'object') problems.push(...hoursProblems(`${base}.windows[${i}]`, w.start, w.end))
    })
    ;(Array.isArray(env.freezes) ? env.freezes : []).forEach((f, i) => {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- user YAML: an entry may be any value
      if (!f || typeof f !== 'object') return
      problems.push(...hoursProblems(`${base}.freezes[${i}]`, f.start, f.end))
      for (const key of ['from', 'to'] as const) {
        const v = f[key]
        if (typeof v === 'string' && /^(\d{4}-)?\d{2}-\d{2}$/.test(v) && !isDate(v))
          problems.push(`${base}.freezes[${i}].${key}: '${v}' is not a real date`)
      }
      if (typeof f.from === 'string' && typeof f.to === 'string') {
        if (f.from.length !== f.to.length)
          problems.push(`${base}.freezes[${i}]: from and to must both be YYYY-MM-DD or both recurring MM-DD`)
        else if (f.from.length === 10 && f.from > f.to)
          problems.push(`${base}.freezes[${i}]: from ${f.from} is after to ${f.to}`)
      }
    })
  }
  return problems
}

/** Parses and validates a policy; throws PolicyError listing every problem with its path. */
export function parsePolicy(text: string, source = 'policy'): PolicyDocument {
  const parsed = parseDocument(text, { prettyErrors: true })
  if (parsed.errors.length > 0) {
    throw new PolicyError(
      source,
      parsed.errors.map((e) => {
        const pos = e.linePos?.[0]
        return `${pos ? `line ${pos.line}, column ${pos.col}` : 'YAML'}: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`
      }),
    )
  }
  const doc = parsed.toJS() as unknown
  const validate = compiled()
  if (!validate(doc)) {
    const errors = validate.errors ?? []
    // anyOf reports every failed branch; keep only the anyOf line itself.
    const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath)
    const kept = errors.filter(
      (e) => !anyOfPaths.some((p) => e.keyword !== 'anyOf' && e.schemaPath.startsWith(p.replace(/anyOf$/, 'anyOf/'))),
    )
    const lines = [...new Set(kept.map(describe))]
    throw new PolicyError(source, lines)
  }
  const problems = semanticProblems(doc as PolicyDocument)
  if (problems.length > 0) throw new PolicyError(source, problems)
  return doc as PolicyDocument
}

/** Reads and validates a policy file; `label` names it in errors (e.g. the input: "policy-file 'x.yml'"). */
export function loadPolicyFile(path: string, label = path): PolicyDocument {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ConfigurationError(
      code === 'ENOENT'
        ? `Policy file '${path}' does not exist; create it or set policy-file.`
        : `Cannot read policy file '${path}': ${String(error)}`,
    )
  }
  return parsePolicy(text, label)
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Objects merge key by key; for anything else (values, lists) the override wins. */
export function mergePolicy<T>(base: T, override: T): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(override)) out[key] = key in out ? mergePolicy(out[key], value) : value
  return out as T
}

/** The policy of one environment, defaults merged in. Unknown environments are refused. */
export function environmentPolicy(doc: PolicyDocument, environment: string, source = 'the policy'): EnvironmentPolicy {
  const env = doc.environments[environment]
  if (!env) {
    const known = Object.keys(doc.environments).join(', ')
    throw new ConfigurationError(
      `Environment '${environment}' is not in ${source} (known: ${known}); add environments.${environment}.`,
    )
  }
  return mergePolicy(doc.defaults ?? {}, env)
}
