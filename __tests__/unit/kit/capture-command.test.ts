import { describe, expect, it } from '@jest/globals'
import { captureCommand, CommandNotFoundError } from '@tfpipe/kit/exec.js'

describe('captureCommand', () => {
  it('keeps a large one-line stdout whole, passes stderr line by line and never throws for an exit code', async () => {
    const lines: string[] = []
    // 3 MB on one line (arrives in many chunks), then two stderr lines, the last without a newline
    const r = await captureCommand(
      'sh',
      ['-c', "head -c 3000000 /dev/zero | tr '\\0' x; printf 'first\\nsecond' >&2; exit 3"],
      { cwd: process.cwd(), onStderrLine: (l) => lines.push(l) },
    )
    expect(r.exitCode).toBe(3)
    expect(r.stdout.length).toBe(3_000_000)
    expect(/^x+$/.test(r.stdout)).toBe(true)
    expect(r.stderr).toBe('first\nsecond')
    expect(lines).toEqual(['first', 'second'])
  })

  it('a binary that is not on PATH is CommandNotFoundError', async () => {
    await expect(captureCommand('tfpipe-no-such-binary', [], { cwd: process.cwd() })).rejects.toBeInstanceOf(
      CommandNotFoundError,
    )
  })
})
