/**
 * rollback-state end to end against a real moto server with 1,000 versions of one state:
 * the preview, the write (locks + backup + digest + verify) by steps-back, by version id, and
 * 999 steps back (the whole history listed). Prints a markdown table of medians. Target: ≤ 3 s.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { createLockTable, createStateBucket, MOTO_CREDENTIALS, startMoto } from '../../__tests__/support/moto.js'
import { backendConfigFromSettings } from '@tfpipe/state/backend-config.js'
import { createStateClients } from '@tfpipe/state/clients.js'
import { putDigest } from '@tfpipe/state/digest.js'
import { rollbackState } from '@tfpipe/state/rollback.js'
import { type RollbackOptions } from '@tfpipe/state/rollback-model.js'
import { md5Hex } from '@tfpipe/state/state-file.js'
import { listStateVersions } from '@tfpipe/state/versions.js'

const VERSIONS = 1000
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const TARGET_MS = 3000

function state(serial: number): string {
  // ~40 resources: a realistic small-to-medium state (~20 KB).
  const resources = Array.from({ length: 40 }, (_, i) => ({
    mode: 'managed',
    type: 'terraform_data',
    name: `r${i}`,
    provider: 'provider["terraform.io/builtin/terraform"]',
    instances: [
      {
        schema_version: 0,
        attributes: {
          id: `id-${i}`,
          input: { value: `v${serial}-${i}`.repeat(8), type: 'string' },
          output: null,
          triggers_replace: null,
        },
      },
    ],
  }))
  return `${JSON.stringify({ version: 4, terraform_version: '1.11.4', serial, lineage: 'bench-lineage', outputs: {}, resources, check_results: null }, null, 2)}\n`
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

async function main(): Promise<void> {
  const moto = await startMoto()
  try {
    await createStateBucket(moto.endpoint, 'bench-state')
    await createLockTable(moto.endpoint, 'bench-locks')
    const config = backendConfigFromSettings({
      bucket: 'bench-state',
      key: 'prod/terraform.tfstate',
      region: 'us-east-1',
      endpoint: moto.endpoint,
      dynamodbTable: 'bench-locks',
      useLockfile: true,
    })
    const clients = createStateClients(config, { credentials: MOTO_CREDENTIALS })
    const setupStart = Date.now()
    let last = ''
    for (let serial = 1; serial <= VERSIONS; serial++) {
      last = state(serial)
      await clients.s3.send(new PutObjectCommand({ Bucket: config.bucket, Key: config.statePath, Body: last }))
    }
    await putDigest(config, clients, md5Hex(Buffer.from(last)))
    const setupMs = Date.now() - setupStart

    const rows: [string, number[]][] = []
    const time = async (name: string, runs: number, fn: () => Promise<unknown>): Promise<void> => {
      const samples: number[] = []
      for (let i = 0; i < runs; i++) {
        const t = performance.now()
        await fn()
        samples.push(performance.now() - t)
      }
      rows.push([name, samples])
    }
    const base: Omit<RollbackOptions, 'target'> = { config, clients }
    await time('preview (dry run), steps-back 1', RUNS, () => rollbackState({ ...base, target: { stepsBack: 1 } }))
    await time('rollback write, steps-back 1', RUNS, () =>
      rollbackState({ ...base, target: { stepsBack: 1 }, dryRun: false }),
    )
    const versions = await listStateVersions(config, clients)
    await time('rollback write, by version id (deploy tag)', RUNS, async () => {
      const current = (await listStateVersions(config, clients, { limit: 1 }))[0]?.versionId
      const target = versions.find((v) => v.versionId !== current)?.versionId ?? ''
      return rollbackState({ ...base, target: { versionId: target }, dryRun: false })
    })
    await time('list all versions', Math.min(RUNS, 3), () => listStateVersions(config, clients))
    await time('rollback write, steps-back 999 (whole history listed)', Math.min(RUNS, 3), () =>
      rollbackState({ ...base, target: { stepsBack: 999 }, dryRun: false }),
    )
    clients.destroy()

    console.log(
      `rollback-state against moto, ${VERSIONS} versions of a ${(Buffer.byteLength(last) / 1024).toFixed(0)} KiB state (setup ${(setupMs / 1000).toFixed(1)} s), lockfile + DynamoDB locks\n`,
    )
    console.log('| operation | runs | median ms | min ms | max ms | target |')
    console.log('| --- | --- | --- | --- | --- | --- |')
    for (const [name, samples] of rows) {
      const m = median(samples)
      const target = name.startsWith('rollback write')
        ? m <= TARGET_MS
          ? `≤ ${TARGET_MS} ✅`
          : `≤ ${TARGET_MS} ❌`
        : ''
      console.log(
        `| ${name} | ${samples.length} | ${m.toFixed(0)} | ${Math.min(...samples).toFixed(0)} | ${Math.max(...samples).toFixed(0)} | ${target} |`,
      )
    }
  } finally {
    await moto.close()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
