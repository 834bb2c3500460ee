import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { normalizeDetails } from '@tfpipe/slack/details.js'
import { EVENTS, type SlackEvent } from '@tfpipe/slack/events.js'
import { LIMITS, validateBlocks } from '@tfpipe/slack/limits.js'
import { buildMessage } from '@tfpipe/slack/message.js'
import { escapeMrkdwn, fitLines, parseMention, safeUrl } from '@tfpipe/slack/mrkdwn.js'
import { startSlackReceiver, type SlackReceiver } from '../../support/slack-receiver.js'
import { fixture, run, texts } from '../../support/slack-run.js'

let slack: SlackReceiver
beforeAll(async () => {
  slack = await startSlackReceiver()
})
afterAll(async () => {
  await slack.close()
})

async function postToReceiver(body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(slack.webhookUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, text: await res.text() }
}

const build = (event: SlackEvent, details: unknown, extra: { mention?: string[]; environment?: string } = {}) =>
  buildMessage({
    event,
    environment: extra.environment ?? 'prod',
    run,
    details: normalizeDetails(details),
    ...(extra.mention ? { mention: extra.mention } : {}),
  })

describe('every event', () => {
  it.each(EVENTS.map((e) => [e]))('%s renders from realistic details and the receiver accepts it', async (event) => {
    const message = build(event, fixture(event), { mention: ['<!subteam^S0PLATFORM>'] })
    expect(validateBlocks(message)).toEqual([])
    const header = message.blocks[0]
    expect(header?.type).toBe('header')
    expect(header && 'text' in header ? header.text?.text : '').toContain('prod')
    const context = message.blocks.at(-1)
    expect(context?.type).toBe('context')
    const all = texts(message).join('\n')
    expect(all).toContain('acme/infra')
    expect(all).toContain('run 4242')
    const actions = message.blocks.find((b) => b.type === 'actions')
    expect(
      actions && 'elements' in actions ? actions.elements.map((e) => ('url' in e ? e.url : undefined)) : [],
    ).toContain(run.runUrl)
    expect(await postToReceiver(message)).toEqual({ status: 200, text: 'ok' })
  })

  it('shows what each event is about', () => {
    const show = (event: SlackEvent) => texts(build(event, fixture(event))).join('\n')
    expect(show('plan-ready')).toMatch(
      /\*3\* to add · :pencil2: \*1\* to change · :heavy_minus_sign: \*0\* to destroy · :recycle: \*2\* to replace/,
    )
    expect(show('plan-ready')).toContain('PR #17')
    expect(show('deploy-succeeded')).toContain('*Duration*\n4m 12s')
    expect(show('deploy-succeeded')).toContain('|deploy/prod/2026-11-22T18.04.11Z>')
    expect(show('deploy-failed')).toContain('Cannot upgrade postgres from 15.4 to 13.2')
    expect(show('deploy-failed')).toContain('`deploy/prod/2026-11-20T09.12.45Z`')
    expect(show('rollback-succeeded')).toContain('+1 added · -2 removed · ~1 changed')
    expect(show('verification-failed')).toContain(
      'its verification failed: the Deployment is marked failed and it is not promoted',
    )
    expect(show('verification-failed')).toContain(
      'Rolling back automatically to the last verified deploy `deploy-prod-20261120-091245`',
    )
    expect(show('verification-failed')).toContain('*Verification*\n:x: failed')
    expect(
      texts(
        build('verification-failed', { ...(fixture('verification-failed') as object), 'auto-rollback': 'false' }),
      ).join('\n'),
    ).toContain('No automatic rollback for *prod*; the last verified deploy is `deploy-prod-20261120-091245`')
    expect(texts(build('deploy-succeeded', { verification: 'skipped' })).join('\n')).toContain(
      '*Verification*\n:warning: skipped (skip-verify)',
    )
    expect(show('rollback-succeeded')).toContain('To undo, roll back to `Wq0XH6eRd8yjVYwWOd5gmN`')
    expect(show('drift-detected')).toContain(
      '3 resources changed outside Terraform and 1 resource would change on apply across 4 stacks',
    )
    expect(show('drift-detected')).toContain('`aws_route_table.private["eu-west-1a"]`')
    expect(show('drift-detected')).toContain('<https://github.com/acme/infra/issues/41|issue #41>')
    expect(show('drift-detected')).toMatch(/`prod: stacks\/iam`\* — error\n:x: Error: error configuring S3 Backend/)
    expect(show('drift-detected')).not.toContain('stacks/dns')
    expect(show('stale-lock')).toContain(
      'held by runner@fv-az123-456 for OperationTypeApply since 2026-11-21T03:12:09.51Z',
    )
    expect(show('gate-overridden')).toContain('*Reason:* Hotfix for INC-2231')
    expect(show('gate-overridden')).toContain('overridden by alice')
    expect(show('gate-overridden')).toContain('• _(overridden)_ *window*: Saturday 02:10 UTC')
    expect(show('stale-lock')).toContain('(1d 15h old)')
  })

  it('renders the details the reusable workflows pass (camelCase keys, step outputs nested)', async () => {
    const rollback = build('rollback-started', {
      previousTag: 'deploy/prod/2026-11-20T09.12.45Z',
      reason: 'INC-2231: bad security group <!channel>',
      actor: 'alice',
      sha: 'abcdef0123456789',
    })
    const text = texts(rollback).join('\n')
    expect(text).toContain('Rolling back the state of *prod* to deploy `deploy/prod/2026-11-20T09.12.45Z`.')
    expect(text).toContain('*Reason:* INC-2231: bad security group &lt;!channel&gt;')
    expect(text).toContain('*Actor*\nalice')
    expect(text).toContain('|abcdef0>')
    const refused = build('deploy-failed', {
      allowed: 'false',
      violations: JSON.stringify([
        { check: 'destroy', status: 'fail', message: '3 destroy/replace, the policy allows 0', details: [] },
      ]),
      warnings: '[]',
      report: '## gate',
    })
    expect(texts(refused).join('\n')).toContain(
      '*Safety gate violations (1)*\n• *destroy*: 3 destroy/replace, the policy allows 0',
    )
    for (const m of [rollback, refused]) expect(await postToReceiver(m)).toEqual({ status: 200, text: 'ok' })
  })

  it('adds a Review deployments button linking to the run for approval-required', () => {
    const message = build('approval-required', fixture('approval-required'))
    const actions = message.blocks.find((b) => b.type === 'actions')
    const review =
      actions && 'elements' in actions ? actions.elements.find((e) => e.action_id === 'review-deployments') : undefined
    expect(review).toMatchObject({ url: run.runUrl, style: 'primary', text: { text: 'Review deployments' } })
  })

  it('mentions only on failures and events that need a human', () => {
    const mention = ['<!subteam^S0PLATFORM>']
    expect(build('deploy-failed', {}, { mention }).text).toContain('<!subteam^S0PLATFORM>')
    expect(JSON.stringify(build('deploy-failed', {}, { mention }).blocks)).toContain('<!subteam^S0PLATFORM>')
    expect(JSON.stringify(build('deploy-succeeded', {}, { mention }))).not.toContain('subteam')
  })
})

