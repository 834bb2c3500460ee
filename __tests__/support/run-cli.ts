import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { repoRoot } from './run-action.js'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs `bin/tfpipe.js` (the committed CLI bundle) with a minimal environment plus `env`. */
export function tfpipe(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'tfpipe.js'), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}
