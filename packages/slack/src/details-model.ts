/** The `details` input once normalised: what the Slack message is built from. */

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
  /** The verification after the apply: passed, failed, skipped (tag-deploy's `verification`). */
  verification?: string
  /** terraform-apply.yml: a failed verification is rolled back automatically (safety-gate's auto-rollback output). */
  autoRollback?: boolean
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
