/**
 * Runs this repository's workflow files under nektos/act in host mode (no container engine, no network),
 * the way a team's repository runs them: the starter template is the caller, our reusable workflows and
 * actions come from this working tree (`acme/terraform-pipeline-actions@v1` is mapped to it), the pinned
 * third-party actions are replaced by the stand-ins in ../stand-ins, and every action talks to the local
 * parts of the `World` (GitHub REST server, moto, Slack receiver, artifact service).
 *
 * Facts this relies on (act v0.2.89): `--local-repository OWNER/REPO@REF=<dir>` replaces a remote `uses:`
 * (actions and reusable workflows) by a directory, and act resolves every remote `uses:` of a job at
 * set-up, even steps whose `if:` is false; `--no-skip-checkout` runs the checkout stand-in instead of
 * copying the tree; GITHUB_RUN_ID is 1 unless given, so each run gets its own.
 */
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { spawn, spawnSync } from 'node:child_process'

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..')
export const actBin = join(repoRoot, '.tools', 'bin', 'act')
const standIns = join(repoRoot, '__tests__', 'workflows', 'stand-ins')

/** Every third-party action the workflows pin (shared/pinned-actions.md), and its stand-in. */
export const PINNED_STAND_INS: Record<string, string> = {
  'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1': 'checkout',
  'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020': 'setup-node',
  'hashicorp/setup-terraform@dfe3c3f87815947d99a8997f908cb6525fc44e9e': 'setup-terraform',
  'opentofu/setup-opentofu@a1320f892987e89d278cc92dc5adc984fb93aca4': 'setup-opentofu',
  'aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c': 'configure-aws-credentials',
  'actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f': 'upload-artifact',
  'actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c': 'download-artifact',
}

export function ensureAct(): void {
  if (existsSync(actBin)) return
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'setup', 'act.sh')], { stdio: 'inherit', timeout: 900_000 })
  if (r.status !== 0 || !existsSync(actBin)) throw new Error('scripts/setup/act.sh failed: act is not installed')
}

/**
 * What a release of this repository holds for a caller: action metadata, the committed dist/ bundles and
 * the reusable workflows. act copies the mapped directory for every `uses:`, so it gets this slim copy,
 * not the working tree with node_modules and .tools.
 */
export function stageActionRepository(into: string): string {
  rmSync(into, { recursive: true, force: true })
  for (const part of ['actions', 'dist', '.github', 'schemas'])
    cpSync(join(repoRoot, part), join(into, part), { recursive: true })
  return into
}

export interface ActOptions {
  /** This repository as the callers see it (stageActionRepository). */
  actionRepository: string
  /** The caller repository (a git work tree); act runs its HEAD commit. */
  repo: string
  /** Workflow file of the caller, relative to the repo (e.g. .github/workflows/terraform-apply.yml). */
  workflow: string
  event: 'pull_request' | 'workflow_dispatch' | 'schedule' | 'push'
  payload?: Record<string, unknown>
  runId: number
  env: Record<string, string>
  secrets?: Record<string, string>
  vars?: Record<string, string>
  /** Directory for the event file and the log. */
  workDir: string
  actor?: string
}

export type JobResult = 'success' | 'failure'

export interface ActRun {
  exitCode: number
  log: string
  /** Final result per job, keyed by the job's display path (`caller/workflow name/job name`). */
  jobs: Record<string, JobResult>
  /** The result of the one job whose display name (the last part of its path) is `name`; 'not run' when none. */
  job(name: string): JobResult | 'not run'
}

const JOB_END = /^\[(.+?)\] 🏁 {2}Job (succeeded|failed)$/

function parseJobs(log: string): Record<string, JobResult> {
  const jobs: Record<string, JobResult> = {}
  for (const line of log.split('\n')) {
    const m = JOB_END.exec(line.trim())
    if (m) jobs[m[1]!.trim()] = m[2] === 'succeeded' ? 'success' : 'failure'
  }
  return jobs
}

/** act's cache of a run folder: host workspaces, and the jobs' RUNNER_TOOL_CACHE (`tool_cache` in it). */
export const actCachePath = (workDir: string): string => join(workDir, 'act-cache')

export function runAct(options: ActOptions): Promise<ActRun> {
  ensureAct()
  mkdirSync(options.workDir, { recursive: true })
  const eventPath = join(options.workDir, `event-${options.runId}.json`)
  writeFileSync(eventPath, JSON.stringify(options.payload ?? {}))
  const args = [
    options.event,
    '-W',
    options.workflow,
    '-e',
    eventPath,
    '-P',
    'ubuntu-latest=-self-hosted',
    '--action-offline-mode',
    '--no-skip-checkout',
    '--no-cache-server',
    // Host workspaces inside the run's folder: removed with the world, never shared between parallel runs.
    '--action-cache-path',
    actCachePath(options.workDir),
    '--concurrent-jobs',
    '2',
    '--actor',
    options.actor ?? 'octocat',
    '--local-repository',
    `acme/terraform-pipeline-actions@v1=${options.actionRepository}`,
  ]
  for (const [ref, dir] of Object.entries(PINNED_STAND_INS))
    args.push('--local-repository', `${ref}=${join(standIns, dir)}`)
  const env = {
    ...options.env,
    GITHUB_RUN_ID: String(options.runId),
    GITHUB_RUN_NUMBER: String(options.runId),
    GITHUB_RUN_ATTEMPT: '1',
  }
  for (const [k, v] of Object.entries(env)) args.push('--env', `${k}=${v}`)
  for (const [k, v] of Object.entries(options.secrets ?? {})) args.push('-s', `${k}=${v}`)
  for (const [k, v] of Object.entries(options.vars ?? {})) args.push('--var', `${k}=${v}`)
  const logPath = join(options.workDir, `act-${options.runId}.log`)
  return new Promise((resolveRun, reject) => {
    const child = spawn(actBin, args, {
      cwd: options.repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env, HOME: process.env.HOME ?? '/root', NO_COLOR: '1' },
    })
    let log = ''
    const take = (d: Buffer) => {
      log += d.toString()
      appendFileSync(logPath, d)
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      const jobs = parseJobs(log)
      resolveRun({
        exitCode: code ?? 1,
        log,
        jobs,
        job(name: string) {
          const keys = Object.keys(jobs).filter((k) => k.split('/').pop() === name)
          if (keys.length > 1) throw new Error(`several jobs are named '${name}': ${keys.join(', ')}`)
          return keys.length === 1 ? jobs[keys[0]!]! : 'not run'
        },
      })
    })
  })
}

/** One JSON line per stand-in call (checkout, configure-aws-credentials, artifacts ...). */
export interface StandInCall {
  action: string
  job: string
  [key: string]: unknown
}

export function readCalls(logFile: string): StandInCall[] {
  if (!existsSync(logFile)) return []
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StandInCall)
}
