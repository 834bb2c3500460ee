import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DefaultArtifactClient } from '@actions/artifact'
import { readZip, startArtifactServer, type ArtifactServer } from '../../support/artifact-server.js'

let server: ArtifactServer
let dir: string
const saved: Record<string, string | undefined> = {}

beforeAll(async () => {
  server = await startArtifactServer()
  for (const [k, v] of Object.entries(server.env)) {
    saved[k] = process.env[k]
    process.env[k] = v
  }
  dir = mkdtempSync(join(tmpdir(), 'artifact-test-'))
})
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  rmSync(dir, { recursive: true, force: true })
  await server.close()
})

describe('artifact stand-in with the real @actions/artifact client', () => {
  it('accepts an upload and exposes the zip entries, then serves it back for download', async () => {
    const root = join(dir, 'plan')
    mkdirSync(join(root, 'nested'), { recursive: true })
    const planJson = JSON.stringify({
      format_version: '1.2',
      resource_changes: Array.from({ length: 200 }, (_, i) => ({ address: `r.${i}` })),
    })
    writeFileSync(join(root, 'plan.json'), planJson)
    writeFileSync(join(root, 'nested', 'plan.txt'), 'No changes.\n')

    const client = new DefaultArtifactClient()
    const result = await client.uploadArtifact(
      'tfplan-dev',
      [join(root, 'plan.json'), join(root, 'nested', 'plan.txt')],
      root,
      { retentionDays: 5 },
    )

    const [artifact, ...rest] = server.artifacts()
    expect(rest).toEqual([])
    expect(result.id).toBe(artifact?.id)
    expect(result.size).toBe(artifact?.size)
    expect(artifact?.name).toBe('tfplan-dev')
    expect(artifact?.files.sort()).toEqual(['nested/plan.txt', 'plan.json'])
    expect(artifact?.entries.find((e) => e.name === 'plan.json')).toMatchObject({ size: Buffer.byteLength(planJson) })
    expect(artifact?.entries.find((e) => e.name === 'nested/plan.txt')?.content.toString()).toBe('No changes.\n')
    expect(artifact?.hash).toBe(`sha256:${result.digest}`)
    expect(artifact?.expiresAt).toBeDefined()
    // The blob really went through Azure block-blob calls.
    const blobCalls = server.requests.filter((r) => r.path.startsWith('/artifacts/'))
    expect(blobCalls.some((r) => r.method === 'PUT' && r.query.comp === 'block' && r.query.blockid)).toBe(true)
    expect(blobCalls.some((r) => r.method === 'PUT' && r.query.comp === 'blocklist')).toBe(true)

    const out = join(dir, 'download')
    const downloaded = await client.downloadArtifact(result.id!, { path: out })
    expect(downloaded.downloadPath).toBe(out)
    expect(readFileSync(join(out, 'nested', 'plan.txt'), 'utf8')).toBe('No changes.\n')
  })

  it('rejects a second artifact with the same name like the real backend', async () => {
    const file = join(dir, 'again.txt')
    writeFileSync(file, 'x')
    const client = new DefaultArtifactClient()
    await expect(client.uploadArtifact('tfplan-dev', [file], dir)).rejects.toThrow(/already exists/)
  })

  it('lets a test make CreateArtifact fail', async () => {
    const file = join(dir, 'fail.txt')
    writeFileSync(file, 'x')
    server.failNext('CreateArtifact', 403)
    await expect(new DefaultArtifactClient().uploadArtifact('will-fail', [file], dir)).rejects.toThrow(/CreateArtifact/)
    expect(server.artifacts().map((a) => a.name)).toEqual(['tfplan-dev'])
  })

  it('readZip rejects data that is not a zip', () => {
    expect(() => readZip(Buffer.from('definitely not a zip file, just some text here'))).toThrow(/not a zip/)
  })
})
