import { describe, expect, it } from '@jest/globals'
import { runAction } from '../support/run-action.js'

describe('bundles', () => {
  it('runs a dist bundle as the runner does and fails with a one-line error', async () => {
    const run = await runAction('plan-and-comment', { inputs: {} })
    expect(run.exitCode).not.toBe(0)
  })
})
