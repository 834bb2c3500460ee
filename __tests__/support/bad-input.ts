import { expect } from '@jest/globals'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { ActionRun } from './run-action.js'

/** One row of an action's bad-input table. */
export interface BadInputCase {
  /** What is wrong, for the test name. */
  name: string
  inputs: Record<string, string>
  env?: Record<string, string>
  /** Text the one error line must name: the input (or setting) at fault, case-insensitive. */
  names: string
  /** What the line must say to change (a fragment or pattern of the advice). */
  says: string | RegExp
}

/** Stack frames as Node prints them (`    at fn (file.js:1:2)`), or an uncaught error banner. */
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)$|^(?:Type|Reference|Syntax|Range)Error: |node:internal/m

/** A port nothing listens on (bound, read, closed): connections to it are refused. */
export async function refusedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()))
  const port = (probe.address() as AddressInfo).port
  await new Promise<void>((r) => probe.close(() => r()))
  return port
}

/**
 * The project's rule for bad input: the step fails, with exactly one `::error::` line that names the
 * input and says what to change; no stack trace anywhere; no secret anywhere (the `::add-mask::`
 * commands, which register the secrets with the runner, are the only place they may appear).
 */
export function expectOneClearError(
  run: ActionRun,
  c: Pick<BadInputCase, 'names' | 'says'>,
  secrets: string[],
): string {
  expect(run.exitCode).not.toBe(0)
  const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'))
  expect(errors).toHaveLength(1)
  const line = decodeURIComponent(errors[0]!.replace(/%(?![0-9A-F]{2})/g, '%25'))
  expect(line.toLowerCase()).toContain(c.names.toLowerCase())
  if (typeof c.says === 'string') expect(line).toContain(c.says)
  else expect(line).toMatch(c.says)
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(STACK)
  const visible = [
    run.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
    run.stderr,
    run.summary,
    JSON.stringify(run.outputs),
  ].join('\n')
  for (const secret of secrets) expect(visible).not.toContain(secret)
  return line
}
