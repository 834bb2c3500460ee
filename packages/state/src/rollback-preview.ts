/** The read-only half of a rollback: pick the version, load and validate both states, say what would change. */
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import type { BackendConfig } from './backend-config.js'
import type { StateClients } from './clients.js'
import { getDigest } from './digest.js'
import { configuredLockKinds, listLocks } from './locks.js'
import type { RollbackOptions, RollbackPreview, RollbackTarget, VersionSummary } from './rollback-model.js'
import { diffStates, md5Hex, parseState, StateFormatError, type TerraformState } from './state-file.js'
import { getStateObject, listStateVersions, type StateVersion } from './versions.js'

export interface Loaded {
  version: { versionId: string; lastModified?: Date }
  bytes: Buffer
  state: TerraformState
}

function summarize(loaded: Loaded): VersionSummary {
  const s: VersionSummary = {
    versionId: loaded.version.versionId,
    serial: loaded.state.serial,
    lineage: loaded.state.lineage,
    size: loaded.bytes.length,
    md5: md5Hex(loaded.bytes),
  }
  if (loaded.version.lastModified) s.lastModified = loaded.version.lastModified.toISOString()
  if (typeof loaded.state.terraform_version === 'string') s.terraformVersion = loaded.state.terraform_version
  return s
}

export function where(config: BackendConfig): string {
  return `s3://${config.bucket}/${config.statePath}`
}

async function load(
  config: BackendConfig,
  clients: StateClients,
  versionId: string | undefined,
  what: string,
): Promise<Loaded> {
  const object = await getStateObject(config, clients, versionId)
  if (!object) {
    if (versionId)
      throw new ConfigurationError(
        `Version '${versionId}' of ${where(config)} does not exist; list versions with 'tfpipe state versions'.`,
      )
    throw new ConfigurationError(`${where(config)} does not exist: there is no state to roll back.`)
  }
  try {
    const version: Loaded['version'] = { versionId: object.versionId }
    if (object.lastModified) version.lastModified = object.lastModified
    return { version, bytes: object.bytes, state: parseState(object.bytes, `${what} (version ${object.versionId})`) }
  } catch (error) {
    if (error instanceof StateFormatError) throw new ConfigurationError(`Cannot restore: ${error.message}`)
    throw error
  }
}

/** Chooses the version to restore. Steps back count from the current version (1 = the one before it). */
export async function resolveTarget(
  config: BackendConfig,
  clients: StateClients,
  target: RollbackTarget,
): Promise<{ versionId: string; versions?: StateVersion[] }> {
  if ('versionId' in target) {
    if (!target.versionId.trim()) throw new ConfigurationError('The version id to restore is empty.')
    return { versionId: target.versionId.trim() }
  }
  if (!Number.isInteger(target.stepsBack) || target.stepsBack < 1) {
    throw new ConfigurationError(`steps-back must be a whole number of at least 1; got ${target.stepsBack}.`)
  }
  const versions = await listStateVersions(config, clients, { limit: target.stepsBack + 1 })
  if (versions.length === 0)
    throw new ConfigurationError(`${where(config)} has no versions: there is no state to roll back.`)
  const chosen = versions[target.stepsBack]
  if (!chosen) {
    throw new ConfigurationError(
      `steps-back ${target.stepsBack} goes past the oldest version: ${where(config)} has ${versions.length} version(s), so at most ${Math.max(0, versions.length - 1)} step(s) back.`,
    )
  }
  return { versionId: chosen.versionId, versions }
}

/** Reads current and target, validates them and computes what the rollback would do. Writes nothing. */
export async function previewRollback(
  options: RollbackOptions,
): Promise<{ preview: RollbackPreview; current: Loaded; target: Loaded }> {
  const { config, clients } = options
  const { versionId } = await resolveTarget(config, clients, options.target)
  const [current, target] = await Promise.all([
    load(config, clients, undefined, 'the current state'),
    load(config, clients, versionId, 'the target state'),
  ])
  if (current.version.versionId === target.version.versionId) {
    throw new ConfigurationError(
      `Version ${versionId} is already the current state of ${where(config)}; nothing to roll back.`,
    )
  }
  const lineageChanged = current.state.lineage !== target.state.lineage
  if (lineageChanged && !options.allowLineageChange) {
    throw new ConfigurationError(
      `Version ${versionId} has lineage ${target.state.lineage} but the current state has ${current.state.lineage}: it is another state, not an earlier version of this one; set allow-lineage-change only if you are sure.`,
    )
  }
  const [heldLocks, recorded] = await Promise.all([listLocks(config, clients), getDigest(config, clients)])
  const preview: RollbackPreview = {
    bucket: config.bucket,
    statePath: config.statePath,
    workspace: config.workspace,
    current: summarize(current),
    target: summarize(target),
    newSerial: Math.max(current.state.serial, target.state.serial) + 1,
    lineage: target.state.lineage,
    lineageChanged,
    diff: diffStates(current.state, target.state),
    locks: configuredLockKinds(config),
    heldLocks,
  }
  if (recorded !== undefined) preview.digest = { recorded, matchesCurrent: recorded === preview.current.md5 }
  return { preview, current, target }
}
