import { readRunContext, pullRequestNumber } from '../../../kit/src/context.js'
import { consoleLogger } from '../../../kit/src/logger.js'
import { parseBoolean, parseChoice, parseList } from '../../../kit/src/inputs.js'
import { EVENTS } from '../../../slack/src/events.js'
import type { RunInfo } from '../../../slack/src/message.js'
import { parseMention } from '../../../slack/src/mrkdwn.js'
import { notify, parseDetailsInput, parseWebhooks, RequiredNotificationError, resolveDestination, resolveRequired } from '../../../slack/src/notify.js'
import { parseArgs, requireFlag } from '../args.js'
import { CliError } from '../errors.js'

export const summary = 'render (--dry-run) or send a Slack message for a pipeline event'

const HELP = `usage: tfpipe notify --event EVENT [--env ENV] [--details FILE|JSON] [--dry-run]
                     [--webhook-url-env NAME | --webhooks-env NAME | --bot-token-env NAME --channel C]
                     [--thread-ts TS | --update-ts TS] [--mention '<!subteam^S123>']
                     [--required true|false] [--required-environments prod,production]
                     [--repo owner/repo] [--actor NAME] [--sha SHA] [--run-url URL]

events: ${EVENTS.join(', ')}
Secrets are read from environment variables named by the *-env flags, never from the command line.
--dry-run prints the JSON payload on stdout and sends nothing. SLACK_API_URL overrides the Web API
base (default https://slack.com/api), for tests and proxies. Without --repo, GITHUB_* variables
describe the run when they are set.`

function fromEnv(flags: Map<string, string>, flag: string): string | undefined {
  const name = flags.get(flag)
  if (name === undefined) return undefined
  const value = process.env[name]
  if (!value) throw new CliError(`--${flag} ${name}: the environment variable ${name} is not set.`)
  return value
}

function runInfo(flags: Map<string, string>): RunInfo {
  const info: RunInfo = {}
  if (process.env.GITHUB_REPOSITORY) {
    const c = readRunContext(process.env)
    const pr = pullRequestNumber(c)
    Object.assign(info, {
      repository: `${c.owner}/${c.repo}`,
      serverUrl: c.serverUrl,
      runUrl: c.runUrl,
      runId: c.runId,
      runAttempt: c.runAttempt,
      workflow: c.workflow,
      actor: c.actor,
      sha: c.sha,
      ...(pr ? { prNumber: pr } : {}),
    })
  }
  const repo = flags.get('repo')
  if (repo) {
    info.repository = repo
    info.serverUrl = info.serverUrl ?? 'https://github.com'
  }
  if (flags.get('actor')) info.actor = flags.get('actor')
  if (flags.get('sha')) info.sha = flags.get('sha')
  if (flags.get('run-url')) info.runUrl = flags.get('run-url')
  return info
}

export async function run(args: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(args, ['dry-run', 'help'])
  if (flags.has('help')) {
    console.log(HELP)
    return 0
  }
  if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}'.\n${HELP}`)
  for (const secret of ['webhook-url', 'bot-token', 'webhooks']) {
    if (flags.has(secret)) throw new CliError(`--${secret} would put a secret on the command line; use --${secret}-env NAME.`)
  }
  const event = parseChoice('--event', requireFlag(flags, 'event'), EVENTS)
  const environment = flags.get('env') ?? ''
  const mentionRaw = flags.get('mention')
  const mention = mentionRaw === undefined ? undefined : parseMention(mentionRaw)
  if (mentionRaw !== undefined && !mention) throw new CliError('--mention must be Slack mentions such as <!subteam^S0123ABCD> or <@U0123ABCD>.')
  const requiredRaw = flags.get('required')
  const required = resolveRequired(
    requiredRaw === undefined ? undefined : parseBoolean('--required', requiredRaw),
    environment,
    parseList(flags.get('required-environments') ?? 'prod,production'),
  )
  const dryRun = flags.get('dry-run') === 'true'
  const destination = resolveDestination({
    environment,
    webhookUrl: fromEnv(flags, 'webhook-url-env'),
    webhooks: parseWebhooks(fromEnv(flags, 'webhooks-env')),
    botToken: fromEnv(flags, 'bot-token-env'),
    channel: flags.get('channel'),
    threadTs: flags.get('thread-ts'),
    updateTs: flags.get('update-ts'),
  })
  try {
    const result = await notify({
      event,
      environment,
      run: runInfo(flags),
      details: parseDetailsInput(flags.get('details')),
      mention,
      destination,
      required,
      dryRun,
      logger: consoleLogger(Boolean(process.env.TFPIPE_DEBUG)),
      transport: { apiUrl: process.env.SLACK_API_URL || 'https://slack.com/api' },
    })
    if (dryRun) console.log(JSON.stringify(result.body, null, 2))
    else console.log(JSON.stringify({ status: result.status, ts: result.result?.ts ?? null, channel: result.result?.channel ?? null, error: result.error?.code ?? null }))
    return 0
  } catch (error) {
    if (error instanceof RequiredNotificationError) {
      console.error(`tfpipe notify: ${error.message}`)
      return 1
    }
    throw error
  }
}
