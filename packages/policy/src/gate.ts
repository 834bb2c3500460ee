import { errorMessage } from '../../kit/src/errors.js'
import { CHECKS, GateFacts } from './checks.js'
import type { GateInput } from './context.js'
import type { CheckResult, EnvironmentPolicy, Finding, Verdict } from './types.js'

/**
 * Runs every rule of the environment's policy and decides. A check that throws (e.g. GitHub down)
 * fails closed with the error as its message. With an override reason where the policy allows it,
 * violations (except the checks listed in override.except) become warnings marked `overridden`.
 */
export async function evaluateGate(policy: EnvironmentPolicy, input: GateInput): Promise<Verdict> {
  const facts = new GateFacts(input)
  const results: CheckResult[] = []
  for (const [name, check] of CHECKS) {
    try {
      results.push(await check(policy, facts))
    } catch (error) {
      results.push({ check: name, status: 'fail', message: `could not be checked: ${errorMessage(error)}` })
    }
  }
  const violations: Finding[] = []
  const warnings: Finding[] = []
  const reason = input.overrideReason.trim()
  const overrideAllowed = policy.override?.allowed === true
  const except = new Set(policy.override?.except ?? [])
  for (const r of results) {
    const finding: Finding = { check: r.check, message: r.message, details: r.details ?? [] }
    if (r.status === 'warn') warnings.push(finding)
    else if (r.status === 'fail') {
      if (reason && overrideAllowed && !except.has(r.check)) warnings.push({ ...finding, overridden: true })
      else violations.push(finding)
    }
  }
  const verdict: Verdict = { environment: input.environment, allowed: violations.length === 0, results, violations, warnings }
  if (reason) {
    verdict.override = { reason, applied: overrideAllowed, notOverridable: overrideAllowed ? [...except] : [] }
    if (!overrideAllowed) {
      warnings.push({ check: 'override', message: `override-reason given but the policy of '${input.environment}' does not allow overrides (override.allowed); ignored`, details: [] })
    }
  }
  return verdict
}
