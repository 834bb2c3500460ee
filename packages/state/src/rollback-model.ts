/** The rollback's vocabulary: its write steps, options, preview and result, and its errors. */
import type { Logger } from '@tfpipe/kit/logger.js'
import type { BackendConfig } from './backend-config.js'
import type { StateClients } from './clients.js'
import type { HeldLock, LockKind } from './lock-info.js'
import type { StateDiff } from './state-file.js'

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
