import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import {
  getBooleanInput,
  getDurationInput,
  getInput,
  getOptionalInput,
  getSecretInput,
  parseBoolean,
  parseInteger,
} from '@tfpipe/kit/inputs.js'
import type { BackendOverrides } from '@tfpipe/state/backend-config.js'

export type TargetInput =
  | { kind: 'version-id'; versionId: string }
  | { kind: 'deployment-tag'; tag: string }
  | { kind: 'steps-back'; stepsBack: number }

export interface RollbackActionConfig {
  /** Absolute path of the initialised terraform directory, when given. */
  workingDirectory?: string
  backend: BackendOverrides
  target: TargetInput
  environment: string
  dryRun: boolean
  lockTimeoutMs: number
  reason: string
  allowLineageChange: boolean
  githubToken?: string
  /** Where to write the state as the rollback restores it (previews plan against it). */
  previewStateFile?: string
}

/** The confirmation a write needs: `rollback-<environment>`. */
export function expectedConfirmation(environment: string): string {
  return `rollback-${environment}`
}

/** Reads and checks every input; a write without the right confirmation fails here, before any AWS call. */
export function readConfig(cwd = process.cwd()): RollbackActionConfig {
  const workingDirectory = getOptionalInput('working-directory')
  const backend: BackendOverrides = {}
  const bucket = getOptionalInput('bucket')
  if (bucket) backend.bucket = bucket
  const key = getOptionalInput('key')
  if (key) backend.key = key
  const region = getOptionalInput('region')
  if (region) backend.region = region
  const workspace = getInput('workspace', { default: 'default' })
  // With a working directory, 'default' (the input's default) means "as selected there".
  if (!/^[A-Za-z0-9_.-]+$/.exec(workspace))
    throw new ConfigurationError(`Input 'workspace' must be a Terraform workspace name; got '${workspace}'.`)
  if (workspace !== 'default' || !workingDirectory) backend.workspace = workspace
  const prefix = getOptionalInput('workspace-key-prefix')
  if (prefix !== undefined && (prefix !== 'env:' || !workingDirectory)) backend.workspaceKeyPrefix = prefix
  const table = getOptionalInput('dynamodb-table')
  if (table) backend.dynamodbTable = table
  const lockfile = getOptionalInput('use-lockfile')
  if (lockfile !== undefined) backend.useLockfile = parseBoolean('use-lockfile', lockfile)
  const endpoint = getOptionalInput('endpoint')
  if (endpoint) {
    if (!/^https?:\/\/[^/\s]+/.test(endpoint))
      throw new ConfigurationError(`Input 'endpoint' must be an http(s) URL; got '${endpoint}'.`)
    backend.endpoint = endpoint
  }
  if (!workingDirectory && (!backend.bucket || !backend.key || !backend.region)) {
    throw new ConfigurationError(
      "Set 'working-directory' (an initialised terraform directory) or all of 'bucket', 'key' and 'region'.",
    )
  }

  const versionId = getOptionalInput('version-id')
  const tag = getOptionalInput('deployment-tag')
  const stepsBackRaw = getOptionalInput('steps-back')
  const stepsBackExplicit = stepsBackRaw !== undefined && stepsBackRaw.trim() !== '1'
  if ([versionId, tag, stepsBackExplicit ? stepsBackRaw : undefined].filter((v) => v !== undefined).length > 1) {
    throw new ConfigurationError("Set only one of 'version-id', 'deployment-tag' and 'steps-back'.")
  }
  let target: TargetInput
  if (versionId) target = { kind: 'version-id', versionId }
  else if (tag) target = { kind: 'deployment-tag', tag }
  else
    target = {
      kind: 'steps-back',
      stepsBack: parseInteger('steps-back', stepsBackRaw ?? '1', { min: 1, max: 100_000 }),
    }

  const environment = getInput('environment')
  const confirmation = getInput('confirmation')
  const dryRun = getBooleanInput('dry-run', true)
  if (!dryRun) {
    if (!environment)
      throw new ConfigurationError(
        "Writing needs 'environment' (and 'confirmation: rollback-<environment>'); or keep dry-run.",
      )
    if (confirmation !== expectedConfirmation(environment)) {
      throw new ConfigurationError(
        `Input 'confirmation' must be exactly '${expectedConfirmation(environment)}' to roll back ${environment}; got '${confirmation}'. Nothing was changed.`,
      )
    }
  }

  const config: RollbackActionConfig = {
    backend,
    target,
    environment,
    dryRun,
    lockTimeoutMs: getDurationInput('lock-timeout', '60s'),
    reason: getInput('reason'),
    allowLineageChange: getBooleanInput('allow-lineage-change', false),
  }
  if (workingDirectory) {
    config.workingDirectory = resolve(cwd, workingDirectory)
    if (!statSync(config.workingDirectory, { throwIfNoEntry: false })?.isDirectory()) {
      throw new ConfigurationError(
        `Input 'working-directory': '${workingDirectory}' is not a directory; give the initialised Terraform directory of the state (where terraform init ran).`,
      )
    }
  }
  const previewFile = getOptionalInput('preview-state-file')
  if (previewFile) config.previewStateFile = resolve(cwd, previewFile)
  const token = getSecretInput('github-token')
  if (token) config.githubToken = token
  return config
}
