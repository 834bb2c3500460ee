import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { memoryLogger } from '@tfpipe/kit/logger.js'
import { normalizeDetails } from '@tfpipe/slack/details.js'
import { buildMessage } from '@tfpipe/slack/message.js'
import { sendMessage, SlackError, type Destination } from '@tfpipe/slack/transport.js'
import { startSlackReceiver, type SlackReceiver } from '../../support/slack-receiver.js'
import { fixture, run } from '../../support/slack-run.js'

let slack: SlackReceiver
beforeAll(async () => {
  slack = await startSlackReceiver()
})
afterAll(async () => {
  await slack.close()
})

const message = buildMessage({
  event: 'deploy-succeeded',
  environment: 'prod',
  run,
  details: normalizeDetails(fixture('deploy-succeeded')),
})

/** A fake clock: sleeping advances it, so retry budgets are exercised without waiting. */
function fakeTime() {
  let t = 0
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms)
      t += ms
    },
  }
}

let logger: ReturnType<typeof memoryLogger>
let time: ReturnType<typeof fakeTime>
beforeEach(() => {
  logger = memoryLogger()
  time = fakeTime()
})

const opts = () => ({ apiUrl: slack.apiUrl, logger, sleep: time.sleep, now: time.now, random: () => 0.5 })
const webhook = (): Destination => ({ kind: 'webhook', url: slack.webhookUrl(), source: 'webhook-url' })

