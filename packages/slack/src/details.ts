import { formatDuration } from '../../kit/src/duration.js'
/**
 * The `details` input, normalised. It takes what the other actions output, as the user passes it:
 * a flat object of outputs (`add`, `tag`, `violations`...), the same nested by step
 * (`{"plan": ${{ toJSON(steps.plan.outputs) }}, "gate": ...}`), or JSON arrays still encoded as
 * strings (step outputs are strings). Keys match in any case and with or without dashes or
 * underscores; unknown keys are ignored.
 */

export interface Counts {
  add: number
  change: number
  destroy: number
  replace: number
  import?: number
  move?: number
  forget?: number
  drift?: number
}

export interface Issue {
  check: string
  message: string
  /** safety-gate marks violations turned into warnings by an override reason. */
  overridden?: boolean
}

export interface StackReport {
  directory: string
  status: string
  drift?: number
  pending?: number
  driftAddresses: string[]
  pendingAddresses: string[]
  issueUrl?: string
  issueNumber?: number
  /** First line of the error of a stack whose check failed. */
  error?: string
}

export interface LockReport {
  id?: string
  who?: string
  operation?: string
  created?: string
  path?: string
  age?: string
}

export interface StateDiff {
  added: string[]
  removed: string[]
  changed: string[]
  addedCount: number
  removedCount: number
  changedCount: number
}

export interface Details {
  counts?: Counts
  hasChanges?: boolean
  fingerprint?: string
  commentUrl?: string
  artifactUrl?: string
  tag?: string
  tagUrl?: string
  deploymentId?: string
  previousTag?: string
  restoredVersionId?: string
  previousVersionId?: string
  newVersionId?: string
  serial?: string
  diff?: StateDiff
  violations: Issue[]
  warnings: Issue[]
  stacks: StackReport[]
  staleLocks: LockReport[]
  driftCount?: number
  pendingCount?: number
  /** drift digest: matrix jobs that failed, or that produced no result. */
  failedChecks?: number
  missingChecks?: number
  overrideReason?: string
  /** Why (a rollback reason, or an override reason given as `reason`). */
  reason?: string
  overriddenBy?: string
  durationSeconds?: number
  error?: string
  prUrl?: string
  prNumber?: number
  sha?: string
  actor?: string
  version?: string
}

type Json = unknown
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)

export const normKey = (k: string): string => k.toLowerCase().replace(/[-_\s.]/g, '')

/** Step outputs are strings: `"[{...}]"` or `"{...}"` become JSON again; anything else stays. */
function decode(v: Json): Json {
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

function str(v: Json): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v
  if (typeof v === 'number' || typeof v === 'bigint') return String(v)
  if (typeof v === 'boolean') return String(v)
  return undefined
}

function num(v: Json): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v)
  if (Array.isArray(v)) return v.length
  return undefined
}

function bool(v: Json): boolean | undefined {
  if (typeof v === 'boolean') return v
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true'
  return undefined
}

/** Looks a key up by its normalised name among several aliases. */
function pick(obj: Record<string, Json>, ...aliases: string[]): Json {
  const entries = Object.entries(obj).map(([k, v]) => [normKey(k), v] as const)
  for (const alias of aliases.map(normKey)) {
    const hit = entries.find(([k, v]) => k === alias && v !== null && v !== undefined && v !== '')
    if (hit) return decode(hit[1])
  }
  return undefined
}

function strings(v: Json): string[] {
  const d = decode(v)
  if (Array.isArray(d)) {
    return d
      .map((x) => (isObject(x) ? str(pick(x, 'address', 'name', 'id', 'resource')) : str(x)))
      .filter((x): x is string => x !== undefined)
  }
  if (typeof d === 'string') return d.split('\n').map((s) => s.trim()).filter((s) => s !== '')
  return []
}

function issues(v: Json): Issue[] {
  const d = decode(v)
  const list = Array.isArray(d) ? d : isObject(d) ? [d] : typeof d === 'string' && d.trim() ? [d] : []
  return list
    .map((x): Issue | undefined => {
      if (isObject(x)) {
        const message = str(pick(x, 'message', 'msg', 'reason', 'text', 'description')) ?? ''
        const check = str(pick(x, 'check', 'rule', 'name', 'id', 'code')) ?? ''
        const overridden = bool(pick(x, 'overridden')) === true
        return message || check ? { check, message, ...(overridden ? { overridden } : {}) } : undefined
      }
      const s = str(x)
      return s ? { check: '', message: s } : undefined
    })
    .filter((x): x is Issue => x !== undefined)
}

