import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveStacks, segmentRegExp } from '@tfpipe/drift/stacks.js'
import { ConfigurationError } from '@tfpipe/kit/errors.js'

let root: string
const stack = (p: string, file = 'main.tf'): void => {
  mkdirSync(join(root, p), { recursive: true })
  writeFileSync(join(root, p, file), '# tf\n')
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'drift-stacks-'))
  stack('live/prod/network')
  stack('live/prod/app')
  stack('live/dev/app', 'main.tf.json')
  stack('live/prod/app/.terraform/modules/x') // never matched: hidden
  mkdirSync(join(root, 'live/prod/docs'), { recursive: true }) // no .tf files
  stack('modules/vpc')
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const ids = (patterns: string[]): string[] => resolveStacks(patterns, root).map((s) => s.id)

describe('resolveStacks', () => {
  test('plain directories are kept as given, sorted and de-duplicated', () => {
    expect(ids(['live/prod/network', 'live/prod/app/', 'live/prod/app'])).toEqual([
      'live/prod/app',
      'live/prod/network',
    ])
    expect(ids([])).toEqual(['.'])
    expect(resolveStacks(['live/prod/app'], root)[0]!.dir).toBe(join(root, 'live/prod/app'))
  })
  test('* matches one level and keeps only directories with .tf / .tf.json files', () => {
    expect(ids(['live/prod/*'])).toEqual(['live/prod/app', 'live/prod/network'])
    expect(ids(['live/*/app'])).toEqual(['live/dev/app', 'live/prod/app'])
  })
  test('** matches any depth, skipping hidden directories such as .terraform', () => {
    expect(ids(['live/**'])).toEqual(['live/dev/app', 'live/prod/app', 'live/prod/network'])
    expect(ids(['**'])).toEqual(['live/dev/app', 'live/prod/app', 'live/prod/network', 'modules/vpc'])
  })
  test('globs and plain entries mix (layered stacks)', () => {
    expect(ids(['modules/vpc', 'live/prod/*'])).toEqual(['live/prod/app', 'live/prod/network', 'modules/vpc'])
  })
  test('a missing directory or a glob that matches nothing is a one-line ConfigurationError', () => {
    expect(() => ids(['live/qa'])).toThrow(ConfigurationError)
    expect(() => ids(['live/qa'])).toThrow("Input 'working-directory': 'live/qa' is not a directory")
    expect(() => ids(['live/prod/docs*'])).toThrow("the glob 'live/prod/docs*' matched no directory with .tf files")
  })
  test('segment patterns: ?, [abc], [!abc]; regex specials are literal', () => {
    expect(segmentRegExp('a?c').test('abc')).toBe(true)
    expect(segmentRegExp('[pd]*').test('prod')).toBe(true)
    expect(segmentRegExp('[!p]*').test('prod')).toBe(false)
    expect(segmentRegExp('a.b*').test('axb')).toBe(false)
    expect(segmentRegExp('a.b*').test('a.bc')).toBe(true)
  })
})
