/** Every check of the gate, in the order they run and are reported. */
import type { Check } from './gate-facts.js'
import { costCheck, destroyCheck, planAgeCheck, protectedCheck, securityCheck } from './plan-checks.js'
import { confirmationCheck, ticketCheck } from './input-checks.js'
import { freezesCheck, windowsCheck } from './schedule-checks.js'
import { approvalsCheck, promotionCheck, reviewedPlanCheck } from './github-checks.js'
import { verificationCheck } from './verification.js'
import type { CheckName } from './types.js'

export const CHECKS: [CheckName, Check][] = [
  ['destroy', destroyCheck],
  ['protected', protectedCheck],
  ['confirmation', confirmationCheck],
  ['ticket', ticketCheck],
  ['windows', windowsCheck],
  ['freezes', freezesCheck],
  ['approvals', approvalsCheck],
  ['promotion', promotionCheck],
  ['reviewed-plan', reviewedPlanCheck],
  ['plan-age', planAgeCheck],
  ['cost', costCheck],
  ['security', securityCheck],
  ['verification', verificationCheck],
]
