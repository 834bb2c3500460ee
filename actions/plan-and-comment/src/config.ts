import { ConfigurationError } from '../../../packages/kit/src/errors.js'
import { getBooleanInput, getChoiceInput, getInput, getIntegerInput, getOptionalInput, getSecretInput } from '../../../packages/kit/src/inputs.js'
import { normalizeDir } from '../../../packages/github/src/reviewed-plan.js'
import type { TerraformBinary } from '../../../packages/terraform/src/exec.js'

export type CommentInput = 'update' | 'new' | 'changes-only' | 'off'

export interface Config {
  planFile?: string
  planJson?: string
  planText?: string
  workingDirectory: string
  /** working-directory as written in the marker (normalised: no ./ prefix, no trailing slash, '.' for root). */
  directoryLabel: string
  binary: TerraformBinary
  environment: string
  token?: string
  comment: CommentInput
  uploadArtifact: boolean
  retentionDays: number
  summary: boolean
}

export function readConfig(): Config {
  const planFile = getOptionalInput('plan-file')
  const planJson = getOptionalInput('plan-json')
  const planText = getOptionalInput('plan-text')
  if (!planFile && !planJson) {
    throw new ConfigurationError("Give 'plan-file' (a plan saved with -out) or 'plan-json' (the output of `terraform show -json <plan>`).")
  }
  if (planFile && planJson) throw new ConfigurationError("Give either 'plan-file' or 'plan-json', not both.")
  if (planText && !planJson) throw new ConfigurationError("'plan-text' goes with 'plan-json'; with 'plan-file' the action runs `show -no-color` itself.")
  const workingDirectory = getInput('working-directory', { default: '.' })
  const config: Config = {
    workingDirectory,
    directoryLabel: normalizeDir(workingDirectory),
    binary: getChoiceInput('binary', ['terraform', 'tofu'] as const, 'terraform'),
    environment: getInput('environment', { default: '' }),
    comment: getChoiceInput('comment', ['update', 'new', 'changes-only', 'off'] as const, 'update'),
    uploadArtifact: getBooleanInput('upload-artifact', true),
    retentionDays: getIntegerInput('retention-days', 30, { min: 1, max: 400 }),
    summary: getBooleanInput('summary', true),
  }
  const token = getSecretInput('github-token')
  if (token) config.token = token
  if (planFile) config.planFile = planFile
  if (planJson) config.planJson = planJson
  if (planText) config.planText = planText
  return config
}