describe('mrkdwn injection', () => {
  const evil = {
    'override-reason': '<!channel> please <https://evil.example|click here> & <@U0ADMIN> <!subteam^S0ALL> @here',
    violations: [{ check: '<!everyone>', message: 'x < y && y > z <https://evil.example>' }],
    tag: 'v1<!channel>',
    'tag-url': 'javascript:alert(1)',
    'comment-url': 'https://github.com/acme/infra/pull/17#issuecomment-1|<!channel>',
    stacks: [{ directory: '<!here>', drift: 1, addresses: { drift: ['aws_s3_bucket.x["<@U1>"]'] } }],
    error: '```<!channel>``` breakout',
  }

  it.each(['gate-overridden', 'deploy-failed', 'drift-detected', 'deploy-succeeded', 'plan-ready'] as const)(
    '%s: details cannot mention, link or break formatting',
    async (event) => {
      const message = build(event, evil, { environment: 'prod <!channel>' })
      const json = JSON.stringify(message)
      for (const needle of [
        '<!channel>',
        '<!here>',
        '<!everyone>',
        '<@U0ADMIN>',
        '<@U1>',
        '<!subteam',
        '<https://evil',
        'javascript:',
      ]) {
        expect(json).not.toContain(needle)
      }
      // Every `<` left in mrkdwn opens one of our own links.
      for (const t of texts(message, 'mrkdwn'))
        for (const m of t.matchAll(/<([^>]*)>/g)) expect(m[1]).toMatch(/^https:\/\/github\.com\//)
      expect(validateBlocks(message)).toEqual([])
      expect(await postToReceiver(message)).toEqual({ status: 200, text: 'ok' })
    },
  )

  it('escapes the three characters Slack asks for, and breaks bare broadcasts', () => {
    expect(escapeMrkdwn('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d')
    expect(escapeMrkdwn('<!channel>')).toBe('&lt;!channel&gt;')
    expect(escapeMrkdwn('<https://evil|click>')).toBe('&lt;https://evil|click&gt;')
    expect(escapeMrkdwn('ping @channel')).not.toContain('@channel')
    const reason = texts(build('gate-overridden', evil)).join('\n')
    expect(reason).toContain('&lt;!channel&gt; please &lt;https://evil.example|click here&gt; &amp; &lt;@U0ADMIN&gt;')
  })

  it('drops unsafe URLs and keeps http(s) ones', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined()
    expect(safeUrl('https://user:pw@github.com/')).toBeUndefined()
    expect(safeUrl('not a url')).toBeUndefined()
    expect(safeUrl('https://github.com/a|b>c')).toBe('https://github.com/a%7Cb%3Ec')
  })

  it('accepts only mention syntax in the mention input', () => {
    expect(parseMention('<!subteam^S0123ABCD> <@U0123ABCD>')).toEqual(['<!subteam^S0123ABCD>', '<@U0123ABCD>'])
    expect(parseMention('S0123ABCD, U0123ABCD, @here')).toEqual(['<!subteam^S0123ABCD>', '<@U0123ABCD>', '<!here>'])
    expect(parseMention('<https://evil|x>')).toBeUndefined()
    expect(parseMention('hello team')).toBeUndefined()
  })
})

describe('giant details stay within limits', () => {
  const big = 'x'.repeat(10 * 1024)
  const drifted = Array.from(
    { length: 500 },
    (_, i) => `module.app.aws_instance.web["node-${String(i).padStart(3, '0')}"]`,
  )
  const violations = Array.from({ length: 200 }, (_, i) => ({
    check: `check-${i}`,
    message: `violation ${i}: ${'&<>'.repeat(40)}`,
  }))
  const giant = {
    add: 500,
    change: 1,
    destroy: 0,
    replace: 0,
    tag: big,
    'tag-url': `https://github.com/acme/infra/releases/tag/${big}`,
    'override-reason': big,
    error: big,
    actor: big,
    violations,
    warnings: violations,
    stacks: [
      { directory: 'stacks/app', drift: 500, pending: 0, addresses: { drift: drifted, pending: [] } },
      ...Array.from({ length: 30 }, (_, i) => ({
        directory: `stacks/s${i}-${big}`,
        drift: 3,
        pending: 2,
        addresses: { drift: drifted.slice(0, 3), pending: drifted.slice(3, 5) },
      })),
    ],
    'stale-locks': Array.from({ length: 120 }, (_, i) => ({
      ID: `id-${i}`,
      Who: big,
      Operation: 'OperationTypeApply',
      Created: '2026-11-21T03:12:09Z',
      Path: `bucket/env/${i}.tfstate`,
    })),
    diff: { added: drifted, removed: drifted, changed: drifted },
  }

  it.each(EVENTS.map((e) => [e]))('%s', async (event) => {
    const message = build(event, giant, { environment: big, mention: ['<!subteam^S0PLATFORM>'] })
    expect(validateBlocks(message)).toEqual([])
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks)
    expect(await postToReceiver(message)).toEqual({ status: 200, text: 'ok' })
  })

  it('cuts long lists with "…and N more"', () => {
    const drift = texts(build('drift-detected', giant)).join('\n')
    expect(drift).toMatch(/…and \d+ more resources/)
    expect(drift).toMatch(/…and \d+ more stacks|21 more stacks/)
    const shown = (drift.match(/node-\d{3}/g) ?? []).length
    const more = Number(/…and (\d+) more resources/.exec(drift)?.[1])
    expect(shown).toBeGreaterThan(10)
    // The first stack lists what fits, and says how many it left out.
    const first = texts(build('drift-detected', giant)).find((t) => t.startsWith('*`stacks/app`*'))!
    expect((first.match(/node-\d{3}/g) ?? []).length + Number(/…and (\d+) more resources/.exec(first)?.[1])).toBe(500)
    expect(more).toBeGreaterThan(0)
    const gate = texts(build('approval-required', giant)).join('\n')
    const v = /\*Safety gate violations \(200\)\*[\s\S]*?…and (\d+) more violations/.exec(gate)
    expect(v).not.toBeNull()
    const vShown = (gate.split('*Warnings')[0]?.match(/\*check-\d+\*/g) ?? []).length
    expect(vShown + Number(v?.[1])).toBe(200)
  })

  it('fitLines never splits an entity and counts what it left out', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `• line ${i} &amp;&lt;&gt;`)
    const out = fitLines(lines, 200, 'lines')
    expect(out.length).toBeLessThanOrEqual(200)
    const kept = out.split('\n').filter((l) => l.startsWith('•')).length
    expect(out.endsWith(`…and ${50 - kept} more lines`)).toBe(true)
    expect(fitLines(['y'.repeat(500)], 100).length).toBeLessThanOrEqual(100)
  })
})
