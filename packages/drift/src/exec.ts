import { CommandNotFoundError, runCommand, type CommandResult } from '@tfpipe/kit/exec.js'

export type { CommandResult }

/** Runs `binary args` in `cwd`; never throws for a non-zero exit (a missing binary gives exit 127). */
export type CommandRunner = (binary: string, args: string[], cwd: string) => Promise<CommandResult>

/**
 * A CommandRunner on @actions/exec: output is captured (not streamed) so it can be parsed and
 * summarised. `env` is the whole environment of the child (the caller passes its own, plus e.g.
 * TF_CLI_CONFIG_FILE); TF_IN_AUTOMATION is always set.
 */
export function spawnRunner(env: NodeJS.ProcessEnv): CommandRunner {
  return async (binary, args, cwd) => {
    try {
      return await runCommand(binary, args, { cwd, env: { ...env, TF_IN_AUTOMATION: '1' } })
    } catch (error) {
      if (error instanceof CommandNotFoundError) return { exitCode: 127, stdout: '', stderr: error.message }
      return { exitCode: 127, stdout: '', stderr: `${binary}: ${(error as Error).message}` }
    }
  }
}

// eslint-disable-next-line no-control-regex -- matches the ESC that starts an ANSI colour sequence
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g

/** The last `lines` non-blank lines of terraform's output, colour codes and box-drawing gutters removed. */
export function tail(text: string, lines = 15): string {
  const clean = text
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((l) => l.replace(/^[│╷╵]\s?/, '').trimEnd())
    .filter((l) => l.trim() !== '')
  return clean.slice(-lines).join('\n')
}
