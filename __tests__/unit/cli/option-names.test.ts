// The shared rules name the caller's options in their messages. Each caller's names must be real:
// the actions' defaults are inputs of their action.yml, the CLI's are flags its commands declare.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { SAFETY_GATE_INPUTS } from '@tfpipe/policy/context.js'
import { NOTIFY_SLACK_INPUTS } from '@tfpipe/slack/notify.js'
import { ROLLBACK_STATE_INPUTS } from '@tfpipe/state/backend-config.js'
import { GATE_FLAG_NAMES } from '@tfpipe/cli/commands/gate.js'
import { allCommands } from '@tfpipe/cli/main.js'

const root = join(import.meta.dirname, '..', '..', '..')
const inputs = (action: string): string[] =>
  Object.keys((parse(readFileSync(join(root, 'actions', action, 'action.yml'), 'utf8')) as { inputs: object }).inputs)
const flagsOf = (name: string): string[] =>
  (allCommands().find((c) => c.name === name)?.flags ?? []).map((f) => `--${f.name}`)

describe('option names given to the shared rules', () => {
  it.each([
    ['safety-gate', SAFETY_GATE_INPUTS],
    ['notify-slack', NOTIFY_SLACK_INPUTS],
    ['rollback-state', ROLLBACK_STATE_INPUTS],
  ] as const)('%s: every default name is an input of its action.yml', (action, names) => {
    const declared = inputs(action)
    expect(Object.values(names).filter((n) => !declared.includes(n))).toEqual([])
  })

  it('tfpipe gate (and plan-comment, for its gate preview): every name is a declared gate flag', () => {
    expect(Object.values(GATE_FLAG_NAMES).filter((n) => !flagsOf('gate').includes(n))).toEqual([])
  })
})
