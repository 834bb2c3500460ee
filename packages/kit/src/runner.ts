import * as core from '@actions/core'
import { ConfigurationError, errorMessage } from './errors.js'
import type { Logger } from './logger.js'

export const coreLogger: Logger = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  error: (m) => core.error(m),
  debug: (m) => core.debug(m),
}

/** Sets an output; objects and arrays are written as JSON, numbers and booleans as text. */
export function setOutput(name: string, value: unknown): void {
  core.setOutput(name, typeof value === 'string' ? value : JSON.stringify(value))
}

export function maskSecret(value: string | undefined): void {
  if (value) core.setSecret(value)
}

/**
 * Runs an action's body: a user mistake (ConfigurationError) fails the step with one line prefixed
 * by the action's name and no stack; an unexpected error also shows its stack in the debug log.
 */
export async function runAction(actionName: string, body: () => Promise<void>): Promise<void> {
  try {
    await body()
  } catch (error) {
    if (!(error instanceof ConfigurationError) && error instanceof Error && error.stack) core.debug(error.stack)
    core.setFailed(`${actionName}: ${errorMessage(error)}`)
  }
}
