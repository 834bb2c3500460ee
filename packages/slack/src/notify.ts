import { existsSync, readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { optionLabel } from '@tfpipe/kit/inputs.js'
import type { Logger } from '@tfpipe/kit/logger.js'
import { normalizeDetails } from './details.js'
import type { Details } from './details-model.js'
import type { SlackEvent } from './events.js'
import { validateBlocks, type SlackMessage } from './limits.js'
import { buildMessage, type RunInfo } from './message.js'
import {
  requestBody,
  sendMessage,
  SlackError,
  type Destination,
  type SendResult,
  type TransportOptions,
} from './transport.js'

/**
 * How the caller names the options, for messages that say what to change: notify-slack's inputs (the
 * default) or tfpipe notify's flags. One rule, one message, the caller's names.
 */
export interface NotifyOptionNames {
  details: string
  webhooks: string
  webhookUrl: string
  botToken: string
  channel: string
  threadTs: string
  updateTs: string
  required: string
}

/** notify-slack's input names (actions/notify-slack/action.yml; a unit test keeps them declared there). */
export const NOTIFY_SLACK_INPUTS: NotifyOptionNames = {
  details: 'details',
  webhooks: 'webhooks',
  webhookUrl: 'webhook-url',
  botToken: 'bot-token',
  channel: 'channel',
  threadTs: 'thread-ts',
  updateTs: 'update-ts',
  required: 'required',
}

/** An option named inside a sentence: 'name' for an input, --name for a flag. */
const quoted = (name: string): string => (name.startsWith('-') ? name : `'${name}'`)

/** `details`: inline JSON, or a path to a JSON file. */
export function parseDetailsInput(
  raw: string | undefined,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
  names: NotifyOptionNames = NOTIFY_SLACK_INPUTS,
): Details {
  if (raw === undefined || raw.trim() === '') return normalizeDetails({})
  const text = raw.trim()
  let json: string
  if (/^[[{]/.test(text)) json = text
  else {
    if (!existsSync(text))
      throw new ConfigurationError(
        `${optionLabel(names.details)} must be JSON or the path of a JSON file; '${text.slice(0, 200)}' is neither.`,
      )
    json = read(text)
  }
  try {
    return normalizeDetails(JSON.parse(json) as unknown)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConfigurationError(`${optionLabel(names.details)} must be valid JSON (${reason.slice(0, 200)}).`)
  }
}

const isHttpUrl = (value: string): boolean => {
  try {
    const u = new URL(value)
    return u.protocol === 'https:' || u.protocol === 'http:'
  } catch {
    return false
  }
}

/** `webhooks`: a JSON or YAML map environment -> webhook URL. Values are secrets: never echoed. */
export function parseWebhooks(
  raw: string | undefined,
  names: NotifyOptionNames = NOTIFY_SLACK_INPUTS,
): Record<string, string> {
  if (raw === undefined || raw.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = parseYaml(raw)
  } catch {
    throw new ConfigurationError(
      `${optionLabel(names.webhooks)} must be a JSON or YAML map of environment to webhook URL (it did not parse).`,
    )
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigurationError(
      `${optionLabel(names.webhooks)} must be a JSON or YAML map of environment to webhook URL, e.g. {"prod": "\${{ secrets.SLACK_PROD }}"}.`,
    )
  }
  const out: Record<string, string> = {}
  for (const [env, url] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof url !== 'string' || url.trim() === '') continue // an unset secret: treated as "no webhook"
    if (!isHttpUrl(url.trim()))
      throw new ConfigurationError(`${optionLabel(names.webhooks)}: the value for '${env}' is not an http(s) URL.`)
    out[env] = url.trim()
  }
  return out
}

/** Whether a failed notification fails the step: the `required` input, else membership of required-environments. */
export function resolveRequired(
  required: boolean | undefined,
  environment: string,
  requiredEnvironments: readonly string[],
): boolean {
  if (required !== undefined) return required
  const env = environment.trim().toLowerCase()
  return env !== '' && requiredEnvironments.some((e) => e.trim().toLowerCase() === env)
}

export interface DestinationInputs {
  environment: string
  webhookUrl?: string
  webhooks?: Record<string, string>
  botToken?: string
  channel?: string
  threadTs?: string
  updateTs?: string
  /** Names used in messages (default NOTIFY_SLACK_INPUTS). */
  names?: NotifyOptionNames
}

/**
 * Chooses where to send. A bot token (with channel) wins, since only it can reply in a thread or
 * update a message; then the environment's entry in `webhooks` (exact, then case-insensitive, then
 * `default` / `*`); then `webhook-url`. Undefined: nowhere configured.
 */
export function resolveDestination(i: DestinationInputs): Destination | undefined {
  const n = i.names ?? NOTIFY_SLACK_INPUTS
  if ((i.threadTs || i.updateTs) && !i.botToken) {
    throw new ConfigurationError(
      `${quoted(n.threadTs)} and ${quoted(n.updateTs)} need ${quoted(n.botToken)} and ${quoted(n.channel)}: incoming webhooks cannot reply in threads or update messages.`,
    )
  }
  if (i.threadTs && i.updateTs)
    throw new ConfigurationError(`Set either ${quoted(n.threadTs)} or ${quoted(n.updateTs)}, not both.`)
  if (i.botToken) {
    if (!i.channel)
      throw new ConfigurationError(
        `${optionLabel(n.channel)} is required with ${quoted(n.botToken)} (a channel ID such as C0123456789, or #name for new messages).`,
      )
    return {
      kind: 'bot',
      token: i.botToken,
      channel: i.channel,
      ...(i.threadTs ? { threadTs: i.threadTs } : {}),
      ...(i.updateTs ? { updateTs: i.updateTs } : {}),
    }
  }
  const hooks = i.webhooks ?? {}
  const env = i.environment.trim()
  const key =
    (env && env in hooks ? env : undefined) ??
    Object.keys(hooks).find((k) => env !== '' && k.toLowerCase() === env.toLowerCase()) ??
    ['default', '*'].find((k) => k in hooks)
  if (key !== undefined && hooks[key]) return { kind: 'webhook', url: hooks[key], source: `webhooks[${key}]` }
  if (i.webhookUrl) {
    if (!isHttpUrl(i.webhookUrl))
      throw new ConfigurationError(
        `${optionLabel(n.webhookUrl)} is not an http(s) URL; pass the incoming webhook URL from a secret.`,
      )
    return { kind: 'webhook', url: i.webhookUrl, source: 'webhook-url' }
  }
  return undefined
}

export interface NotifyOptions {
  event: SlackEvent
  environment: string
  run: RunInfo
  details: Details
  mention?: string[]
  destination: Destination | undefined
  required: boolean
  dryRun: boolean
  logger: Logger
  transport: Omit<TransportOptions, 'logger'>
  /** Names used in messages (default NOTIFY_SLACK_INPUTS). */
  names?: NotifyOptionNames
}

export interface NotifyResult {
  status: 'sent' | 'dry-run' | 'skipped' | 'failed'
  message: SlackMessage
  /** The request body (sent, or that would be sent); never holds a secret. */
  body: Record<string, unknown>
  result?: SendResult
  error?: SlackError
}

/** A required notification that failed: the step must fail. */
export class RequiredNotificationError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
    this.name = 'RequiredNotificationError'
  }
}

