/** A failed rollback as one message: the step, whether the state was written, how to undo, which lock to release. */
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import type { BackendConfig } from './backend-config.js'
import { configuredLockKinds } from './locks.js'
import { StateLockedError, type AcquiredLocks } from './lock-info.js'
import { RollbackError, type LeftoverLock, type RollbackResult, type RollbackStep } from './rollback-model.js'

export function leftoverOf(config: BackendConfig, acquired: AcquiredLocks | undefined): LeftoverLock[] {
  return (acquired?.kinds ?? []).map((kind) => ({
    kind,
    id: acquired?.info.ID ?? '',
    location:
      kind === 'dynamodb'
        ? `${config.dynamodbTable}:${config.bucket}/${config.statePath}`
        : `s3://${config.bucket}/${config.statePath}.tflock`,
  }))
}

export function toRollbackError(
  config: BackendConfig,
  error: unknown,
  step: RollbackStep,
  stateWritten: boolean,
  leftover: LeftoverLock[],
  result: RollbackResult,
): Error {
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
      (complete
        ? `'terraform force-unlock ${leftover[0]?.id}'.`
        : `'tfpipe state unlock --lock-id ${leftover[0]?.id}' (terraform force-unlock fails when only one of the backend's two locks is left).`)
    : ''
  if (error instanceof ConfigurationError && !stateWritten && leftover.length === 0) return error
  return new RollbackError(
    `Rollback failed at step '${step}': ${reason} ${state}${locks}`,
    step,
    stateWritten,
    leftover,
    error,
  )
}
