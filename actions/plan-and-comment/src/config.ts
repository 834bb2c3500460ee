import { ConfigurationError } from '@tfpipe/kit/errors.js'
import {
  getBooleanInput,
  getChoiceInput,
  getInput,
  getIntegerInput,
  getListInput,
  getOptionalInput,
  getSecretInput,
} from '@tfpipe/kit/inputs.js'
import { normalizeDir } from '@tfpipe/github/reviewed-plan.js'
import type { TerraformBinary } from '@tfpipe/terraform/exec.js'

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
  /** `infracost diff --format json` output: the cost section. */
  infracostJson?: string
  /** SARIF files (tfsec, checkov, trivy): the security section. */
  sarif: string[]
  /** Upload the sarif files to GitHub code scanning. */
  codeScanning: boolean
  /** safety-gate's policy file: the gate preview. */
  policyFile?: string
  /** Put `<env>/destroy|changes|no-changes` on the pull request. */
  labels: boolean
  /** One-line next step under the summary line; `{env}` is replaced; empty for none. */
  nextStep: string
  /** Report JSON files (paths or globs) of the plan matrix: post one combined comment per directory. */
  combineReports: string[]
}

export function readConfig(): Config {
  const planFile = getOptionalInput('plan-file')
  const planJson = getOptionalInput('plan-json')
  const planText = getOptionalInput('plan-text')
  const combineReports = getListInput('combine-reports')
  if (combineReports.length > 0 && (planFile || planJson)) {
    throw new ConfigurationError(
      "Input 'combine-reports' posts the combined comment from the matrix jobs' reports; give it without 'plan-file' and 'plan-json'.",
    )
  }
  if (!planFile && !planJson && combineReports.length === 0) {
    throw new ConfigurationError(
      "Give 'plan-file' (a plan saved with -out) or 'plan-json' (the output of `terraform show -json <plan>`).",
    )
  }
  if (planFile && planJson) throw new ConfigurationError("Give either 'plan-file' or 'plan-json', not both.")
  if (planText && !planJson)
    throw new ConfigurationError(
      "'plan-text' goes with 'plan-json'; with 'plan-file' the action runs `show -no-color` itself.",
    )
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
    sarif: getListInput('sarif'),
    codeScanning: getBooleanInput('code-scanning', false),
    labels: getBooleanInput('labels', false),
    nextStep: getInput('next-step', { default: 'deploy: Actions → terraform-apply → {env}' }),
    combineReports,
  }
  if (config.codeScanning && config.sarif.length === 0)
    throw new ConfigurationError(
      "Input 'code-scanning' uploads the 'sarif' files: give sarif, or set code-scanning to false.",
    )
  if (config.codeScanning && combineReports.length > 0)
    throw new ConfigurationError(
      "Input 'code-scanning' goes with a plan job's 'sarif', not with 'combine-reports'; set it on the plan step.",
    )
  const infracost = getOptionalInput('infracost-json')
  if (infracost) config.infracostJson = infracost
  const policyFile = getOptionalInput('policy-file')
  if (policyFile) {
    if (!config.environment)
      throw new ConfigurationError(
        "Input 'policy-file' needs 'environment': the gate preview uses that environment's rules; set environment or remove policy-file.",
      )
    config.policyFile = policyFile
  }
  const token = getSecretInput('github-token')
  if (token) config.token = token
  if (planFile) config.planFile = planFile
  if (planJson) config.planJson = planJson
  if (planText) config.planText = planText
  return config
}
