/**
 * A local stand-in for the Actions artifact backend that @actions/artifact v6 talks to:
 *
 * - Twirp JSON at `${ACTIONS_RESULTS_URL}/twirp/github.actions.results.api.v1.ArtifactService/<Method>`
 *   (CreateArtifact, FinalizeArtifact, ListArtifacts, GetSignedArtifactURL), authenticated with the
 *   `ACTIONS_RUNTIME_TOKEN` JWT whose `scp` claim holds `Actions.Results:<runBackendId>:<jobBackendId>`;
 * - Azure Blob block-blob calls on the signed URL (PUT ?comp=block&blockid=..., PUT ?comp=blocklist,
 *   GET for downloads).
 *
 * Tests read back what was uploaded: artifact names, the zip's entry names, sizes and contents.
 * Listens on 127.0.0.1 on a free port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inflateRawSync } from 'node:zlib'

export interface ZipEntry {
  name: string
  /** Uncompressed size in bytes. */
  size: number
  content: Buffer
}

export interface UploadedArtifact {
  id: number
  name: string
  /** Entry names in the zip (files only, no directory entries); for skipArchive uploads, the one file name. */
  files: string[]
  entries: ZipEntry[]
  /** Bytes of the uploaded blob (the zip). */
  size: number
  /** `sha256:<hex>` as sent by FinalizeArtifact, if any. */
  hash: string | undefined
  mimeType: string | undefined
  expiresAt: string | undefined
  /** The uploaded blob itself. */
  blob: Buffer
}

export interface ArtifactServerRequest {
  method: string
  path: string
  query: Record<string, string>
}

export interface ArtifactServer {
  /** Env the upload needs: ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN, GITHUB_SERVER_URL (github.com, so it is not treated as GHES). */
  env: Record<string, string>
  url: string
  runBackendId: string
  jobBackendId: string
  /** Finalized artifacts, in upload order. */
  artifacts(): UploadedArtifact[]
  requests: ArtifactServerRequest[]
  /**
   * Answer the next `times` calls of a Twirp method (`CreateArtifact`, `FinalizeArtifact`, ...) or of
   * the blob store (`blob`) with `status` (use a 4xx: the client retries 5xx five times with backoff).
   */
  failNext(target: string, status: number, times?: number): void
  close(): Promise<void>
}

const SERVICE = 'github.actions.results.api.v1.ArtifactService'

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** An unsigned JWT with the runtime token's `scp` claim (the client only decodes it). */
export function runtimeToken(runBackendId: string, jobBackendId: string): string {
  const now = Math.floor(Date.now() / 1000)
  const payload = {
    scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    iss: 'vstoken.actions.githubusercontent.com',
    aud: 'vso:test',
  }
  return `${b64url({ typ: 'JWT', alg: 'RS256' })}.${b64url(payload)}.${Buffer.from('test-signature').toString('base64url')}`
}

