import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { LIMITS, validateBlocks } from '@tfpipe/slack/limits.js'
import { startSlackReceiver, type SlackReceiver } from '../../support/slack-receiver.js'

const ok = {
  text: 'fallback',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Deploy succeeded' } },
    { type: 'section', text: { type: 'mrkdwn', text: 'hello' }, fields: [{ type: 'mrkdwn', text: '*a*\nb' }] },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'acme/infra' }] },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'View run' },
          url: 'https://example.test/run',
          action_id: 'run',
        },
      ],
    },
    { type: 'divider' },
  ],
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } })

describe('validateBlocks', () => {
  it('accepts a well-formed message', () => {
    expect(validateBlocks(ok)).toEqual([])
  })

  it.each([
    [
      '51 blocks',
      { text: 't', blocks: Array.from({ length: LIMITS.blocks + 1 }, () => section('x')) },
      /51 blocks, limit 50/,
    ],
    ['a 3001-character section', { text: 't', blocks: [section('x'.repeat(3001))] }, /3001 characters, limit 3000/],
    [
      '11 fields',
      {
        text: 't',
        blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
      },
      /11 fields, limit 10/,
    ],
    [
      'a 2001-character field',
      { text: 't', blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }] },
      /2001 characters, limit 2000/,
    ],
    [
      'a 151-character header',
      { text: 't', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
      /151 characters, limit 150/,
    ],
    [
      'a mrkdwn header',
      { text: 't', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] },
      /type must be plain_text/,
    ],
    [
      '11 context elements',
      {
        text: 't',
        blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }],
      },
      /11 elements, limit 10/,
    ],
    [
      'a 76-character button',
      {
        text: 't',
        blocks: [
          {
            type: 'actions',
            elements: [{ type: 'button', text: { type: 'plain_text', text: 'b'.repeat(76) }, url: 'https://x.test' }],
          },
        ],
      },
      /76 characters, limit 75/,
    ],
    [
      'a 3001-character url',
      {
        text: 't',
        blocks: [
          {
            type: 'actions',
            elements: [
              { type: 'button', text: { type: 'plain_text', text: 'b' }, url: `https://x.test/${'u'.repeat(2986)}` },
            ],
          },
        ],
      },
      /url: 3001 characters, limit 3000/,
    ],
    ['an empty section text', { text: 't', blocks: [section('')] }, /non-empty/],
    ['an unknown block type', { text: 't', blocks: [{ type: 'table' }] }, /unsupported block type/],
    [
      'duplicate action ids',
      {
        text: 't',
        blocks: [
          {
            type: 'actions',
            elements: [1, 2].map(() => ({
              type: 'button',
              text: { type: 'plain_text', text: 'b' },
              url: 'https://x.test',
              action_id: 'same',
            })),
          },
        ],
      },
      /duplicate 'same'/,
    ],
    ['a 40,001-character text', { text: 't'.repeat(40_001) }, /text: 40001 characters/],
    ['no text and no blocks', {}, /text: required/],
  ])('refuses %s', (_name, payload, problem) => {
    const problems = validateBlocks(payload)
    expect(problems.length).toBeGreaterThan(0)
    expect(problems.join('\n')).toMatch(problem)
  })

  it('accepts exactly the limits', () => {
    const payload = {
      text: 't'.repeat(LIMITS.text),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 's'.repeat(3000) },
          fields: Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: 'f'.repeat(2000) })),
        },
        { type: 'context', elements: Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: 'c' })) },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'b'.repeat(75) },
              url: `https://x.test/${'u'.repeat(2985)}`,
            },
          ],
        },
        ...Array.from({ length: 46 }, () => ({ type: 'divider' })),
      ],
    }
    expect(payload.blocks).toHaveLength(50)
    expect(validateBlocks(payload)).toEqual([])
  })
})

describe('slack receiver', () => {
  let slack: SlackReceiver
  beforeAll(async () => {
    slack = await startSlackReceiver()
  })
  afterAll(async () => {
    await slack.close()
  })

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })

  it('answers ok to a valid webhook message and records it', async () => {
    const before = slack.requests.length
    const res = await post(slack.webhookUrl(), ok)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('ok')
    expect(slack.requests).toHaveLength(before + 1)
    expect(slack.requests.at(-1)?.json).toEqual(ok)
  })

  it('refuses over-limit blocks on a webhook with 400 invalid_blocks', async () => {
    const res = await post(slack.webhookUrl(), { text: 't', blocks: [section('x'.repeat(3001))] })
    expect(res.status).toBe(400)
    expect(await res.text()).toBe('invalid_blocks')
  })

  it('answers 404 no_service for an unknown webhook', async () => {
    const res = await post(slack.webhookUrl().replace(/XXXX$/, 'GONE'), ok)
    expect(res.status).toBe(404)
    expect(await res.text()).toBe('no_service')
  })

  it('checks the bot token and enforces limits on the Web API with HTTP 200 ok:false', async () => {
    const bad = await post(
      `${slack.apiUrl}/chat.postMessage`,
      { channel: 'C0DEPLOYS', ...ok },
      { authorization: 'Bearer xoxb-wrong' },
    )
    expect(bad.status).toBe(200)
    expect(await bad.json()).toEqual({ ok: false, error: 'invalid_auth' })
    const auth = { authorization: `Bearer ${slack.botToken}` }
    const invalid = await post(
      `${slack.apiUrl}/chat.postMessage`,
      { channel: 'C0DEPLOYS', text: 't', blocks: Array.from({ length: 51 }, () => section('x')) },
      auth,
    )
    expect(await invalid.json()).toEqual({ ok: false, error: 'invalid_blocks' })
    const good = (await (
      await post(`${slack.apiUrl}/chat.postMessage`, { channel: 'C0DEPLOYS', ...ok }, auth)
    ).json()) as { ok: boolean; ts: string; channel: string }
    expect(good).toMatchObject({ ok: true, channel: 'C0DEPLOYS' })
    const updated = (await (
      await post(`${slack.apiUrl}/chat.update`, { channel: 'C0DEPLOYS', ts: good.ts, ...ok, text: 'v2' }, auth)
    ).json()) as { ok: boolean }
    expect(updated.ok).toBe(true)
    expect(slack.messages.find((m) => m.ts === good.ts)?.updates).toBe(1)
    const missing = await post(`${slack.apiUrl}/chat.update`, { channel: 'C0DEPLOYS', ts: '1.2', ...ok }, auth)
    expect(await missing.json()).toEqual({ ok: false, error: 'message_not_found' })
  })

  it('answers 429 with Retry-After and 500 for the next requests when told to', async () => {
    slack.failNext(1, { status: 429, retryAfter: 3 })
    slack.failNext(1, { status: 500 })
    const first = await post(slack.webhookUrl(), ok)
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).toBe('3')
    const second = await post(slack.webhookUrl(), ok)
    expect(second.status).toBe(500)
    const third = await post(slack.webhookUrl(), ok)
    expect(third.status).toBe(200)
  })
})
