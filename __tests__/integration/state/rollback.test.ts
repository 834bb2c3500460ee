import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { startMoto, type MotoServer } from '../../support/moto.js'
import { memoryLogger } from '@tfpipe/kit/logger.js'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { readBackendConfig, type BackendConfig } from '@tfpipe/state/backend-config.js'
import { createStateClients, type StateClients } from '@tfpipe/state/clients.js'
import { currentStateVersion } from '@tfpipe/state/current.js'
import { getDigest, putDigest } from '@tfpipe/state/digest.js'
import { forceUnlock, listLocks } from '@tfpipe/state/locks.js'
import { lockfileKey, lockItemId } from '@tfpipe/state/lock-info.js'
import { rollbackState } from '@tfpipe/state/rollback.js'
import { RollbackError } from '@tfpipe/state/rollback-model.js'
import { md5Hex, parseState } from '@tfpipe/state/state-file.js'
import { getStateObject, listStateVersions } from '@tfpipe/state/versions.js'
import { stateFixture, terraformBin, type StateFixture } from '../../support/state-fixture.js'

let moto: MotoServer
let fx: StateFixture
let config: BackendConfig
let clients: StateClients
const clientsToClose: StateClients[] = []

beforeAll(async () => {
  moto = await startMoto()
}, 60_000)

afterAll(async () => {
  for (const c of clientsToClose) c.destroy()
  await moto?.close()
})

async function fixtureWithHistory(
  revisions: number[],
): Promise<{ fx: StateFixture; config: BackendConfig; clients: StateClients }> {
  const f = await stateFixture(moto, { lockfile: true, dynamodb: true })
  for (const r of revisions) await f.apply(r)
  const c = readBackendConfig(f.dir)
  const cl = createStateClients(c)
  clientsToClose.push(cl)
  return { fx: f, config: c, clients: cl }
}

async function snapshot(
  c: BackendConfig,
  cl: StateClients,
): Promise<{ versions: string[]; md5: string; digest: string | undefined }> {
  const versions = (await listStateVersions(c, cl)).map((v) => v.versionId)
  const object = await getStateObject(c, cl)
  return { versions, md5: md5Hex(object?.bytes ?? Buffer.alloc(0)), digest: await getDigest(c, cl) }
}

