/**
 * npm run state-sandbox: a local S3 backend to try `tfpipe state` on, without AWS.
 *   start (default)  starts moto (S3 + DynamoDB) on a free 127.0.0.1 port in the background, creates the
 *                    versioned bucket `tfstate` and the lock table `tflocks`, copies examples/s3-backend
 *                    to .tmp/state-sandbox, inits it against moto and applies it 3 times (revision 1..3:
 *                    3 state versions), writes .tmp/state-sandbox/env.sh and prints its exports.
 *   stop             stops that moto and removes .tmp/state-sandbox.
 * A second start replaces the first. The moto venv comes from scripts/setup/moto.sh (run when missing).
 * Environment: BINARY=tofu uses OpenTofu; STATE_SANDBOX_PORT picks the port.
 */
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  backendConfigHcl,
  createLockTable,
  createStateBucket,
  ensureMotoInstalled,
  freePort,
  MOTO_CREDENTIALS,
  MOTO_REGION,
  motoServerBin,
  repoRoot,
} from '../__tests__/support/moto.js'

const dir = join(repoRoot, '.tmp', 'state-sandbox')
const pidFile = join(dir, 'moto.pid')
const binary = process.env.BINARY || 'terraform'
const REVISIONS = 3

const say = (line: string): void => void process.stderr.write(`state-sandbox: ${line}\n`)

const alive = (pid: number): boolean => {
  try {
    // the pid file's process, only while it still is that moto (a pid can be reused after it exits)
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('moto_server')
  } catch {
    return false
  }
}

async function stop(): Promise<void> {
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').trim())
    if (pid > 0 && alive(pid)) {
      process.kill(pid, 'SIGTERM')
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100))
      if (alive(pid)) process.kill(pid, 'SIGKILL')
      say(`stopped moto (pid ${pid})`)
    }
  }
  rmSync(dir, { recursive: true, force: true })
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
    await res.arrayBuffer()
    return res.ok
  } catch {
    return false
  }
}

/** moto, detached so it outlives this script; its log goes to .tmp/state-sandbox/moto.log. */
async function startMoto(port: number): Promise<void> {
  const log = openSync(join(dir, 'moto.log'), 'a')
  const child = spawn(motoServerBin, ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  })
  child.unref()
  writeFileSync(pidFile, `${child.pid}\n`)
  const started = Date.now()
  while (Date.now() - started < 30_000) {
    if (await answers(`http://127.0.0.1:${port}/moto-api/data.json`)) return
    if (child.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`moto did not answer on 127.0.0.1:${port}; see ${join(dir, 'moto.log')}`)
}

function tf(args: string[]): void {
  const env = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' }
  const r = spawnSync(binary, args, { cwd: dir, env, encoding: 'utf8' })
  if (r.error)
    throw new Error(
      `${binary} could not run (${r.error.message}); install it, or BINARY=tofu with bash scripts/setup/tofu.sh`,
    )
  if (r.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed:\n${(r.stderr || r.stdout).trim()}`)
}

async function start(): Promise<void> {
  await stop()
  mkdirSync(dir, { recursive: true })
  ensureMotoInstalled()
  const port = Number(process.env.STATE_SANDBOX_PORT) || (await freePort())
  await startMoto(port)
  const endpoint = `http://localhost:${port}`
  say(`moto on ${endpoint} (pid ${readFileSync(pidFile, 'utf8').trim()})`)
  await createStateBucket(endpoint, 'tfstate')
  await createLockTable(endpoint, 'tflocks')
  cpSync(join(repoRoot, 'examples', 's3-backend', 'main.tf'), join(dir, 'main.tf'))
  writeFileSync(
    join(dir, 'backend.hcl'),
    backendConfigHcl(endpoint, {
      bucket: 'tfstate',
      key: 'app/terraform.tfstate',
      dynamodbTable: 'tflocks',
      useLockfile: true,
    }),
  )
  tf(['init', '-input=false', '-no-color', '-backend-config=backend.hcl'])
  for (let revision = 1; revision <= REVISIONS; revision++)
    tf(['apply', '-input=false', '-no-color', '-auto-approve', `-var=revision=${revision}`])
  say(
    `${binary}: examples/s3-backend in .tmp/state-sandbox applied ${REVISIONS} times (${REVISIONS} state versions in s3://tfstate/app/terraform.tfstate)`,
  )
  const exports = [
    `export AWS_ACCESS_KEY_ID=${MOTO_CREDENTIALS.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${MOTO_CREDENTIALS.secretAccessKey}`,
    `export AWS_REGION=${MOTO_REGION}`,
    'export AWS_EC2_METADATA_DISABLED=true',
  ].join('\n')
  writeFileSync(join(dir, 'env.sh'), `${exports}\n`)
  say('the exports below are in .tmp/state-sandbox/env.sh; then: npx tfpipe state versions --dir .tmp/state-sandbox')
  say('stop it with: npm run state-sandbox -- stop')
  console.log(exports)
}

const command = process.argv[2] ?? 'start'
if (command === 'stop') await stop()
else if (command === 'start') {
  await start().catch(async (error: unknown) => {
    say(error instanceof Error ? error.message : String(error))
    await stop()
    process.exit(1)
  })
} else {
  say(`unknown command '${command}': use start or stop`)
  process.exit(2)
}
