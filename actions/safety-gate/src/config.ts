import { getBooleanInput, getChoiceInput, getInput, getListInput, getOptionalInput, getSecretInput } from '../../../packages/kit/src/inputs.js'

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
  }
  const planJson = getOptionalInput('plan-json')
  const planFile = getOptionalInput('plan-file')
  const infracost = getOptionalInput('infracost-json')
  const token = getSecretInput('github-token')
  if (planJson) config.planJson = planJson
  if (planFile) config.planFile = planFile
  if (infracost) config.infracostJson = infracost
  if (token) config.token = token
  return config
}
