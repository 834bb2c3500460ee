import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Logger } from '@tfpipe/kit/logger.js'
import { errorMessage } from '@tfpipe/kit/errors.js'
import { parsePlanJson } from '@tfpipe/terraform/parse.js'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import type { ResourceEntry } from '@tfpipe/terraform/model.js'
import type { CommandRunner } from './exec.js'
import { tail } from './exec.js'
import type { DriftItem, DriftMode, StackResult } from './types.js'

export interface CheckOptions {
  binary: string
  mode: DriftMode
  /** Variable files, relative to each stack directory; one missing in a stack makes that stack an error (not planned). */
  varFiles: string[]
  /** Where plan files go (RUNNER_TEMP); a fresh sub-directory per stack, removed afterwards. */
  tempDir: string
  runner: CommandRunner
  logger: Logger
  /** TF_DATA_DIR when set (relative to the stack); default `.terraform`. */
  dataDir?: string
  now?: () => number
}

function toItem(entry: ResourceEntry): DriftItem {
  return { address: entry.address, kind: entry.kind, attributes: [...entry.changedAttributes] }
}

function byAddress(a: DriftItem, b: DriftItem): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0
}

/** The plan command line for a stack (exported for tests and the docs). */
export function planArgs(mode: DriftMode, planFile: string, varFiles: string[]): string[] {
  const args = ['plan', '-detailed-exitcode', '-lock=false', '-input=false', '-no-color', `-out=${planFile}`]
  if (mode === 'refresh-only') args.push('-refresh-only')
  for (const f of varFiles) args.push(`-var-file=${f}`)
  return args
}

/**
 * Checks one stack: `init -input=false` when `.terraform` is missing (a scheduled job starts from a
 * fresh checkout), then `plan -detailed-exitcode -lock=false` (never waits for or takes the state
 * lock: a drift check must not block a deploy). Exit 0 = clean, 2 = parse `show -json` for
 * resource_drift / resource_changes, anything else = error with the tail of terraform's stderr.
 */
export async function checkStack(dir: string, id: string, options: CheckOptions): Promise<StackResult> {
  const now = options.now ?? Date.now
  const started = now()
  const { runner, binary, logger } = options
  const result = (partial: Partial<StackResult> & Pick<StackResult, 'status' | 'exitCode'>): StackResult => ({
    dir: id,
    drift: [],
    pending: [],
    initialised: false,
    ...partial,
    durationMs: now() - started,
  })

  // A missing var file is an error for the stack: a plan without it is not the configuration that is
  // deployed, so "clean" would be a false all-clear.
  const missing = options.varFiles.filter((f) => !existsSync(resolve(dir, f)))
  if (missing.length > 0) {
    return result({
      status: 'error',
      exitCode: -1,
      error: `var-file ${missing.map((f) => `'${f}'`).join(', ')} not found in ${id} (paths are relative to each working directory): fix the var-file input or add the file; the stack was not planned.`,
    })
  }
  const varFiles = options.varFiles

  let initialised = false
  const dataDir = options.dataDir || '.terraform'
  if (!existsSync(resolve(dir, dataDir))) {
    logger.info(`${id}: ${dataDir} missing, running ${binary} init -input=false`)
    const init = await runner(binary, ['init', '-input=false', '-no-color'], dir)
    if (init.exitCode !== 0) {
      return result({
        status: 'error',
        exitCode: -1,
        error: `${binary} init failed (exit ${init.exitCode})\n${tail(init.stderr || init.stdout)}`,
      })
    }
    initialised = true
  }

  const work = mkdtempSync(join(options.tempDir, 'drift-'))
  try {
    const planFile = join(work, 'drift.tfplan')
    const plan = await runner(binary, planArgs(options.mode, planFile, varFiles), dir)
    if (plan.exitCode === 0) return result({ status: 'clean', exitCode: 0, initialised })
    if (plan.exitCode !== 2) {
      return result({
        status: 'error',
        exitCode: plan.exitCode,
        initialised,
        error: `${binary} plan failed (exit ${plan.exitCode})\n${tail(plan.stderr || plan.stdout)}`,
      })
    }
    const show = await runner(binary, ['show', '-json', '-no-color', planFile], dir)
    if (show.exitCode !== 0) {
      return result({
        status: 'error',
        exitCode: 2,
        initialised,
        error: `${binary} show -json failed (exit ${show.exitCode})\n${tail(show.stderr)}`,
      })
    }
    let model
    try {
      model = buildPlanModel(parsePlanJson(show.stdout, `${id}: ${binary} show -json`))
    } catch (error) {
      return result({ status: 'error', exitCode: 2, initialised, error: errorMessage(error) })
    }
    const drift = model.drift
      .filter((e) => e.mode === 'managed')
      .map(toItem)
      .sort(byAddress)
    const pending =
      options.mode === 'refresh-only'
        ? []
        : model.resources
            .filter((e) => e.mode === 'managed' && e.kind !== 'no-op')
            .map(toItem)
            .sort(byAddress)
    // Exit 2 with only output changes (or only data reads) is not drift of any resource.
    const status = drift.length + pending.length > 0 ? 'drifted' : 'clean'
    return result({ status, exitCode: 2, initialised, drift, pending })
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** Checks stacks one after another (terraform is CPU- and provider-heavy; runners have 2-4 cores). */
export async function checkStacks(
  stacks: { dir: string; id: string }[],
  options: CheckOptions,
): Promise<StackResult[]> {
  const results: StackResult[] = []
  for (const s of stacks) {
    options.logger.info(`Checking ${s.id} (${options.mode})`)
    const r = await checkStack(s.dir, s.id, options)
    options.logger.info(
      `${s.id}: ${r.status}${r.status === 'drifted' ? ` (${r.drift.length} drifted, ${r.pending.length} pending)` : ''}`,
    )
    results.push(r)
  }
  return results
}