/** Reads a zip's entries through its central directory (works for streamed zips with data descriptors). */
export function readZip(zip: Buffer): ZipEntry[] {
  let eocd = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a zip file: end of central directory not found')
  const count = zip.readUInt16LE(eocd + 10)
  let offset = zip.readUInt32LE(eocd + 16)
  const entries: ZipEntry[] = []
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory entry at ${offset}`)
    const method = zip.readUInt16LE(offset + 10)
    const compressedSize = zip.readUInt32LE(offset + 20)
    const size = zip.readUInt32LE(offset + 24)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const localOffset = zip.readUInt32LE(offset + 42)
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8')
    offset += 46 + nameLength + extraLength + commentLength

    if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`bad local header for ${name}`)
    const localName = zip.readUInt16LE(localOffset + 26)
    const localExtra = zip.readUInt16LE(localOffset + 28)
    const start = localOffset + 30 + localName + localExtra
    const raw = zip.subarray(start, start + compressedSize)
    let content: Buffer
    if (method === 0) content = Buffer.from(raw)
    else if (method === 8) content = inflateRawSync(raw)
    else throw new Error(`unsupported zip compression method ${method} for ${name}`)
    if (content.length !== size) throw new Error(`size mismatch for ${name}: ${content.length} != ${size}`)
    entries.push({ name, size, content })
  }
  return entries
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

interface PendingArtifact {
  id: number
  name: string
  blobKey: string
  mimeType: string | undefined
  expiresAt: string | undefined
  finalized: boolean
  hash: string | undefined
  createdAt: string
}

export async function startArtifactServer(): Promise<ArtifactServer> {
  const runBackendId = 'a1b2c3d4-0000-4000-8000-000000000001'
  const jobBackendId = 'a1b2c3d4-0000-4000-8000-000000000002'
  const token = runtimeToken(runBackendId, jobBackendId)
  const requests: ArtifactServerRequest[] = []
  const faults: { target: string; status: number; remaining: number }[] = []
  const pending = new Map<string, PendingArtifact>() // by name
  const blocks = new Map<string, Map<string, Buffer>>() // blobKey -> blockId -> data
  const blobs = new Map<string, { data: Buffer; contentType: string | undefined }>()
  const finalized: UploadedArtifact[] = []
  let nextId = 9001
  let base = ''

  const twirpError = (res: ServerResponse, status: number, code: string, msg: string): void => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ code, msg }))
  }
  const json = (res: ServerResponse, body: unknown): void => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const takeFault = (target: string): number | undefined => {
    const f = faults.find((x) => x.target === target && x.remaining > 0)
    if (!f) return undefined
    f.remaining--
    return f.status
  }
  const idsMatch = (body: Record<string, unknown>): boolean =>
    body.workflow_run_backend_id === runBackendId && body.workflow_job_run_backend_id === jobBackendId

  const twirp = (method: string, body: Record<string, unknown>, res: ServerResponse): void => {
    if (method !== 'ListArtifacts' && method !== 'GetSignedArtifactURL' && !idsMatch(body)) {
      twirpError(res, 400, 'invalid_argument', 'workflow run/job backend ids do not match the runtime token')
      return
    }
    switch (method) {
      case 'CreateArtifact': {
        const name = typeof body.name === 'string' ? body.name : ''
        if (name === '') {
          twirpError(res, 400, 'invalid_argument', 'name is required')
          return
        }
        if (pending.get(name)?.finalized) {
          twirpError(
            res,
            409,
            'already_exists',
            `an artifact with this name already exists on the workflow run: ${name}`,
          )
          return
        }
        const id = nextId++
        const blobKey = `artifacts/${runBackendId}/${id}/${encodeURIComponent(name)}`
        pending.set(name, {
          id,
          name,
          blobKey,
          mimeType: typeof body.mime_type === 'string' ? body.mime_type : undefined,
          expiresAt: typeof body.expires_at === 'string' ? body.expires_at : undefined,
          finalized: false,
          hash: undefined,
          createdAt: new Date().toISOString(),
        })
        json(res, {
          ok: true,
          signed_upload_url: `${base}/${blobKey}?sv=2023-11-03&sr=b&sp=cw&sig=test-signature`,
        })
        return
      }
      case 'FinalizeArtifact': {
        const name = typeof body.name === 'string' ? body.name : ''
        const p = pending.get(name)
        if (!p || p.finalized) {
          twirpError(res, 404, 'not_found', `artifact ${name} was not created`)
          return
        }
        const blob = blobs.get(p.blobKey)
        if (!blob) {
          twirpError(res, 400, 'failed_precondition', `no blob was committed for artifact ${name}`)
          return
        }
        const declared = Number(body.size ?? 0)
        if (declared !== blob.data.length) {
          twirpError(res, 400, 'invalid_argument', `size ${declared} does not match uploaded ${blob.data.length} bytes`)
          return
        }
        p.finalized = true
        p.hash = typeof body.hash === 'string' ? body.hash : undefined
        const isZip = blob.data.length >= 4 && blob.data.readUInt32LE(0) === 0x04034b50
        const entries = isZip ? readZip(blob.data) : [{ name, size: blob.data.length, content: blob.data }]
        const files = entries.filter((e) => !e.name.endsWith('/')).map((e) => e.name)
        finalized.push({
          id: p.id,
          name,
          files,
          entries: entries.filter((e) => !e.name.endsWith('/')),
          size: blob.data.length,
          hash: p.hash,
          mimeType: p.mimeType,
          expiresAt: p.expiresAt,
          blob: blob.data,
        })
        json(res, { ok: true, artifact_id: String(p.id) })
        return
      }
      case 'ListArtifacts': {
        const nameFilter = typeof body.name_filter === 'string' ? body.name_filter : undefined
        const idFilter = body.id_filter !== undefined ? Number(body.id_filter) : undefined
        const artifacts = finalized
          .filter((a) => nameFilter === undefined || a.name === nameFilter)
          .filter((a) => idFilter === undefined || a.id === idFilter)
          .map((a) => ({
            workflow_run_backend_id: runBackendId,
            workflow_job_run_backend_id: jobBackendId,
            database_id: String(a.id),
            name: a.name,
            size: String(a.size),
            created_at: pending.get(a.name)?.createdAt,
            ...(a.hash ? { digest: a.hash } : {}),
          }))
        json(res, { artifacts })
        return
      }
      case 'GetSignedArtifactURL': {
        const name = typeof body.name === 'string' ? body.name : ''
        const p = pending.get(name)
        if (!p?.finalized) {
          twirpError(res, 404, 'not_found', `artifact ${name} not found`)
          return
        }
        json(res, { signed_url: `${base}/${p.blobKey}?sv=2023-11-03&sr=b&sp=r&sig=test-signature` })
        return
      }
      default: {
        twirpError(res, 404, 'bad_route', `no handler for ${SERVICE}/${method}`)
        return
      }
    }
  }

  const blob = (req: IncomingMessage, res: ServerResponse, key: string, query: URLSearchParams, body: Buffer): void => {
    const azureHeaders = {
      'x-ms-request-id': `req-${requests.length}`,
      'x-ms-version': '2025-11-05',
      date: new Date().toUTCString(),
    }
    if (query.get('sig') !== 'test-signature') {
      res.writeHead(403, { 'content-type': 'application/xml', ...azureHeaders })
      res.end(
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Signature did not match.</Message></Error>',
      )
      return
    }
    const comp = query.get('comp')
    if (req.method === 'PUT' && comp === 'block') {
      const id = query.get('blockid') ?? ''
      const map = blocks.get(key) ?? new Map<string, Buffer>()
      map.set(id, body)
      blocks.set(key, map)
      res.writeHead(201, { ...azureHeaders, 'x-ms-request-server-encrypted': 'true', 'content-length': '0' })
      res.end()
      return
    }
    if (req.method === 'PUT' && comp === 'blocklist') {
      const xml = body.toString('utf8')
      const ids = [...xml.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) => m[2]!)
      const staged = blocks.get(key) ?? new Map<string, Buffer>()
      const missing = ids.find((id) => !staged.has(id))
      if (missing !== undefined) {
        res.writeHead(400, { 'content-type': 'application/xml', ...azureHeaders })
        res.end(
          `<?xml version="1.0" encoding="utf-8"?><Error><Code>InvalidBlockList</Code><Message>The specified block list is invalid (${missing}).</Message></Error>`,
        )
        return
      }
      blobs.set(key, {
        data: Buffer.concat(ids.map((id) => staged.get(id)!)),
        contentType: req.headers['x-ms-blob-content-type'] as string | undefined,
      })
      blocks.delete(key)
      res.writeHead(201, {
        ...azureHeaders,
        etag: `"0x${Date.now().toString(16).toUpperCase()}"`,
        'last-modified': new Date().toUTCString(),
        'x-ms-request-server-encrypted': 'true',
        'content-length': '0',
      })
      res.end()
      return
    }
    if (req.method === 'PUT' && !comp) {
      // Single-shot Put Blob.
      blobs.set(key, { data: body, contentType: req.headers['x-ms-blob-content-type'] as string | undefined })
      res.writeHead(201, {
        ...azureHeaders,
        etag: `"0x${Date.now().toString(16).toUpperCase()}"`,
        'last-modified': new Date().toUTCString(),
        'content-length': '0',
      })
      res.end()
      return
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const stored = blobs.get(key)
      if (!stored) {
        res.writeHead(404, { 'content-type': 'application/xml', ...azureHeaders })
        res.end(
          '<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.</Message></Error>',
        )
        return
      }
      res.writeHead(200, {
        ...azureHeaders,
        'content-type': stored.contentType ?? 'application/octet-stream',
        'content-length': String(stored.data.length),
        'x-ms-blob-type': 'BlockBlob',
      })
      res.end(req.method === 'HEAD' ? undefined : stored.data)
      return
    }
    res.writeHead(400, { 'content-type': 'application/xml', ...azureHeaders })
    res.end(
      '<?xml version="1.0" encoding="utf-8"?><Error><Code>UnsupportedHttpVerb</Code><Message>Not supported by the test server.</Message></Error>',
    )
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const query: Record<string, string> = {}
      for (const [k, v] of url.searchParams) query[k] = v
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query })
      const body = await readBody(req)
      const twirpMatch = new RegExp(`^/twirp/${SERVICE.replace(/\./g, '\\.')}/([A-Za-z]+)$`).exec(url.pathname)
      if (twirpMatch) {
        const method = twirpMatch[1]!
        const faulted = takeFault(method)
        if (faulted !== undefined) {
          twirpError(res, faulted, faulted >= 500 ? 'internal' : 'invalid_argument', `injected failure for ${method}`)
          return
        }
        if (req.headers.authorization !== `Bearer ${token}`) {
          twirpError(res, 401, 'unauthenticated', 'invalid runtime token')
          return
        }
        let parsed: Record<string, unknown>
        try {
          parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>
        } catch {
          twirpError(res, 400, 'malformed', 'request body is not JSON')
          return
        }
        twirp(method, parsed, res)
        return
      }
      if (url.pathname.startsWith('/artifacts/')) {
        const faulted = takeFault('blob')
        if (faulted !== undefined) {
          res.writeHead(faulted, { 'content-type': 'application/xml' })
          res.end(
            `<?xml version="1.0" encoding="utf-8"?><Error><Code>InjectedFailure</Code><Message>injected failure</Message></Error>`,
          )
          return
        }
        blob(req, res, url.pathname.slice(1), url.searchParams, body)
        return
      }
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found')
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(`artifact test server error: ${String(error)}`)
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    env: {
      ACTIONS_RESULTS_URL: `${base}/`,
      ACTIONS_RUNTIME_TOKEN: token,
      GITHUB_SERVER_URL: 'https://github.com',
    },
    url: base,
    runBackendId,
    jobBackendId,
    artifacts: () => [...finalized],
    requests,
    failNext: (target, status, times = 1) => {
      faults.push({ target, status, remaining: times })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
