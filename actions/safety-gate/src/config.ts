import { ConfigurationError } from '@tfpipe/kit/errors.js'
import {
  getBooleanInput,
  getChoiceInput,
  getInput,
  getListInput,
  getOptionalInput,
  getSecretInput,
  parseHeaderLine,
} from '@tfpipe/kit/inputs.js'
import * as core from '@actions/core'

export interface SafetyGateConfig {
  environment: string
  operation: 'deploy' | 'rollback'
  policyFile: string
  planJson?: string
  planFile?: string
  binary: 'terraform' | 'tofu'
  workingDirectory: string
  confirmation: string
  changeTicket: string
  forceRecreate: boolean
  skipVerify: boolean
  overrideReason: string
  infracostJson?: string
  sarif: string[]
  token?: string
  ticketAuthHeader?: { name: string; value: string }
  /** The commit being deployed (the workflow's checkout), when it is not the run's GITHUB_SHA. */
  sha?: string
  /** The instant windows and freezes are judged at. */
  now?: Date
  /** The fingerprint of the plan the approvers saw: any other plan is refused. */
  expectedFingerprint?: string
}

export function readConfig(): SafetyGateConfig {
  const config: SafetyGateConfig = {
    environment: getInput('environment', { required: true }),
    operation: getChoiceInput('operation', ['deploy', 'rollback'] as const, 'deploy'),
    policyFile: getInput('policy-file', { default: '.github/terraform-policy.yml' }),
    binary: getChoiceInput('binary', ['terraform', 'tofu'] as const, 'terraform'),
    workingDirectory: getInput('working-directory', { default: '.' }),
    confirmation: getInput('confirmation', { trim: false }),
    changeTicket: getInput('change-ticket'),
    forceRecreate: getBooleanInput('force-recreate', false),
    skipVerify: getBooleanInput('skip-verify', false),
    overrideReason: getInput('override-reason'),
    sarif: getListInput('sarif'),
  }
  const planJson = getOptionalInput('plan-json')
  const planFile = getOptionalInput('plan-file')
  const infracost = getOptionalInput('infracost-json')
  const token = getSecretInput('github-token')
  if (planJson) config.planJson = planJson
  if (planFile) config.planFile = planFile
  if (infracost) config.infracostJson = infracost
  if (token) config.token = token
  const authHeader = getSecretInput('ticket-auth-header')
  if (authHeader) {
    config.ticketAuthHeader = parseHeaderLine('ticket-auth-header', authHeader)
    core.setSecret(config.ticketAuthHeader.value)
  }
  const sha = getOptionalInput('sha')
  if (sha) {
    if (!/^[0-9a-f]{40}$/.test(sha))
      throw new ConfigurationError(`Input 'sha' must be a full 40-character commit SHA; got '${sha}'.`)
    config.sha = sha
  }
  const now = getOptionalInput('now')
  if (now) {
    const at = new Date(now)
    if (!/^\d{4}-\d{2}-\d{2}T/.test(now) || Number.isNaN(at.getTime()))
      throw new ConfigurationError(`Input 'now' must be an ISO 8601 time such as 2026-12-24T10:00:00Z; got '${now}'.`)
    config.now = at
  }
  const expected = getOptionalInput('expected-fingerprint')
  if (expected) {
    if (!/^[0-9a-f]{64}$/.test(expected))
      throw new ConfigurationError(
        `Input 'expected-fingerprint' must be the 64-hex fingerprint plan-and-comment printed; got '${expected}'.`,
      )
    if (!planJson && !planFile)
      throw new ConfigurationError(
        `Input 'expected-fingerprint' needs the plan to check: set 'plan-file' or 'plan-json'.`,
      )
    config.expectedFingerprint = expected
  }
  return config
}
