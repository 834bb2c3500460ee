import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../../support/run-action.js'

interface ActionMeta {
  name?: string
  description?: string
  branding?: { icon?: string; color?: string }
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>
  outputs?: Record<string, { description?: string }>
  runs?: { using?: string; main?: string }
}

const ACTIONS = ['drift-check', 'notify-slack', 'plan-and-comment', 'rollback-state', 'safety-gate', 'tag-deploy']
const actionDir = (name: string) => join(repoRoot, 'actions', name)
const readMeta = (name: string) => parse(readFileSync(join(actionDir(name), 'action.yml'), 'utf8')) as ActionMeta

/** Every `get…Input('name'` call in an action's own sources (the convention in CONTRIBUTING.md). */
function inputsRead(name: string): Set<string> {
  const dir = join(actionDir(name), 'src')
  const names = new Set<string>()
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8')
    for (const match of source.matchAll(/\bget\w*Input\(\s*['"]([a-z0-9-]+)['"]/g)) names.add(match[1]!)
  }
  return names
}

describe('action metadata', () => {
  it('has exactly the six actions', () => {
    expect(readdirSync(join(repoRoot, 'actions')).sort()).toEqual(ACTIONS)
  })

  describe.each(ACTIONS)('%s', (name) => {
    const meta = readMeta(name)

    it('runs on node24 from its committed bundle', () => {
      expect(meta.runs).toEqual({ using: 'node24', main: `../../dist/${name}/index.js` })
      expect(existsSync(join(actionDir(name), meta.runs?.main ?? ''))).toBe(true)
      expect(meta.description?.length).toBeGreaterThan(20)
      expect(meta.branding?.icon).toBeTruthy()
      expect(meta.branding?.color).toBeTruthy()
    })

    it('describes every input and output', () => {
      for (const [input, spec] of Object.entries(meta.inputs ?? {})) {
        expect([input, typeof spec.description, typeof spec.required]).toEqual([input, 'string', 'boolean'])
      }
      for (const [output, spec] of Object.entries(meta.outputs ?? {}))
        expect([output, typeof spec.description]).toEqual([output, 'string'])
    })

    it('reads every declared input and declares every input it reads', () => {
      const declared = Object.keys(meta.inputs ?? {}).sort()
      expect([...inputsRead(name)].sort()).toEqual(declared)
    })

    it('keeps index.ts to the two-line entry point', () => {
      const index = readFileSync(join(actionDir(name), 'src', 'index.ts'), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
      expect(index).toEqual(["import { run } from './main.js'", 'void run()'])
    })

    it('has a README that names every input and output', () => {
      const readme = readFileSync(join(actionDir(name), 'README.md'), 'utf8')
      for (const key of [...Object.keys(meta.inputs ?? {}), ...Object.keys(meta.outputs ?? {})])
        expect([key, readme.includes(`\`${key}\``)]).toEqual([key, true])
    })
  })
})

describe('action-matrix.md', () => {
  it('is generated from the current action.yml files', async () => {
    // @ts-expect-error: a plain .mjs script without types
    const { renderMatrix } = (await import('../../../scripts/action-matrix.mjs')) as { renderMatrix: () => string }
    expect(readFileSync(join(repoRoot, 'action-matrix.md'), 'utf8')).toBe(renderMatrix())
  })
})
