/** Shared setup for the state tests: a terraform dir with the S3 backend on a moto server. */
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { backendConfigHcl, createLockTable, createStateBucket, repoRoot, type MotoServer } from './moto.js'

export const terraformBin = process.env.TERRAFORM_BIN ?? 'terraform'

export interface TfResult {
  code: number
  stdout: string
  stderr: string
}

export interface StateFixture {
  dir: string
  bucket: string
  key: string
  table: string
  env: Record<string, string>
  tf(args: string[], options?: { timeoutMs?: number; env?: Record<string, string> }): Promise<TfResult>
  /** `terraform apply` with var revision=N; throws on failure. */
  apply(revision: number): Promise<void>
}

export function runTerraform(
  dir: string,
  env: Record<string, string>,
  args: string[],
  timeoutMs = 120_000,
  binary = terraformBin,
): Promise<TfResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

/** A fresh bucket (+ table), a copy of examples/s3-backend, `terraform init` done. */
export async function stateFixture(
  moto: MotoServer,
  options: {
    lockfile?: boolean
    dynamodb?: boolean
    key?: string
    workspaceKeyPrefix?: string
    /** terraform (default) or tofu */ binary?: string
  } = {},
): Promise<StateFixture> {
  const id = randomBytes(4).toString('hex')
  const bucket = `tfstate-${id}`
  const table = `tflocks-${id}`
  const key = options.key ?? 'app/terraform.tfstate'
  await createStateBucket(moto.endpoint, bucket)
  const dynamodb = options.dynamodb ?? true
  if (dynamodb) await createLockTable(moto.endpoint, table)
  const dir = mkdtempSync(join(tmpdir(), 'tfpipe-state-'))
  cpSync(join(repoRoot, 'examples', 's3-backend', 'main.tf'), join(dir, 'main.tf'))
  const backend: Parameters<typeof backendConfigHcl>[1] = { bucket, key, useLockfile: options.lockfile ?? true }
  if (dynamodb) backend.dynamodbTable = table
  if (options.workspaceKeyPrefix) backend.workspaceKeyPrefix = options.workspaceKeyPrefix
  writeFileSync(join(dir, '.terraformrc'), '')
  writeFileSync(join(dir, 'backend.hcl'), backendConfigHcl(moto.endpoint, backend))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    TF_CLI_CONFIG_FILE: join(dir, '.terraformrc'),
    CHECKPOINT_DISABLE: '1',
    ...moto.env,
  }
  const tf = (args: string[], o: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<TfResult> =>
    runTerraform(dir, { ...env, ...o.env }, args, o.timeoutMs, options.binary)
  const init = await tf(['init', '-input=false', '-no-color', '-backend-config=backend.hcl'])
  if (init.code !== 0) throw new Error(`${options.binary ?? terraformBin} init failed: ${init.stderr}${init.stdout}`)
  return {
    dir,
    bucket,
    key,
    table,
    env,
    tf,
    async apply(revision: number) {
      const r = await tf(['apply', '-auto-approve', '-input=false', '-no-color', `-var=revision=${revision}`])
      if (r.code !== 0) throw new Error(`terraform apply (revision ${revision}) failed: ${r.stderr}${r.stdout}`)
    },
  }
}
