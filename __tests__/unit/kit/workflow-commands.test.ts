import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ours from '../../../packages/kit/src/workflow-commands.js'

/**
 * packages/kit/src/workflow-commands.ts replaces @actions/core in the bundles: every function must write
 * exactly what @actions/core 3.0.1 writes (stdout, GITHUB_OUTPUT, process.exitCode).
 */

const MESSAGES = [
  '',
  'plain message',
  'percent % and %25 and %0A literal',
  'line one\nline two\r\nline three\rend',
  'colons: a:b, commas, and ::double:: colons',
  'unicode ✓ ♻️ \u200d @mention <b>html</b>',
  '::error::injected',
  '%%\n\n\r\r',
]

const PROPERTIES: core.AnnotationProperties[] = [
  {},
  { title: 'a title' },
  { title: 'title: with, specials %\r\n', file: 'dir/a,b:c.tf', startLine: 3, endLine: 4, startColumn: 1, endColumn: 9 },
  { title: '', file: undefined, startLine: 0 },
  { startLine: 12 },
]

function capture(fn: () => void): { stdout: string; exitCode: typeof process.exitCode } {
  let stdout = ''
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }) as typeof process.stdout.write)
  const before = process.exitCode
  process.exitCode = undefined
  try {
    fn()
  } finally {
    spy.mockRestore()
  }
  const exitCode = process.exitCode
  process.exitCode = before
  return { stdout, exitCode }
}

function same(a: () => void, b: () => void): void {
  const x = capture(a)
  const y = capture(b)
  expect(x.stdout).not.toBe('')
  expect(y).toEqual(x)
}

const saved = { ...process.env }
beforeEach(() => {
  delete process.env.GITHUB_OUTPUT
})
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
  Object.assign(process.env, saved)
})

describe('workflow commands match @actions/core', () => {
  it.each(MESSAGES)('info, debug, setSecret, setFailed: %j', (message) => {
    same(() => core.info(message), () => ours.info(message))
    same(() => core.debug(message), () => ours.debug(message))
    same(() => core.setSecret(message), () => ours.setSecret(message))
    same(() => core.setFailed(message), () => ours.setFailed(message))
  })

  it.each(MESSAGES)('error, warning, notice with every property set: %j', (message) => {
    for (const props of PROPERTIES) {
      same(() => core.error(message, props), () => ours.error(message, props))
      same(() => core.warning(message, props), () => ours.warning(message, props))
      same(() => core.notice(message, props), () => ours.notice(message, props))
    }
    same(() => core.error(message), () => ours.error(message))
    same(() => core.warning(message), () => ours.warning(message))
  })

  it('annotations of an Error use its toString()', () => {
    const e = new TypeError('bad\nthing %')
    same(() => core.error(e), () => ours.error(e))
    same(() => core.warning(e, { title: 't' }), () => ours.warning(e, { title: 't' }))
    same(() => core.setFailed(e), () => ours.setFailed(e))
  })

  it('getInput: names with spaces and dashes, trimming, required', () => {
    process.env['INPUT_PLAN-FILE'] = '  tfplan \n'
    process.env.INPUT_MY_INPUT = ' x '
    process.env.INPUT_EMPTY = ''
    for (const name of ['plan-file', 'Plan-File', 'my input', 'empty', 'absent']) {
      expect(ours.getInput(name)).toBe(core.getInput(name))
      expect(ours.getInput(name, { trimWhitespace: false })).toBe(core.getInput(name, { trimWhitespace: false }))
      expect(ours.getInput(name, { trimWhitespace: true })).toBe(core.getInput(name, { trimWhitespace: true }))
    }
    expect(() => ours.getInput('absent', { required: true })).toThrow('Input required and not supplied: absent')
    expect(() => core.getInput('absent', { required: true })).toThrow('Input required and not supplied: absent')
  })

  it('setOutput without GITHUB_OUTPUT: the legacy set-output command', () => {
    for (const value of ['', 'v', 'multi\nline\r\n%', '{"a":1}']) {
      same(() => core.setOutput('name', value), () => ours.setOutput('name', value))
      same(() => core.setOutput('odd, name:%', value), () => ours.setOutput('odd, name:%', value))
    }
    same(() => core.setOutput('n', 42), () => ours.setOutput('n', 42))
    same(() => core.setOutput('n', { a: [1, 'x'] }), () => ours.setOutput('n', { a: [1, 'x'] }))
    same(() => core.setOutput('n', null), () => ours.setOutput('n', null))
  })

  it('setOutput with GITHUB_OUTPUT: the same heredoc entries (delimiters are random)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfcmd-'))
    const run = (impl: typeof ours.setOutput): string => {
      const file = join(dir, `out-${Math.random()}`)
      writeFileSync(file, '')
      process.env.GITHUB_OUTPUT = file
      const out = capture(() => {
        impl('plain', 'value')
        impl('multi', 'line one\nline two\r\n\n%')
        impl('json', { counts: { add: 1 }, list: ['a'] })
        impl('number', 3)
        impl('empty', '')
        impl('nothing', undefined)
      })
      expect(out.stdout).toBe('')
      const text = readFileSync(file, 'utf8')
      const delimiters = [...text.matchAll(/<<(ghadelimiter_[0-9a-f-]{36})\n/g)].map((m) => m[1])
      expect(delimiters).toHaveLength(6)
      expect(new Set(delimiters).size).toBe(6)
      return text.replace(/ghadelimiter_[0-9a-f-]{36}/g, 'ghadelimiter_X')
    }
    expect(run(ours.setOutput)).toBe(run(core.setOutput))
  })

  it('setOutput with a GITHUB_OUTPUT file that does not exist fails like @actions/core', () => {
    process.env.GITHUB_OUTPUT = join(tmpdir(), 'no-such-dir-wfcmd', 'out')
    expect(() => ours.setOutput('a', 'b')).toThrow(`Missing file at path: ${process.env.GITHUB_OUTPUT}`)
    expect(() => core.setOutput('a', 'b')).toThrow(`Missing file at path: ${process.env.GITHUB_OUTPUT}`)
  })

  it('prepareKeyValueMessage refuses a value holding the delimiter', () => {
    expect(() => ours.prepareKeyValueMessage('k', 'x ghadelimiter_1 y', 'ghadelimiter_1')).toThrow('value should not contain the delimiter')
    expect(() => ours.prepareKeyValueMessage('k ghadelimiter_1', 'x', 'ghadelimiter_1')).toThrow('name should not contain the delimiter')
  })

  it('isDebug reads RUNNER_DEBUG', () => {
    process.env.RUNNER_DEBUG = '1'
    expect(ours.isDebug()).toBe(core.isDebug())
    expect(ours.isDebug()).toBe(true)
    process.env.RUNNER_DEBUG = '0'
    expect(ours.isDebug()).toBe(core.isDebug())
  })
})
