/** Terraform's lock model, the same for both lock backends: the info JSON, who holds what, and how to say so. */
import { randomUUID } from 'node:crypto'
import type { BackendConfig } from './backend-config.js'

/** Terraform's lock info, stored as JSON in the DynamoDB item's `Info` and in the `.tflock` object. */
export interface LockInfo {
  ID: string
  Operation: string
  Info: string
  Who: string
  Version: string
  Created: string
  Path: string
}

export type LockKind = 'dynamodb' | 'lockfile'

/** A lock somebody holds on a state. */
export interface HeldLock {
  kind: LockKind
  /** The lock ID (what `terraform force-unlock` takes); '' when the lock's info is unreadable. */
  id: string
  info: LockInfo | null
  /** DynamoDB: `<table>:<LockID>`; lockfile: `s3://<bucket>/<key>`. */
  location: string
  /** The state object key the lock protects. */
  statePath: string
  created: Date | null
}

/** The locks this process took; pass to `releaseLocks`. */
export interface AcquiredLocks {
  info: LockInfo
  infoJson: string
  kinds: LockKind[]
}

export class StateLockedError extends Error {
  constructor(readonly lock: HeldLock) {
    super(describeHeldLock(lock))
    this.name = 'StateLockedError'
  }
}

export function lockItemId(config: BackendConfig): string {
  return `${config.bucket}/${config.statePath}`
}

export function lockfileKey(config: BackendConfig): string {
  return `${config.statePath}.tflock`
}

export function describeHeldLock(lock: HeldLock): string {
  const where = lock.kind === 'dynamodb' ? `DynamoDB lock ${lock.location}` : `lock file ${lock.location}`
  if (!lock.info) return `the state is locked (${where}); its lock info is unreadable.`
  const i = lock.info
  return (
    `the state is locked (${where}) by ${i.Who || 'unknown'} since ${i.Created || 'unknown'} for ${i.Operation || 'an unknown operation'}` +
    `${i.Info ? ` (${i.Info})` : ''}; lock ID ${i.ID}. If that run is dead, release it with 'terraform force-unlock ${i.ID}'` +
    ` (or 'tfpipe state unlock --lock-id ${i.ID}' when only one of the two locks is left).`
  )
}

export function newLockInfo(options: {
  config: BackendConfig
  operation: string
  who: string
  info?: string
  version?: string
  now?: () => Date
  id?: string
}): LockInfo {
  return {
    ID: options.id ?? randomUUID(),
    Operation: options.operation,
    Info: options.info ?? '',
    Who: options.who,
    Version: options.version ?? 'tfpipe',
    Created: (options.now ?? (() => new Date()))().toISOString(),
    Path: lockItemId(options.config),
  }
}

export function parseInfo(raw: string | undefined): LockInfo | null {
  if (!raw) return null
  try {
    const parsed: unknown = JSON.parse(raw)
    if (typeof parsed !== 'object' || parsed === null) return null
    const v = parsed as Partial<Record<keyof LockInfo, unknown>>
    // another tool's lock may hold numbers or nothing where terraform writes strings
    const text = (x: unknown): string =>
      typeof x === 'string' ? x : x === undefined || x === null ? '' : JSON.stringify(x)
    return {
      ID: text(v.ID),
      Operation: text(v.Operation),
      Info: text(v.Info),
      Who: text(v.Who),
      Version: text(v.Version),
      Created: text(v.Created),
      Path: text(v.Path),
    }
  } catch {
    return null
  }
}

export function heldLock(kind: LockKind, location: string, statePath: string, raw: string | undefined): HeldLock {
  const info = parseInfo(raw)
  const created = info?.Created ? new Date(info.Created) : null
  return {
    kind,
    id: info?.ID ?? '',
    info,
    location,
    statePath,
    created: created && !Number.isNaN(created.getTime()) ? created : null,
  }
}
