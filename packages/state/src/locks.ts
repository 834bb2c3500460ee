/**
 * State locks as terraform takes them, over both lock backends (lock-file.ts, lock-dynamodb.ts): acquire
 * with a timeout, release in reverse, list (this state or all), force-unlock.
 */
import type { Logger } from '@tfpipe/kit/logger.js'
import { silentLogger } from '@tfpipe/kit/logger.js'
import type { BackendConfig } from './backend-config.js'
import type { StateClients } from './clients.js'
import type { LockBackend } from './lock-backend.js'
import { dynamodbLock } from './lock-dynamodb.js'
import { lockFile } from './lock-file.js'
import {
  describeHeldLock,
  StateLockedError,
  type AcquiredLocks,
  type HeldLock,
  type LockInfo,
  type LockKind,
} from './lock-info.js'

/** In the order terraform takes them: lock file first, then DynamoDB. */
const BACKENDS: readonly LockBackend[] = [lockFile, dynamodbLock]
const backend = (kind: LockKind): LockBackend => BACKENDS.find((b) => b.kind === kind)!

/** The locks a backend config uses, in the order terraform takes them. */
export function configuredLockKinds(config: BackendConfig): LockKind[] {
  return BACKENDS.filter((b) => b.configured(config)).map((b) => b.kind)
}

export interface AcquireOptions {
  /** How long to keep retrying while somebody else holds a lock; 0 = try once. */
  timeoutMs?: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  logger?: Logger
  /** Called right after each lock is taken (the rollback's fault hook). */
  onAcquired?: (kind: LockKind) => void
  /** Return true for an error after which the locks taken so far must be kept (an emulated crash). */
  keepLocksOn?: (error: unknown) => boolean
}

/**
 * Takes every lock the backend config uses, as terraform does (lock file first, then DynamoDB), with
 * the same LockInfo in both. While one is held by somebody else it retries until `timeoutMs`, then
 * throws StateLockedError naming the holder; whatever it took by then is released again.
 */
export async function acquireLocks(
  config: BackendConfig,
  clients: StateClients,
  info: LockInfo,
  options: AcquireOptions = {},
): Promise<AcquiredLocks> {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const logger = options.logger ?? silentLogger
  const acquired: AcquiredLocks = { info, infoJson: JSON.stringify(info), kinds: [] }
  const started = now()
  const timeoutMs = options.timeoutMs ?? 0
  try {
    for (const kind of configuredLockKinds(config)) {
      for (let attempt = 0; ; attempt++) {
        const holder = await backend(kind).tryTake(config, clients, acquired.infoJson)
        if (!holder) {
          acquired.kinds.push(kind)
          logger.debug(`took the ${kind} lock ${info.ID}`)
          options.onAcquired?.(kind)
          break
        }
        const elapsed = now() - started
        if (elapsed >= timeoutMs) throw new StateLockedError(holder)
        if (attempt === 0)
          logger.info(`waiting up to ${Math.ceil((timeoutMs - elapsed) / 1000)}s: ${describeHeldLock(holder)}`)
        await sleep(Math.min(1000 * Math.min(2 ** attempt, 8), Math.max(50, timeoutMs - elapsed)))
      }
    }
    return acquired
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the caught value itself, annotated
    if (options.keepLocksOn?.(error)) throw Object.assign(error as object, { acquiredLocks: acquired })
    await releaseLocks(config, clients, acquired, logger)
    throw error
  }
}

/**
 * Releases the locks in reverse order. Every release is attempted; the first failure is rethrown
 * after the others were tried, with the lock ID to force-unlock.
 */
export async function releaseLocks(
  config: BackendConfig,
  clients: StateClients,
  acquired: AcquiredLocks,
  logger: Logger = silentLogger,
): Promise<void> {
  let failure: unknown
  for (const kind of [...acquired.kinds].reverse()) {
    try {
      await backend(kind).release(config, clients, acquired)
      acquired.kinds = acquired.kinds.filter((k) => k !== kind)
      logger.debug(`released the ${kind} lock ${acquired.info.ID}`)
    } catch (error) {
      logger.error(
        `could not release the ${kind} lock ${acquired.info.ID}: ${error instanceof Error ? error.message : String(error)}; run: terraform force-unlock ${acquired.info.ID}`,
      )
      failure ??= error
    }
  }
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the first caught value as it was caught
  if (failure) throw failure
}

export interface ListLocksOptions {
  /** Every lock in the DynamoDB table and every `.tflock` in the bucket, not just this state's. */
  allStates?: boolean
}

/**
 * Every held lock with its info: this state's DynamoDB item and `.tflock` object, or with
 * `allStates` every lock item of the table (digest items excluded) and every `.tflock` of the bucket.
 * The lock file is checked even when use_lockfile is off: a lock left by an earlier config still matters.
 */
export async function listLocks(
  config: BackendConfig,
  clients: StateClients,
  options: ListLocksOptions = {},
): Promise<HeldLock[]> {
  const order = [dynamodbLock, lockFile]
  if (options.allStates) return (await Promise.all(order.map((b) => b.listAll(config, clients)))).flat()
  const held = await Promise.all(order.map((b) => b.get(config, clients)))
  return held.filter((lock): lock is HeldLock => lock !== null)
}

/**
 * Removes this state's locks whose ID is `id` (both kinds), like `terraform force-unlock`, but also
 * when only one of the two is left (terraform's force-unlock fails then). Returns what it removed.
 */
export async function forceUnlock(config: BackendConfig, clients: StateClients, id: string): Promise<LockKind[]> {
  const removed: LockKind[] = []
  for (const b of BACKENDS) if (await b.forceRemove(config, clients, id)) removed.push(b.kind)
  return removed
}
