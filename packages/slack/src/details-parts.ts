/** The structured parts of `details`, each normalised: violations and warnings, stacks, stale locks, the state diff, the duration. */
import { formatDuration } from '@tfpipe/kit/duration.js'
import type { Issue, LockReport, StackReport, StateDiff } from './details-model.js'
import { bool, decode, isObject, num, pick, str, strings, type Json } from './step-outputs.js'

export function issues(v: Json): Issue[] {
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
  let driftAddresses = Array.isArray(driftList)
    ? strings(driftList)
    : strings(pick(x, 'drift-addresses', 'drifted-addresses', 'drifted', 'resource-drift'))
  let pendingAddresses = Array.isArray(pendingList)
    ? strings(pendingList)
    : strings(pick(x, 'pending-addresses', 'pending-changes', 'changes'))
  if (isObject(addresses)) {
    driftAddresses = driftAddresses.length ? driftAddresses : strings(pick(addresses, 'drift', 'drifted'))
    pendingAddresses = pendingAddresses.length
      ? pendingAddresses
      : strings(pick(addresses, 'pending', 'changes', 'changed'))
  } else if (Array.isArray(addresses) && driftAddresses.length === 0) {
    driftAddresses = strings(addresses)
  }
  const counts = pick(x, 'counts')
  const drift = num(pick(x, 'drift-count', 'drift')) ?? (isObject(counts) ? num(pick(counts, 'drift')) : undefined)
  const pending =
    num(pick(x, 'pending-count', 'pending')) ?? (isObject(counts) ? num(pick(counts, 'pending', 'changes')) : undefined)
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

export function stacks(v: Json): StackReport[] {
  const d = decode(v)
  if (Array.isArray(d)) return d.map((x) => stackFrom(undefined, x)).filter((x): x is StackReport => x !== undefined)
  if (isObject(d)) {
    return Object.entries(d)
      .map(([dir, x]) => stackFrom(dir, decode(x)))
      .filter((x): x is StackReport => x !== undefined)
  }
  return []
}

export function locks(v: Json): LockReport[] {
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

export function diff(v: Json): StateDiff | undefined {
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
export function durationSeconds(obj: Record<string, Json>): number | undefined {
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
      total += Number(m[1]) * { h: 3600, m: 60, s: 1 }[m[2] as 'h' | 'm' | 's']
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