/** Pre-flight: a required environment with nowhere to send fails at once, before any deploy step. */
export function preflight(
  destination: Destination | undefined,
  required: boolean,
  environment: string,
  dryRun: boolean,
  n: NotifyOptionNames = NOTIFY_SLACK_INPUTS,
): void {
  if (!destination && required && !dryRun) {
    throw new ConfigurationError(
      `Slack notification is required for '${environment || '(no environment)'}' but no destination is set: pass ${quoted(n.webhookUrl)}, a ${quoted(n.webhooks)} entry for it, or ${quoted(n.botToken)} and ${quoted(n.channel)} (or set ${quoted(n.required)} to false).`,
    )
  }
}

/**
 * Builds, checks and sends one event. Failure policy: when Slack fails and the notification is
 * not required, a warning and status 'failed'; when required, RequiredNotificationError.
 */
export async function notify(o: NotifyOptions): Promise<NotifyResult> {
  preflight(o.destination, o.required, o.environment, o.dryRun, o.names)
  const message = buildMessage({
    event: o.event,
    environment: o.environment,
    run: o.run,
    details: o.details,
    mention: o.mention,
  })
  const body = o.destination ? requestBody(o.destination, message) : { ...message }
  const problems = validateBlocks(body)
  if (problems.length) {
    // A bug in the builder: never send what Slack would reject.
    const error = new SlackError(
      'invalid_blocks',
      `the message breaks Slack's limits (${problems.slice(0, 3).join('; ')}); nothing was sent`,
      false,
    )
    return failed(o, { status: 'failed', message, body, error })
  }
  if (o.dryRun) {
    o.logger.info(`Slack (dry run): ${o.event} for ${o.environment || '(no environment)'} not sent.`)
    return { status: 'dry-run', message, body }
  }
  if (!o.destination) {
    o.logger.warning(
      `Slack: no webhook or bot token for '${o.environment || '(no environment)'}'; ${o.event} not sent (not required).`,
    )
    return { status: 'skipped', message, body }
  }
  const where =
    o.destination.kind === 'webhook' ? `incoming webhook (${o.destination.source})` : `channel ${o.destination.channel}`
  try {
    const result = await sendMessage(o.destination, message, { ...o.transport, logger: o.logger })
    o.logger.info(
      `Slack: ${o.event} sent to ${where} with ${result.method}${result.attempts > 1 ? ` after ${result.attempts} attempts` : ''}.`,
    )
    return { status: 'sent', message, body, result }
  } catch (error) {
    if (!(error instanceof SlackError)) throw error
    return failed(o, { status: 'failed', message, body, error })
  }
}

function failed(o: NotifyOptions, result: NotifyResult & { error: SlackError }): NotifyResult {
  const text = `Slack notification ${o.event} for '${o.environment || '(no environment)'}' failed: ${result.error.message}`
  if (o.required)
    throw new RequiredNotificationError(`${text} (required: set required: false to only warn)`, result.error.code)
  o.logger.warning(`${text} (not required, continuing)`)
  return result
}
