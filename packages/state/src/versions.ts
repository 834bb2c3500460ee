import { GetObjectCommand, ListObjectVersionsCommand, type ListObjectVersionsCommandOutput } from '@aws-sdk/client-s3'
import type { BackendConfig } from './backend-config.js'
import type { StateClients } from './clients.js'

export interface StateVersion {
  versionId: string
  lastModified: Date
  size: number
  etag?: string
  isLatest: boolean
}

/**
 * Every stored version of the state object, newest first. ListObjectVersions(Prefix=key) also
 * returns `<key>.tflock`, backups and other keys sharing the prefix, and delete markers: only
 * versions whose Key equals the state path are kept. Pages through any number of versions.
 */
export async function listStateVersions(
  config: BackendConfig,
  clients: StateClients,
  options: { pageSize?: number; /** Stop once this many (newest) versions are known. */ limit?: number } = {},
): Promise<StateVersion[]> {
  const key = config.statePath
  const versions: StateVersion[] = []
  let keyMarker: string | undefined
  let versionIdMarker: string | undefined
  for (;;) {
    const page: ListObjectVersionsCommandOutput = await clients.s3.send(
      new ListObjectVersionsCommand({
        Bucket: config.bucket,
        Prefix: key,
        // The state key sorts before every other key with its prefix, so its newest versions come first.
        MaxKeys: Math.max(
          1,
          Math.min(options.pageSize ?? 1000, options.limit !== undefined ? options.limit + 1 : 1000),
        ),
        ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
        ...(versionIdMarker !== undefined ? { VersionIdMarker: versionIdMarker } : {}),
      }),
    )
    for (const v of page.Versions ?? []) {
      if (v.Key !== key || !v.VersionId) continue
      const entry: StateVersion = {
        versionId: v.VersionId,
        lastModified: v.LastModified ?? new Date(0),
        size: v.Size ?? 0,
        isLatest: v.IsLatest ?? false,
      }
      if (v.ETag) entry.etag = v.ETag.replace(/"/g, '')
      versions.push(entry)
    }
    if (!page.IsTruncated) break
    if (options.limit !== undefined && versions.length >= options.limit) break
    // Keys are listed in order and the state path (the prefix itself) sorts first: once a page ends on
    // another key (.tflock, backups), no more versions of the state follow.
    if (page.NextKeyMarker !== undefined && page.NextKeyMarker !== key) break
    keyMarker = page.NextKeyMarker
    versionIdMarker = page.NextVersionIdMarker
    if (keyMarker === undefined && versionIdMarker === undefined) break
  }
  // S3 lists versions of a key newest first; sort anyway (stable) so other stores behave the same.
  const order = new Map(versions.map((v, i) => [v, i]))
  versions.sort(
    (a, b) => b.lastModified.getTime() - a.lastModified.getTime() || (order.get(a) ?? 0) - (order.get(b) ?? 0),
  )
  return options.limit !== undefined ? versions.slice(0, options.limit) : versions
}

/** Downloads one version's exact bytes (the latest when versionId is undefined). */
export async function getStateObject(
  config: BackendConfig,
  clients: StateClients,
  versionId?: string,
): Promise<{ bytes: Buffer; versionId: string; lastModified?: Date } | null> {
  try {
    const res = await clients.s3.send(
      new GetObjectCommand({
        Bucket: config.bucket,
        Key: config.statePath,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    )
    const bytes = Buffer.from(
      await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    )
    const out: { bytes: Buffer; versionId: string; lastModified?: Date } = { bytes, versionId: res.VersionId ?? 'null' }
    if (res.LastModified) out.lastModified = res.LastModified
    return out
  } catch (error) {
    if (isNotFound(error)) return null
    throw error
  }
}

export function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null | undefined
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.name === 'NoSuchVersion' ||
    e?.$metadata?.httpStatusCode === 404
  )
}
