/** The S3 lock file: `<key>.tflock` next to the state, created with If-None-Match (Terraform >= 1.10, `use_lockfile`). */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3'
import type { BackendConfig } from './backend-config.js'
import type { StateClients } from './clients.js'
import type { LockBackend } from './lock-backend.js'
import { heldLock, lockfileKey, type HeldLock } from './lock-info.js'
import { isNotFound } from './versions.js'

const location = (config: BackendConfig, key = lockfileKey(config)): string => `s3://${config.bucket}/${key}`

async function bodyText(body: unknown): Promise<string> {
  return (body as { transformToString(): Promise<string> } | undefined)?.transformToString() ?? ''
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null | undefined)?.$metadata?.httpStatusCode
}

async function read(
  config: BackendConfig,
  clients: StateClients,
  key: string,
  statePath: string,
): Promise<HeldLock | null> {
  try {
    const res = await clients.s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }))
    return heldLock('lockfile', location(config, key), statePath, await bodyText(res.Body))
  } catch (error) {
    if (isNotFound(error)) return null
    throw error
  }
}

const remove = (config: BackendConfig, clients: StateClients) =>
  clients.s3.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: lockfileKey(config) }))

export const lockFile: LockBackend = {
  kind: 'lockfile',
  configured: (config) => config.useLockfile,
  get: (config, clients) => read(config, clients, lockfileKey(config), config.statePath),
  async tryTake(config, clients, infoJson) {
    try {
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: config.bucket,
          Key: lockfileKey(config),
          Body: infoJson,
          ContentType: 'application/json',
          IfNoneMatch: '*',
        }),
      )
      return null
    } catch (error) {
      const status = httpStatus(error)
      if (status !== 412 && status !== 409) throw error
      // 409: a concurrent conditional write; the holder may already be readable or gone: retry.
      return (
        (await lockFile.get(config, clients)) ?? heldLock('lockfile', location(config), config.statePath, undefined)
      )
    }
  },
  async release(config, clients, acquired) {
    const current = await lockFile.get(config, clients)
    if (current?.id === acquired.info.ID) await remove(config, clients)
  },
  async listAll(config, clients) {
    const locks: HeldLock[] = []
    let token: string | undefined
    do {
      const page: ListObjectsV2CommandOutput = await clients.s3.send(
        new ListObjectsV2Command({ Bucket: config.bucket, ...(token ? { ContinuationToken: token } : {}) }),
      )
      for (const object of page.Contents ?? []) {
        if (!object.Key?.endsWith('.tflock')) continue
        const lock = await read(config, clients, object.Key, object.Key.slice(0, -'.tflock'.length))
        if (lock) locks.push(lock)
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
    return locks
  },
  async forceRemove(config, clients, id) {
    const file = await lockFile.get(config, clients)
    if (file?.id !== id) return false
    await remove(config, clients)
    return true
  },
}
