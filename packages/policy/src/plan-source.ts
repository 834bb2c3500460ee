import { readFileSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import type { Logger } from '@tfpipe/kit/logger.js'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { showPlanJson, type TerraformBinary } from '@tfpipe/terraform/exec.js'
import { parsePlanJson } from '@tfpipe/terraform/parse.js'
import { refuseJsonPlanFile } from '@tfpipe/terraform/plan-file.js'
import { SAFETY_GATE_INPUTS, type GateOptionNames, type PlanSource } from './context.js'
import type { InfracostDiff } from './cost.js'
import type { SarifLog } from './sarif.js'

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ConfigurationError(
      code === 'ENOENT'
        ? `${what} '${path}' does not exist: check the path (relative to the workspace) or the step that writes it.`
        : code === 'EISDIR'
          ? `${what} '${path}' is a directory: give the path of a file.`
          : `Cannot read ${what} '${path}' (${code ?? String(error)}): check the path and its permissions.`,
    )
  }
}

/**
 * The plan to check: a plan JSON (its `timestamp` dates it, else the file mtime) or a binary plan
 * read with `<binary> show -json` in the working directory (dated by the plan file's mtime).
 */
export async function loadPlanSource(options: {
  planJson?: string
  planFile?: string
  binary?: TerraformBinary
  workingDirectory?: string
  logger?: Logger
  /** Names used in messages (default SAFETY_GATE_INPUTS). */
  names?: GateOptionNames
}): Promise<PlanSource | undefined> {
  const dir = options.workingDirectory ?? '.'
  const names = options.names ?? SAFETY_GATE_INPUTS
  if (options.planJson && options.planFile) {
    throw new ConfigurationError(
      `Give either ${names.planJson} or ${names.planFile}, not both: the gate must check exactly the plan that will be applied.`,
    )
  }
  if (options.planJson) {
    const text = readText(options.planJson, names.planJson)
    const plan = parsePlanJson(text, `${names.planJson} '${options.planJson}'`)
    const stamp = plan.timestamp ? new Date(plan.timestamp) : undefined
    if (stamp && !Number.isNaN(stamp.getTime()))
      return { model: buildPlanModel(plan), createdAt: stamp, createdFrom: 'plan JSON timestamp' }
    return {
      model: buildPlanModel(plan),
      createdAt: statSync(options.planJson).mtime,
      createdFrom: 'plan-json file time',
    }
  }
  if (options.planFile) {
    const path = isAbsolute(options.planFile) ? options.planFile : join(dir, options.planFile)
    let mtime: Date
    try {
      mtime = statSync(path).mtime
    } catch {
      throw new ConfigurationError(
        `${names.planFile} '${path}' does not exist: give the path, relative to ${names.workingDirectory}, of a plan saved with \`terraform plan -out\`.`,
      )
    }
    refuseJsonPlanFile(path, names)
    const text = await showPlanJson(options.binary ?? 'terraform', options.planFile, dir, {
      ...(options.logger ? { logger: options.logger } : {}),
      binaryOption: names.binary,
    })
    return {
      model: buildPlanModel(parsePlanJson(text, `${options.binary ?? 'terraform'} show -json ${options.planFile}`)),
      createdAt: mtime,
      createdFrom: 'plan file time',
    }
  }
  return undefined
}

/**
 * A warning when the clock the gate is told to use (--now) is before the plan was made: windows, freezes
 * and the plan age are then judged at a time the plan did not exist yet. undefined when consistent.
 */
export function planAfterClock(plan: PlanSource | undefined, now: Date): string | undefined {
  if (!plan?.createdAt || plan.createdAt.getTime() <= now.getTime()) return undefined
  return `the plan was made at ${plan.createdAt.toISOString()} (${plan.createdFrom ?? 'plan'}), after the gate's clock ${now.toISOString()}: windows, freezes and plan age are judged at a time before the plan existed; check --now.`
}

export function loadInfracost(path: string): InfracostDiff {
  const text = readText(path, 'infracost-json')
  try {
    const data = JSON.parse(text) as InfracostDiff | null
    if (typeof data !== 'object' || data === null || !('diffTotalMonthlyCost' in data || 'totalMonthlyCost' in data)) {
      throw new ConfigurationError(
        `infracost-json '${path}' has no diffTotalMonthlyCost; give the output of \`infracost diff --format json\`.`,
      )
    }
    return data
  } catch (error) {
    if (error instanceof ConfigurationError) throw error
    throw new ConfigurationError(
      `infracost-json '${path}' is not valid JSON: give the output of \`infracost diff --format json\`.`,
    )
  }
}

export function loadSarif(path: string): SarifLog {
  const text = readText(path, 'sarif')
  let data: SarifLog | null
  try {
    data = JSON.parse(text) as SarifLog | null
  } catch {
    throw new ConfigurationError(
      `sarif '${path}' is not valid JSON: give a SARIF 2.1.0 file (tfsec --format sarif, checkov -o sarif, trivy --format sarif).`,
    )
  }
  if (typeof data !== 'object' || data === null || !Array.isArray(data.runs)) {
    throw new ConfigurationError(
      `sarif '${path}' has no "runs" array; give a SARIF 2.1.0 file (tfsec --format sarif, checkov -o sarif, trivy --format sarif).`,
    )
  }
  return data
}
