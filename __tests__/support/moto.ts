/**
 * A real moto server (S3 + DynamoDB + STS) on a free loopback port, for tests and benchmarks.
 *
 *   const moto = await startMoto()
 *   await createStateBucket(moto.endpoint, 'tfstate')
 *   await createLockTable(moto.endpoint, 'tflocks')
 *   ... terraform init with backendConfigArgs(moto.endpoint, {...}), env: moto.env
 *   await moto.close()
 *
 * The venv is created by scripts/setup/moto.sh (run here when it is missing).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { appendFileSync, existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3'
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'

export const repoRoot = resolve(import.meta.dirname, '..', '..')
export const motoServerBin = join(repoRoot, '.tools', 'moto-venv', 'bin', 'moto_server')

export const MOTO_REGION = 'us-east-1'
export const MOTO_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' }

export interface MotoServer {
  /** `http://localhost:PORT` (terraform and the AWS SDK both accept it). */
  endpoint: string
  port: number
  /** Environment for a child process (terraform, a dist bundle) that must talk to this server. */
  env: Record<string, string>
  close(): Promise<void>
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolvePort(port))
    })
  })
}

/** Installs the moto venv when it is missing (scripts/setup/moto.sh is idempotent). */
export function ensureMotoInstalled(): void {
  if (existsSync(motoServerBin)) return
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'setup', 'moto.sh')], { stdio: 'inherit', timeout: 600_000 })
  if (r.status !== 0 || !existsSync(motoServerBin))
    throw new Error('scripts/setup/moto.sh failed: moto_server is not installed')
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(1000) })
    await res.arrayBuffer()
    return res.ok
  } catch {
    return false
  }
}

/** Starts `moto_server -H 127.0.0.1 -p <free port>` and waits until it answers. */
export async function startMoto(
  options: {
    timeoutMs?: number
    /** Appends moto's request log (one line a request, with its status) here. */ logFile?: string
  } = {},
): Promise<MotoServer> {
  ensureMotoInstalled()
  const timeoutMs = options.timeoutMs ?? 30_000
  for (let attempt = 0; ; attempt++) {
    const port = await freePort()
    const endpoint = `http://localhost:${port}`
    const probe = `http://127.0.0.1:${port}`
    const child: ChildProcess = spawn(motoServerBin, ['-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
    })
    let stderr = ''
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000)
      if (options.logFile) appendFileSync(options.logFile, d)
    })
    let exited = false
    child.on('exit', () => {
      exited = true
    })
    const started = Date.now()
    let ready = false
    while (!exited && Date.now() - started < timeoutMs) {
      if (await answers(probe)) {
        ready = true
        break
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    if (!ready) {
      if (!exited) child.kill('SIGKILL')
      // The port may have been taken between freePort() and bind(): try another one.
      if (attempt < 2 && /address already in use/i.test(stderr)) continue
      throw new Error(
        `moto_server did not answer on ${probe} within ${timeoutMs} ms: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
      )
    }
    const env: Record<string, string> = {
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_REGION: MOTO_REGION,
      AWS_DEFAULT_REGION: MOTO_REGION,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_ENDPOINT_URL_STS: endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
    }
    return {
      endpoint,
      port,
      env,
      close: () =>
        new Promise<void>((resolveClose) => {
          if (exited) {
            resolveClose()
            return
          }
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
          child.once('exit', () => {
            clearTimeout(timer)
            resolveClose()
          })
          child.kill('SIGTERM')
        }),
    }
  }
}

export function motoS3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS })
}

export function motoDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS })
}

/** Creates a bucket with versioning enabled (what a Terraform state bucket must have). */
export async function createStateBucket(endpoint: string, name: string): Promise<void> {
  const s3 = motoS3Client(endpoint)
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }))
    await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }))
  } finally {
    s3.destroy()
  }
}

/** Creates a DynamoDB lock table as the S3 backend expects it (hash key LockID, type S). */
export async function createLockTable(endpoint: string, name: string): Promise<void> {
  const db = motoDynamoClient(endpoint)
  try {
    await db.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'LockID', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
  } finally {
    db.destroy()
  }
}

export interface BackendOptions {
  bucket: string
  key: string
  region?: string
  dynamodbTable?: string
  useLockfile?: boolean
  workspaceKeyPrefix?: string
}

/** The S3 backend settings for a moto server, as name → HCL value text. */
function backendSettings(endpoint: string, options: BackendOptions): [string, string][] {
  const q = (s: string): string => JSON.stringify(s)
  const settings: [string, string][] = [
    ['bucket', q(options.bucket)],
    ['key', q(options.key)],
    ['region', q(options.region ?? MOTO_REGION)],
    ['endpoints', `{ s3 = ${q(endpoint)}, dynamodb = ${q(endpoint)}, sts = ${q(endpoint)} }`],
    ['use_path_style', 'true'],
    ['skip_credentials_validation', 'true'],
    ['skip_requesting_account_id', 'true'],
    ['skip_metadata_api_check', 'true'],
    ['skip_region_validation', 'true'],
    ['access_key', q(MOTO_CREDENTIALS.accessKeyId)],
    ['secret_key', q(MOTO_CREDENTIALS.secretAccessKey)],
  ]
  if (options.dynamodbTable) settings.push(['dynamodb_table', q(options.dynamodbTable)])
  if (options.useLockfile) settings.push(['use_lockfile', 'true'])
  if (options.workspaceKeyPrefix) settings.push(['workspace_key_prefix', q(options.workspaceKeyPrefix)])
  return settings
}

/** `-backend-config=name=value` arguments for `terraform init` against a `backend "s3" {}` block. */
export function backendConfigArgs(endpoint: string, options: BackendOptions): string[] {
  return backendSettings(endpoint, options).map(([name, value]) => {
    // Plain strings go unquoted; HCL values (objects, booleans) are passed as HCL.
    const plain = value.startsWith('"') ? (JSON.parse(value) as string) : value
    return `-backend-config=${name}=${plain}`
  })
}

/** The same settings as an HCL file usable with `terraform init -backend-config=<file>`. */
export function backendConfigHcl(endpoint: string, options: BackendOptions): string {
  return backendSettings(endpoint, options)
    .map(([name, value]) => `${name} = ${value}`)
    .join('\n')
    .concat('\n')
}

/** A complete `terraform { backend "s3" { ... } }` block. */
export function backendBlock(endpoint: string, options: BackendOptions): string {
  const body = backendSettings(endpoint, options)
    .map(([name, value]) => `    ${name} = ${value}`)
    .join('\n')
  return `terraform {\n  backend "s3" {\n${body}\n  }\n}\n`
}
