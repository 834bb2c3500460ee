import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { captureCommand, CommandNotFoundError, runCommand, type CommandResult } from '@tfpipe/kit/exec.js'
import { silentLogger, type Logger } from '@tfpipe/kit/logger.js'

export type TerraformBinary = 'terraform' | 'tofu'

export interface RunOptions {
  cwd: string
  /** Full environment for the child (defaults to the parent's, which the action/CLI passes in). */
  env?: NodeJS.ProcessEnv
  logger: Logger
  /** Log stderr lines as they come (default true). stdout is never logged: it may hold plan JSON. */
  streamStderr?: boolean
  /** How the caller names the option that picks the binary, for the not-found message (default `binary`, an input). */
  binaryOption?: string
  /** stdout is large (show -json, show): collect it in chunks, not line by line (kit captureCommand). */
  largeOutput?: boolean
}

export type RunResult = CommandResult

function notFound(binary: string, option = 'binary'): ConfigurationError {
  const other = binary === 'tofu' ? 'terraform' : 'tofu'
  const setup = binary === 'tofu' ? 'opentofu/setup-opentofu' : 'hashicorp/setup-terraform'
  // an action input is set as `binary: tofu`, a CLI flag as `--binary tofu`
  const set = option.startsWith('-') ? `${option} ${other}` : `${option}: ${other}`
  return new ConfigurationError(`binary '${binary}' not found on PATH; install it (e.g. ${setup}) or set ${set}`)
}

/**
 * Runs terraform/tofu with `args` in `cwd` (through @actions/exec). Never throws for a non-zero exit:
 * callers decide (e.g. -detailed-exitcode 2 = changes). Throws ConfigurationError when the binary is
 * missing. stdout is never logged: it may hold plan JSON.
 */
export async function runTerraform(
  binary: TerraformBinary,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const { cwd, env, logger, streamStderr = true } = options
  logger.debug(`running ${binary} ${args.join(' ')} in ${cwd}`)
  try {
    return await (options.largeOutput ? captureCommand : runCommand)(binary, args, {
      cwd,
      ...(env ? { env } : {}),
      ...(streamStderr ? { onStderrLine: (line: string) => line.trim() !== '' && logger.info(line) } : {}),
    })
  } catch (error) {
    if (error instanceof CommandNotFoundError) throw notFound(binary, options.binaryOption)
    throw error
  }
}

function lastLines(text: string, n = 20): string {
  return text.trim().split('\n').slice(-n).join('\n')
}

export interface ShowOptions {
  logger?: Logger
  env?: NodeJS.ProcessEnv
  binaryOption?: string
}

async function show(binary: TerraformBinary, args: string[], cwd: string, options: ShowOptions): Promise<string> {
  const opts: RunOptions = { cwd, logger: options.logger ?? silentLogger, streamStderr: false, largeOutput: true }
  if (options.env) opts.env = options.env
  if (options.binaryOption) opts.binaryOption = options.binaryOption
  const result = await runTerraform(binary, args, opts)
  if (result.exitCode !== 0) {
    throw new Error(
      `${binary} ${args.join(' ')} failed with exit code ${result.exitCode}: ${lastLines(result.stderr || result.stdout)}`,
    )
  }
  return result.stdout
}

/** `terraform show -json <planFile>` in `cwd` (the initialised working directory). */
export function showPlanJson(
  binary: TerraformBinary,
  planFile: string,
  cwd: string,
  options: ShowOptions = {},
): Promise<string> {
  return show(binary, ['show', '-json', planFile], cwd, options)
}

/** `terraform show -no-color <planFile>`: the human-readable plan. */
export function showPlanText(
  binary: TerraformBinary,
  planFile: string,
  cwd: string,
  options: ShowOptions = {},
): Promise<string> {
  return show(binary, ['show', '-no-color', planFile], cwd, options)
}
