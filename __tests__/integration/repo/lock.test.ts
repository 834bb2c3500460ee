// scripts/check-lock.sh (run by .ci/run and CI after `npm ci`): package-lock.json must be exactly what
// `npm install` writes, so a newcomer's first install leaves the clone clean. Runs the real npm against
// a copy of package.json and the lock (the registry answers from npm's cache after the first install).
import { describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../../..')

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfpipe-lock-'))
  mkdirSync(join(dir, 'scripts'))
  for (const f of ['package.json', 'package-lock.json', 'scripts/check-lock.sh'])
    copyFileSync(join(ROOT, f), join(dir, f))
  // the workspaces (packages/*) are part of what npm install resolves
  for (const name of readdirSync(join(ROOT, 'packages'))) {
    mkdirSync(join(dir, 'packages', name), { recursive: true })
    copyFileSync(join(ROOT, 'packages', name, 'package.json'), join(dir, 'packages', name, 'package.json'))
  }
  return dir
}

const check = (dir: string) =>
  spawnSync('bash', [join(dir, 'scripts/check-lock.sh')], { encoding: 'utf8', timeout: 120_000 })

describe('check-lock.sh', () => {
  test("the committed lock is what npm install writes, and lists every platform's optional bindings", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>
    }
    const bindings = Object.keys(lock.packages).filter((k) => k.startsWith('node_modules/@unrs/resolver-binding-'))
    expect(bindings).toEqual(
      expect.arrayContaining([
        'node_modules/@unrs/resolver-binding-darwin-arm64',
        'node_modules/@unrs/resolver-binding-win32-x64-msvc',
      ]),
    )
    const r = check(copy())
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  test('a lock without the other platforms fails with one line saying what to run, and is rewritten', () => {
    const dir = copy()
    const file = join(dir, 'package-lock.json')
    const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, unknown> }
    for (const k of Object.keys(lock.packages)) if (/resolver-binding-(darwin|win32)/.test(k)) delete lock.packages[k]
    writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)
    const r = check(dir)
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split('\n').pop()).toBe(
      'check-lock.sh: package-lock.json is not what npm install writes for package.json: run npm install --no-audit --no-fund and commit package-lock.json',
    )
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'))
  })
})
