import { describe, expect, it } from '@jest/globals'
import { GateFacts } from '@tfpipe/policy/gate-facts.js'
import { parsePolicy, environmentPolicy } from '@tfpipe/policy/load.js'
import { verificationCheck, verificationRules } from '@tfpipe/policy/verification.js'
import { gateInput } from '../../support/policy-input.js'

const policy = parsePolicy(`
environments:
  dev: { verification: { skip-allowed: true } }
  sit: { verification: { auto-rollback: true } }
  prod: {}
`)
const check = (environment: string, skipVerify: boolean) =>
  verificationCheck(environmentPolicy(policy, environment), new GateFacts(gateInput({ environment, skipVerify })))

describe('verification rule', () => {
  it('lets a dispatcher skip the verification only where skip-allowed is set', async () => {
    expect(await check('dev', true)).toEqual({
      check: 'verification',
      status: 'pass',
      message: 'verification skipped on request (verification.skip-allowed for dev)',
    })
    expect(await check('prod', true)).toEqual({
      check: 'verification',
      status: 'fail',
      message:
        'skip-verify is not allowed for prod: unset it, or set verification.skip-allowed: true for this environment in the policy',
    })
    expect(await check('sit', true)).toMatchObject({ status: 'fail' })
    expect(await check('prod', false)).toMatchObject({ status: 'skip' })
  })

  it('reports the automatic rollback and reads the rules from one place', async () => {
    expect(await check('sit', false)).toEqual({
      check: 'verification',
      status: 'pass',
      message: 'verification runs after the apply; a failed verification rolls back automatically',
    })
    expect(verificationRules(environmentPolicy(policy, 'sit'))).toEqual({ skipAllowed: false, autoRollback: true })
    expect(verificationRules(environmentPolicy(policy, 'dev'))).toEqual({ skipAllowed: true, autoRollback: false })
  })

  it('refuses unknown keys under verification with the path', () => {
    expect(() => parsePolicy('environments:\n  prod: { verification: { auto-rollbak: true } }\n')).toThrow(
      /environments\.prod\.verification/,
    )
  })
})
