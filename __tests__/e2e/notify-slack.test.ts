import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validateBlocks } from '@tfpipe/slack/limits.js'
import { repoRoot, runAction, type ActionRun } from '../support/run-action.js'
import { startSlackReceiver, type SlackReceiver } from '../support/slack-receiver.js'

const details = (name: string) => join(repoRoot, '__tests__', 'fixtures', 'details', `${name}.json`)

let slack: SlackReceiver
beforeAll(async () => {
  slack = await startSlackReceiver()
})
afterAll(async () => {
  await slack.close()
})

function notifySlack(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction('notify-slack', {
    inputs: { 'required-environments': 'prod,production', 'dry-run': 'false', ...inputs },
    env: { SLACK_API_URL: slack.apiUrl },
    eventName: 'push',
    timeoutMs: 60_000,
  })
}

/** What a log shows, minus the runner's own masking commands (the runner consumes those lines). */
const visible = (run: ActionRun) =>
  `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')

describe('notify-slack bundle', () => {
  it('sends through the incoming webhook, writes the payload output and never logs the URL', async () => {
    const url = slack.webhookUrl('/services/T000/B000/E2eSecretPathValue')
    const before = slack.requests.length
    const run = await notifySlack({
      event: 'deploy-succeeded',
      environment: 'prod',
      'webhook-url': url,
      details: details('deploy-succeeded'),
    })
    expect(run.exitCode).toBe(0)
    expect(slack.requests.length - before).toBe(1)
    const sent = slack.requests.at(-1)
    expect(sent?.status).toBe(200)
    expect(validateBlocks(sent?.json)).toEqual([])
    expect(JSON.stringify(sent?.json)).toContain('https://github.example.test/acme/infra/actions/runs/4242')
    const payloadPath = run.outputs.payload!
    expect(payloadPath.startsWith(join(run.runnerTemp, 'tmp'))).toBe(true)
    expect(JSON.parse(readFileSync(payloadPath, 'utf8'))).toEqual(sent?.json)
    expect(run.stdout).toContain(`::add-mask::${url}`)
    expect(visible(run)).not.toContain('E2eSecretPathValue')
    expect(readFileSync(payloadPath, 'utf8')).not.toContain('E2eSecretPathValue')
    expect(run.summary).toContain('`deploy-succeeded` for `prod`: sent')
  })

  it('dry-run prints the payload and sends nothing', async () => {
    const before = slack.requests.length
    const run = await notifySlack({
      event: 'drift-detected',
      environment: 'prod',
      'webhook-url': slack.webhookUrl(),
      details: details('drift-detected'),
      'dry-run': 'true',
    })
    expect(run.exitCode).toBe(0)
    expect(slack.requests.length).toBe(before)
    expect(run.stdout).toContain('"type": "header"')
    expect(run.stdout).toContain('Drift detected: prod')
    expect(existsSync(run.outputs.payload!)).toBe(true)
  })

  it('bot token: posts deploy-started, then updates that message when the deploy ends', async () => {
    const started = await notifySlack({
      event: 'deploy-started',
      environment: 'prod',
      'bot-token': slack.botToken,
      channel: '#deploys',
      details: details('deploy-started'),
    })
    expect(started.exitCode).toBe(0)
    expect(started.outputs.ts).toMatch(/^\d+\.\d+$/)
    expect(started.outputs.channel).toMatch(/^C/)
    const count = slack.messages.length
    const done = await notifySlack({
      event: 'deploy-succeeded',
      environment: 'prod',
      'bot-token': slack.botToken,
      channel: started.outputs.channel!,
      'update-ts': started.outputs.ts!,
      details: details('deploy-succeeded'),
    })
    expect(done.exitCode).toBe(0)
    expect(slack.requests.at(-1)?.path).toBe('/api/chat.update')
    expect(done.outputs.ts).toBe(started.outputs.ts)
    expect(slack.messages).toHaveLength(count)
    const message = slack.messages.find((m) => m.ts === started.outputs.ts)
    expect(message?.updates).toBe(1)
    expect(String(message?.body.text)).toContain('Deploy succeeded')
    for (const run of [started, done]) expect(visible(run)).not.toContain(slack.botToken)
  })

  it('per-environment webhooks (YAML) pick the environment channel', async () => {
    const sit = slack.webhookUrl('/services/T000/B000/SITCHANNEL')
    const prod = slack.webhookUrl('/services/T000/B000/PRODCHANNEL')
    const run = await notifySlack({
      event: 'plan-ready',
      environment: 'sit',
      webhooks: `prod: ${prod}\nsit: ${sit}\n`,
      details: details('plan-ready'),
    })
    expect(run.exitCode).toBe(0)
    expect(slack.requests.at(-1)?.path).toBe('/services/T000/B000/SITCHANNEL')
    expect(visible(run)).not.toMatch(/SITCHANNEL|PRODCHANNEL/)
  })

  it('honours 429 Retry-After, then succeeds', async () => {
    slack.failNext(1, { status: 429, retryAfter: 1 })
    const before = slack.requests.length
    const t0 = Date.now()
    const run = await notifySlack({
      event: 'deploy-failed',
      environment: 'prod',
      'webhook-url': slack.webhookUrl(),
      details: details('deploy-failed'),
      mention: '<!subteam^S0PLATFORM>',
    })
    expect(run.exitCode).toBe(0)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000)
    expect(slack.requests.slice(before).map((r) => r.status)).toEqual([429, 200])
    expect(JSON.stringify(slack.requests.at(-1)?.json)).toContain('<!subteam^S0PLATFORM>')
  })

  it('retries a 500, then succeeds', async () => {
    slack.failNext(1, { status: 500 })
    const before = slack.requests.length
    const run = await notifySlack({
      event: 'rollback-succeeded',
      environment: 'prod',
      'webhook-url': slack.webhookUrl(),
      details: details('rollback-succeeded'),
    })
    expect(run.exitCode).toBe(0)
    expect(slack.requests.slice(before).map((r) => r.status)).toEqual([500, 200])
  })

  it('fails at once when a required environment has no webhook', async () => {
    const before = slack.requests.length
    const run = await notifySlack({ event: 'deploy-started', environment: 'production' })
    expect(run.exitCode).not.toBe(0)
    expect(run.annotations.join('\n')).toMatch(
      /::error::notify-slack: Slack notification is required for 'production' but no destination is set/,
    )
    expect(slack.requests.length).toBe(before)
  })

  it('a Slack refusal fails the step when required', async () => {
    slack.failNext(1, { status: 404, body: 'channel_not_found' })
    const run = await notifySlack({ event: 'deploy-succeeded', environment: 'prod', 'webhook-url': slack.webhookUrl() })
    expect(run.exitCode).not.toBe(0)
    expect(run.annotations.join('\n')).toMatch(/::error::.*channel_not_found/)
  })

  it('a Slack refusal only warns when not required', async () => {
    const gone = slack.webhookUrl().replace(/XXXX$/, 'DELETEDHOOK')
    const run = await notifySlack({ event: 'deploy-succeeded', environment: 'dev', 'webhook-url': gone })
    expect(run.exitCode).toBe(0)
    expect(run.annotations.join('\n')).toMatch(/::warning::.*no_service.*not required, continuing/)
    expect(visible(run)).not.toContain('DELETEDHOOK')
    expect(run.summary).toContain('failed (no_service), not required')
  })

  it('refuses a mention that is not Slack mention syntax', async () => {
    const run = await notifySlack({
      event: 'deploy-failed',
      environment: 'dev',
      'webhook-url': slack.webhookUrl(),
      mention: 'hello <https://evil|x>',
    })
    expect(run.exitCode).not.toBe(0)
    expect(run.annotations.join('\n')).toMatch(/Input 'mention' must be Slack mentions/)
  })
})
