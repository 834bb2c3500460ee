import type { Client, RepoRef } from './reviewed-plan.js'

/** The protection rules of a GitHub Environment, as the safety-gate reads them. */
export type EnvironmentProtection =
  | {
      readable: true
      requiredReviewers: number
      reviewers: string[]
      preventSelfReview: boolean
      branchPolicy: 'protected-branches' | 'custom' | 'none'
      waitTimerMinutes: number
    }
  | { readable: false; status: number; message: string }

interface RawRule {
  type: string
  prevent_self_review?: boolean
  wait_timer?: number
  reviewers?: { type?: string; reviewer?: { login?: string; slug?: string; name?: string } | null }[]
}

/**
 * GET /repos/{o}/{r}/environments/{env}. A 403 (token without actions: read) or 404 (no such
 * environment, or not visible to the token) comes back as `readable: false` with the status, so the
 * policy can decide to fail or warn; other errors are thrown.
 */
export async function getEnvironmentProtection(
  client: Client,
  repo: RepoRef,
  environment: string,
): Promise<EnvironmentProtection> {
  let data: {
    protection_rules?: RawRule[]
    deployment_branch_policy?: { protected_branches?: boolean; custom_branch_policies?: boolean } | null
  }
  try {
    data = (await client.rest.repos.getEnvironment({ ...repo, environment_name: environment })).data as typeof data
  } catch (error) {
    const e = error as { status?: number; message?: string; response?: { data?: { message?: string } } }
    if (e.status === 403 || e.status === 404) {
      return { readable: false, status: e.status, message: e.response?.data?.message ?? e.message ?? 'forbidden' }
    }
    throw error
  }
  const rules = data.protection_rules ?? []
  const reviewersRule = rules.find((r) => r.type === 'required_reviewers')
  const reviewers = (reviewersRule?.reviewers ?? []).map((r) =>
    r.type === 'Team' ? `team ${r.reviewer?.slug ?? r.reviewer?.name ?? '?'}` : (r.reviewer?.login ?? '?'),
  )
  const bp = data.deployment_branch_policy
  return {
    readable: true,
    requiredReviewers: reviewers.length,
    reviewers,
    preventSelfReview: reviewersRule?.prevent_self_review === true,
    branchPolicy: bp?.protected_branches ? 'protected-branches' : bp?.custom_branch_policies ? 'custom' : 'none',
    waitTimerMinutes: rules.find((r) => r.type === 'wait_timer')?.wait_timer ?? 0,
  }
}
