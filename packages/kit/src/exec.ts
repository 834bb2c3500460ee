import { spawn } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import { getExecOutput } from '@actions/exec'

export interface CommandResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface CommandOptions {
  cwd: string
  /** The child's whole environment (defaults to this process's). */
  env?: NodeJS.ProcessEnv
  /** Called with each stderr line as it comes (terraform's progress); stdout is never echoed: it may hold plan JSON. */
  onStderrLine?: (line: string) => void
}

/** The binary is not on the child's PATH. */
export class CommandNotFoundError extends Error {
  constructor(readonly binary: string) {
    super(`${binary}: command not found on PATH`)
    this.name = 'CommandNotFoundError'
  }
}

/**
 * Runs `binary args` through @actions/exec, silently (nothing is echoed to the log but what
 * `onStderrLine` chooses), and never throws for a non-zero exit: callers decide (`-detailed-exitcode`
 * 2 means changes). A binary that cannot be found throws CommandNotFoundError.
 */
export async function runCommand(
  binary: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const { env, path } = childCommand(binary, options)
  // exec() splits its first argument like a shell line: quote a path with spaces so it stays one word.
  const commandLine = /\s/.test(path) ? `"${path}"` : path
  const result = await getExecOutput(commandLine, [...args], {
    cwd: options.cwd,
    env,
    silent: true,
    ignoreReturnCode: true,
    ...(options.onStderrLine ? { listeners: { errline: options.onStderrLine } } : {}),
  })
  return withExitCode(binary, result.exitCode, result.stdout, result.stderr)
}

/** The child's environment (unset entries dropped) and the binary as that environment's PATH finds it. */
function childCommand(binary: string, options: CommandOptions): { env: Record<string, string>; path: string } {
  const env = Object.fromEntries(
    Object.entries(options.env ?? process.env).filter((e): e is [string, string] => e[1] !== undefined),
  )
  return { env, path: resolveOnPath(binary, env.PATH ?? '', options.cwd) }
}

/** A child killed by a signal has no exit code (the toolkit passes null through): report it as one. */
function withExitCode(binary: string, code: number | null, stdout: string, stderr: string): CommandResult {
  return typeof code === 'number'
    ? { exitCode: code, stdout, stderr }
    : { exitCode: 128, stdout, stderr: `${stderr}\n${binary} was killed by a signal` }
}

/**
 * runCommand for a command whose stdout is large (`terraform show -json`: megabytes on one line). Written
 * on node:child_process because @actions/exec splits stdout into lines as it arrives, re-joining and
 * re-scanning the whole pending line on every chunk: for a one-line 7 MB plan JSON that is quadratic and
 * cost ~80 MiB of peak RSS. Here stdout is kept as the chunks it arrives in and decoded once; stderr is
 * split into lines for `onStderrLine` as runCommand does. Same contract: never throws for a non-zero exit,
 * CommandNotFoundError for a missing binary.
 */
export async function captureCommand(
  binary: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const { env, path } = childCommand(binary, options)
  return new Promise((resolve, reject) => {
    const child = spawn(path, [...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    })
    const chunks: Buffer[] = []
    let stderr = ''
    let pending = ''
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (text: string) => {
      stderr += text
      if (!options.onStderrLine) return
      const lines = (pending + text).split(/\r?\n/)
      pending = lines.pop() ?? ''
      for (const line of lines) options.onStderrLine(line)
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (pending !== '' && options.onStderrLine) options.onStderrLine(pending)
      const stdout = Buffer.concat(chunks).toString('utf8')
      chunks.length = 0
      resolve(withExitCode(binary, code, stdout, stderr))
    })
  })
}

/**
 * The binary as the child's PATH finds it. @actions/exec looks a bare name up on this process's PATH,
 * while the child may be given another (a CLI flag, a test): resolve it on the child's, as spawn would.
 */
function resolveOnPath(binary: string, searchPath: string, cwd: string): string {
  const candidates = binary.includes('/')
    ? [isAbsolute(binary) ? binary : join(cwd, binary)]
    : searchPath
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, binary))
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      /* not here */
    }
  }
  throw new CommandNotFoundError(binary)
}
