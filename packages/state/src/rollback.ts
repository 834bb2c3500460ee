import { PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3'
import { ConfigurationError } from '../../kit/src/errors.js'
import type { Logger } from '../../kit/src/logger.js'
import { silentLogger } from '../../kit/src/logger.js'
import type { BackendConfig } from './backend-config.js'
import type { StateClients } from './clients.js'
import { deleteDigest, getDigest, putDigest } from './digest.js'
import { acquireLocks, configuredLockKinds, listLocks, releaseLocks } from './locks.js'
import { newLockInfo, StateLockedError, type AcquiredLocks, type HeldLock, type LockKind } from './lock-info.js'
import { diffStates, md5Hex, parseState, serializeState, StateFormatError, type StateDiff, type TerraformState } from './state-file.js'
import { getStateObject, listStateVersions, type StateVersion } from './versions.js'

/**
 * The write steps, in order. `faultAt(step)` is called just before each one (for crash-safety tests):
 * throwing an Error there fails the rollback as a real error would (locks are released); throwing a
 * SimulatedCrash stops it dead like a killed process (nothing more is done, locks stay held).
 */
export const ROLLBACK_STEPS = [
  'lock-lockfile',
  'lock-dynamodb',
  'recheck',
  'backup',
  'clear-digest',
  'write-state',
  'write-digest',
  'verify',
  'unlock',
] as const
export type RollbackStep = (typeof ROLLBACK_STEPS)[number]

/** Thrown by a fault hook to emulate the process dying at a step: no cleanup runs after it. */
export class SimulatedCrash extends Error {
  constructor(readonly step: RollbackStep) {
    super(`simulated crash before ${step}`)
    this.name = 'SimulatedCrash'
  }
}

export type RollbackTarget = { versionId: string } | { stepsBack: number }

export interface RollbackOptions {
  config: BackendConfig
  clients: StateClients
  target: RollbackTarget
  /** Preview only (the default): nothing is locked or written. */
  dryRun?: boolean
  allowLineageChange?: boolean
  /** How long to wait for a held lock before giving up (default 0: fail at once). */
  lockTimeoutMs?: number
  /** Recorded in the lock info (Who / Info). */
  who?: string
  reason?: string
  /** Also write the replaced bytes to `<statePath>.rollback-backup/<timestamp>.tfstate` (default true). */
  backupCopy?: boolean
  logger?: Logger
  now?: () => Date
  sleep?: (ms: number) => Promise<void>
  faultAt?: (step: RollbackStep) => void
}

export interface VersionSummary {
  versionId: string
  serial: number
  lineage: string
  size: number
  md5: string
  lastModified?: string
  terraformVersion?: string
}

export interface RollbackPreview {
  bucket: string
  statePath: string
  workspace: string
  current: VersionSummary
  target: VersionSummary
  /** Serial the written state gets: above both, so any saved plan made against either is stale. */
  newSerial: number
  /** Lineage the written state gets. */
  lineage: string
  lineageChanged: boolean
  /** What the rollback changes in the state (added = in the target only). */
  diff: StateDiff
  /** Locks the backend uses (taken for the write). */
  locks: LockKind[]
  /** Locks held right now (preview only). */
  heldLocks: HeldLock[]
  /** Recorded DynamoDB digest of the current state, and whether it matches its bytes. */
  digest?: { recorded: string; matchesCurrent: boolean }
}

export interface RollbackResult {
  dryRun: boolean
  preview: RollbackPreview
  restoredVersionId: string
  previousVersionId: string
  /** The state as the rollback writes it (the target with the new serial and lineage), for previews. */
  restoredBytes: Buffer
  newVersionId?: string
  backupKey?: string
  backupVersionId?: string
  lockId?: string
}

export interface LeftoverLock {
  kind: LockKind
  id: string
  location: string
}

/** A failed write. Says at which step, whether the state was changed, and which locks are left. */
export class RollbackError extends Error {
  constructor(
    message: string,
    readonly step: RollbackStep,
    readonly stateWritten: boolean,
    readonly leftoverLocks: LeftoverLock[],
    override readonly cause?: unknown,
  ) {
    super(message)
    this.name = 'RollbackError'
  }
}

interface Loaded {
  version: { versionId: string; lastModified?: Date }
  bytes: Buffer
  state: TerraformState
}

function summarize(loaded: Loaded): VersionSummary {
  const s: VersionSummary = {
    versionId: loaded.version.versionId,
    serial: loaded.state.serial,
    lineage: loaded.state.lineage,
    size: loaded.bytes.length,
    md5: md5Hex(loaded.bytes),
  }
  if (loaded.version.lastModified) s.lastModified = loaded.version.lastModified.toISOString()
  if (typeof loaded.state.terraform_version === 'string') s.terraformVersion = loaded.state.terraform_version
  return s
}

function where(config: BackendConfig): string {
  return `s3://${config.bucket}/${config.statePath}`
}

async function load(config: BackendConfig, clients: StateClients, versionId: string | undefined, what: string): Promise<Loaded> {
  const object = await getStateObject(config, clients, versionId)
  if (!object) {
    if (versionId) throw new ConfigurationError(`Version '${versionId}' of ${where(config)} does not exist; list versions with 'tfpipe state versions'.`)
    throw new ConfigurationError(`${where(config)} does not exist: there is no state to roll back.`)
  }
  try {
    const version: Loaded['version'] = { versionId: object.versionId }
    if (object.lastModified) version.lastModified = object.lastModified
    return { version, bytes: object.bytes, state: parseState(object.bytes, `${what} (version ${object.versionId})`) }
  } catch (error) {
    if (error instanceof StateFormatError) throw new ConfigurationError(`Cannot restore: ${error.message}`)
    throw error
  }
}

/** Chooses the version to restore. Steps back count from the current version (1 = the one before it). */
export async function resolveTarget(
  config: BackendConfig,
  clients: StateClients,
  target: RollbackTarget,
): Promise<{ versionId: string; versions?: StateVersion[] }> {
  if ('versionId' in target) {
    if (!target.versionId.trim()) throw new ConfigurationError('The version id to restore is empty.')
    return { versionId: target.versionId.trim() }
  }
  if (!Number.isInteger(target.stepsBack) || target.stepsBack < 1) {
    throw new ConfigurationError(`steps-back must be a whole number of at least 1; got ${target.stepsBack}.`)
  }
  const versions = await listStateVersions(config, clients, { limit: target.stepsBack + 1 })
  if (versions.length === 0) throw new ConfigurationError(`${where(config)} has no versions: there is no state to roll back.`)
  const chosen = versions[target.stepsBack]
  if (!chosen) {
    throw new ConfigurationError(
      `steps-back ${target.stepsBack} goes past the oldest version: ${where(config)} has ${versions.length} version(s), so at most ${Math.max(0, versions.length - 1)} step(s) back.`,
    )
  }
  return { versionId: chosen.versionId, versions }
}

/** Reads current and target, validates them and computes what the rollback would do. Writes nothing. */
export async function previewRollback(options: RollbackOptions): Promise<{ preview: RollbackPreview; current: Loaded; target: Loaded }> {
  const { config, clients } = options
  const { versionId } = await resolveTarget(config, clients, options.target)
  const [current, target] = await Promise.all([load(config, clients, undefined, 'the current state'), load(config, clients, versionId, 'the target state')])
  if (current.version.versionId === target.version.versionId) {
    throw new ConfigurationError(`Version ${versionId} is already the current state of ${where(config)}; nothing to roll back.`)
  }
  const lineageChanged = current.state.lineage !== target.state.lineage
  if (lineageChanged && !options.allowLineageChange) {
    throw new ConfigurationError(
      `Version ${versionId} has lineage ${target.state.lineage} but the current state has ${current.state.lineage}: it is another state, not an earlier version of this one; set allow-lineage-change only if you are sure.`,
    )
  }
  const [heldLocks, recorded] = await Promise.all([listLocks(config, clients), getDigest(config, clients)])
  const preview: RollbackPreview = {
    bucket: config.bucket,
    statePath: config.statePath,
    workspace: config.workspace,
    current: summarize(current),
    target: summarize(target),
    newSerial: Math.max(current.state.serial, target.state.serial) + 1,
    lineage: target.state.lineage,
    lineageChanged,
    diff: diffStates(current.state, target.state),
    locks: configuredLockKinds(config),
    heldLocks,
  }
  if (recorded !== undefined) preview.digest = { recorded, matchesCurrent: recorded === preview.current.md5 }
  return { preview, current, target }
}

function backupKeyFor(config: BackendConfig, now: Date, versionId: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return `${config.statePath}.rollback-backup/${stamp}-${versionId.replace(/[^A-Za-z0-9._-]/g, '_')}.tfstate`
}

function encryptionParams(config: BackendConfig): Partial<PutObjectCommandInput> {
  const p: Partial<PutObjectCommandInput> = {}
  if (config.kmsKeyId) {
    p.ServerSideEncryption = 'aws:kms'
    p.SSEKMSKeyId = config.kmsKeyId
  } else if (config.encrypt) p.ServerSideEncryption = 'AES256'
  if (config.acl) p.ACL = config.acl as PutObjectCommandInput['ACL']
  return p
}

/**
 * Restores an earlier version of the state. Dry-run (the default) only previews. A write:
 *  1. takes the lock(s) the backend uses, exactly as terraform does (lock file, then DynamoDB),
 *     waiting up to lockTimeoutMs; a held lock fails naming its holder, the state untouched;
 *  2. re-reads the current version under the lock and stops if it changed since the preview;
 *  3. keeps a backup: the replaced bytes stay an S3 version (its id is `previousVersionId`) and are
 *     also copied to `<statePath>.rollback-backup/<timestamp>-<versionId>.tfstate`;
 *  4. removes the DynamoDB digest, writes the target content with serial = max(current, target) + 1
 *     and the target's lineage, then records the new digest. Terraform only checks a digest that is
 *     recorded, so a crash between any two steps leaves a state terraform can read;
 *  5. reads the state back and checks MD5, version id and digest;
 *  6. releases the locks on every path (a lock it cannot release is reported with its ID).
 */
export async function rollbackState(options: RollbackOptions): Promise<RollbackResult> {
  const { config, clients } = options
  const logger = options.logger ?? silentLogger
  const now = options.now ?? (() => new Date())
  const fault = options.faultAt ?? (() => undefined)

  const { preview, current, target } = await previewRollback(options)
  logger.info(
    `${where(config)}: current version ${preview.current.versionId} (serial ${preview.current.serial}) -> restore ${preview.target.versionId} (serial ${preview.target.serial}) as serial ${preview.newSerial}`,
  )
  const newBytes = serializeState(target.state, { serial: preview.newSerial, lineage: preview.lineage })
  const result: RollbackResult = {
    dryRun: options.dryRun !== false,
    preview,
    restoredVersionId: preview.target.versionId,
    previousVersionId: preview.current.versionId,
    restoredBytes: newBytes,
  }
  if (options.dryRun !== false) return result

  const newMd5 = md5Hex(newBytes)
  const info = newLockInfo({
    config,
    operation: 'OperationTypeRollback',
    who: options.who ?? 'tfpipe rollback-state',
    info: `restore version ${preview.target.versionId}${options.reason ? `: ${options.reason}` : ''}`,
    version: 'tfpipe',
    now,
  })
  result.lockId = info.ID

  let step: RollbackStep = 'lock-lockfile'
  let acquired: AcquiredLocks | undefined
  let stateWritten = false
  let crashed = false
  const at = (s: RollbackStep): void => {
    step = s
    fault(s)
  }
  try {
    const kinds = configuredLockKinds(config)
    if (kinds[0]) at(`lock-${kinds[0]}`)
    const acquireOptions: Parameters<typeof acquireLocks>[3] = {
      timeoutMs: options.lockTimeoutMs ?? 0,
      now: () => now().getTime(),
      logger,
      onAcquired: (kind) => {
        const next = kinds[kinds.indexOf(kind) + 1]
        if (next) at(`lock-${next}`)
      },
    }
    if (options.sleep) acquireOptions.sleep = options.sleep
    acquireOptions.keepLocksOn = (error) => error instanceof SimulatedCrash
    try {
      acquired = await acquireLocks(config, clients, info, acquireOptions)
    } catch (error) {
      // A crash keeps what was taken; any other failure was cleaned up by acquireLocks.
      if (error instanceof SimulatedCrash) acquired = (error as SimulatedCrash & { acquiredLocks?: AcquiredLocks }).acquiredLocks
      throw error
    }

    at('recheck')
    const latest = await getStateObject(config, clients)
    if (!latest || latest.versionId !== preview.current.versionId || md5Hex(latest.bytes) !== preview.current.md5) {
      throw new ConfigurationError(
        `${where(config)} changed while the rollback was being prepared (now version ${latest?.versionId ?? 'none'}); nothing was written, run it again.`,
      )
    }

    at('backup')
    if (options.backupCopy !== false) {
      result.backupKey = backupKeyFor(config, now(), preview.current.versionId)
      const backup = await clients.s3.send(
        new PutObjectCommand({
          Bucket: config.bucket,
          Key: result.backupKey,
          Body: current.bytes,
          ContentType: 'application/json',
          Metadata: { 'tfpipe-source-version-id': preview.current.versionId, 'tfpipe-lock-id': info.ID },
          ...encryptionParams(config),
        }),
      )
      if (backup.VersionId) result.backupVersionId = backup.VersionId
      logger.info(`backup of version ${preview.current.versionId} written to s3://${config.bucket}/${result.backupKey}`)
    }

    at('clear-digest')
    await deleteDigest(config, clients)

    at('write-state')
    const written = await clients.s3.send(
      new PutObjectCommand({
        Bucket: config.bucket,
        Key: config.statePath,
        Body: newBytes,
        ContentType: 'application/json',
        ...encryptionParams(config),
      }),
    )
    stateWritten = true
    result.newVersionId = written.VersionId ?? 'null'

    at('write-digest')
    await putDigest(config, clients, newMd5)

    at('verify')
    const check = await getStateObject(config, clients)
    if (!check) throw new Error(`${where(config)} is missing right after it was written.`)
    if (md5Hex(check.bytes) !== newMd5) throw new Error(`read-back MD5 ${md5Hex(check.bytes)} differs from the written ${newMd5}.`)
    if (written.VersionId && check.versionId !== written.VersionId) {
      throw new Error(`the current version is ${check.versionId}, not the one just written (${written.VersionId}): somebody wrote without the lock.`)
    }
    const digest = await getDigest(config, clients)
    if (config.dynamodbTable && digest !== newMd5) throw new Error(`the DynamoDB digest is ${digest ?? 'missing'}, expected ${newMd5}.`)
    logger.info(`wrote version ${result.newVersionId} (serial ${preview.newSerial}); MD5 ${newMd5} verified`)

    at('unlock')
  } catch (error) {
    if (error instanceof SimulatedCrash) crashed = true
    // A killed process releases nothing; otherwise release what we hold, whatever went wrong.
    if (!crashed && acquired) await releaseLocks(config, clients, acquired, logger).catch(() => undefined)
    throw toRollbackError(config, error, step, stateWritten, leftoverOf(config, acquired), result)
  }
  try {
    await releaseLocks(config, clients, acquired as AcquiredLocks, logger)
  } catch (error) {
    throw toRollbackError(config, error, 'unlock', true, leftoverOf(config, acquired), result)
  }
  return result
}

function leftoverOf(config: BackendConfig, acquired: AcquiredLocks | undefined): LeftoverLock[] {
  return (acquired?.kinds ?? []).map((kind) => ({
    kind,
    id: acquired?.info.ID ?? '',
    location: kind === 'dynamodb' ? `${config.dynamodbTable}:${config.bucket}/${config.statePath}` : `s3://${config.bucket}/${config.statePath}.tflock`,
  }))
}

function toRollbackError(config: BackendConfig, error: unknown, step: RollbackStep, stateWritten: boolean, leftover: LeftoverLock[], result: RollbackResult): Error {
  if (error instanceof StateLockedError) {
    return new RollbackError(`Cannot roll back: ${error.message} Nothing was written.`, step, false, [], error)
  }
  const reason = error instanceof Error ? error.message : String(error)
  const state = stateWritten
    ? `The state now holds the restored content (version ${result.newVersionId}); to undo, restore version ${result.previousVersionId}.`
    : `The state was not changed (still version ${result.previousVersionId}).`
  const complete = leftover.length === configuredLockKinds(config).length
  const locks = leftover.length
    ? ` A lock is still held (${leftover.map((l) => `${l.kind} ${l.location}`).join(' + ')}, lock ID ${leftover[0]?.id}): release it with ` +
      (complete ? `'terraform force-unlock ${leftover[0]?.id}'.` : `'tfpipe state unlock --lock-id ${leftover[0]?.id}' (terraform force-unlock fails when only one of the backend's two locks is left).`)
    : ''
  if (error instanceof ConfigurationError && !stateWritten && leftover.length === 0) return error
  return new RollbackError(`Rollback failed at step '${step}': ${reason} ${state}${locks}`, step, stateWritten, leftover, error)
}
