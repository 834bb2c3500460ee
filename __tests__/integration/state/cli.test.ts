import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { repoRoot, startMoto, type MotoServer } from '../../support/moto.js'
import { readBackendConfig, type BackendConfig } from '@tfpipe/state/backend-config.js'
import { createStateClients, type StateClients } from '@tfpipe/state/clients.js'
import { currentStateVersion } from '@tfpipe/state/current.js'
import { listLocks } from '@tfpipe/state/locks.js'
import { lockfileKey } from '@tfpipe/state/lock-info.js'
import { listStateVersions } from '@tfpipe/state/versions.js'
import { stateFixture, type StateFixture } from '../../support/state-fixture.js'

let moto: MotoServer
let fx: StateFixture
let config: BackendConfig
let clients: StateClients

beforeAll(async () => {
  moto = await startMoto()
  fx = await stateFixture(moto, { lockfile: true, dynamodb: true })
  for (const r of [1, 2, 3]) await fx.apply(r)
  config = readBackendConfig(fx.dir)
  clients = createStateClients(config)
}, 120_000)

afterAll(async () => {
  clients?.destroy()
  await moto?.close()
})

function tfpipe(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli', 'index.js'), 'state', ...args], {
    cwd: fx.dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...moto.env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

describe('tfpipe state (dist/cli)', () => {
  test('versions: a table of versions, newest first, with serials', async () => {
    const versions = await listStateVersions(config, clients)
    const r = tfpipe('versions', '--dir', '.')
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^#\s+VERSION ID\s+LAST MODIFIED\s+SIZE\s+SERIAL/)
    expect(lines).toHaveLength(4)
    expect(lines[1]).toMatch(
      new RegExp(`^0\\s+${versions[0]?.versionId}\\s+\\S+Z\\s+${versions[0]?.size}\\s+3\\s+current$`),
    )
    expect(lines[3]).toMatch(new RegExp(`^2\\s+${versions[2]?.versionId}\\s+\\S+Z\\s+\\d+\\s+1$`))
    expect(r.stderr).toContain(`backend: s3://${fx.bucket}/${fx.key}`)
  })

  test('rollback: a preview without --yes, a write with it; unlock releases a leftover lock', async () => {
    const before = await currentStateVersion(config, clients)
    const versions = await listStateVersions(config, clients)
    const dry = tfpipe('rollback', '--steps-back', '2')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('dry run: nothing written; add --yes to restore.')
    expect(dry.stdout).toContain('  - terraform_data.worker[0]')
    expect(await currentStateVersion(config, clients)).toEqual(before)

    const bad = tfpipe('rollback', '--steps-back', '2', '--version-id', 'x')
    expect(bad.code).toBe(2)
    expect(bad.stderr.split('\n')).toContain('tfpipe state rollback: give --version-id or --steps-back, not both.')

    const write = tfpipe('rollback', '--version-id', versions[2]?.versionId ?? '', '--yes', '--reason', 'cli test')
    expect(write.code).toBe(0)
    expect(write.stdout).toContain(`undo:     tfpipe state rollback --version-id ${versions[0]?.versionId} --yes`)
    const now = await currentStateVersion(config, clients)
    expect(now?.serial).toBe((before?.serial ?? 0) + 1)
    const plan = await fx.tf(['plan', '-input=false', '-no-color', '-detailed-exitcode', '-var=revision=1'])
    expect(plan.code).toBe(0)

    // A lock file left behind alone (terraform force-unlock cannot remove it): listed, then released.
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: fx.bucket,
        Key: lockfileKey(config),
        Body: JSON.stringify({
          ID: 'left-1',
          Operation: 'OperationTypeRollback',
          Who: 'crashed',
          Created: '2026-11-22T01:00:00Z',
        }),
      }),
    )
    const locks = tfpipe('locks')
    expect(locks.stdout).toMatch(/lockfile\s+left-1\s+crashed\s+OperationTypeRollback/)
    expect(tfpipe('unlock', '--lock-id', 'nope').code).toBe(1)
    const unlock = tfpipe('unlock', '--lock-id', 'left-1')
    expect(unlock.stdout.trim()).toBe('released lockfile lock left-1')
    expect(await listLocks(config, clients)).toEqual([])
  }, 90_000)
})
