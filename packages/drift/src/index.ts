export type * from './types.js'
export { checkStack, checkStacks, planArgs, type CheckOptions } from './check.js'
export { spawnRunner, tail, type CommandRunner, type CommandResult } from './exec.js'
export { resolveStacks, segmentRegExp, stackId, hasTerraformFiles } from './stacks.js'
export {
  findStaleLocks,
  parseCreated,
  backendType,
  localLockInfoPath,
  formatAge,
  type HeldLock,
  type LockInfoLike,
  type S3LockLister,
} from './locks.js'
export * from './issue-body.js'
export { syncDriftIssues, indexIssues, type IssueOutcome, type IssueAction, type SyncOptions } from './sync.js'
export { renderSummary } from './summary.js'
