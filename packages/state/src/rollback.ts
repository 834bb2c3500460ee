/** The write half of a rollback: lock, re-check, back up, write with a bumped serial, verify, unlock. */
import { PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { silentLogger } from '@tfpipe/kit/logger.js'
import type { BackendConfig } from './backend-config.js'
import { deleteDigest, getDigest, putDigest } from './digest.js'
import { acquireLocks, configuredLockKinds, releaseLocks } from './locks.js'
import { newLockInfo, type AcquiredLocks } from './lock-info.js'
import { leftoverOf, toRollbackError } from './rollback-errors.js'
import { SimulatedCrash, type RollbackOptions, type RollbackResult, type RollbackStep } from './rollback-model.js'
import { previewRollback, where } from './rollback-preview.js'
import { md5Hex, serializeState } from './state-file.js'
import { getStateObject } from './versions.js'

function backupKeyFor(config: BackendConfig, now: Date, versionId: string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
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
      if (error instanceof SimulatedCrash)
        acquired = (error as SimulatedCrash & { acquiredLocks?: AcquiredLocks }).acquiredLocks
      throw error
    }

    at('recheck')
    const latest = await getStateObject(config, clients)
    if (latest?.versionId !== preview.current.versionId || md5Hex(latest.bytes) !== preview.current.md5) {
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
    if (md5Hex(check.bytes) !== newMd5)
      throw new Error(`read-back MD5 ${md5Hex(check.bytes)} differs from the written ${newMd5}.`)
    if (written.VersionId && check.versionId !== written.VersionId) {
      throw new Error(
        `the current version is ${check.versionId}, not the one just written (${written.VersionId}): somebody wrote without the lock.`,
      )
    }
    const digest = await getDigest(config, clients)
    if (config.dynamodbTable && digest !== newMd5)
      throw new Error(`the DynamoDB digest is ${digest ?? 'missing'}, expected ${newMd5}.`)
    logger.info(`wrote version ${result.newVersionId} (serial ${preview.newSerial}); MD5 ${newMd5} verified`)

    at('unlock')
  } catch (error) {
    if (error instanceof SimulatedCrash) crashed = true
    // A killed process releases nothing; otherwise release what we hold, whatever went wrong.
    if (!crashed && acquired) await releaseLocks(config, clients, acquired, logger).catch(() => undefined)
    throw toRollbackError(config, error, step, stateWritten, leftoverOf(config, acquired), result)
  }
  try {
    await releaseLocks(config, clients, acquired, logger)
  } catch (error) {
    throw toRollbackError(config, error, 'unlock', true, leftoverOf(config, acquired), result)
  }
  return result
}
