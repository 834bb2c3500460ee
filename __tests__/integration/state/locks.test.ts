import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { startMoto, type MotoServer } from '../../support/moto.js'
import { readBackendConfig } from '@tfpipe/state/backend-config.js'
import { createStateClients, type StateClients } from '@tfpipe/state/clients.js'
import { acquireLocks, forceUnlock, listLocks, releaseLocks } from '@tfpipe/state/locks.js'
import { lockfileKey, lockItemId, newLockInfo, StateLockedError, type LockInfo } from '@tfpipe/state/lock-info.js'
import { stateFixture, type StateFixture } from '../../support/state-fixture.js'

let moto: MotoServer
let fx: StateFixture
let clients: StateClients

beforeAll(async () => {
  moto = await startMoto()
  fx = await stateFixture(moto, { lockfile: true, dynamodb: true })
  await fx.apply(1)
  clients = createStateClients(readBackendConfig(fx.dir))
}, 120_000)

afterAll(async () => {
  clients?.destroy()
  await moto?.close()
})

function plantedInfo(id: string): LockInfo {
  return {
    ID: id,
    Operation: 'OperationTypeApply',
    Info: '',
    Who: 'alice@build-7',
    Version: '1.11.4',
    Created: '2026-11-20T08:00:00.000000001Z',
    Path: `${fx.bucket}/${fx.key}`,
  }
}

