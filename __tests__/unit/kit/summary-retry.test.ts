import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backoffDelay, retry } from '@tfpipe/kit/retry.js'
import { SUMMARY_LIMIT_BYTES, SummaryBuilder } from '@tfpipe/kit/summary.js'

describe('SummaryBuilder', () => {
  it('never goes over the limit, counting bytes not characters', () => {
    const summary = new SummaryBuilder(100)
    expect(summary.add('é'.repeat(40))).toBe(true) // 80 bytes + newline
    expect(summary.add('x'.repeat(30))).toBe(false)
    expect(summary.add('short')).toBe(true)
    expect(summary.size).toBeLessThanOrEqual(100)
  })

  it('keeps the step summary under 1 MiB and appends to the runner file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sum-')), 'summary.md')
    writeFileSync(file, '')
    const summary = new SummaryBuilder()
    const chunk = 'y'.repeat(100_000)
    let added = 0
    while (summary.add(chunk)) added++
    expect(added).toBe(10)
    const before = process.env.GITHUB_STEP_SUMMARY
    process.env.GITHUB_STEP_SUMMARY = file
    try {
      expect(await summary.write()).toBe(true)
      expect(await summary.write()).toBe(true)
    } finally {
      if (before === undefined) delete process.env.GITHUB_STEP_SUMMARY
      else process.env.GITHUB_STEP_SUMMARY = before
    }
    // Two writes append twice, and the toolkit's buffer does not carry the first into the second.
    expect(Buffer.byteLength(readFileSync(file, 'utf8'))).toBe(2 * summary.size)
    expect(summary.size).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES)
  })

  it('writes nothing and says so when the runner gives no summary file (the CLI)', async () => {
    const before = process.env.GITHUB_STEP_SUMMARY
    delete process.env.GITHUB_STEP_SUMMARY
    try {
      const summary = new SummaryBuilder()
      summary.add('hello')
      expect(await summary.write()).toBe(false)
    } finally {
      if (before !== undefined) process.env.GITHUB_STEP_SUMMARY = before
    }
  })
})

describe('retry', () => {
  it('retries with full-jitter backoff and stops at the attempt limit', async () => {
    const delays: number[] = []
    let calls = 0
    await expect(
      retry(
        async () => {
          calls++
          throw new Error('boom')
        },
        {
          attempts: 4,
          baseDelayMs: 100,
          maxDelayMs: 250,
          sleep: async (ms) => void delays.push(ms),
          random: () => 0.999,
        },
      ),
    ).rejects.toThrow('boom')
    expect(calls).toBe(4)
    expect(delays).toEqual([99, 199, 249])
  })

  it('honours a server delay hint and a non-retryable error', async () => {
    const delays: number[] = []
    let calls = 0
    const result = await retry(
      async () => {
        if (++calls < 3) throw Object.assign(new Error('429'), { retryAfterMs: 1500 })
        return 'ok'
      },
      {
        attempts: 5,
        baseDelayMs: 10,
        maxDelayMs: 10,
        sleep: async (ms) => void delays.push(ms),
        delayHint: (e) => (e as { retryAfterMs?: number }).retryAfterMs,
      },
    )
    expect(result).toBe('ok')
    expect(delays).toEqual([1500, 1500])
    let badCalls = 0
    await expect(
      retry(
        async () => {
          badCalls++
          throw new Error('400 bad')
        },
        { attempts: 5, baseDelayMs: 1, maxDelayMs: 1, shouldRetry: () => false },
      ),
    ).rejects.toThrow('400 bad')
    expect(badCalls).toBe(1)
  })

  it('gives up when the total time budget would be exceeded', async () => {
    let clock = 0
    let calls = 0
    await expect(
      retry(
        async () => {
          calls++
          throw new Error('down')
        },
        {
          attempts: 100,
          baseDelayMs: 1000,
          maxDelayMs: 1000,
          maxTotalMs: 2500,
          random: () => 0.999,
          now: () => clock,
          sleep: async (ms) => void (clock += ms),
        },
      ),
    ).rejects.toThrow('down')
    expect(calls).toBe(3)
    expect(backoffDelay(10, 100, 5000, () => 0.5)).toBe(2500)
  })
})
