import { describeGitHubError } from '@tfpipe/github/errors.js'
import { ConfigurationError, errorMessage } from '@tfpipe/kit/errors.js'
import { CHECKS } from './checks.js'
import { GateFacts, needsGitHub } from './gate-facts.js'
import type { GateInput } from './context.js'
import type { CheckName, CheckResult, EnvironmentPolicy, Finding, Verdict } from './types.js'

/**
 * The checks an override reason may turn into warnings: none unless `override.allowed` is true; never
 * the ones in `override.except`; `protected` only when `override.protected` is true (explicit opt-in).
 * The one source of the override rule (the report and the README describe it from here).
 */
export function overridableChecks(policy: EnvironmentPolicy): {
  allowed: boolean
  overridable: (check: CheckName) => boolean
  notOverridable: CheckName[]
} {
  const allowed = policy.override?.allowed === true
  const except = new Set<CheckName>(policy.override?.except ?? [])
  if (policy.override?.protected !== true) except.add('protected')
  return { allowed, overridable: (check) => allowed && !except.has(check), notOverridable: allowed ? [...except] : [] }
}

/**
 * Runs every rule of the environment's policy and decides. A check that throws (e.g. a 5xx from GitHub)
 * fails closed with the error as its message. When GitHub cannot be used at all (bad token, unknown
 * repository, API unreachable) the whole gate stops with one ConfigurationError before any rule runs.
 * With an override reason where the policy allows it, violations of overridable checks (see
 * overridableChecks) become warnings marked `overridden`.
 */
export async function evaluateGate(policy: EnvironmentPolicy, input: GateInput): Promise<Verdict> {
  const facts = new GateFacts(input)
  if (input.github?.checkAccess && needsGitHub(policy)) await input.github.checkAccess()
  const results: CheckResult[] = []
  for (const [name, check] of CHECKS) {
    try {
      results.push(await check(policy, facts))
    } catch (error) {
      if (error instanceof ConfigurationError) throw error
      // A GitHub error says what failed and, for a 403, the permission the token lacks.
      const status = (error as { status?: unknown } | null)?.status
      const message = typeof status === 'number' ? describeGitHubError(error, 'reading GitHub') : errorMessage(error)
      results.push({ check: name, status: 'fail', message: `could not be checked: ${message}` })
    }
  }
  const violations: Finding[] = []
  const warnings: Finding[] = []
  const reason = input.overrideReason.trim()
  const names = facts.names
  const rule = overridableChecks(policy)
  for (const r of results) {
    const finding: Finding = { check: r.check, message: r.message, details: r.details ?? [] }
    if (r.status === 'warn') warnings.push(finding)
    else if (r.status === 'fail') {
      if (reason && rule.overridable(r.check)) warnings.push({ ...finding, overridden: true })
      else if (reason && rule.allowed) {
        const why =
          r.check === 'protected' && policy.override?.except?.includes('protected') !== true
            ? 'protected resources are not overridable unless the policy sets override.protected: true'
            : `the policy lists ${r.check} in override.except`
        violations.push({ ...finding, message: `${r.message} (${names.overrideReason} does not unlock this: ${why})` })
      } else violations.push(finding)
    }
  }
  const verdict: Verdict = {
    environment: input.environment,
    allowed: violations.length === 0,
    results,
    violations,
    warnings,
  }
  if (reason) {
    verdict.override = { reason, applied: rule.allowed, notOverridable: rule.notOverridable }
    if (!rule.allowed) {
      warnings.push({
        check: 'override',
        message: `${names.overrideReason} given but the policy of '${input.environment}' does not allow overrides (override.allowed); ignored`,
        details: [],
      })
    }
  }
  return verdict
}
