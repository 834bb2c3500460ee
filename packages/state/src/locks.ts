import { randomUUID } from 'node:crypto'
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb'
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3'
import type { Logger } from '../../kit/src/logger.js'
import { silentLogger } from '../../kit/src/logger.js'
import type { BackendConfig } from './backend-config.js'
import type { StateClients } from './clients.js'
import { isNotFound } from './versions.js'

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

/** The locks a backend config uses, in the order terraform takes them. */
export function configuredLockKinds(config: BackendConfig): LockKind[] {
  const kinds: LockKind[] = []
  if (config.useLockfile) kinds.push('lockfile')
  if (config.dynamodbTable) kinds.push('dynamodb')
  return kinds
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

export function newLockInfo(options: { config: BackendConfig; operation: string; who: string; info?: string; version?: string; now?: () => Date; id?: string }): LockInfo {
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

function parseInfo(raw: string | undefined): LockInfo | null {
  if (!raw) return null
  try {
    const v = JSON.parse(raw) as Partial<LockInfo>
    if (typeof v !== 'object' || v === null) return null
    return {
      ID: String(v.ID ?? ''),
      Operation: String(v.Operation ?? ''),
      Info: String(v.Info ?? ''),
      Who: String(v.Who ?? ''),
      Version: String(v.Version ?? ''),
      Created: String(v.Created ?? ''),
      Path: String(v.Path ?? ''),
    }
  } catch {
    return null
  }
}

function heldLock(kind: LockKind, location: string, statePath: string, raw: string | undefined): HeldLock {
  const info = parseInfo(raw)
  const created = info?.Created ? new Date(info.Created) : null
  return { kind, id: info?.ID ?? '', info, location, statePath, created: created && !Number.isNaN(created.getTime()) ? created : null }
}

async function bodyText(body: unknown): Promise<string> {
  return (body as { transformToString(): Promise<string> } | undefined)?.transformToString() ?? ''
}

/** The DynamoDB lock on this state, if held. */
export async function getDynamoLock(config: BackendConfig, clients: StateClients): Promise<HeldLock | null> {
  if (!config.dynamodbTable) return null
  const res = await clients.dynamodb.send(
    new GetItemCommand({ TableName: config.dynamodbTable, Key: { LockID: { S: lockItemId(config) } }, ConsistentRead: true }),
  )
  if (!res.Item) return null
  return heldLock('dynamodb', `${config.dynamodbTable}:${lockItemId(config)}`, config.statePath, res.Item.Info?.S)
}

/** The `.tflock` lock file of this state, if present. */
export async function getLockfile(config: BackendConfig, clients: StateClients): Promise<HeldLock | null> {
  try {
    const res = await clients.s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: lockfileKey(config) }))
    return heldLock('lockfile', `s3://${config.bucket}/${lockfileKey(config)}`, config.statePath, await bodyText(res.Body))
  } catch (error) {
    if (isNotFound(error)) return null
    throw error
  }
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
}

/** Tries once to take one lock; returns the holder when somebody else has it. */
async function tryLock(kind: LockKind, config: BackendConfig, clients: StateClients, infoJson: string): Promise<HeldLock | null> {
  if (kind === 'lockfile') {
    try {
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: config.bucket,
          Key: lockfileKey(config),
          Body: infoJson,
          ContentType: 'application/json',
          IfNoneMatch: '*',
        }),
      )
      return null
    } catch (error) {
      const status = httpStatus(error)
      if (status !== 412 && status !== 409) throw error
      const holder = await getLockfile(config, clients)
      // 409: a concurrent conditional write; the holder may already be readable or gone: retry.
      return holder ?? heldLock('lockfile', `s3://${config.bucket}/${lockfileKey(config)}`, config.statePath, undefined)
    }
  }
  try {
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: config.dynamodbTable,
        Item: { LockID: { S: lockItemId(config) }, Info: { S: infoJson } },
        ConditionExpression: 'attribute_not_exists(LockID)',
      }),
    )
    return null
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException) && (error as { name?: string })?.name !== 'ConditionalCheckFailedException') throw error
    return (
      (await getDynamoLock(config, clients)) ??
      heldLock('dynamodb', `${config.dynamodbTable}:${lockItemId(config)}`, config.statePath, undefined)
    )
  }
}

async function releaseOne(kind: LockKind, config: BackendConfig, clients: StateClients, acquired: AcquiredLocks): Promise<void> {
  if (kind === 'dynamodb') {
    try {
      await clients.dynamodb.send(
        new DeleteItemCommand({
          TableName: config.dynamodbTable,
          Key: { LockID: { S: lockItemId(config) } },
          // Delete only our own lock, never one somebody took after a force-unlock.
          ConditionExpression: 'Info = :info',
          ExpressionAttributeValues: { ':info': { S: acquired.infoJson } },
        }),
      )
    } catch (error) {
      if ((error as { name?: string })?.name !== 'ConditionalCheckFailedException') throw error
    }
    return
  }
  const current = await getLockfile(config, clients)
  if (!current || current.id !== acquired.info.ID) return
  await clients.s3.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: lockfileKey(config) }))
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
export async function acquireLocks(config: BackendConfig, clients: StateClients, info: LockInfo, options: AcquireOptions = {}): Promise<AcquiredLocks> {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const logger = options.logger ?? silentLogger
  const acquired: AcquiredLocks = { info, infoJson: JSON.stringify(info), kinds: [] }
  const started = now()
  const timeoutMs = options.timeoutMs ?? 0
  try {
    for (const kind of configuredLockKinds(config)) {
      for (let attempt = 0; ; attempt++) {
        const holder = await tryLock(kind, config, clients, acquired.infoJson)
        if (!holder) {
          acquired.kinds.push(kind)
          logger.debug(`took the ${kind} lock ${info.ID}`)
          options.onAcquired?.(kind)
          break
        }
        const elapsed = now() - started
        if (elapsed >= timeoutMs) throw new StateLockedError(holder)
        if (attempt === 0) logger.info(`waiting up to ${Math.ceil((timeoutMs - elapsed) / 1000)}s: ${describeHeldLock(holder)}`)
        await sleep(Math.min(1000 * Math.min(2 ** attempt, 8), Math.max(50, timeoutMs - elapsed)))
      }
    }
    return acquired
  } catch (error) {
    if (options.keepLocksOn?.(error)) throw Object.assign(error as object, { acquiredLocks: acquired })
    await releaseLocks(config, clients, acquired, logger)
    throw error
  }
}