function stackFrom(directory: string | undefined, x: Json): StackReport | undefined {
  if (!isObject(x)) return undefined
  const dir = str(pick(x, 'directory', 'dir', 'path', 'working-directory', 'stack', 'name')) ?? directory ?? '.'
  const addresses = pick(x, 'addresses', 'resources')
  // drift-check outputs `drift` / `pending` as arrays of addresses, with the counts beside them.
  const driftList = pick(x, 'drift')
  const pendingList = pick(x, 'pending')
  let driftAddresses = Array.isArray(driftList) ? strings(driftList) : strings(pick(x, 'drift-addresses', 'drifted-addresses', 'drifted', 'resource-drift'))
  let pendingAddresses = Array.isArray(pendingList) ? strings(pendingList) : strings(pick(x, 'pending-addresses', 'pending-changes', 'changes'))
  if (isObject(addresses)) {
    driftAddresses = driftAddresses.length ? driftAddresses : strings(pick(addresses, 'drift', 'drifted'))
    pendingAddresses = pendingAddresses.length ? pendingAddresses : strings(pick(addresses, 'pending', 'changes', 'changed'))
  } else if (Array.isArray(addresses) && driftAddresses.length === 0) {
    driftAddresses = strings(addresses)
  }
  const counts = pick(x, 'counts')
  const drift = num(pick(x, 'drift-count', 'drift')) ?? (isObject(counts) ? num(pick(counts, 'drift')) : undefined)
  const pending = num(pick(x, 'pending-count', 'pending')) ?? (isObject(counts) ? num(pick(counts, 'pending', 'changes')) : undefined)
  return {
    directory: dir,
    status: str(pick(x, 'status', 'state', 'result')) ?? '',
    drift: drift ?? (driftAddresses.length || undefined),
    pending: pending ?? (pendingAddresses.length || undefined),
    driftAddresses,
    pendingAddresses,
    issueUrl: str(pick(x, 'issue-url', 'issue-html-url')),
    issueNumber: num(pick(x, 'issue-number', 'issue')),
    error: str(pick(x, 'error', 'error-message'))?.split('\n')[0],
  }
}

function stacks(v: Json): StackReport[] {
  const d = decode(v)
  if (Array.isArray(d)) return d.map((x) => stackFrom(undefined, x)).filter((x): x is StackReport => x !== undefined)
  if (isObject(d)) {
    return Object.entries(d)
      .map(([dir, x]) => stackFrom(dir, decode(x)))
      .filter((x): x is StackReport => x !== undefined)
  }
  return []
}

function locks(v: Json): LockReport[] {
  const d = decode(v)
  const list = Array.isArray(d) ? d : isObject(d) ? Object.values(d) : []
  return list
    .map((raw): LockReport | undefined => {
      const x = decode(raw)
      if (!isObject(x)) return undefined
      const info = decode(pick(x, 'info', 'lock-info'))
      const src = isObject(info) ? { ...x, ...info } : x
      return {
        id: str(pick(src, 'id', 'lock-id')),
        who: str(pick(src, 'who', 'holder', 'owner')),
        operation: str(pick(src, 'operation', 'op')),
        created: str(pick(src, 'created', 'created-at', 'since')),
        path: str(pick(src, 'path', 'lock-id-path', 'key', 'lockid')),
        age: str(pick(src, 'age', 'age-text')) ?? ageFrom(src),
      }
    })
    .filter((x): x is LockReport => x !== undefined)
}

function ageFrom(src: Record<string, Json>): string | undefined {
  const seconds = num(pick(src, 'age-seconds'))
  const ms = num(pick(src, 'age-ms'))
  const s = seconds ?? (ms !== undefined ? ms / 1000 : undefined)
  return s === undefined ? undefined : `${formatDuration(s * 1000)} old`
}

function diff(v: Json): StateDiff | undefined {
  const d = decode(v)
  if (!isObject(d)) return undefined
  const part = (...names: string[]): { list: string[]; count: number } => {
    const x = pick(d, ...names)
    const list = strings(x)
    return { list, count: num(x) ?? list.length }
  }
  const added = part('added', 'add', 'create')
  const removed = part('removed', 'remove', 'deleted', 'destroy')
  const changed = part('changed', 'change', 'updated', 'update')
  return {
    added: added.list,
    removed: removed.list,
    changed: changed.list,
    addedCount: added.count,
    removedCount: removed.count,
    changedCount: changed.count,
  }
}

/** Seconds from `duration` (number of seconds, "90s", "4m 12s", "1h2m") or from start/finish times. */
function durationSeconds(obj: Record<string, Json>): number | undefined {
  const ms = num(pick(obj, 'duration-ms'))
  if (ms !== undefined) return Math.round(ms / 1000)
  const raw = pick(obj, 'duration', 'duration-seconds', 'elapsed')
  const n = num(raw)
  if (n !== undefined) return Math.round(n)
  if (typeof raw === 'string') {
    let total = 0
    let matched = false
    for (const m of raw.toLowerCase().matchAll(/(\d+(?:\.\d+)?)\s*(h|m|s)/g)) {
      matched = true
      total += Number(m[1]) * ({ h: 3600, m: 60, s: 1 }[m[2] as 'h' | 'm' | 's'])
    }
    if (matched) return Math.round(total)
  }
  const started = str(pick(obj, 'started-at', 'start', 'started'))
  const finished = str(pick(obj, 'finished-at', 'end', 'finished', 'completed-at'))
  if (started && finished) {
    const s = Date.parse(started)
    const f = Date.parse(finished)
    if (Number.isFinite(s) && Number.isFinite(f) && f >= s) return Math.round((f - s) / 1000)
  }
  return undefined
}

