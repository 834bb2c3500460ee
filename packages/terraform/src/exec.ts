import { ConfigurationError } from '../../kit/src/errors.js'
import { silentLogger, type Logger } from '../../kit/src/logger.js'

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
}

export interface RunResult {
  exitCode: number
  stdout: string
  stderr: string
}

function notFound(binary: string, option = 'binary'): ConfigurationError {
  const other = binary === 'tofu' ? 'terraform' : 'tofu'
  const setup = binary === 'tofu' ? 'opentofu/setup-opentofu' : 'hashicorp/setup-terraform'
  // an action input is set as `binary: tofu`, a CLI flag as `--binary tofu`
  const set = option.startsWith('-') ? `${option} ${other}` : `${option}: ${other}`
  return new ConfigurationError(`binary '${binary}' not found on PATH; install it (e.g. ${setup}) or set ${set}`)
}

/**
 * Runs terraform/tofu with `args` in `cwd`. Output is collected as Buffer chunks and decoded once at the
 * end (plan JSON can be tens of MB; no maxBuffer limit, no per-chunk string concatenation). Never throws
 * for a non-zero exit: callers decide (e.g. -detailed-exitcode 2 = changes). Throws ConfigurationError
 * when the binary is missing.
 */
export async function runTerraform(binary: TerraformBinary, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { cwd, env, logger, streamStderr = true } = options
  logger.debug(`running ${binary} ${args.join(' ')} in ${cwd}`)
  // loaded on first use: node:child_process (and the net/stream modules it pulls) costs start-up time in
  // every bundle that fails fast on its inputs before running anything
  const { spawn } = await import('node:child_process')
  return new Promise<RunResult>((resolve, reject) => {
    let child
    try {
      child = spawn(binary, [...args], { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (error) {
      reject(isEnoent(error) ? notFound(binary, options.binaryOption) : error)
      return
    }
    const out: Buffer[] = []
    const err: Buffer[] = []
    let pending = ''
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk)
      if (!streamStderr) return
      pending += chunk.toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) if (line.trim() !== '') logger.info(line)
    })
    child.on('error', (error) => reject(isEnoent(error) ? notFound(binary, options.binaryOption) : error))
    child.on('close', (code, signal) => {
      if (streamStderr && pending.trim() !== '') logger.info(pending)
      const stderr = Buffer.concat(err).toString('utf8')
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: signal ? `${stderr}\n${binary} killed by ${signal}` : stderr,
      })
    })
  })
}

function isEnoent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'ENOENT'
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
  const opts: RunOptions = { cwd, logger: options.logger ?? silentLogger, streamStderr: false }
  if (options.env) opts.env = options.env
  if (options.binaryOption) opts.binaryOption = options.binaryOption
  const result = await runTerraform(binary, args, opts)
  if (result.exitCode !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed with exit code ${result.exitCode}: ${lastLines(result.stderr || result.stdout)}`)
  }
  return result.stdout
}

/** `terraform show -json <planFile>` in `cwd` (the initialised working directory). */
export function showPlanJson(binary: TerraformBinary, planFile: string, cwd: string, options: ShowOptions = {}): Promise<string> {
  return show(binary, ['show', '-json', planFile], cwd, options)
}

/** `terraform show -no-color <planFile>`: the human-readable plan. */
export function showPlanText(binary: TerraformBinary, planFile: string, cwd: string, options: ShowOptions = {}): Promise<string> {
  return show(binary, ['show', '-no-color', planFile], cwd, options)
}
