/**
 * tfpipe: the actions' code, run locally without GitHub. Dispatches to the commands below.
 *
 * Adding a command (e.g. `tfpipe metrics`):
 *   1. packages/cli/src/commands/metrics.ts:
 *        export const command = defineCommand({
 *          name: 'metrics',
 *          summary: 'one line for tfpipe --help',
 *          flags: [
 *            { name: 'repo', value: 'OWNER/REPO', description: 'repository to read', required: true },
 *            { name: 'since', value: 'DATE', description: 'first day counted', default: '30 days ago' },
 *            { name: 'json', description: 'print JSON instead of a table' },          // no `value`: a switch
 *            { name: 'csv', description: 'print CSV', conflicts: ['json'] },
 *          ],
 *          async run(flags) {                // flags.string('repo'), flags.bool('json'): names are type-checked
 *            ...
 *            return 0                         // the exit code
 *          },
 *        })
 *   2. add `metrics.command` to COMMANDS below.
 * The parser (args.ts) then refuses unknown or misspelt flags (suggesting the closest), missing values,
 * repeated or conflicting flags and missing required ones, all with exit 2 and one line; `--help` is
 * generated from the declaration. Throw CliError (or kit's ConfigurationError) for any other usage
 * mistake: main prints it as one line with exit 2. Anything else is a failure (exit 1); TFPIPE_DEBUG=1
 * adds the stack. A command with subcommands is a CommandGroup (see commands/state.ts).
 */
import { closest, isUsageError, runCommand, type Command, type CommandSpec } from './args.js'
import { command as deployments } from './commands/deployments.js'
import { command as gate } from './commands/gate.js'
import { command as metrics } from './commands/metrics.js'
import { command as notify } from './commands/notify.js'
import { command as planComment } from './commands/plan-comment.js'
import { command as state } from './commands/state.js'

export const COMMANDS: readonly Command[] = [planComment, gate, deployments, metrics, state, notify]

function usage(list: readonly Command[], prefix: string, notes?: string): string {
  const rows = list.map((c) => `  ${c.name.split(' ').at(-1)?.padEnd(14)} ${c.summary}`)
  return [
    `usage: ${prefix} <command> [flags]`,
    '',
    'commands:',
    ...rows,
    '',
    `${prefix} <command> --help shows its flags.`,
    ...(notes ? ['', notes] : []),
  ].join('\n')
}

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h' || arg === 'help'

/** Every leaf command, with the name typed after `tfpipe` (for tests and docs). */
export function allCommands(list: readonly Command[] = COMMANDS): CommandSpec[] {
  return list.flatMap((c) => ('subcommands' in c ? c.subcommands : [c]))
}

async function dispatch(
  list: readonly Command[],
  argv: readonly string[],
  prefix: string,
  notes?: string,
): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || isHelp(name)) {
    console.log(usage(list, prefix, notes))
    return name === undefined ? 2 : 0
  }
  const found = list.find((c) => c.name.split(' ').at(-1) === name)
  if (!found) {
    const suggestion = closest(
      name,
      list.map((c) => c.name.split(' ').at(-1)!),
    )
    console.error(
      `${prefix}: unknown command '${name}'; ${suggestion ? `did you mean '${suggestion}'?` : `${prefix} --help lists the commands.`}`,
    )
    return 2
  }
  if ('subcommands' in found) return dispatch(found.subcommands, rest, `tfpipe ${found.name}`, found.notes)
  try {
    return await runCommand(found, rest)
  } catch (error) {
    const where = `tfpipe ${found.name}`
    if (isUsageError(error)) {
      console.error(`${where}: ${error.message}`)
      return 2
    }
    console.error(`${where}: ${error instanceof Error ? error.message : String(error)}`)
    if (process.env.TFPIPE_DEBUG && error instanceof Error) console.error(error.stack)
    return 1
  }
}

/** Runs the same code as the actions, without GitHub. Returns the process exit code. */
export function main(argv: string[]): Promise<number> {
  return dispatch(COMMANDS, argv, 'tfpipe')
}
