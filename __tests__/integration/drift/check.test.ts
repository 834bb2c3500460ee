import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { copyExample, ensureProviderMirror, repoRoot as root, terraformEnv } from '../../support/terraform.js'
import { memoryLogger } from '@tfpipe/kit/logger.js'
import { checkStack, checkStacks, planArgs } from '@tfpipe/drift/check.js'
import { spawnRunner, tail } from '@tfpipe/drift/exec.js'

// hashicorp/local comes from the mirror scripts/setup/provider-local.sh builds (.ci/run runs it).
ensureProviderMirror()
const env = terraformEnv()

let work: string
const tf = (dir: string, ...args: string[]): string =>
  execFileSync('terraform', args, { cwd: dir, env, encoding: 'utf8' })

beforeAll(() => {
  work = copyExample('drift')
  for (const s of ['app', 'network', 'config']) {
    tf(join(work, s), 'init', '-input=false', '-no-color')
    tf(join(work, s), 'apply', '-auto-approve', '-input=false', '-no-color')
  }
}, 180_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

const options = (over: Partial<Parameters<typeof checkStack>[2]> = {}): Parameters<typeof checkStack>[2] => ({
  binary: 'terraform',
  mode: 'full',
  varFiles: [],
  tempDir: work,
  runner: spawnRunner(env),
  logger: memoryLogger(),
  ...over,
})

describe('checkStack with real terraform and hashicorp/local', () => {
  test('a freshly applied stack is clean (exit 0)', async () => {
    const r = await checkStack(join(work, 'app'), 'stacks/app', options())
    expect(r).toMatchObject({ dir: 'stacks/app', status: 'clean', exitCode: 0, drift: [], pending: [] })
  })

  test('a file changed outside terraform is drift (resource_drift) plus the re-create it causes (resource_changes)', async () => {
    const dir = join(work, 'app')
    writeFileSync(join(dir, 'app.conf'), 'replicas = 9\n')
    try {
      const r = await checkStack(dir, 'stacks/app', options())
      expect(r.status).toBe('drifted')
      expect(r.exitCode).toBe(2)
      expect(r.drift).toEqual([{ address: 'local_file.app_config', kind: 'delete', attributes: expect.any(Array) }])
      expect(r.pending).toEqual([{ address: 'local_file.app_config', kind: 'create', attributes: expect.any(Array) }])
      // refresh-only: the same drift, nothing pending
      const refresh = await checkStack(dir, 'stacks/app', options({ mode: 'refresh-only' }))
      expect(refresh.status).toBe('drifted')
      expect(refresh.drift.map((d) => d.address)).toEqual(['local_file.app_config'])
      expect(refresh.pending).toEqual([])
    } finally {
      tf(dir, 'apply', '-auto-approve', '-input=false', '-no-color')
    }
    expect((await checkStack(dir, 'stacks/app', options())).status).toBe('clean')
  })

  test('a var-file missing in a stack makes that stack an error, never a false "clean"', async () => {
    const dir = join(work, 'config')
    writeFileSync(join(dir, 'next.tfvars'), 'release = "2026.12.0"\n')
    const r = await checkStack(dir, 'stacks/config', options({ varFiles: ['next.tfvars', 'nope.tfvars'] }))
    expect(r).toMatchObject({
      status: 'error',
      drift: [],
      pending: [],
      error:
        "var-file 'nope.tfvars' not found in stacks/config (paths are relative to each working directory): fix the var-file input or add the file; the stack was not planned.",
    })
  })

  test('unapplied code changes are pending, not drift; var-files are passed', async () => {
    const dir = join(work, 'config')
    writeFileSync(join(dir, 'next.tfvars'), 'release = "2026.12.0"\n')
    const logger = memoryLogger()
    const r = await checkStack(dir, 'stacks/config', options({ varFiles: ['next.tfvars'], logger }))
    expect(r.status).toBe('drifted')
    expect(r.drift).toEqual([])
    expect(r.pending.map((p) => [p.address, p.kind])).toEqual([['terraform_data.release', 'update']])
    expect(r.pending[0]!.attributes).toContain('input')
    // refresh-only ignores code changes: nothing drifted
    expect(
      (await checkStack(dir, 'stacks/config', options({ varFiles: ['next.tfvars'], mode: 'refresh-only' }))).status,
    ).toBe('clean')
  })

  test("a failing plan (exit 1) is an error with terraform's message, never drift; init runs when .terraform is missing", async () => {
    const r = await checkStack(join(work, 'broken'), 'stacks/broken', options())
    expect(r.status).toBe('error')
    expect(r.exitCode).toBe(1)
    expect(r.drift).toEqual([])
    expect(r.error).toMatch(/^terraform plan failed \(exit 1\)/)
    expect(r.error).toContain('no file exists')
  })

  test('an uninitialised stack is initialised first', async () => {
    const dir = join(work, 'fresh')
    cpSync(join(root, 'examples', 'drift', 'network'), dir, { recursive: true })
    const r = await checkStack(dir, 'fresh', options())
    expect(r.initialised).toBe(true)
    expect(existsSync(join(dir, '.terraform'))).toBe(true)
    expect(r.status).toBe('drifted')
    expect(r.pending.map((p) => p.address)).toEqual(['local_file.firewall', 'local_file.routes'])
  })

  test('a missing binary is an error, not a crash', async () => {
    const r = await checkStack(join(work, 'app'), 'stacks/app', options({ binary: 'no-such-terraform-binary' }))
    expect(r.status).toBe('error')
    expect(r.error).toContain('no-such-terraform-binary')
  })

  test('checkStacks runs every stack and keeps their order', async () => {
    const ids = ['app', 'broken', 'network']
    const rs = await checkStacks(
      ids.map((id) => ({ dir: join(work, id), id })),
      options(),
    )
    expect(rs.map((r) => [r.dir, r.status])).toEqual([
      ['app', 'clean'],
      ['broken', 'error'],
      ['network', 'clean'],
    ])
  })
})

describe('helpers', () => {
  test('planArgs: never locks, never prompts, detailed exit code, refresh-only and var files', () => {
    expect(planArgs('full', '/t/p', [])).toEqual([
      'plan',
      '-detailed-exitcode',
      '-lock=false',
      '-input=false',
      '-no-color',
      '-out=/t/p',
    ])
    expect(planArgs('refresh-only', '/t/p', ['a.tfvars'])).toEqual([
      'plan',
      '-detailed-exitcode',
      '-lock=false',
      '-input=false',
      '-no-color',
      '-out=/t/p',
      '-refresh-only',
      '-var-file=a.tfvars',
    ])
  })
  test('tail drops colours, gutters and blank lines', () => {
    expect(tail('\u001b[31m╷\n│ Error: boom\n│\n╵\n', 5)).toBe('Error: boom')
    expect(tail(Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n'), 3)).toBe('l27\nl28\nl29')
  })
})
