import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import type { Logger } from '@tfpipe/kit/logger.js'
import { errorMessage } from '@tfpipe/kit/errors.js'
import type { StaleLock } from './types.js'

/** Terraform's LockInfo JSON (statemgr.LockInfo). */
export interface LockInfoLike {
  ID?: string
  Operation?: string
  Info?: string
  Who?: string
  Version?: string
  Created?: string
  Path?: string
}

/** A held lock as a remote backend reports it. */
export interface HeldLock {
  source: 'dynamodb' | 's3'
  /** DynamoDB LockID or the `.tflock` object key. */
  path: string
  info: LockInfoLike
}

/** Lists the held locks of an S3-backed stack (packages/state listLocks behind it). */
export type S3LockLister = (dir: string) => Promise<HeldLock[]>

/** Parses terraform's `Created` (RFC 3339 with up to nanoseconds); NaN when unreadable. */
export function parseCreated(created: string | undefined): number {
  if (!created) return Number.NaN
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(created.trim())
  if (!m) return Date.parse(created)
  const fraction = m[2] ? m[2].slice(0, 4).padEnd(4, '0') : ''
  return Date.parse(`${m[1]}${fraction}${m[3]}`)
}

/** The backend type of an initialised directory (`local` when there is no backend block). */
export function backendType(dir: string, dataDir = '.terraform'): { type: string; config: Record<string, unknown> } {
  const file = join(resolve(dir, dataDir), 'terraform.tfstate')
  if (!existsSync(file)) return { type: 'local', config: {} }
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
      backend?: { type?: string; config?: Record<string, unknown> }
    }
    return { type: parsed.backend?.type ?? 'local', config: parsed.backend?.config ?? {} }
  } catch {
    return { type: 'local', config: {} }
  }
}

/** Where the local backend writes its lock info: `.terraform.tfstate.lock.info` next to the state. */
export function localLockInfoPath(dir: string, config: Record<string, unknown>): string {
  const statePath =
    typeof config.path === 'string' && config.path !== '' ? join(dir, config.path) : join(dir, 'terraform.tfstate')
  return join(dirname(statePath), `.${basename(statePath)}.lock.info`)
}

function toStale(dir: string, source: StaleLock['source'], path: string, info: LockInfoLike, now: number): StaleLock {
  const created = parseCreated(info.Created)
  return {
    dir,
    source,
    path,
    id: info.ID ?? '',
    who: info.Who ?? '',
    operation: info.Operation ?? '',
    created: info.Created ?? '',
    ageMs: Number.isNaN(created) ? Number.POSITIVE_INFINITY : Math.max(0, now - created),
  }
}

export interface LockCheckOptions {
  maxAgeMs: number
  now: () => number
  logger: Logger
  /** For S3-backed stacks; without it their locks are not checked. */
  s3Locks?: S3LockLister
  /** TF_DATA_DIR when set; default `.terraform`. */
  dataDir?: string
}

/**
 * Locks older than maxAgeMs in one stack: for the s3 backend the DynamoDB lock item and the `.tflock`
 * object (via `s3Locks`), for the local backend the `.terraform.tfstate.lock.info` file. A lock whose
 * Created cannot be read counts as stale (it cannot be shown to be fresh).
 */
export async function findStaleLocks(dir: string, id: string, options: LockCheckOptions): Promise<StaleLock[]> {
  if (options.maxAgeMs <= 0) return []
  const now = options.now()
  const { type, config } = backendType(dir, options.dataDir || '.terraform')
  const locks: StaleLock[] = []
  if (type === 's3') {
    if (!options.s3Locks) return []
    try {
      for (const held of await options.s3Locks(dir)) locks.push(toStale(id, held.source, held.path, held.info, now))
    } catch (error) {
      options.logger.warning(`${id}: could not read the state locks: ${errorMessage(error)}`)
      return []
    }
  } else if (type === 'local') {
    const file = localLockInfoPath(dir, config)
    if (existsSync(file)) {
      let info: LockInfoLike
      try {
        info = JSON.parse(readFileSync(file, 'utf8')) as LockInfoLike
      } catch {
        info = {}
      }
      locks.push(toStale(id, 'local', file, info, now))
    }
  }
  return locks.filter((l) => l.ageMs > options.maxAgeMs)
}

export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown age'
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ''}`
  return `${Math.floor(hours / 24)}d${hours % 24 ? `${hours % 24}h` : ''}`
}
