import type { ChangeKind } from '@tfpipe/terraform/model.js'

export type DriftMode = 'full' | 'refresh-only'

/** clean: nothing to do; drifted: changed outside Terraform and/or changes pending; error: plan failed. */
export type StackStatus = 'clean' | 'drifted' | 'error'

export interface DriftItem {
  address: string
  /** The kind of change (for drift: how the object differs from state; `delete` = gone outside Terraform). */
  kind: ChangeKind
  /** Top-level attributes that differ (values are never carried: they may be sensitive). */
  attributes: string[]
}

export interface StackResult {
  /** Directory relative to the workspace, `/`-separated (the issue identity). */
  dir: string
  status: StackStatus
  /** `resource_drift`: objects changed outside Terraform. */
  drift: DriftItem[]
  /** `resource_changes` (managed, not no-op): what an apply would change. Empty in refresh-only mode. */
  pending: DriftItem[]
  /** terraform's exit code of the plan (0, 1, 2), or -1 when it did not run. */
  exitCode: number
  /** For `error`: one line plus the tail of terraform's stderr. */
  error?: string
  durationMs: number
  initialised: boolean
}

export interface StaleLock {
  dir: string
  /** `dynamodb`, `s3` (.tflock object) or `local` (.terraform.tfstate.lock.info). */
  source: 'dynamodb' | 's3' | 'local'
  path: string
  id: string
  who: string
  operation: string
  created: string
  ageMs: number
}
