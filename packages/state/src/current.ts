import type { BackendConfig } from './backend-config.js'
import type { StateClients } from './clients.js'
import { md5Hex, parseState } from './state-file.js'
import { getStateObject } from './versions.js'

export interface CurrentStateVersion {
  versionId: string
  serial: number
  lineage: string
  md5: string
  size: number
}

/**
 * The state version terraform would read now: its S3 version id, serial and lineage (for deploy
 * tags). Null when the state object does not exist (nothing applied yet, or deleted).
 */
export async function currentStateVersion(
  config: BackendConfig,
  clients: StateClients,
): Promise<CurrentStateVersion | null> {
  const object = await getStateObject(config, clients)
  if (!object) return null
  const state = parseState(object.bytes, `s3://${config.bucket}/${config.statePath}`)
  return {
    versionId: object.versionId,
    serial: state.serial,
    lineage: state.lineage,
    md5: md5Hex(object.bytes),
    size: object.bytes.length,
  }
}
