// Shared loading for the workflow tests: parsed workflows, templates, action contracts, the pinned
// third-party actions table, expression scanning and a runner-like way to execute `run:` scripts.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

export type Dict = Record<string, unknown>

export interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  shell?: string
  if?: unknown
  with?: Dict
  env?: Dict
  'working-directory'?: string
}

export interface Job {
  name?: string
  needs?: string | string[]
  if?: unknown
  'runs-on'?: unknown
  permissions?: Dict | string
  environment?: string | { name?: string; url?: string }
  concurrency?: { group?: string; 'cancel-in-progress'?: unknown } | string
  outputs?: Record<string, string>
  env?: Dict
  defaults?: Dict
  strategy?: Dict
  steps?: Step[]
  uses?: string
  with?: Dict
  secrets?: Dict | string
}

export interface WorkflowCallInput {
  description?: string
  type?: string
  required?: boolean
  default?: unknown
}

export interface Workflow {
  name?: string
  on?: unknown
  permissions?: Dict | string
  concurrency?: unknown
  jobs: Record<string, Job>
}

export interface LoadedWorkflow {
  file: string // relative to ROOT
  text: string
  doc: Workflow
}

export interface ActionContract {
  name: string
  inputs: Record<string, { required?: boolean; default?: unknown }>
  outputs: Record<string, unknown>
}

export const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v)

function yamlFiles(dir: string): string[] {
  const abs = join(ROOT, dir)
  if (!existsSync(abs)) return []
  return readdirSync(abs)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f))
}

export function loadYaml(file: string): LoadedWorkflow {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return { file, text, doc: parse(text) as Workflow }
}

/** Every workflow in .github/workflows. */
export function workflows(): LoadedWorkflow[] {
  return yamlFiles('.github/workflows').map(loadYaml)
}

export const REUSABLE = [
  'terraform-plan',
  'terraform-apply',
  'terraform-drift',
  'terraform-rollback',
  'terraform-layers',
  'terraform-metrics',
]

export function workflow(name: string): LoadedWorkflow {
  return loadYaml(`.github/workflows/${name}.yml`)
}

/** Starter templates: workflows-templates/<name>.yml that have a <name>.properties.json. */
export function templates(): LoadedWorkflow[] {
  return yamlFiles('workflows-templates')
    .filter((f) => existsSync(join(ROOT, f.replace(/\.ya?ml$/, '.properties.json'))))
    .map(loadYaml)
}

export function actionContracts(): Map<string, ActionContract> {
  const map = new Map<string, ActionContract>()
  for (const name of readdirSync(join(ROOT, 'actions')).sort()) {
    const file = join(ROOT, 'actions', name, 'action.yml')
    if (!existsSync(file)) continue
    const doc = parse(readFileSync(file, 'utf8')) as { inputs?: ActionContract['inputs']; outputs?: Dict }
    map.set(name, { name, inputs: doc.inputs ?? {}, outputs: doc.outputs ?? {} })
  }
  return map
}

/** `owner/repo@ref` recorded in .github/actions-ref. */
export function actionsRef(): { repo: string; ref: string } {
  const text = readFileSync(join(ROOT, '.github/actions-ref'), 'utf8').trim()
  const at = text.lastIndexOf('@')
  return { repo: text.slice(0, at), ref: text.slice(at + 1) }
}

export interface PinnedAction {
  action: string
  tag: string
  sha: string
}

/** The pinned-actions table (the repository's own copy: nothing outside the checkout is read). */
export function pinnedActionsFile(): string {
  return join(ROOT, 'docs/pinned-actions.md')
}

export function parsePinnedTable(markdown: string): PinnedAction[] {
  const rows: PinnedAction[] = []
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim())
    // | action | tag | sha | released |
    const [, action, tag, sha] = cells
    if (action && tag && sha && /^[0-9a-f]{40}$/.test(sha)) rows.push({ action, tag, sha })
  }
  return rows
}

export function jobSteps(job: Job): Step[] {
  return Array.isArray(job.steps) ? job.steps : []
}

export function jobNeeds(job: Job): string[] {
  if (job.needs === undefined) return []
  return Array.isArray(job.needs) ? job.needs : [job.needs]
}

/** Every string value inside v, with its path. */
export function strings(v: unknown, path = ''): { path: string; value: string }[] {
  if (typeof v === 'string') return [{ path, value: v }]
  if (Array.isArray(v)) return v.flatMap((x, i) => strings(x, `${path}[${i}]`))
  if (isDict(v)) return Object.entries(v).flatMap(([k, x]) => strings(x, path ? `${path}.${k}` : k))
  return []
}

/** The expressions in a value: the inside of each ${{ }}, or the whole text for an `if:`. */
export function expressions(value: string, isCondition = false): string[] {
  const found = [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1] ?? '')
  if (found.length === 0 && isCondition) return [value]
  return found
}

/** Our action (name) when `uses` points at this repository's actions/<name>. */
export function ourAction(uses: string | undefined, names: Set<string>): string | undefined {
  if (!uses) return undefined
  const m = /^[^/@\s]+\/[^/@\s]+\/actions\/([A-Za-z0-9._-]+)@\S+$/.exec(uses)
  return m?.[1] && names.has(m[1]) ? m[1] : undefined
}

/** Our reusable workflow (file name without .yml) when `uses` points at this repository's workflows. */
export function ourWorkflow(uses: string | undefined): string | undefined {
  if (!uses) return undefined
  const m = /^(?:[^/@\s]+\/[^/@\s]+\/|\.\/)\.github\/workflows\/([A-Za-z0-9._-]+)\.ya?ml(?:@\S+)?$/.exec(uses)
  return m?.[1] && existsSync(join(ROOT, '.github/workflows', `${m[1]}.yml`)) ? m[1] : undefined
}

export function findStep(job: Job, id: string): Step {
  const step = jobSteps(job).find((s) => s.id === id || s.name === id)
  if (!step) throw new Error(`no step ${id}`)
  return step
}

// ---- running a `run:` script the way the runner does (bash --noprofile --norc -eo pipefail) ----

export interface RunResult {
  status: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

/** Parses GITHUB_OUTPUT: `name=value` lines and `name<<DELIM` ... `DELIM` blocks. */
export function parseGithubOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delim] = heredoc
      const body: string[] = []
      i++
      while (i < lines.length && lines[i] !== delim) body.push(lines[i++] ?? '')
      if (i >= lines.length) throw new Error(`GITHUB_OUTPUT: ${name} has no closing ${delim}`)
      out[name!] = body.join('\n')
      continue
    }
    const eq = line.indexOf('=')
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}

export function runScript(script: string, env: Record<string, string>, cwd?: string): RunResult {
  const dir = mkdtempSync(join(tmpdir(), 'tfpipe-run-'))
  const output = join(dir, 'github_output')
  const summary = join(dir, 'step_summary')
  const runnerTemp = join(dir, 'runner_temp')
  writeFileSync(output, '')
  writeFileSync(summary, '')
  spawnSync('mkdir', ['-p', runnerTemp])
  const file = join(dir, 'script.sh')
  writeFileSync(file, script)
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
    cwd: cwd ?? dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? dir,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: runnerTemp,
      ...env,
    },
  })
  return {
    status: r.status ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseGithubOutput(readFileSync(output, 'utf8')),
    summary: readFileSync(summary, 'utf8'),
  }
}
