import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { costCheck } from '@tfpipe/policy/plan-checks.js'
import { freezesCheck, windowsCheck } from '@tfpipe/policy/schedule-checks.js'
import { GateFacts } from '@tfpipe/policy/gate-facts.js'
import { ticketCheck } from '@tfpipe/policy/input-checks.js'
import { costChange } from '@tfpipe/policy/cost.js'
import { evaluateGate } from '@tfpipe/policy/gate.js'
import { environmentPolicy, parsePolicy, PolicyError } from '@tfpipe/policy/load.js'
import { loadPlanSource } from '@tfpipe/policy/plan-source.js'
import type { EnvironmentPolicy } from '@tfpipe/policy/types.js'
import { gateInput, planFixture, repoRoot } from '../../support/policy-input.js'
import { join } from 'node:path'

const at = (iso: string) => new GateFacts(gateInput({ now: () => new Date(iso) }))
const infracost = (diff: Record<string, unknown>) => ({ infracost: { path: 'cost.json', diff: diff as never } })

describe('windows and freezes that cross midnight', () => {
  const policy = environmentPolicy(
    parsePolicy(`
environments:
  prod:
    timezone: Europe/Berlin
    windows:
      - name: night
        days: [mon, tue, wed, thu]
        start: "22:00"
        end: "02:00"
    freezes:
      - days: [sat]
        start: "23:00"
        end: "01:00"
        reason: Saturday night batch
      - from: "2026-12-24"
        to: "2026-12-24"
        start: "20:00"
        end: "06:00"
        reason: Christmas Eve
`),
    'prod',
  )

  it('a Mon 22:00-02:00 window is open from Mon 22:00 (inclusive) until Tue 02:00 (exclusive)', async () => {
    // Europe/Berlin is UTC+1 in November.
    expect((await windowsCheck(policy, at('2026-11-23T20:59:00Z'))).status).toBe('fail') // Mon 21:59
    expect(await windowsCheck(policy, at('2026-11-23T21:00:00Z'))).toMatchObject({
      status: 'pass',
      message: '2026-11-23 22:00 Mon (Europe/Berlin) is inside night: Mon,Tue,Wed,Thu 22:00-02:00',
    })
    expect(await windowsCheck(policy, at('2026-11-24T00:59:00Z'))).toMatchObject({
      status: 'pass',
      message: expect.stringContaining('(opened 2026-11-23)'),
    }) // Tue 01:59
    expect((await windowsCheck(policy, at('2026-11-24T01:00:00Z'))).status).toBe('fail') // Tue 02:00: end is exclusive
  })

  it('the hours after midnight belong to the day the window starts on', async () => {
    // Fri 01:00 is the tail of Thursday's window; Sat 01:00 would be Friday's, and Friday is not listed.
    expect((await windowsCheck(policy, at('2026-11-27T00:00:00Z'))).status).toBe('pass')
    expect((await windowsCheck(policy, at('2026-11-28T00:00:00Z'))).status).toBe('fail')
    // Mon 01:00 would be Sunday's window: refused.
    expect((await windowsCheck(policy, at('2026-11-30T00:00:00Z'))).status).toBe('fail')
  })

  it('freezes that cross midnight hold [start, end) from the day (and date) they start on', async () => {
    expect((await freezesCheck(policy, at('2026-11-28T21:59:00Z'))).status).toBe('pass') // Sat 22:59
    expect((await freezesCheck(policy, at('2026-11-28T22:00:00Z'))).message).toContain('Saturday night batch') // Sat 23:00
    expect((await freezesCheck(policy, at('2026-11-28T23:59:00Z'))).status).toBe('fail') // Sun 00:59
    expect((await freezesCheck(policy, at('2026-11-29T00:00:00Z'))).status).toBe('pass') // Sun 01:00
    expect((await freezesCheck(policy, at('2026-12-25T04:59:00Z'))).message).toContain('Christmas Eve') // Dec 25 05:59
    expect((await freezesCheck(policy, at('2026-12-25T05:00:00Z'))).status).toBe('pass') // Dec 25 06:00
    expect((await freezesCheck(policy, at('2026-12-24T04:00:00Z'))).status).toBe('pass') // Dec 24 05:00: the 23rd is not frozen
  })

  it('24:00 is the end of a day; an empty or 24:00-starting range is refused', () => {
    const ok = environmentPolicy(
      parsePolicy('environments:\n  p:\n    windows:\n      - { days: [mon], start: "18:00", end: "24:00" }\n'),
      'p',
    )
    expect(ok.windows?.[0]?.end).toBe('24:00')
    expect(() =>
      parsePolicy('environments:\n  p:\n    windows:\n      - { days: [mon], start: "02:00", end: "02:00" }\n'),
    ).toThrow(
      'environments.p.windows[0]: start 02:00 equals end 02:00, an empty range; use 00:00-24:00 for a whole day',
    )
    expect(() =>
      parsePolicy('environments:\n  p:\n    freezes:\n      - { days: [fri], end: "00:00", reason: r }\n'),
    ).toThrow('environments.p.freezes[0]: start 00:00 equals end 00:00, an empty range')
  })
})

