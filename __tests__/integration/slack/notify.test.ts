import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { memoryLogger } from '@tfpipe/kit/logger.js'
import { normalizeDetails } from '@tfpipe/slack/details.js'
import {
  notify,
  parseWebhooks,
  RequiredNotificationError,
  resolveDestination,
  resolveRequired,
  type NotifyOptions,
} from '@tfpipe/slack/notify.js'
import { startSlackReceiver, type SlackReceiver } from '../../support/slack-receiver.js'
import { fixture, run } from '../../support/slack-run.js'

let slack: SlackReceiver
beforeAll(async () => {
  slack = await startSlackReceiver()
})
afterAll(async () => {
  await slack.close()
})

function options(extra: Partial<NotifyOptions> = {}): NotifyOptions & { logger: ReturnType<typeof memoryLogger> } {
  let t = 0
  const logger = memoryLogger()
  return {
    event: 'deploy-succeeded',
    environment: 'prod',
    run,
    details: normalizeDetails(fixture('deploy-succeeded')),
    destination: { kind: 'webhook', url: slack.webhookUrl(), source: 'webhook-url' },
    required: true,
    dryRun: false,
    transport: { apiUrl: slack.apiUrl, now: () => t, sleep: async (ms) => void (t += ms), random: () => 1 },
    ...extra,
    logger,
  }
}

describe('required', () => {
  it('defaults to true for the required environments only', () => {
    expect(resolveRequired(undefined, 'prod', ['prod', 'production'])).toBe(true)
    expect(resolveRequired(undefined, 'Production', ['prod', 'production'])).toBe(true)
    expect(resolveRequired(undefined, 'dev', ['prod', 'production'])).toBe(false)
    expect(resolveRequired(undefined, '', ['prod'])).toBe(false)
    expect(resolveRequired(false, 'prod', ['prod'])).toBe(false)
    expect(resolveRequired(true, 'dev', ['prod'])).toBe(true)
  })
})

