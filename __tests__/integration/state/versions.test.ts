import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { createLockTable, createStateBucket, MOTO_CREDENTIALS, startMoto, type MotoServer } from '../../support/moto.js'
import { backendConfigFromSettings, type BackendConfig } from '@tfpipe/state/backend-config.js'
import { createStateClients, type StateClients } from '@tfpipe/state/clients.js'
import { currentStateVersion } from '@tfpipe/state/current.js'
import { putDigest, getDigest } from '@tfpipe/state/digest.js'
import { rollbackState } from '@tfpipe/state/rollback.js'
import { md5Hex, parseState } from '@tfpipe/state/state-file.js'
import { listStateVersions } from '@tfpipe/state/versions.js'

let moto: MotoServer
let config: BackendConfig
let clients: StateClients
const putOrder: string[] = []

function stateText(serial: number): string {
  return `${JSON.stringify(
    {
      version: 4,
      terraform_version: '1.11.4',
      serial,
      lineage: '0b5c7d54-0000-4000-8000-000000000001',
      outputs: {},
      resources: [
        {
          mode: 'managed',
          type: 'terraform_data',
          name: 'app',
          provider: 'provider["terraform.io/builtin/terraform"]',
          instances: [{ schema_version: 0, attributes: { id: 'x', input: { value: `r${serial}`, type: 'string' } } }],
        },
      ],
      check_results: null,
    },
    null,
    2,
  )}\n`
}

beforeAll(async () => {
  moto = await startMoto()
  await createStateBucket(moto.endpoint, 'bulk')
  await createLockTable(moto.endpoint, 'bulk-locks')
  config = backendConfigFromSettings({
    bucket: 'bulk',
    key: 'big/terraform.tfstate',
    region: 'us-east-1',
    endpoint: moto.endpoint,
    dynamodbTable: 'bulk-locks',
    useLockfile: true,
  })
  clients = createStateClients(config, { credentials: MOTO_CREDENTIALS })
  // 1,000 versions of the state, interleaved with lock file versions, delete markers and look-alike keys.
  for (let serial = 1; serial <= 1000; serial++) {
    const res = await clients.s3.send(
      new PutObjectCommand({ Bucket: 'bulk', Key: config.statePath, Body: stateText(serial) }),
    )
    putOrder.push(res.VersionId ?? '')
    if (serial % 100 === 0) {
      await clients.s3.send(new PutObjectCommand({ Bucket: 'bulk', Key: `${config.statePath}.tflock`, Body: '{}' }))
      await clients.s3.send(new DeleteObjectCommand({ Bucket: 'bulk', Key: `${config.statePath}.tflock` }))
      await clients.s3.send(
        new PutObjectCommand({ Bucket: 'bulk', Key: `${config.statePath}.backup`, Body: stateText(serial) }),
      )
      await clients.s3.send(new PutObjectCommand({ Bucket: 'bulk', Key: `big/terraform.tfstat`, Body: 'x' }))
    }
  }
  await putDigest(config, clients, md5Hex(Buffer.from(stateText(1000))))
}, 300_000)

afterAll(async () => {
  clients?.destroy()
  await moto?.close()
})

describe('state versions', () => {
  test('1,000 versions paginate (small pages too), only the state key, no delete markers, newest first', async () => {
    for (const pageSize of [1000, 300]) {
      const versions = await listStateVersions(config, clients, { pageSize })
      expect(versions).toHaveLength(1000)
      expect(versions.map((v) => v.versionId)).toEqual([...putOrder].reverse())
      expect(versions[0]?.isLatest).toBe(true)
      expect(versions.filter((v) => v.isLatest)).toHaveLength(1)
      expect(versions[999]?.size).toBe(Buffer.byteLength(stateText(1)))
    }
  }, 120_000)

  test('currentStateVersion reads the latest version id, serial and lineage', async () => {
    expect(await currentStateVersion(config, clients)).toEqual({
      versionId: putOrder[999],
      serial: 1000,
      lineage: '0b5c7d54-0000-4000-8000-000000000001',
      md5: md5Hex(Buffer.from(stateText(1000))),
      size: Buffer.byteLength(stateText(1000)),
    })
    const missing = { ...config, statePath: 'nothing/here.tfstate' }
    expect(await currentStateVersion(missing, clients)).toBeNull()
  })

  test('steps-back 999 restores the very first of 1,000 versions', async () => {
    const result = await rollbackState({ config, clients, target: { stepsBack: 999 }, dryRun: false })
    expect(result.restoredVersionId).toBe(putOrder[0])
    expect(result.preview.diff.changed).toEqual(['terraform_data.app'])
    const now = await currentStateVersion(config, clients)
    expect(now).toMatchObject({ versionId: result.newVersionId, serial: 1001 })
    expect(await getDigest(config, clients)).toBe(now?.md5)
    const versions = await listStateVersions(config, clients)
    expect(versions).toHaveLength(1001)
    expect(parseState(stateText(1)).resources[0]?.instances[0]?.attributes).toEqual({
      id: 'x',
      input: { value: 'r1', type: 'string' },
    })
  }, 60_000)
})
