import { spawn } from 'node:child_process'

export interface CommandResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** Runs `binary args` in `cwd`; never throws for a non-zero exit (a missing binary gives exit 127). */
export type CommandRunner = (binary: string, args: string[], cwd: string) => Promise<CommandResult>

/**
 * A CommandRunner on child_process.spawn: output is captured (not streamed) so it can be parsed and
 * summarised. `env` is the whole environment of the child (the caller passes its own, plus e.g.
 * TF_CLI_CONFIG_FILE); TF_IN_AUTOMATION is always set.
 */
export function spawnRunner(env: NodeJS.ProcessEnv): CommandRunner {
  return (binary, args, cwd) =>
    new Promise((resolve) => {
      const child = spawn(binary, args, { cwd, env: { ...env, TF_IN_AUTOMATION: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (d: Buffer) => out.push(d))
      child.stderr.on('data', (d: Buffer) => err.push(d))
      child.on('error', (error) => resolve({ exitCode: 127, stdout: '', stderr: `${binary}: ${error.message}` }))
      child.on('close', (code) =>
        resolve({ exitCode: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
      )
    })
}

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