describe('cost: unreadable amounts and currency fail closed', () => {
  const limits: EnvironmentPolicy = { cost: { 'max-monthly-increase': 100 } }
  it.each([
    [{ currency: 'USD', diffTotalMonthlyCost: 'NaN' }, 'diffTotalMonthlyCost is "NaN", not a number'],
    [{ currency: 'USD', diffTotalMonthlyCost: 'lots' }, 'diffTotalMonthlyCost is "lots", not a number'],
    [
      { currency: 'USD', totalMonthlyCost: '12', pastTotalMonthlyCost: '1e' },
      'pastTotalMonthlyCost is "1e", not a number',
    ],
    [
      { currency: 'USD', diffTotalMonthlyCost: null, totalMonthlyCost: null },
      'neither diffTotalMonthlyCost nor totalMonthlyCost is given',
    ],
    [{ currency: 'USD', diffTotalMonthlyCost: { amount: 3 } }, 'diffTotalMonthlyCost is {"amount":3}, not a number'],
    [{ diffTotalMonthlyCost: '3' }, 'currency is missing, not an ISO 4217 code'],
  ])('%j is refused naming the field', async (diff, problem) => {
    const r = await costCheck(limits, new GateFacts(gateInput(infracost(diff))))
    expect(r).toMatchObject({
      status: 'fail',
      message: `infracost-json 'cost.json' cannot be read: ${problem}; give the output of \`infracost diff --format json\``,
    })
  })

  it('reads numbers, numeric strings and a missing past total (nothing deployed yet)', () => {
    expect(costChange({ currency: 'EUR', totalMonthlyCost: 40 })).toEqual({
      readable: true,
      diff: 40,
      past: 0,
      percent: undefined,
      currency: 'EUR',
    })
    expect(costChange({ currency: 'usd', diffTotalMonthlyCost: ' -3.5 ', pastTotalMonthlyCost: '7' })).toEqual({
      readable: true,
      diff: -3.5,
      past: 7,
      percent: -50,
      currency: 'USD',
    })
  })

  it('compares in the policy currency (default USD) and refuses a file in another one', async () => {
    const eur = infracost({ currency: 'EUR', diffTotalMonthlyCost: '5', pastTotalMonthlyCost: '100' })
    expect(await costCheck(limits, new GateFacts(gateInput(eur)))).toMatchObject({
      status: 'fail',
      message:
        "infracost-json 'cost.json' is in EUR but the policy limits are in USD: run infracost with currency USD or set cost.currency",
    })
    expect(
      (await costCheck({ cost: { 'max-monthly-increase': 100, currency: 'EUR' } }, new GateFacts(gateInput(eur))))
        .status,
    ).toBe('pass')
    expect(() => parsePolicy('environments:\n  p:\n    cost: { currency: euro }\n')).toThrow(
      'environments.p.cost.currency: must be an ISO 4217 currency code such as USD, EUR or GBP',
    )
  })
})

