import { afterAll, describe, expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { memoryLogger } from '@tfpipe/kit/logger.js'
import { findStaleLocks, formatAge, localLockInfoPath, parseCreated } from '@tfpipe/drift/locks.js'
import { copyExample, terraform, terraformEnv } from '../../support/terraform.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const waitFor = async (cond: () => boolean, ms: number): Promise<void> => {
  const start = Date.now()
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('stale locks of the local backend', () => {
  test('a lock held by a real terraform apply (waiting for approval) is found with Who, Operation and Created', async () => {
    const dir = copyExample('drift/config')
    dirs.push(dir)
    await terraform(['init', '-input=false', '-no-color'], dir)
    const child = spawn('terraform', ['apply', '-no-color'], {
      cwd: dir,
      env: terraformEnv({ TF_INPUT: '1' }),
      stdio: ['pipe', 'ignore', 'ignore'],
    })
    const exited = new Promise((r) => child.on('close', r))
    try {
      const file = join(dir, '.terraform.tfstate.lock.info')
      await waitFor(() => existsSync(file), 30_000)
      await new Promise((r) => setTimeout(r, 30))
      const opts = { maxAgeMs: 1, now: Date.now, logger: memoryLogger() }
      const locks = await findStaleLocks(dir, 'config', opts)
      expect(locks).toHaveLength(1)
      expect(locks[0]).toMatchObject({ dir: 'config', source: 'local', path: file, operation: 'OperationTypeApply' })
      expect(locks[0]!.who).toMatch(/.+@.+/)
      expect(locks[0]!.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(locks[0]!.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/)
      expect(locks[0]!.ageMs).toBeLessThan(60_000)
      // the same lock is not stale under a 30-minute limit, and the check can be off
      expect(await findStaleLocks(dir, 'config', { ...opts, maxAgeMs: 30 * 60_000 })).toEqual([])
      expect(await findStaleLocks(dir, 'config', { ...opts, maxAgeMs: 0 })).toEqual([])
    } finally {
      child.stdin.end('no\n')
      await exited
    }
    expect(existsSync(join(dir, '.terraform.tfstate.lock.info'))).toBe(false)
    expect(await findStaleLocks(dir, 'config', { maxAgeMs: 1, now: Date.now, logger: memoryLogger() })).toEqual([])
  }, 60_000)

  test('an unreadable lock info file counts as stale (its age cannot be shown to be fresh)', async () => {
    const dir = copyExample('drift/config')
    dirs.push(dir)
    writeFileSync(join(dir, '.terraform.tfstate.lock.info'), 'garbage')
    const locks = await findStaleLocks(dir, 'x', { maxAgeMs: 60_000, now: Date.now, logger: memoryLogger() })
    expect(locks).toHaveLength(1)
    expect(locks[0]!.ageMs).toBe(Number.POSITIVE_INFINITY)
    expect(formatAge(locks[0]!.ageMs)).toBe('unknown age')
  })

  test('a custom local backend path moves the lock info next to it', () => {
    const dir = copyExample('drift/config')
    dirs.push(dir)
    mkdirSync(join(dir, '.terraform'))
    writeFileSync(
      join(dir, '.terraform', 'terraform.tfstate'),
      JSON.stringify({ backend: { type: 'local', config: { path: 'state/prod.tfstate' } } }),
    )
    expect(localLockInfoPath(dir, { path: 'state/prod.tfstate' })).toBe(join(dir, 'state', '.prod.tfstate.lock.info'))
  })

  test('an S3 backend without a lister is skipped; a failing lister is a warning, not a crash', async () => {
    const dir = copyExample('drift/config')
    dirs.push(dir)
    mkdirSync(join(dir, '.terraform'))
    writeFileSync(
      join(dir, '.terraform', 'terraform.tfstate'),
      JSON.stringify({ backend: { type: 's3', config: { bucket: 'b', key: 'k' } } }),
    )
    const logger = memoryLogger()
    expect(await findStaleLocks(dir, 's', { maxAgeMs: 1, now: Date.now, logger })).toEqual([])
    const failing = async (): Promise<never> => {
      throw new Error('AccessDenied')
    }
    expect(await findStaleLocks(dir, 's', { maxAgeMs: 1, now: Date.now, logger, s3Locks: failing })).toEqual([])
    expect(logger.lines).toContain('warning: s: could not read the state locks: AccessDenied')
  })

  test('parseCreated reads terraform nanosecond timestamps and offsets', () => {
    expect(parseCreated('2026-11-22T18:12:37.352471864Z')).toBe(Date.parse('2026-11-22T18:12:37.352Z'))
    expect(parseCreated('2026-11-22T18:12:37Z')).toBe(Date.parse('2026-11-22T18:12:37Z'))
    expect(parseCreated('2026-11-22T19:12:37.5+01:00')).toBe(Date.parse('2026-11-22T18:12:37.500Z'))
    expect(parseCreated(undefined)).toBeNaN()
    expect(formatAge(3 * 3_600_000 + 5 * 60_000)).toBe('3h5m')
    expect(formatAge(49 * 3_600_000)).toBe('2d1h')
  })
})
