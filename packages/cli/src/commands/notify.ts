import { readRunContext, pullRequestNumber } from '@tfpipe/kit/context.js'
import { consoleLogger } from '@tfpipe/kit/logger.js'
import { parseBoolean, parseList } from '@tfpipe/kit/inputs.js'
import { EVENTS } from '@tfpipe/slack/events.js'
import type { RunInfo } from '@tfpipe/slack/message.js'
import { parseMention } from '@tfpipe/slack/mrkdwn.js'
import {
  notify,
  parseDetailsInput,
  parseWebhooks,
  RequiredNotificationError,
  resolveDestination,
  resolveRequired,
  type NotifyOptionNames,
} from '@tfpipe/slack/notify.js'
import { defineCommand, type Flags } from '../args.js'
import { CliError } from '../errors.js'

const FLAGS = [
  { name: 'event', value: 'EVENT', description: 'pipeline event', required: true, choices: EVENTS },
  { name: 'env', value: 'ENV', description: 'environment (picks the --webhooks-env entry; prod makes it required)' },
  {
    name: 'details',
    value: 'FILE|JSON',
    description: 'event details: a JSON file or inline JSON (what the workflows pass)',
  },
  { name: 'dry-run', description: 'print the JSON payload on stdout and send nothing' },
  { name: 'webhook-url-env', value: 'NAME', description: 'environment variable holding an incoming webhook URL' },
  {
    name: 'webhooks-env',
    value: 'NAME',
    description: 'environment variable holding a JSON/YAML map environment -> webhook URL',
  },
  { name: 'bot-token-env', value: 'NAME', description: 'environment variable holding a bot token (with --channel)' },
  { name: 'channel', value: 'CHANNEL', description: 'channel ID (C0123456789) or #name, for the bot token' },
  { name: 'thread-ts', value: 'TS', description: 'reply in the thread of this message (bot token)' },
  { name: 'update-ts', value: 'TS', description: 'update this message (bot token)' },
  { name: 'mention', value: 'MENTIONS', description: "Slack mentions for failures ('<!subteam^S123>')" },
  {
    name: 'required',
    value: 'true|false',
    description: 'fail (exit 1) when the message cannot be sent (default: by --required-environments)',
  },
  {
    name: 'required-environments',
    value: 'LIST',
    description: 'environments where it is required',
    default: 'prod,production',
  },
  { name: 'repo', value: 'OWNER/REPO', description: 'repository named in the message' },
  { name: 'actor', value: 'NAME', description: 'who ran it' },
  { name: 'sha', value: 'SHA', description: 'commit' },
  { name: 'run-url', value: 'URL', description: 'link to the run' },
] as const

type NotifyFlags = Flags<(typeof FLAGS)[number]['name']>

/** The names messages of the shared Slack rules use: this CLI's flags, with the variable names given. */
function optionNames(flags: NotifyFlags): NotifyOptionNames {
  return {
    details: '--details',
    webhooks: `--webhooks-env ${flags.string('webhooks-env') ?? 'NAME'}`,
    webhookUrl: `--webhook-url-env ${flags.string('webhook-url-env') ?? 'NAME'}`,
    botToken: '--bot-token-env',
    channel: '--channel',
    threadTs: '--thread-ts',
    updateTs: '--update-ts',
    required: '--required',
  }
}

function fromEnv(flags: NotifyFlags, flag: 'webhook-url-env' | 'webhooks-env' | 'bot-token-env'): string | undefined {
  const name = flags.string(flag)
  if (name === undefined) return undefined
  const value = process.env[name]
  if (!value) throw new CliError(`--${flag} ${name}: the environment variable ${name} is not set.`)
  return value
}

function runInfo(flags: NotifyFlags): RunInfo {
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
  const repo = flags.string('repo')
  if (repo) {
    info.repository = repo
    info.serverUrl = info.serverUrl ?? 'https://github.com'
  }
  const actor = flags.string('actor')
  const sha = flags.string('sha')
  const runUrl = flags.string('run-url')
  if (actor) info.actor = actor
  if (sha) info.sha = sha
  if (runUrl) info.runUrl = runUrl
  return info
}

export const command = defineCommand({
  name: 'notify',
  summary: 'render (--dry-run) or send a Slack message for a pipeline event',
  flags: FLAGS,
  refused: {
    'webhook-url': 'would put a secret on the command line; use --webhook-url-env NAME.',
    'bot-token': 'would put a secret on the command line; use --bot-token-env NAME.',
    webhooks: 'would put secrets on the command line; use --webhooks-env NAME.',
  },
  notes: `events: ${EVENTS.join(', ')}
Secrets are read from the environment variables named by the *-env flags, never from the command line.
SLACK_API_URL overrides the Web API base (default https://slack.com/api), for tests and proxies. Without
--repo, GITHUB_* variables describe the run when they are set.`,
  run,
})

async function run(flags: NotifyFlags): Promise<number> {
  const event = flags.string('event') as (typeof EVENTS)[number]
  const environment = flags.string('env') ?? ''
  const names = optionNames(flags)
  const mentionRaw = flags.string('mention')
  const mention = mentionRaw === undefined ? undefined : parseMention(mentionRaw)
  if (mentionRaw !== undefined && !mention)
    throw new CliError('--mention must be Slack mentions such as <!subteam^S0123ABCD> or <@U0123ABCD>.')
  const requiredRaw = flags.string('required')
  const required = resolveRequired(
    requiredRaw === undefined ? undefined : parseBoolean('--required', requiredRaw),
    environment,
    parseList(flags.string('required-environments')!),
  )
  const dryRun = flags.bool('dry-run')
  const destination = resolveDestination({
    environment,
    webhookUrl: fromEnv(flags, 'webhook-url-env'),
    webhooks: parseWebhooks(fromEnv(flags, 'webhooks-env'), names),
    botToken: fromEnv(flags, 'bot-token-env'),
    channel: flags.string('channel'),
    threadTs: flags.string('thread-ts'),
    updateTs: flags.string('update-ts'),
    names,
  })
  try {
    const result = await notify({
      event,
      environment,
      run: runInfo(flags),
      details: parseDetailsInput(flags.string('details'), undefined, names),
      mention,
      destination,
      required,
      dryRun,
      logger: consoleLogger(Boolean(process.env.TFPIPE_DEBUG)),
      transport: { apiUrl: process.env.SLACK_API_URL || 'https://slack.com/api' },
      names,
    })
    if (dryRun) console.log(JSON.stringify(result.body, null, 2))
    else
      console.log(
        JSON.stringify({
          status: result.status,
          ts: result.result?.ts ?? null,
          channel: result.result?.channel ?? null,
          error: result.error?.code ?? null,
        }),
      )
    return 0
  } catch (error) {
    if (error instanceof RequiredNotificationError) {
      console.error(`tfpipe notify: ${error.message}`)
      return 1
    }
    throw error
  }
}
