/** The rules GitHub answers: environment approvals, promotion from earlier environments, the reviewed plan. */
import { changeList, diffChangeLists } from '@tfpipe/github/reviewed-plan.js'
import type { Check } from './gate-facts.js'

export const approvalsCheck: Check = async (policy, { input }) => {
  const a = policy.approvals
  if (!a || (a['required-reviewers'] === undefined && !a['prevent-self-review'] && !a['branch-policy'])) {
    return { check: 'approvals', status: 'skip', message: 'no approval rules' }
  }
  const onProblem = a['on-unreadable'] ?? 'fail'
  if (!input.github)
    return {
      check: 'approvals',
      status: onProblem,
      message: 'no GitHub token: the environment protection rules were not read',
    }
  const env = await input.github.environmentProtection(input.environment)
  if (!env.readable) {
    const message =
      env.status === 404
        ? `GitHub Environment '${input.environment}' was not found (HTTP 404): it does not exist or the token cannot see it`
        : `the token cannot read the protection rules of GitHub Environment '${input.environment}' (HTTP ${env.status}: ${env.message}); grant actions: read`
    return { check: 'approvals', status: onProblem, message }
  }
  const problems: string[] = []
  const facts: string[] = [
    `${env.requiredReviewers} required reviewer(s)${env.reviewers.length ? `: ${env.reviewers.join(', ')}` : ''}`,
  ]
  const min = a['required-reviewers']
  if (min !== undefined && env.requiredReviewers < min)
    problems.push(`needs at least ${min} required reviewer(s), has ${env.requiredReviewers}`)
  if (a['prevent-self-review'] && !env.preventSelfReview) problems.push('"Prevent self-review" is off')
  facts.push(`prevent self-review ${env.preventSelfReview ? 'on' : 'off'}`)
  if (a['branch-policy'] && env.branchPolicy === 'none')
    problems.push('no deployment branch policy (any branch can deploy)')
  facts.push(`branch policy: ${env.branchPolicy}`)
  if (problems.length === 0)
    return {
      check: 'approvals',
      status: 'pass',
      message: `GitHub Environment '${input.environment}': ${facts.join('; ')}`,
    }
  return {
    check: 'approvals',
    status: 'fail',
    message: `GitHub Environment '${input.environment}' is weaker than the policy: ${problems.join('; ')}`,
    details: facts,
  }
}

export const promotionCheck: Check = async (policy, { input }) => {
  const requires = policy.promotion?.requires ?? []
  if (requires.length === 0) return { check: 'promotion', status: 'skip', message: 'no promotion order' }
  if (input.operation === 'rollback')
    return { check: 'promotion', status: 'skip', message: 'a rollback restores a deploy this environment already had' }
  if (!input.github)
    return { check: 'promotion', status: 'fail', message: 'no GitHub token: cannot see earlier deployments' }
  const found: string[] = []
  const missing: string[] = []
  for (const env of requires) {
    const evidence = await input.github.successfulDeployment(env, input.sha)
    if (evidence) found.push(`${env}: ${evidence}`)
    else missing.push(env)
  }
  if (missing.length === 0)
    return {
      check: 'promotion',
      status: 'pass',
      message: `commit deployed and verified before in ${requires.join(', ')}`,
      details: found,
    }
  return {
    check: 'promotion',
    status: 'fail',
    message: `commit ${input.sha.slice(0, 12)} has no verified deployment in ${missing.join(', ')} (a GitHub Deployment whose final status is success; required before ${input.environment})`,
    details: found,
  }
}

export const reviewedPlanCheck: Check = async (policy, facts) => {
  const rule = policy['reviewed-plan']
  if (!rule?.required) return { check: 'reviewed-plan', status: 'skip', message: 'reviewed plan not required' }
  const { input } = facts
  if (input.operation === 'rollback')
    return {
      check: 'reviewed-plan',
      status: 'skip',
      message: "a rollback's plan is approved in the Environment, not on a pull request",
    }
  const onMissing = rule['on-missing'] ?? 'fail'
  if (!input.plan)
    return {
      check: 'reviewed-plan',
      status: 'fail',
      message: `no plan given to compare with the reviewed one (set ${facts.names.planJson} or ${facts.names.planFile})`,
    }
  if (!input.github)
    return { check: 'reviewed-plan', status: onMissing, message: 'no GitHub token: cannot read the reviewed plan' }
  const pr = await facts.pullRequest()
  if (!pr)
    return {
      check: 'reviewed-plan',
      status: onMissing,
      message: `commit ${input.sha.slice(0, 12)} belongs to no pull request, so no plan was reviewed`,
    }
  const reviewed = await input.github.reviewedPlan(pr, input.environment, input.workingDirectory)
  if (!reviewed.found)
    return { check: 'reviewed-plan', status: onMissing, message: `PR #${pr.number}: ${reviewed.reason}` }
  const current = input.plan.model.fingerprint
  if (reviewed.fingerprint === current) {
    return {
      check: 'reviewed-plan',
      status: 'pass',
      message: `plan matches the one reviewed on PR #${pr.number} (${current.slice(0, 12)})`,
    }
  }
  const details = [`reviewed on PR #${pr.number}: ${reviewed.fingerprint}`, `about to apply: ${current}`]
  if (reviewed.changes) {
    const diff = diffChangeLists(reviewed.changes, changeList(input.plan.model))
    if (diff.length === 0) details.push('same actions on the same addresses; attribute values differ')
    else details.push(...diff)
    if (reviewed.changesTruncated)
      details.push('(the reviewed change list was truncated in the comment; the difference may be incomplete)')
  } else {
    details.push('the reviewed comment carries no change list, so only the fingerprints can be compared')
  }
  return {
    check: 'reviewed-plan',
    status: 'fail',
    message: `plan differs from the one reviewed on PR #${pr.number} — re-plan and review it again (${reviewed.commentUrl})`,
    details,
  }
}
