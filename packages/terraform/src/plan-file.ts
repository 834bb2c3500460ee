import { closeSync, openSync, readSync } from 'node:fs'
import { ConfigurationError } from '@tfpipe/kit/errors.js'

/**
 * Refuses a JSON plan given where a saved (binary) plan is expected: `terraform show` would answer with
 * its own coloured "not a valid plan file" error, which does not say what to do. A saved plan is a zip
 * archive; JSON starts with `{`. `names` are the caller's option names (an action's inputs, the CLI's flags).
 * A file that cannot be read is left to the caller's own check.
 */
export function refuseJsonPlanFile(path: string, names: { planFile: string; planJson: string }): void {
  let head: string
  try {
    const fd = openSync(path, 'r')
    try {
      const buffer = Buffer.alloc(64)
      head = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return
  }
  if (/^\uFEFF?\s*\{/.test(head))
    throw new ConfigurationError(`${names.planFile} '${path}' is a JSON plan: use ${names.planJson} for a JSON plan.`)
}