describe('locks, checked against real terraform', () => {
  test('terraform refuses to plan while our locks are held, names our lock ID, and plans again after release', async () => {
    const config = readBackendConfig(fx.dir)
    const info = newLockInfo({ config, operation: 'OperationTypeRollback', who: 'tfpipe test', info: 'locks test' })
    const acquired = await acquireLocks(config, clients, info)
    expect(acquired.kinds).toEqual(['lockfile', 'dynamodb'])
    const locks = await listLocks(config, clients)
    expect(locks.map((l) => [l.kind, l.id]).sort()).toEqual([
      ['dynamodb', info.ID],
      ['lockfile', info.ID],
    ])

    const blocked = await fx.tf(['plan', '-input=false', '-no-color', '-lock-timeout=0s'])
    expect(blocked.code).toBe(1)
    expect(blocked.stderr).toContain('Error acquiring the state lock')
    expect(blocked.stderr).toContain(info.ID)
    expect(blocked.stderr).toContain('tfpipe test')

    await releaseLocks(config, clients, acquired)
    expect(acquired.kinds).toEqual([])
    expect(await listLocks(config, clients)).toEqual([])
    const ok = await fx.tf(['plan', '-input=false', '-no-color', '-lock-timeout=0s'])
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
  }, 120_000)

  test('terraform force-unlock releases a lock we left behind (our LockInfo is what terraform expects)', async () => {
    const config = readBackendConfig(fx.dir)
    const info = newLockInfo({ config, operation: 'OperationTypeRollback', who: 'tfpipe crashed run' })
    await acquireLocks(config, clients, info)
    const unlock = await fx.tf(['force-unlock', '-force', '-no-color', info.ID])
    expect(unlock.stderr).toBe('')
    expect(unlock.code).toBe(0)
    expect(await listLocks(config, clients)).toEqual([])
  }, 60_000)

  test('a planted DynamoDB lock item is reported and blocks acquisition, naming who, when and which operation', async () => {
    const config = readBackendConfig(fx.dir)
    const planted = plantedInfo('11111111-2222-3333-4444-555555555555')
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: fx.table,
        Item: { LockID: { S: lockItemId(config) }, Info: { S: JSON.stringify(planted) } },
      }),
    )
    try {
      const locks = await listLocks(config, clients)
      expect(locks).toHaveLength(1)
      expect(locks[0]).toMatchObject({ kind: 'dynamodb', id: planted.ID, statePath: fx.key, info: planted })
      expect(locks[0]?.created?.toISOString()).toBe('2026-11-20T08:00:00.000Z')

      const ours = newLockInfo({ config, operation: 'OperationTypeRollback', who: 'me' })
      const error = await acquireLocks(config, clients, ours).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StateLockedError)
      const message = (error as Error).message
      expect(message).toContain('alice@build-7')
      expect(message).toContain('2026-11-20T08:00:00.000000001Z')
      expect(message).toContain('OperationTypeApply')
      expect(message).toContain(`terraform force-unlock ${planted.ID}`)
      // The lock file it had taken first was released again; the planted item is untouched.
      const file = await clients.s3
        .send(new GetObjectCommand({ Bucket: fx.bucket, Key: lockfileKey(config) }))
        .catch((e: unknown) => e)
      expect((file as { name?: string }).name).toBe('NoSuchKey')
      const item = await clients.dynamodb.send(
        new GetItemCommand({ TableName: fx.table, Key: { LockID: { S: lockItemId(config) } } }),
      )
      expect(item.Item?.Info?.S).toBe(JSON.stringify(planted))
    } finally {
      expect(await forceUnlock(config, clients, planted.ID)).toEqual(['dynamodb'])
    }
    expect(await listLocks(config, clients)).toEqual([])
  }, 60_000)

  test('a planted .tflock is reported, blocks acquisition, and acquisition waits until it is released (lock timeout)', async () => {
    const config = readBackendConfig(fx.dir)
    const planted = plantedInfo('66666666-7777-8888-9999-000000000000')
    await clients.s3.send(
      new PutObjectCommand({ Bucket: fx.bucket, Key: lockfileKey(config), Body: JSON.stringify(planted) }),
    )
    const locks = await listLocks(config, clients)
    expect(locks).toHaveLength(1)
    expect(locks[0]).toMatchObject({ kind: 'lockfile', id: planted.ID, location: `s3://${fx.bucket}/${fx.key}.tflock` })

    const ours = newLockInfo({ config, operation: 'OperationTypeRollback', who: 'me' })
    const refused = await acquireLocks(config, clients, ours, { timeoutMs: 0 }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(StateLockedError)
    expect((refused as StateLockedError).lock.kind).toBe('lockfile')
    expect((refused as Error).message).toContain('alice@build-7')

    // With a timeout it retries; the holder goes away during the wait.
    let sleeps = 0
    const acquired = await acquireLocks(config, clients, ours, {
      timeoutMs: 60_000,
      sleep: async () => {
        sleeps++
        if (sleeps === 2)
          await clients.s3.send(new DeleteObjectCommand({ Bucket: fx.bucket, Key: lockfileKey(config) }))
      },
    })
    expect(sleeps).toBe(2)
    expect(acquired.kinds).toEqual(['lockfile', 'dynamodb'])
    await releaseLocks(config, clients, acquired)
    expect(await listLocks(config, clients)).toEqual([])
  }, 60_000)

  test('listLocks allStates reports the locks of every workspace in the table and bucket', async () => {
    const config = readBackendConfig(fx.dir)
    const other = { ...config, workspace: 'staging', statePath: `env:/staging/${fx.key}` }
    const a = await acquireLocks(config, clients, newLockInfo({ config, operation: 'A', who: 'a' }))
    const b = await acquireLocks(other, clients, newLockInfo({ config: other, operation: 'B', who: 'b' }))
    try {
      const all = await listLocks(config, clients, { allStates: true })
      expect(all.map((l) => `${l.kind} ${l.statePath} ${l.info?.Operation}`).sort()).toEqual([
        `dynamodb ${fx.key} A`,
        `dynamodb env:/staging/${fx.key} B`,
        `lockfile ${fx.key} A`,
        `lockfile env:/staging/${fx.key} B`,
      ])
      // The digest item terraform keeps in the same table is not a lock.
      expect(all.some((l) => l.location.endsWith('-md5'))).toBe(false)
    } finally {
      await releaseLocks(config, clients, a)
      await releaseLocks(other, clients, b)
    }
  }, 60_000)
})