/** Keys whose object value is data, not a group of step outputs to flatten. */
const STRUCTURED = new Set(['counts', 'diff', 'stacks', 'stalelocks', 'locks', 'violations', 'warnings', 'info'])

function flatten(input: Record<string, Json>): Record<string, Json> {
  // Top-level values win; groups of step outputs (`{"plan": {...}}`) fill in what is missing.
  const flat: Record<string, Json> = {}
  const groups: Record<string, Json>[] = []
  for (const [k, v] of Object.entries(input)) {
    const d = decode(v)
    if (isObject(d) && !STRUCTURED.has(normKey(k))) groups.push(d)
    else flat[k] = v
  }
  const present = new Set(Object.keys(flat).map(normKey))
  for (const group of groups) {
    for (const [k, v] of Object.entries(group)) {
      if (present.has(normKey(k)) || v === '' || v === null) continue
      flat[k] = v
      present.add(normKey(k))
    }
  }
  return flat
}

export function normalizeDetails(input: unknown): Details {
  const root = decode(input)
  const obj = isObject(root) ? flatten(root) : {}
  const countsObj = pick(obj, 'counts')
  const cs = isObject(countsObj) ? countsObj : obj
  const add = num(pick(cs, 'add', 'create', 'to-add'))
  const change = num(pick(cs, 'change', 'update', 'to-change'))
  const destroy = num(pick(cs, 'destroy', 'delete', 'to-destroy'))
  const replace = num(pick(cs, 'replace', 'to-replace'))
  const anyCount = [add, change, destroy, replace].some((n) => n !== undefined)
  const counts: Counts | undefined = anyCount
    ? {
        add: add ?? 0,
        change: change ?? 0,
        destroy: destroy ?? 0,
        replace: replace ?? 0,
        ...optionalNumber('import', num(pick(cs, 'import'))),
        ...optionalNumber('move', num(pick(cs, 'move'))),
        ...optionalNumber('forget', num(pick(cs, 'forget'))),
        ...optionalNumber('drift', num(pick(cs, 'drift'))),
      }
    : undefined
  const pr = pick(obj, 'pr-url', 'pull-request-url', 'pull-request', 'pr')
  const prStr = str(pr)
  const prNumber = num(pick(obj, 'pr-number')) ?? (prStr && /^\d+$/.test(prStr) ? Number(prStr) : undefined)
  const d: Details = {
    counts,
    hasChanges: bool(pick(obj, 'has-changes')),
    fingerprint: str(pick(obj, 'fingerprint')),
    commentUrl: str(pick(obj, 'comment-url', 'plan-comment-url')),
    artifactUrl: str(pick(obj, 'artifact-url')),
    tag: str(pick(obj, 'tag')),
    tagUrl: str(pick(obj, 'tag-url')),
    deploymentId: str(pick(obj, 'deployment-id')),
    previousTag: str(pick(obj, 'previous-tag')),
    restoredVersionId: str(pick(obj, 'restored-version-id')),
    previousVersionId: str(pick(obj, 'previous-version-id')),
    newVersionId: str(pick(obj, 'new-version-id')),
    serial: str(pick(obj, 'serial')),
    diff: diff(pick(obj, 'diff')),
    violations: issues(pick(obj, 'violations')),
    warnings: issues(pick(obj, 'warnings')),
    stacks: stacks(pick(obj, 'stacks')),
    staleLocks: locks(pick(obj, 'stale-locks', 'locks')),
    driftCount: num(pick(obj, 'drift-count')),
    pendingCount: num(pick(obj, 'pending-count')),
    failedChecks: num(pick(obj, 'failed')) || undefined,
    missingChecks: num(pick(obj, 'missing')) || undefined,
    overrideReason: str(pick(obj, 'override-reason')),
    reason: str(pick(obj, 'reason', 'rollback-reason')),
    overriddenBy: str(pick(obj, 'overridden-by', 'override-actor', 'approver')),
    durationSeconds: durationSeconds(obj),
    error: str(pick(obj, 'error', 'failure', 'error-message', 'failed-step')),
    prUrl: prStr && !/^\d+$/.test(prStr) ? prStr : undefined,
    prNumber,
    sha: str(pick(obj, 'sha', 'commit')),
    actor: str(pick(obj, 'actor')),
    version: str(pick(obj, 'version', 'release')),
  }
  return d
}

function optionalNumber<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>)
}

