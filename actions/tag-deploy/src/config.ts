import { VERIFICATIONS, validateTagFormat, type Verification } from '@tfpipe/github/deploy-tags.js'
import { getBooleanInput, getChoiceInput, getInput, getIntegerInput, getSecretInput } from '@tfpipe/kit/inputs.js'

export interface TagDeployConfig {
  mode: 'tag' | 'list' | 'metrics'
  /** In metrics mode a comma/newline list of environments. */
  environment: string
  sha: string
  tagFormat: string
  status: 'success' | 'failure'
  operation: 'deploy' | 'rollback'
  verification: Verification
  report: string
  planJson: string
  workingDirectory: string
  deployment: boolean
  environmentUrl: string
  limit: number
  /** Metrics mode: the window's start (30d, 2w, a date). */
  since: string
  token?: string
}

export function readConfig(defaultSha: string): TagDeployConfig {
  const token = getSecretInput('github-token')
  const config: TagDeployConfig = {
    mode: getChoiceInput('mode', ['tag', 'list', 'metrics'] as const, 'tag'),
    environment: getInput('environment', { required: true }),
    sha: getInput('sha', { default: defaultSha }),
    tagFormat: getInput('tag-format', { default: 'deploy-{env}-{timestamp}' }),
    status: getChoiceInput('status', ['success', 'failure'] as const, 'success'),
    operation: getChoiceInput('operation', ['deploy', 'rollback'] as const, 'deploy'),
    verification: getChoiceInput('verification', VERIFICATIONS, 'none'),
    report: getInput('report'),
    planJson: getInput('plan-json'),
    workingDirectory: getInput('working-directory'),
    deployment: getBooleanInput('deployment', true),
    environmentUrl: getInput('environment-url'),
    limit: getIntegerInput('limit', 10, { min: 1, max: 100 }),
    since: getInput('since', { default: '30d' }),
    ...(token ? { token } : {}),
  }
  validateTagFormat(config.tagFormat)
  return config
}