describe('rollback against terraform with its S3 backend on moto', () => {
  test('three applies, roll back to the first: plans work, show the expected change, saved plans are stale', async () => {
    ;({ fx, config, clients } = await fixtureWithHistory([1]))
    const planV1 = await fx.tf(['plan', '-input=false', '-no-color', '-var=revision=2', '-out=v1.tfplan'])
    expect(planV1.code).toBe(0)
    await fx.apply(2)
    await fx.apply(3)
    const planV3 = await fx.tf(['plan', '-input=false', '-no-color', '-var=revision=4', '-out=v3.tfplan'])
    expect(planV3.code).toBe(0)

    const versions = await listStateVersions(config, clients)
    expect(versions).toHaveLength(3)
    const [v3, , v1] = versions as [(typeof versions)[0], (typeof versions)[0], (typeof versions)[0]]
    const before = parseState((await getStateObject(config, clients, v3.versionId))?.bytes ?? '')
    const first = parseState((await getStateObject(config, clients, v1.versionId))?.bytes ?? '')

    const logger = memoryLogger()
    const result = await rollbackState({
      config,
      clients,
      target: { stepsBack: 2 },
      dryRun: false,
      logger,
      reason: 'bad deploy',
      who: 'tests',
    })
    expect(result.dryRun).toBe(false)
    expect(result.restoredVersionId).toBe(v1.versionId)
    expect(result.previousVersionId).toBe(v3.versionId)
    expect(result.preview.newSerial).toBe(before.serial + 1)
    expect(result.preview.diff).toEqual({
      added: [],
      removed: ['terraform_data.cache[0]', 'terraform_data.worker[0]'],
      changed: ['terraform_data.app'],
      unchanged: 0,
    })

    // The written state: the first version's resources, serial = current + 1, same lineage, digest recorded.
    const now = await getStateObject(config, clients)
    const written = parseState(now?.bytes ?? '')
    expect(now?.versionId).toBe(result.newVersionId)
    expect(written.serial).toBe(before.serial + 1)
    expect(written.lineage).toBe(before.lineage)
    expect(written.resources).toEqual(first.resources)
    expect(await getDigest(config, clients)).toBe(md5Hex(now?.bytes ?? Buffer.alloc(0)))
    expect(await currentStateVersion(config, clients)).toMatchObject({
      versionId: result.newVersionId,
      serial: before.serial + 1,
      lineage: before.lineage,
    })
    // The replaced bytes stay a version and are also copied next to the state.
    expect((await listStateVersions(config, clients)).map((v) => v.versionId)).toEqual([
      result.newVersionId,
      ...versions.map((v) => v.versionId),
    ])
    const backup = await clients.s3.send(
      new (await import('@aws-sdk/client-s3')).GetObjectCommand({ Bucket: fx.bucket, Key: result.backupKey }),
    )
    expect(
      md5Hex(
        Buffer.from(await (backup.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()),
      ),
    ).toBe(result.preview.current.md5)
    expect(await listLocks(config, clients)).toEqual([])

    // terraform reads it at once (no digest error) and sees revision 1 as the truth again.
    const same = await fx.tf(['plan', '-input=false', '-no-color', '-detailed-exitcode', '-var=revision=1'])
    expect(same.stderr).toBe('')
    expect(same.code).toBe(0)
    expect(same.stdout).toContain('No changes.')
    const forward = await fx.tf(['plan', '-input=false', '-no-color', '-detailed-exitcode', '-var=revision=3'])
    expect(forward.code).toBe(2)
    expect(forward.stdout).toContain('Plan: 2 to add, 1 to change, 0 to destroy.')

    // Saved plans from before the rollback (against serial 1 and against the replaced serial) are refused.
    for (const plan of ['v1.tfplan', 'v3.tfplan']) {
      const stale = await fx.tf(['apply', '-input=false', '-no-color', plan])
      expect(stale.code).toBe(1)
      expect(stale.stderr).toContain('Saved plan is stale')
    }
    // ... and terraform can apply on top of it again.
    await fx.apply(3)
    expect((await currentStateVersion(config, clients))?.serial).toBe(before.serial + 2)
  }, 180_000)

  test('dry-run (the default) previews and writes nothing', async () => {
    const before = await snapshot(config, clients)
    const result = await rollbackState({ config, clients, target: { stepsBack: 1 } })
    expect(result.dryRun).toBe(true)
    expect(result.newVersionId).toBeUndefined()
    expect(result.preview.current.versionId).toBe(before.versions[0])
    expect(result.preview.target.versionId).toBe(before.versions[1])
    expect(result.preview.locks).toEqual(['lockfile', 'dynamodb'])
    expect(result.preview.digest).toEqual({ recorded: before.digest, matchesCurrent: true })
    expect(await snapshot(config, clients)).toEqual(before)
    expect(await listLocks(config, clients)).toEqual([])
  }, 60_000)

  test('a planted DynamoDB lock makes the rollback refuse, naming the holder; the state is untouched', async () => {
    const before = await snapshot(config, clients)
    const info = {
      ID: 'aaaa-1',
      Operation: 'OperationTypeApply',
      Info: '',
      Who: 'bob@ci-42',
      Version: '1.11.4',
      Created: '2026-11-22T07:00:00Z',
      Path: lockItemId(config),
    }
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: fx.table,
        Item: { LockID: { S: lockItemId(config) }, Info: { S: JSON.stringify(info) } },
      }),
    )
    const error = await rollbackState({ config, clients, target: { stepsBack: 1 }, dryRun: false }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(RollbackError)
    expect((error as RollbackError).stateWritten).toBe(false)
    expect((error as Error).message).toMatch(
      /locked .*by bob@ci-42 since 2026-11-22T07:00:00Z for OperationTypeApply; lock ID aaaa-1/,
    )
    expect(await snapshot(config, clients)).toEqual(before)
    const locks = await listLocks(config, clients)
    expect(locks.map((l) => [l.kind, l.id])).toEqual([['dynamodb', 'aaaa-1']])
    expect(await forceUnlock(config, clients, 'aaaa-1')).toEqual(['dynamodb'])
    expect(await listLocks(config, clients)).toEqual([])
  }, 60_000)

  test('a planted .tflock makes the rollback refuse (after waiting lock-timeout), naming the holder', async () => {
    const before = await snapshot(config, clients)
    const info = {
      ID: 'bbbb-2',
      Operation: 'OperationTypePlan',
      Info: '',
      Who: 'carol@laptop',
      Version: '1.11.4',
      Created: '2026-11-22T06:00:00Z',
      Path: lockItemId(config),
    }
    await clients.s3.send(
      new PutObjectCommand({ Bucket: fx.bucket, Key: lockfileKey(config), Body: JSON.stringify(info) }),
    )
    let clock = Date.parse('2026-11-22T10:00:00Z')
    const slept: number[] = []
    const error = await rollbackState({
      config,
      clients,
      target: { stepsBack: 1 },
      dryRun: false,
      lockTimeoutMs: 5_000,
      now: () => new Date(clock),
      sleep: async (ms) => {
        slept.push(ms)
        clock += ms
      },
    }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(
      /lock file .*by carol@laptop since 2026-11-22T06:00:00Z for OperationTypePlan; lock ID bbbb-2/,
    )
    expect(slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5_000)
    expect(await snapshot(config, clients)).toEqual(before)
    const locks = await listLocks(config, clients)
    expect(locks.map((l) => [l.kind, l.id])).toEqual([['lockfile', 'bbbb-2']])
    expect(await forceUnlock(config, clients, 'someone-else')).toEqual([])
    expect(await forceUnlock(config, clients, 'bbbb-2')).toEqual(['lockfile'])
    expect(await listLocks(config, clients)).toEqual([])
  }, 60_000)

  test('a running terraform apply (waiting for approval) holds the lock: the rollback refuses and names it', async () => {
    const before = await snapshot(config, clients)
    const child = spawn(terraformBin, ['apply', '-no-color', '-var=revision=7'], {
      cwd: fx.dir,
      env: { ...fx.env, TF_INPUT: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const closed = new Promise<number | null>((r) => child.on('close', r))
    try {
      const deadline = Date.now() + 60_000
      while (!out.includes('Enter a value') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
      expect(out).toContain('Enter a value')
      const error = await rollbackState({ config, clients, target: { stepsBack: 1 }, dryRun: false }).catch(
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(RollbackError)
      expect((error as Error).message).toContain('for OperationTypeApply')
      const holders = await listLocks(config, clients)
      expect(holders.length).toBeGreaterThan(0)
      expect((error as Error).message).toContain(holders[0]?.id)
      expect(await snapshot(config, clients)).toEqual(before)
    } finally {
      child.stdin.end('no\n')
      await closed
    }
    expect(await listLocks(config, clients)).toEqual([])
  }, 120_000)

  test('a version of another lineage is refused unless allowed', async () => {
    const a = await fixtureWithHistory([1])
    const b = await fixtureWithHistory([1])
    const foreign = await getStateObject(b.config, b.clients)
    const mine = parseState((await getStateObject(a.config, a.clients))?.bytes ?? '')
    await a.clients.s3.send(
      new PutObjectCommand({ Bucket: a.fx.bucket, Key: a.config.statePath, Body: foreign?.bytes }),
    )
    await putDigest(a.config, a.clients, md5Hex(foreign?.bytes ?? Buffer.alloc(0)))
    const before = await snapshot(a.config, a.clients)

    const error = await rollbackState({
      config: a.config,
      clients: a.clients,
      target: { stepsBack: 1 },
      dryRun: false,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toContain(
      `has lineage ${mine.lineage} but the current state has ${parseState(foreign?.bytes ?? '').lineage}`,
    )
    expect(await snapshot(a.config, a.clients)).toEqual(before)

    const allowed = await rollbackState({
      config: a.config,
      clients: a.clients,
      target: { stepsBack: 1 },
      dryRun: false,
      allowLineageChange: true,
    })
    expect(allowed.preview.lineageChanged).toBe(true)
    const after = parseState((await getStateObject(a.config, a.clients))?.bytes ?? '')
    expect(after.lineage).toBe(mine.lineage)
    const plan = await a.fx.tf(['plan', '-input=false', '-no-color', '-detailed-exitcode', '-var=revision=1'])
    expect(plan.stderr).toBe('')
    expect(plan.code).toBe(0)
  }, 120_000)

  test('a target by version id, an unknown version id and the current version', async () => {
    const versions = await listStateVersions(config, clients)
    const preview = await rollbackState({ config, clients, target: { versionId: versions[2]?.versionId ?? '' } })
    expect(preview.preview.target.versionId).toBe(versions[2]?.versionId)
    await expect(rollbackState({ config, clients, target: { versionId: 'no-such-version' } })).rejects.toThrow(
      /does not exist/,
    )
    await expect(
      rollbackState({ config, clients, target: { versionId: versions[0]?.versionId ?? '' } }),
    ).rejects.toThrow(/already the current state/)
    await expect(rollbackState({ config, clients, target: { stepsBack: versions.length } })).rejects.toThrow(
      /goes past the oldest version/,
    )
  }, 60_000)
})
