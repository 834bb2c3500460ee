import {
  getBooleanInput,
  getChoiceInput,
  getDurationInput,
  getInput,
  getListInput,
  getSecretInput,
} from '@tfpipe/kit/inputs.js'
import type { DriftMode } from '@tfpipe/drift/types.js'
import type { TerraformBinary } from '@tfpipe/terraform/exec.js'

export interface DriftCheckConfig {
  workingDirectories: string[]
  environment: string
  binary: TerraformBinary
  mode: DriftMode
  varFiles: string[]
  token: string | undefined
  issue: boolean
  issueLabels: string[]
  failOnDrift: boolean
  /** 0 = off. */
  lockMaxAgeMs: number
}

/** Newline list (globs allowed); commas are kept, as directory names may contain them. */
function lines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'))
}

export function readConfig(): DriftCheckConfig {
  const workingDirectories = lines(getInput('working-directory', { default: '.' }))
  const binary = getChoiceInput('binary', ['terraform', 'tofu'] as const, 'terraform')
  const issueLabels = getListInput('issue-labels')
  return {
    workingDirectories: workingDirectories.length ? workingDirectories : ['.'],
    environment: getInput('environment'),
    binary,
    mode: getChoiceInput('mode', ['full', 'refresh-only'] as const, 'full'),
    varFiles: lines(getInput('var-file')),
    token: getSecretInput('github-token'),
    issue: getBooleanInput('issue', true),
    issueLabels: issueLabels.length ? issueLabels : ['drift'],
    failOnDrift: getBooleanInput('fail-on-drift', false),
    lockMaxAgeMs: getDurationInput('lock-max-age', '30m'),
  }
}
