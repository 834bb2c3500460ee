/**
 * The rules on the verification after the apply: whether this environment lets a dispatcher skip it, and
 * whether a failed verification is rolled back automatically. safety-gate reports both as outputs, so the
 * workflows read them from here and nowhere else.
 */
import type { Check } from './gate-facts.js'
import type { EnvironmentPolicy } from './types.js'

export interface VerificationRules {
  skipAllowed: boolean
  autoRollback: boolean
}

export function verificationRules(policy: EnvironmentPolicy): VerificationRules {
  return {
    skipAllowed: policy.verification?.['skip-allowed'] === true,
    autoRollback: policy.verification?.['auto-rollback'] === true,
  }
}

export const verificationCheck: Check = (policy, { input }) => {
  const rules = verificationRules(policy)
  const rollback = rules.autoRollback ? '; a failed verification rolls back automatically' : ''
  if (!input.skipVerify)
    return {
      check: 'verification',
      status: rules.autoRollback ? 'pass' : 'skip',
      message: `verification runs after the apply${rollback}`,
    }
  if (rules.skipAllowed)
    return {
      check: 'verification',
      status: 'pass',
      message: `verification skipped on request (verification.skip-allowed for ${input.environment})`,
    }
  return {
    check: 'verification',
    status: 'fail',
    message: `skip-verify is not allowed for ${input.environment}: unset it, or set verification.skip-allowed: true for this environment in the policy`,
  }
}
