import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { validateBlocks } from '@tfpipe/slack/limits.js'
import { repoRoot } from '../support/run-action.js'
import { tfpipe as runCli } from '../support/run-cli.js'
import { startSlackReceiver, type SlackReceiver } from '../support/slack-receiver.js'

let slack: SlackReceiver
beforeAll(async () => {
  slack = await startSlackReceiver()
})
afterAll(async () => {
  await slack.close()
})

const tfpipe = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { SLACK_API_URL: slack.apiUrl, ...env })

const details = join(repoRoot, '__tests__', 'fixtures', 'details', 'deploy-succeeded.json')

describe('tfpipe notify', () => {
  it('--dry-run prints a payload Slack accepts and sends nothing', async () => {
    const before = slack.requests.length
    const r = await tfpipe([
      'notify',
      '--event',
      'deploy-succeeded',
      '--env',
      'prod',
      '--details',
      details,
      '--dry-run',
      '--repo',
      'acme/infra',
    ])
    expect(r.code).toBe(0)
    const payload = JSON.parse(r.stdout) as { text: string; blocks: unknown[] }
    expect(validateBlocks(payload)).toEqual([])
    expect(payload.text).toBe('Deploy succeeded: prod (acme/infra)')
    expect(slack.requests.length).toBe(before)
  })

  it('sends with --webhook-url-env, reading the URL from the environment only', async () => {
    const url = slack.webhookUrl('/services/T000/B000/CLISECRET')
    const r = await tfpipe(
      ['notify', '--event', 'deploy-succeeded', '--env', 'prod', '--details', details, '--webhook-url-env', 'MY_HOOK'],
      { MY_HOOK: url },
    )
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'sent' })
    expect(slack.requests.at(-1)?.path).toBe('/services/T000/B000/CLISECRET')
    expect(`${r.stdout}${r.stderr}`).not.toContain('CLISECRET')
  })

  it('refuses a secret on the command line', async () => {
    const r = await tfpipe([
      'notify',
      '--event',
      'deploy-succeeded',
      '--webhook-url',
      'https://hooks.slack.com/services/T/B/X',
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/use --webhook-url-env NAME/)
  })

  it('exits 1 when a required notification fails, 2 for a bad event', async () => {
    const r = await tfpipe(['notify', '--event', 'deploy-failed', '--env', 'prod', '--webhook-url-env', 'MY_HOOK'], {
      MY_HOOK: slack.webhookUrl().replace(/XXXX$/, 'NOPE'),
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/no_service/)
    const bad = await tfpipe(['notify', '--event', 'deploy-exploded'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/must be one of 'plan-ready'/)
  })
})