/**
 * Releases the locks in reverse order. Every release is attempted; the first failure is rethrown
 * after the others were tried, with the lock ID to force-unlock.
 */
export async function releaseLocks(config: BackendConfig, clients: StateClients, acquired: AcquiredLocks, logger: Logger = silentLogger): Promise<void> {
  let failure: unknown
  for (const kind of [...acquired.kinds].reverse()) {
    try {
      await releaseOne(kind, config, clients, acquired)
      acquired.kinds = acquired.kinds.filter((k) => k !== kind)
      logger.debug(`released the ${kind} lock ${acquired.info.ID}`)
    } catch (error) {
      logger.error(`could not release the ${kind} lock ${acquired.info.ID}: ${error instanceof Error ? error.message : String(error)}; run: terraform force-unlock ${acquired.info.ID}`)
      failure ??= error
    }
  }
  if (failure) throw failure
}

export interface ListLocksOptions {
  /** Every lock in the DynamoDB table and every `.tflock` in the bucket, not just this state's. */
  allStates?: boolean
}

/**
 * Every held lock with its info: this state's DynamoDB item and `.tflock` object, or with
 * `allStates` every lock item of the table (digest items excluded) and every `.tflock` of the bucket.
 */
export async function listLocks(config: BackendConfig, clients: StateClients, options: ListLocksOptions = {}): Promise<HeldLock[]> {
  const locks: HeldLock[] = []
  if (!options.allStates) {
    if (config.dynamodbTable) {
      const lock = await getDynamoLock(config, clients)
      if (lock) locks.push(lock)
    }
    // The lock file is checked even when use_lockfile is off: a lock left by an earlier config still matters.
    const file = await getLockfile(config, clients)
    if (file) locks.push(file)
    return locks
  }
  if (config.dynamodbTable) {
    let start: ScanCommandOutput['LastEvaluatedKey']
    do {
      const page: ScanCommandOutput = await clients.dynamodb.send(
        new ScanCommand({ TableName: config.dynamodbTable, ...(start ? { ExclusiveStartKey: start } : {}) }),
      )
      for (const item of page.Items ?? []) {
        const id = item.LockID?.S
        if (!id || id.endsWith('-md5') || !item.Info?.S) continue
        const statePath = id.startsWith(`${config.bucket}/`) ? id.slice(config.bucket.length + 1) : id
        locks.push(heldLock('dynamodb', `${config.dynamodbTable}:${id}`, statePath, item.Info.S))
      }
      start = page.LastEvaluatedKey
    } while (start)
  }
  let token: string | undefined
  do {
    const page: ListObjectsV2CommandOutput = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: config.bucket, ...(token ? { ContinuationToken: token } : {}) }),
    )
    for (const object of page.Contents ?? []) {
      if (!object.Key?.endsWith('.tflock')) continue
      const key = object.Key
      try {
        const res = await clients.s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }))
        locks.push(heldLock('lockfile', `s3://${config.bucket}/${key}`, key.slice(0, -'.tflock'.length), await bodyText(res.Body)))
      } catch (error) {
        if (!isNotFound(error)) throw error
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined
  } while (token)
  return locks
}

/**
 * Removes this state's locks whose ID is `id` (both kinds), like `terraform force-unlock`, but also
 * when only one of the two is left (terraform's force-unlock fails then). Returns what it removed.
 */
export async function forceUnlock(config: BackendConfig, clients: StateClients, id: string): Promise<LockKind[]> {
  const removed: LockKind[] = []
  const file = await getLockfile(config, clients)
  if (file && file.id === id) {
    await clients.s3.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: lockfileKey(config) }))
    removed.push('lockfile')
  }
  if (config.dynamodbTable) {
    const res = await clients.dynamodb.send(
      new GetItemCommand({ TableName: config.dynamodbTable, Key: { LockID: { S: lockItemId(config) } }, ConsistentRead: true }),
    )
    const raw = res.Item?.Info?.S
    if (raw !== undefined && parseInfo(raw)?.ID === id) {
      try {
        await clients.dynamodb.send(
          new DeleteItemCommand({
            TableName: config.dynamodbTable,
            Key: { LockID: { S: lockItemId(config) } },
            ConditionExpression: 'Info = :info',
            ExpressionAttributeValues: { ':info': { S: raw } },
          }),
        )
        removed.push('dynamodb')
      } catch (error) {
        if ((error as { name?: string })?.name !== 'ConditionalCheckFailedException') throw error
      }
    }
  }
  return removed
}
