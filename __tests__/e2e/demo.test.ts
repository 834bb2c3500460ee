// npm run demo with its two knobs, as the README documents them: ENVIRONMENT and BINARY. The demo runs
// with a PATH that lacks .tools/bin, as `npm run demo` from a shell has it: it must find the tofu that
// scripts/setup/tofu.sh built there on its own.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { delimiter, join } from 'node:path'
import { repoRoot } from '../support/run-action.js'

const tools = join(repoRoot, '.tools', 'bin')
const PATH = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((p) => p !== tools)
  .join(delimiter)

function demo(env: Record<string, string>): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'demo.sh')], {
    cwd: repoRoot,
    env: { PATH, HOME: process.env.HOME ?? '/tmp', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(() => {
  // The pinned OpenTofu, built on demand: minutes the first time on a machine, seconds from Go's caches after.
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'setup', 'tofu.sh'), '--install'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 1_800_000,
  })
  expect(r.status).toBe(0)
}, 1_800_000)

describe('npm run demo', () => {
  it('plans with terraform for dev by default', () => {
    const r = demo({})
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toMatch(
      /^<!-- tfpipe:plan-and-comment env=dev dir=\. fingerprint=[0-9a-f]{64} -->$/,
    )
    expect(r.stdout).toContain('### 📝 Terraform plan: `dev` · `.`')
  })

  it('BINARY=tofu ENVIRONMENT=prod plans with OpenTofu for prod', () => {
    const r = demo({ BINARY: 'tofu', ENVIRONMENT: 'prod' })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('demo: tofu init + plan')
    expect(r.stdout).toContain('### 📝 OpenTofu plan: `prod` · `.`')
    expect(r.stdout).toContain('OpenTofu says: `Plan: 8 to add, 0 to change, 0 to destroy.`')
  })

  it('refuses an unknown BINARY or ENVIRONMENT in one line', () => {
    expect(demo({ BINARY: 'pulumi' })).toEqual({
      code: 2,
      stdout: '',
      stderr: "demo: BINARY must be terraform or tofu; got 'pulumi'\n",
    })
    expect(demo({ ENVIRONMENT: 'prod; rm -rf /' })).toMatchObject({ code: 2, stdout: '' })
  })
})
