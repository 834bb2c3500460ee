/** What every check gets: the gate's facts (fetched once), the Check type, and whether a policy needs GitHub. */
import type { GateInput, GateOptionNames, PullRequestRef } from './context.js'
import { SAFETY_GATE_INPUTS } from './context.js'
import type { CheckResult, EnvironmentPolicy } from './types.js'

/** Shared, lazily fetched facts (the pull request of the commit is read once for two checks). */
export class GateFacts {
  private pr?: Promise<PullRequestRef | undefined>
  constructor(readonly input: GateInput) {}

  now(): Date {
    return this.input.now ? this.input.now() : new Date()
  }

  /** The caller's names of the options a message tells the user to set. */
  get names(): GateOptionNames {
    return this.input.names ?? SAFETY_GATE_INPUTS
  }

  pullRequest(): Promise<PullRequestRef | undefined> {
    if (!this.input.github) return Promise.resolve(undefined)
    this.pr ??= this.input.github.pullRequestOfCommit(this.input.sha)
    return this.pr
  }
}

/** Whether any rule of this policy reads GitHub (so a token that cannot be used is an error before the rules run). */
export function needsGitHub(policy: EnvironmentPolicy): boolean {
  const a = policy.approvals
  return (
    (a !== undefined &&
      (a['required-reviewers'] !== undefined || a['prevent-self-review'] === true || a['branch-policy'] === true)) ||
    (policy.promotion?.requires?.length ?? 0) > 0 ||
    policy['reviewed-plan']?.required === true ||
    (policy.protected?.['override-label'] !== undefined &&
      ((policy.protected.addresses?.length ?? 0) > 0 || (policy.protected.types?.length ?? 0) > 0))
  )
}

export type Check = (policy: EnvironmentPolicy, facts: GateFacts) => Promise<CheckResult> | CheckResult