describe('incoming webhook', () => {
  it('posts the message as JSON', async () => {
    const before = slack.requests.length
    const result = await sendMessage(webhook(), message, opts())
    expect(result).toMatchObject({ attempts: 1, method: 'webhook' })
    const req = slack.requests[before]
    expect(req?.path).toBe('/services/T000/B000/XXXX')
    expect(req?.headers['content-type']).toMatch(/application\/json/)
    expect(req?.json).toEqual(message)
  })

  it('waits Retry-After on 429, then succeeds', async () => {
    slack.failNext(1, { status: 429, retryAfter: 2 })
    const result = await sendMessage(webhook(), message, opts())
    expect(result.attempts).toBe(2)
    expect(time.sleeps).toEqual([2000])
    expect(slack.requests.at(-1)?.status).toBe(200)
  })

  it('backs off with jitter on 500, then succeeds', async () => {
    slack.failNext(2, { status: 500 })
    const result = await sendMessage(webhook(), message, opts())
    expect(result.attempts).toBe(3)
    // Full jitter with random()=0.5: half of base*2^attempt.
    expect(time.sleeps).toEqual([500, 1000])
  })

  it('gives up on 500 forever within the time budget', async () => {
    slack.failNext(100, { status: 500 })
    const before = slack.requests.length
    const error = await sendMessage(webhook(), message, { ...opts(), random: () => 1, maxTotalMs: 30_000 }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(SlackError)
    expect((error as SlackError).message).toMatch(/HTTP 500; gave up after \d+ attempts/)
    slack.clearFailures()
    // Delays 1, 2, 4, 8, 8 s (cap 8 s): the next 8 s would pass 30 s, so it stops after 6 attempts.
    expect(slack.requests.length - before).toBe(6)
    expect(time.sleeps).toEqual([1000, 2000, 4000, 8000, 8000])
  })

  it('times out a hanging request and retries it', async () => {
    slack.failNext(1, { delayMs: 1500 })
    const t0 = Date.now()
    const result = await sendMessage(webhook(), message, { ...opts(), requestTimeoutMs: 300 })
    expect(result.attempts).toBe(2)
    expect(Date.now() - t0).toBeLessThan(1500)
    expect(time.sleeps).toHaveLength(1)
  })

  it('does not wait a Retry-After longer than the budget', async () => {
    slack.failNext(1, { status: 429, retryAfter: 120 })
    const error = await sendMessage(webhook(), message, opts()).catch((e: unknown) => e)
    expect((error as SlackError).code).toBe('rate_limited')
    expect(time.sleeps).toEqual([])
  })

  it.each([
    [{ status: 404, body: 'no_service' }, 'no_service'],
    [{ status: 404, body: 'channel_not_found' }, 'channel_not_found'],
    [{ status: 403, body: 'action_prohibited' }, 'action_prohibited'],
  ])("treats %j as final with Slack's code", async (failure, code) => {
    slack.failNext(1, failure)
    const before = slack.requests.length
    const error = (await sendMessage(webhook(), message, opts()).catch((e: unknown) => e)) as SlackError
    expect(error.code).toBe(code)
    expect(error.retryable).toBe(false)
    expect(slack.requests.length - before).toBe(1)
  })

  it('reports invalid_blocks from Slack as final', async () => {
    const bad = { text: 't', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] }
    const error = (await sendMessage(webhook(), bad as never, opts()).catch((e: unknown) => e)) as SlackError
    expect(error.code).toBe('invalid_blocks')
  })

  it('never puts the webhook URL in errors or logs, even when Slack is unreachable', async () => {
    const secretPath = '/services/T000/B000/SECRETSECRET'
    const url = slack.webhookUrl(secretPath).replace(/:\d+\//, ':1/')
    const error = (await sendMessage({ kind: 'webhook', url, source: 'webhook-url' }, message, {
      ...opts(),
      maxTotalMs: 3000,
    }).catch((e: unknown) => e)) as SlackError
    expect(error.code).toBe('request_failed')
    const everything = `${error.message}\n${error.stack}\n${logger.lines.join('\n')}`
    expect(everything).not.toContain('SECRETSECRET')
    expect(everything).not.toContain(url)
  })
})

describe('bot token (Web API)', () => {
  const bot = (extra: Partial<Extract<Destination, { kind: 'bot' }>> = {}): Destination => ({
    kind: 'bot',
    token: slack.botToken,
    channel: 'C0DEPLOYS',
    ...extra,
  })

  it('posts with chat.postMessage and returns ts and channel', async () => {
    const result = await sendMessage(bot(), message, opts())
    expect(result.method).toBe('chat.postMessage')
    expect(result.channel).toBe('C0DEPLOYS')
    expect(result.ts).toMatch(/^\d+\.\d+$/)
    const req = slack.requests.at(-1)
    expect(req?.path).toBe('/api/chat.postMessage')
    expect(req?.headers.authorization).toBe(`Bearer ${slack.botToken}`)
  })

  it('replies in a thread with thread_ts', async () => {
    const parent = await sendMessage(bot(), message, opts())
    await sendMessage(bot({ threadTs: parent.ts }), message, opts())
    expect(slack.messages.at(-1)?.threadTs).toBe(parent.ts)
  })

  it('updates the started message with chat.update when update-ts is set', async () => {
    const started = buildMessage({ event: 'deploy-started', environment: 'prod', run, details: normalizeDetails({}) })
    const first = await sendMessage(bot(), started, opts())
    const count = slack.messages.length
    const result = await sendMessage(bot({ channel: first.channel!, updateTs: first.ts }), message, opts())
    expect(result.method).toBe('chat.update')
    expect(result.ts).toBe(first.ts)
    expect(slack.requests.at(-1)?.path).toBe('/api/chat.update')
    expect(slack.messages).toHaveLength(count)
    const stored = slack.messages.find((m) => m.ts === first.ts)
    expect(stored?.updates).toBe(1)
    expect(stored?.body.text).toBe(message.text)
  })

  it("reports ok:false errors with Slack's code and without the token", async () => {
    const error = (await sendMessage(bot({ token: 'xoxb-wrong-token-value' }), message, opts()).catch(
      (e: unknown) => e,
    )) as SlackError
    expect(error.code).toBe('invalid_auth')
    expect(error.retryable).toBe(false)
    expect(`${error.message}${logger.lines.join('')}`).not.toContain('xoxb-wrong-token-value')
    const missing = (await sendMessage(bot({ updateTs: '1.000001' }), message, opts()).catch(
      (e: unknown) => e,
    )) as SlackError
    expect(missing.code).toBe('message_not_found')
  })

  it('retries 429 on the Web API too', async () => {
    slack.failNext(1, { status: 429, retryAfter: 1 })
    const result = await sendMessage(bot(), message, opts())
    expect(result.attempts).toBe(2)
    expect(time.sleeps).toEqual([1000])
  })
})