describe('override and protected resources', () => {
  const base: EnvironmentPolicy = {
    destroy: { max: 0 },
    protected: { addresses: ['terraform_data.shard[*]'] },
    override: { allowed: true },
  }
  const reason = { overrideReason: 'INC-1 outage' }

  it('an override reason never unlocks protected resources unless override.protected is true, and says so', async () => {
    const v = await evaluateGate(base, gateInput({ plan: planFixture('delete'), ...reason }))
    expect(v.allowed).toBe(false)
    expect(v.warnings.filter((w) => w.overridden).map((w) => w.check)).toEqual(['destroy'])
    expect(v.violations).toEqual([
      expect.objectContaining({
        check: 'protected',
        message:
          '2 protected resource(s) would be deleted or replaced; no protected.override-label is set in the policy, so no pull request label can allow it (override-reason does not unlock this: protected resources are not overridable unless the policy sets override.protected: true)',
      }),
    ])
    expect(v.override?.notOverridable).toEqual(['protected'])
  })

  it('override.protected: true lets the reason unlock them; override.except still wins', async () => {
    const unlocked = await evaluateGate(
      { ...base, override: { allowed: true, protected: true } },
      gateInput({ plan: planFixture('delete'), ...reason }),
    )
    expect(unlocked.allowed).toBe(true)
    expect(unlocked.warnings.filter((w) => w.overridden).map((w) => w.check)).toEqual(['destroy', 'protected'])
    const kept = await evaluateGate(
      { ...base, override: { allowed: true, protected: true, except: ['protected'] } },
      gateInput({ plan: planFixture('delete'), ...reason }),
    )
    expect(kept.violations[0]?.message).toContain(
      '(override-reason does not unlock this: the policy lists protected in override.except)',
    )
  })
})

describe('ticket verification with an auth header', () => {
  let server: Server
  let base: string
  const seen: IncomingHttpHeaders[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers)
      res.writeHead(req.headers.authorization === 'Bearer s3cr3t-token' ? 200 : 401).end('{}')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
  })
  const rule = (): EnvironmentPolicy => ({ ticket: { required: true, 'verify-url': `${base}/t/{ticket}` } })

  it('sends the header and never shows it', async () => {
    const ok = await ticketCheck(
      rule(),
      new GateFacts(
        gateInput({ changeTicket: 'CHG-1', ticketAuthHeader: { name: 'Authorization', value: 'Bearer s3cr3t-token' } }),
      ),
    )
    expect(ok).toMatchObject({ status: 'pass', message: 'ticket CHG-1 verified (HTTP 200)' })
    expect(seen.at(-1)?.authorization).toBe('Bearer s3cr3t-token')
    const wrong = await ticketCheck(
      rule(),
      new GateFacts(
        gateInput({ changeTicket: 'CHG-1', ticketAuthHeader: { name: 'Authorization', value: 'Bearer wrong-one' } }),
      ),
    )
    expect(wrong.message).toBe(
      `ticket CHG-1 not readable (the ticket-auth-header was refused): ${base}/t/CHG-1 answered HTTP 401`,
    )
    expect(JSON.stringify(wrong)).not.toContain('wrong-one')
    const none = await ticketCheck(rule(), new GateFacts(gateInput({ changeTicket: 'CHG-1' })))
    expect(none.message).toContain('not readable (no ticket-auth-header was given)')
  })
})

describe('plan sources', () => {
  it('refuses plan-json and plan-file together', async () => {
    const json = join(repoRoot, '__tests__', 'fixtures', 'plans', 'create.json')
    await expect(loadPlanSource({ planJson: json, planFile: 'tfplan' })).rejects.toThrow(
      'Give either plan-json or plan-file, not both',
    )
  })

  it('a policy error is a PolicyError (one line per problem)', () => {
    expect(() => parsePolicy('environments:\n  p:\n    windows:\n      - { days: [mon], start: "24:00" }\n')).toThrow(
      PolicyError,
    )
  })
})
