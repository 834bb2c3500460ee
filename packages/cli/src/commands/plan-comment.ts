import { CliError } from '../errors.js'

export const summary = 'not implemented yet'

export async function run(_args: string[]): Promise<number> {
  throw new CliError('tfpipe plan-comment: not implemented yet in this release.')
}
