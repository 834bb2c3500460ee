import { getBooleanInput, getChoiceInput, getInput, getListInput, getOptionalInput, getSecretInput, parseHeaderLine } from '../../../packages/kit/src/inputs.js'
import * as core from '../../../packages/kit/src/workflow-commands.js'
import { DEFAULT_TAG_FORMAT, validateTagFormat } from '../../../packages/github/src/deploy-tags.js'

export interface SafetyGateConfig {
  environment: string
  policyFile: string
  planJson?: string
  planFile?: string
  binary: 'terraform' | 'tofu'
  workingDirectory: string
  confirmation: string
  changeTicket: string
  forceRecreate: boolean
  overrideReason: string
  infracostJson?: string
  sarif: string[]
  token?: string
  tagFormat: string
  ticketAuthHeader?: { name: string; value: string }
}

export function readConfig(): SafetyGateConfig {
  const config: SafetyGateConfig = {
    environment: getInput('environment', { required: true }),
    policyFile: getInput('policy-file', { default: '.github/terraform-policy.yml' }),
    binary: getChoiceInput('binary', ['terraform', 'tofu'] as const, 'terraform'),
    workingDirectory: getInput('working-directory', { default: '.' }),
    confirmation: getInput('confirmation', { trim: false }),
    changeTicket: getInput('change-ticket'),
    forceRecreate: getBooleanInput('force-recreate', false),
    overrideReason: getInput('override-reason'),
    sarif: getListInput('sarif'),
    tagFormat: getInput('tag-format', { default: DEFAULT_TAG_FORMAT }),
  }
  validateTagFormat(config.tagFormat)
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
  return config
}
