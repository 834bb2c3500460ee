import { ConfigurationError } from '../../kit/src/errors.js'
import { CliError } from './errors.js'
import * as deployments from './commands/deployments.js'
import * as gate from './commands/gate.js'
import * as metrics from './commands/metrics.js'
import * as notify from './commands/notify.js'
import * as planComment from './commands/plan-comment.js'
import * as state from './commands/state.js'

interface Command {
  summary: string
  run(args: string[]): Promise<number>
}

const commands: Record<string, Command> = {
  'plan-comment': planComment,
  gate,
  deployments,
  metrics,
  state,
  notify,
}

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`)
  return ['usage: tfpipe <command> [options]', '', 'commands:', ...rows, '', 'tfpipe <command> --help shows its options.'].join('\n')
}

/** Runs the same code as the actions, without GitHub. Returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage())
    return name ? 0 : 2
  }
  const command = commands[name]
  if (!command) {
    console.error(`tfpipe: unknown command '${name}'.\n${usage()}`)
    return 2
  }
  try {
    return await command.run(rest)
  } catch (error) {
    if (error instanceof CliError || error instanceof ConfigurationError) {
      console.error(`tfpipe ${name}: ${error.message}`)
      return 2
    }
    console.error(`tfpipe ${name}: ${error instanceof Error ? error.message : String(error)}`)
    if (process.env.TFPIPE_DEBUG && error instanceof Error) console.error(error.stack)
    return 1
  }
}