describe('destinations', () => {
  it('parses per-environment webhooks from JSON or YAML', () => {
    expect(parseWebhooks('{"prod": "https://hooks.slack.com/services/T/B/P", "dev": ""}')).toEqual({
      prod: 'https://hooks.slack.com/services/T/B/P',
    })
    expect(
      parseWebhooks('prod: https://hooks.slack.com/services/T/B/P\nsit: https://hooks.slack.com/services/T/B/S\n'),
    ).toEqual({
      prod: 'https://hooks.slack.com/services/T/B/P',
      sit: 'https://hooks.slack.com/services/T/B/S',
    })
  })

  it('refuses a bad webhooks map without echoing its values', () => {
    expect(() => parseWebhooks('- a\n- b')).toThrow(ConfigurationError)
    let message = ''
    try {
      parseWebhooks('{"prod": "ftp://secret-host/services/XYZSECRET"}')
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(/value for 'prod' is not an http\(s\) URL/)
    expect(message).not.toContain('XYZSECRET')
  })

  it('picks the environment webhook, then default, then webhook-url; bot token first', () => {
    const webhooks = { prod: 'https://h.test/prod', default: 'https://h.test/default' }
    expect(resolveDestination({ environment: 'prod', webhooks, webhookUrl: 'https://h.test/one' })).toMatchObject({
      url: 'https://h.test/prod',
      source: 'webhooks[prod]',
    })
    expect(resolveDestination({ environment: 'PROD', webhooks: { prod: 'https://h.test/prod' } })).toMatchObject({
      url: 'https://h.test/prod',
    })
    expect(resolveDestination({ environment: 'dev', webhooks, webhookUrl: 'https://h.test/one' })).toMatchObject({
      url: 'https://h.test/default',
    })
    expect(
      resolveDestination({
        environment: 'dev',
        webhooks: { prod: 'https://h.test/prod' },
        webhookUrl: 'https://h.test/one',
      }),
    ).toMatchObject({ url: 'https://h.test/one' })
    expect(resolveDestination({ environment: 'dev', webhooks: { prod: 'https://h.test/prod' } })).toBeUndefined()
    expect(
      resolveDestination({ environment: 'prod', webhooks, botToken: 'xoxb-1', channel: 'C1', updateTs: '1.2' }),
    ).toEqual({ kind: 'bot', token: 'xoxb-1', channel: 'C1', updateTs: '1.2' })
  })

  it('says what to change for impossible combinations', () => {
    expect(() => resolveDestination({ environment: 'prod', webhookUrl: 'https://h.test/x', updateTs: '1.2' })).toThrow(
      /need 'bot-token' and 'channel'/,
    )
    expect(() => resolveDestination({ environment: 'prod', botToken: 'xoxb-1' })).toThrow(/'channel' is required/)
    expect(() =>
      resolveDestination({ environment: 'prod', botToken: 'xoxb-1', channel: 'C1', threadTs: '1', updateTs: '2' }),
    ).toThrow(/either 'thread-ts' or 'update-ts'/)
    expect(() => resolveDestination({ environment: 'prod', webhookUrl: 'not-a-url' })).toThrow(
      /'webhook-url' is not an http\(s\) URL/,
    )
  })
})

describe('notify and the failure policy', () => {
  it('sends and reports success', async () => {
    const o = options()
    const result = await notify(o)
    expect(result.status).toBe('sent')
    expect(slack.requests.at(-1)?.json).toEqual(result.body)
    expect(o.logger.lines.join('\n')).toContain('deploy-succeeded sent to incoming webhook (webhook-url)')
  })

  it('never logs the webhook URL or the bot token, whatever happens', async () => {
    const lines: string[] = []
    const hook = slack.webhookUrl('/services/T000/B000/LOGSECRET')
    for (const extra of [
      {},
      { dryRun: true },
      { required: false },
      { required: false, destination: { kind: 'bot' as const, token: 'xoxb-not-the-right-one', channel: 'C0DEPLOYS' } },
      {
        required: false,
        destination: { kind: 'bot' as const, token: slack.botToken, channel: 'C0DEPLOYS', updateTs: '9.9' },
      },
    ]) {
      slack.failNext(1, { status: 429, retryAfter: 0 })
      const o = options({ destination: { kind: 'webhook', url: hook, source: 'webhook-url' }, ...extra })
      const result = await notify(o).catch((e: unknown) => ({ error: e }))
      lines.push(...o.logger.lines, JSON.stringify(result), String((result as { error?: Error }).error?.message))
    }
    slack.clearFailures()
    const all = lines.join('\n')
    expect(all).toContain('message_not_found')
    expect(all).toContain('invalid_auth')
    for (const secret of ['LOGSECRET', 'xoxb-not-the-right-one', slack.botToken]) expect(all).not.toContain(secret)
  })

  it('dry run builds the payload and sends nothing', async () => {
    const before = slack.requests.length
    const result = await notify(options({ dryRun: true }))
    expect(result.status).toBe('dry-run')
    expect(result.body.blocks).toBeDefined()
    expect(slack.requests.length).toBe(before)
  })

  it('fails at once for a required environment with no destination, before building or sending', async () => {
    const before = slack.requests.length
    await expect(notify(options({ destination: undefined }))).rejects.toThrow(
      /required for 'prod' but no destination is set/,
    )
    expect(slack.requests.length).toBe(before)
  })

  it('warns and continues without a destination when not required', async () => {
    const o = options({ destination: undefined, required: false, environment: 'dev' })
    const result = await notify(o)
    expect(result.status).toBe('skipped')
    expect(o.logger.lines.some((l) => l.startsWith("warning: Slack: no webhook or bot token for 'dev'"))).toBe(true)
  })

  it('500 forever: bounded retries, then the step fails when required', async () => {
    slack.failNext(50, { status: 500 })
    const before = slack.requests.length
    const error = await notify(options()).catch((e: unknown) => e)
    slack.clearFailures()
    expect(error).toBeInstanceOf(RequiredNotificationError)
    expect((error as Error).message).toMatch(
      /deploy-succeeded for 'prod' failed: webhook: Slack answered HTTP 500; gave up after 6 attempts/,
    )
    expect(slack.requests.length - before).toBe(6)
  })

  it('500 forever: bounded retries, then a warning and success when not required', async () => {
    slack.failNext(50, { status: 500 })
    const o = options({ required: false, environment: 'dev' })
    const result = await notify(o)
    slack.clearFailures()
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('internal_error')
    expect(o.logger.lines.filter((l) => l.startsWith('warning:')).join('\n')).toMatch(
      /failed: .*gave up after 6 attempts \(not required, continuing\)/,
    )
  })

  it('a final Slack error (no_service) fails a required step with the code', async () => {
    const error = (await notify(
      options({
        destination: { kind: 'webhook', url: slack.webhookUrl().replace(/XXXX$/, 'GONE'), source: 'webhooks[prod]' },
      }),
    ).catch((e: unknown) => e)) as RequiredNotificationError
    expect(error).toBeInstanceOf(RequiredNotificationError)
    expect(error.code).toBe('no_service')
    expect(error.message).not.toContain('GONE')
  })
})
