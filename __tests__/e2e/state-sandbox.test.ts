// Keeps the README true: runs its "Try the state commands locally" block as written (npm run
// state-sandbox: moto, bucket, lock table, examples/s3-backend applied three times; then the README's
// tfpipe state lines against it), and checks what each line prints. Every `tfpipe state` line of the
// README must be in that block, so none can go stale elsewhere.
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../support/run-action.js'

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
const section = readme.slice(readme.indexOf('### Try the state commands locally'))
const block = (/```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '').trimEnd().split('\n')
const pidFile = join(repoRoot, '.tmp', 'state-sandbox', 'moto.pid')
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', npm_config_update_notifier: 'false' }

afterAll(() => {
  spawnSync('npm', ['run', '--silent', 'state-sandbox', '--', 'stop'], { cwd: repoRoot, env, stdio: 'ignore' })
})

describe('README: try the state commands locally', () => {
  it('the block holds every tfpipe state line of the README', () => {
    const stateLines = readme
      .split('\n')
      .filter((l) => /tfpipe state (versions|rollback|locks|unlock)/.test(l) && !l.includes('--help'))
    expect(stateLines.length).toBeGreaterThanOrEqual(4)
    expect(stateLines.filter((l) => !block.includes(l))).toEqual([])
  })

  it('runs as written', () => {
    expect(block[0]).toMatch(/^npm run state-sandbox/)
    expect(block.at(-1)).toBe('npm run state-sandbox -- stop')
    // One bash, line by line (so `source` carries over), each line's output after a marker.
    const script = [
      'set -euo pipefail',
      ...block.flatMap((line, i) => [`echo "::: ${i}" >&2; echo "::: ${i}"`, line]),
    ].join('\n')
    const r = spawnSync('bash', ['-c', script], { cwd: repoRoot, env, encoding: 'utf8', timeout: 300_000 })
    const out = (i: number): string => r.stdout.split(`::: ${i}\n`)[1]?.split(/^::: \d+$/m)[0] ?? ''
    expect({ code: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' })
    const rows = (text: string): string[] => text.split('\n').filter((l) => /^\d+\s+\S+\s+\S+Z\s+\d+\s+\d+/.test(l))
    const at = (pattern: RegExp): number => block.findIndex((l) => pattern.test(l))
    const firstVersions = at(/state versions/)
    const preview = at(/state rollback(?!.*--yes)/)
    const write = at(/state rollback.*--yes/)
    const secondVersions = block.findIndex((l, i) => i > write && l.includes('state versions'))
    expect(out(0)).toContain('export AWS_ACCESS_KEY_ID=test')
    expect(rows(out(firstVersions))).toHaveLength(3)
    expect(rows(out(firstVersions))[0]).toMatch(/^0\s+\S+\s+\S+\s+\d+\s+3\s+current$/)
    expect(out(preview)).toContain('dry run: nothing written; add --yes to restore.')
    expect(out(preview)).toContain('  - terraform_data.worker[0]')
    expect(out(write)).toMatch(/^restored: new version \S+/m)
    expect(rows(out(secondVersions))).toHaveLength(4)
    expect(rows(out(secondVersions))[0]).toMatch(/^0\s+\S+\s+\S+\s+\d+\s+4\s+current$/)
    expect(out(at(/state locks/))).toContain('no locks held')
    // the last line stopped moto and removed the sandbox
    expect(existsSync(pidFile)).toBe(false)
    const pid = /moto on http:\/\/localhost:\d+ \(pid (\d+)\)/.exec(r.stderr)?.[1]
    expect(pid).toBeDefined()
    const cmdline = join('/proc', pid!, 'cmdline')
    expect(existsSync(cmdline) && readFileSync(cmdline, 'utf8').includes('moto_server')).toBe(false)
  }, 300_000)
})
