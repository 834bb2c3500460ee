import { createHash } from 'node:crypto'

/** The parts of a Terraform state (format version 4) that rollback needs. */
export interface TerraformState {
  version: 4
  terraform_version?: string
  serial: number
  lineage: string
  outputs?: Record<string, unknown>
  resources: StateResource[]
  [extra: string]: unknown
}

export interface StateResource {
  module?: string
  mode: 'managed' | 'data'
  type: string
  name: string
  provider?: string
  instances: { index_key?: string | number; attributes?: unknown; [extra: string]: unknown }[]
}

export class StateFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StateFormatError'
  }
}

/** Parses and validates state bytes; `what` names the object in errors (e.g. "version abc"). */
export function parseState(bytes: Uint8Array | string, what = 'state'): TerraformState {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8')
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new StateFormatError(`${what} is not JSON (${error instanceof Error ? error.message : String(error)}).`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new StateFormatError(`${what} is not a JSON object.`)
  const s = data as Record<string, unknown>
  if (s.version !== 4)
    throw new StateFormatError(
      `${what} has state format version ${JSON.stringify(s.version)}; only version 4 is supported.`,
    )
  if (typeof s.serial !== 'number' || !Number.isInteger(s.serial) || s.serial < 0)
    throw new StateFormatError(`${what} has no valid serial.`)
  if (typeof s.lineage !== 'string' || s.lineage === '') throw new StateFormatError(`${what} has no lineage.`)
  if (s.resources !== undefined && !Array.isArray(s.resources))
    throw new StateFormatError(`${what} has a non-array 'resources'.`)
  s.resources ??= []
  for (const r of s.resources as unknown[]) {
    const res = r as Record<string, unknown>
    if (
      typeof r !== 'object' ||
      r === null ||
      typeof res.type !== 'string' ||
      typeof res.name !== 'string' ||
      !Array.isArray(res.instances)
    ) {
      throw new StateFormatError(`${what} has a malformed resource entry.`)
    }
  }
  return s as unknown as TerraformState
}

/**
 * Serialises a state as terraform does (two-space JSON, trailing newline), with a new serial (and
 * lineage when given). Key order is kept.
 */
export function serializeState(state: TerraformState, changes: { serial: number; lineage?: string }): Buffer {
  const copy: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(state)) copy[k] = v
  copy.serial = changes.serial
  if (changes.lineage !== undefined) copy.lineage = changes.lineage
  return Buffer.from(`${JSON.stringify(copy, null, 2)}\n`, 'utf8')
}

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex')
}

function instanceAddress(resource: StateResource, indexKey: unknown): string {
  const base = `${resource.module ? `${resource.module}.` : ''}${resource.mode === 'data' ? 'data.' : ''}${resource.type}.${resource.name}`
  if (indexKey === undefined || indexKey === null) return base
  return typeof indexKey === 'number' ? `${base}[${indexKey}]` : `${base}[${JSON.stringify(indexKey)}]`
}

/** Every resource instance address with a stable JSON fingerprint of its recorded data. */
export function stateInstances(state: TerraformState): Map<string, string> {
  const out = new Map<string, string>()
  for (const resource of state.resources) {
    for (const instance of resource.instances) {
      const { index_key: indexKey, ...rest } = instance
      out.set(instanceAddress(resource, indexKey), JSON.stringify({ provider: resource.provider, ...rest }))
    }
  }
  return out
}

/** What restoring `to` over `from` changes in the state: addresses added, removed and changed. */
export interface StateDiff {
  added: string[]
  removed: string[]
  changed: string[]
  unchanged: number
}

export function diffStates(from: TerraformState, to: TerraformState): StateDiff {
  const a = stateInstances(from)
  const b = stateInstances(to)
  const diff: StateDiff = { added: [], removed: [], changed: [], unchanged: 0 }
  for (const [address, data] of b) {
    const before = a.get(address)
    if (before === undefined) diff.added.push(address)
    else if (before !== data) diff.changed.push(address)
    else diff.unchanged++
  }
  for (const address of a.keys()) if (!b.has(address)) diff.removed.push(address)
  diff.added.sort()
  diff.removed.sort()
  diff.changed.sort()
  return diff
}
