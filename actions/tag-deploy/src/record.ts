import { readFileSync } from 'node:fs'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import type { Logger } from '@tfpipe/kit/logger.js'
import type { DeployCounts, DeployStateRef } from '@tfpipe/github/deploy-tags.js'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { parsePlanJson } from '@tfpipe/terraform/parse.js'
import { readBackendConfig } from '@tfpipe/state/backend-config.js'
import { createStateClients } from '@tfpipe/state/clients.js'
import { currentStateVersion } from '@tfpipe/state/current.js'

export interface PlanFacts {
  fingerprint: string | null
  counts: DeployCounts | null
}

function pickCounts(c: Record<string, unknown>): DeployCounts {
  const n = (k: string): number => (typeof c[k] === 'number' ? c[k] : 0)
  return {
    add: n('add'),
    change: n('change'),
    destroy: n('destroy'),
    replace: n('replace'),
    import: n('import'),
    move: n('move'),
    forget: n('forget'),
  }
}

/** Counts and fingerprint from plan-and-comment's report JSON or from a plan JSON. */
export function planFacts(report: string, planJson: string): PlanFacts {
  if (report) {
    let data: { fingerprint?: unknown; counts?: unknown }
    try {
      data = JSON.parse(readFileSync(report, 'utf8')) as typeof data
    } catch (error) {
      throw new ConfigurationError(
        `report '${report}' cannot be read as JSON (${error instanceof Error ? error.message : String(error)}); pass plan-and-comment's report output.`,
      )
    }
    if (typeof data.counts !== 'object' || data.counts === null)
      throw new ConfigurationError(`report '${report}' has no counts; pass plan-and-comment's report output.`)
    return {
      fingerprint: typeof data.fingerprint === 'string' && data.fingerprint ? data.fingerprint : null,
      counts: pickCounts(data.counts as Record<string, unknown>),
    }
  }
  if (planJson) {
    let text: string
    try {
      text = readFileSync(planJson, 'utf8')
    } catch {
      throw new ConfigurationError(
        `plan-json '${planJson}' does not exist: check the path (relative to the workspace) or the step that writes it.`,
      )
    }
    const model = buildPlanModel(parsePlanJson(text, `plan-json '${planJson}'`))
    return { fingerprint: model.fingerprint, counts: pickCounts(model.counts as unknown as Record<string, unknown>) }
  }
  return { fingerprint: null, counts: null }
}

/** The S3 state object's current version id, serial and lineage (via packages/state). */
export async function stateRef(workingDirectory: string, logger: Logger): Promise<DeployStateRef | null> {
  if (!workingDirectory) return null
  const config = readBackendConfig(workingDirectory)
  const clients = createStateClients(config)
  try {
    const current = await currentStateVersion(config, clients)
    if (!current) {
      logger.warning(`No state object at s3://${config.bucket}/${config.statePath}; the tag records no state version.`)
      return null
    }
    return {
      bucket: config.bucket,
      key: config.statePath,
      versionId: current.versionId,
      serial: current.serial,
      lineage: current.lineage,
    }
  } finally {
    clients.destroy()
  }
}
