import { describe, expect, it } from '@jest/globals'
import { freezesCheck, windowsCheck } from '@tfpipe/policy/schedule-checks.js'
import { GateFacts } from '@tfpipe/policy/gate-facts.js'
import { parsePolicy, environmentPolicy } from '@tfpipe/policy/load.js'
import { localTime } from '@tfpipe/policy/time.js'
import { gateInput } from '../../support/policy-input.js'

const policy = environmentPolicy(
  parsePolicy(`
environments:
  prod:
    timezone: Europe/Berlin
    windows:
      - days: [mon, tue, wed, thu, fri, sat, sun]
        start: "09:00"
        end: "17:00"
    freezes:
      - from: "12-20"
        to: "01-03"
        reason: Year-end change freeze
      - days: [fri]
        reason: No Friday deploys
      - from: "2027-03-01"
        to: "2027-03-05"
        reason: Data-centre migration
`),
  'prod',
)

const at = (iso: string) => new GateFacts(gateInput({ now: () => new Date(iso) }))

describe('local time through Intl (DST-correct)', () => {
  it('follows Europe/Berlin across the spring and autumn changes', () => {
    // 2026-03-29 (last Sunday of March): 02:00 CET -> 03:00 CEST at 01:00 UTC.
    expect(localTime(new Date('2026-03-29T00:30:00Z'), 'Europe/Berlin').text).toBe(
      '2026-03-29 01:30 Sun (Europe/Berlin)',
    )
    expect(localTime(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin').text).toBe(
      '2026-03-29 03:30 Sun (Europe/Berlin)',
    )
    // 2026-10-25 (last Sunday of October): 03:00 CEST -> 02:00 CET at 01:00 UTC.
    expect(localTime(new Date('2026-10-25T00:30:00Z'), 'Europe/Berlin').text).toBe(
      '2026-10-25 02:30 Sun (Europe/Berlin)',
    )
    expect(localTime(new Date('2026-10-25T01:30:00Z'), 'Europe/Berlin').text).toBe(
      '2026-10-25 02:30 Sun (Europe/Berlin)',
    )
    expect(localTime(new Date('2026-11-24T23:30:00Z'), 'Pacific/Auckland').date).toBe('2026-11-25')
  })
})

describe('deploy windows', () => {
  it('opens at 09:00 local time on both sides of the spring DST change', async () => {
    // Saturday 2026-03-28 is CET (UTC+1): 08:30 UTC = 09:30 local -> inside.
    expect((await windowsCheck(policy, at('2026-03-28T08:30:00Z'))).status).toBe('pass')
    // Monday 2026-03-30 is CEST (UTC+2): the same 07:30 UTC is 09:30 local -> inside; a fixed UTC offset would say 08:30.
    expect((await windowsCheck(policy, at('2026-03-30T07:30:00Z'))).status).toBe('pass')
    // ... and 07:30 UTC on the Saturday before is 08:30 CET -> outside.
    const closed = await windowsCheck(policy, at('2026-03-28T07:30:00Z'))
    expect(closed.status).toBe('fail')
    expect(closed.message).toBe('2026-03-28 08:30 Sat (Europe/Berlin) is outside every deploy window')
    expect(closed.details).toEqual(['allowed: Mon,Tue,Wed,Thu,Fri,Sat,Sun 09:00-17:00 (Europe/Berlin)'])
  })

  it('closes at 17:00 local time on both sides of the autumn DST change', async () => {
    // Saturday 2026-10-24 is CEST (UTC+2): 15:30 UTC = 17:30 local -> outside.
    expect((await windowsCheck(policy, at('2026-10-24T15:30:00Z'))).status).toBe('fail')
    // Monday 2026-10-26 is CET (UTC+1): 15:30 UTC = 16:30 local -> inside.
    expect((await windowsCheck(policy, at('2026-10-26T15:30:00Z'))).status).toBe('pass')
  })

  it('is skipped when the policy has no windows', async () => {
    expect((await windowsCheck({}, at('2026-10-24T03:00:00Z'))).status).toBe('skip')
  })
})

describe('freezes', () => {
  it('a recurring year-end freeze covers both sides of New Year in local time', async () => {
    const dec = await freezesCheck(policy, at('2026-12-22T10:00:00Z'))
    expect(dec.status).toBe('fail')
    expect(dec.message).toContain('Year-end change freeze')
    expect((await freezesCheck(policy, at('2027-01-02T10:00:00Z'))).status).toBe('fail')
    // 2026-12-19 23:30 UTC is already 2026-12-20 00:30 in Berlin -> frozen.
    expect((await freezesCheck(policy, at('2026-12-19T23:30:00Z'))).status).toBe('fail')
    // 2027-01-03 23:30 UTC is 2027-01-04 00:30 in Berlin (a Monday) -> open.
    const after = await freezesCheck(policy, at('2027-01-03T23:30:00Z'))
    expect(after.status).toBe('pass')
    expect(after.message).toBe('no freeze at 2027-01-04 00:30 Mon (Europe/Berlin)')
    expect((await freezesCheck(policy, at('2026-12-17T10:00:00Z'))).status).toBe('pass') // Thursday before
  })

  it('a dated range across the year end works with full dates too', async () => {
    const p = { timezone: 'UTC', freezes: [{ from: '2026-12-28', to: '2027-01-02', reason: 'Holiday' }] }
    expect((await freezesCheck(p, at('2026-12-31T12:00:00Z'))).status).toBe('fail')
    expect((await freezesCheck(p, at('2027-01-01T12:00:00Z'))).status).toBe('fail')
    expect((await freezesCheck(p, at('2027-01-03T00:00:00Z'))).status).toBe('pass')
    expect((await freezesCheck(p, at('2027-12-31T12:00:00Z'))).status).toBe('pass') // not recurring
  })

  it('refuses Fridays with the reason, and names every active freeze', async () => {
    const friday = await freezesCheck(policy, at('2026-11-27T10:00:00Z'))
    expect(friday.status).toBe('fail')
    expect(friday.message).toBe('frozen at 2026-11-27 11:00 Fri (Europe/Berlin): No Friday deploys')
    // Friday 2027-01-01: both the year-end freeze and the Friday rule.
    const both = await freezesCheck(policy, at('2027-01-01T10:00:00Z'))
    expect(both.message).toContain('Year-end change freeze; No Friday deploys')
    expect(both.details).toEqual(['12-20..01-03 — Year-end change freeze', 'Fri — No Friday deploys'])
    const migration = await freezesCheck(policy, at('2027-03-03T10:00:00Z'))
    expect(migration.message).toContain('Data-centre migration')
  })

  it('a Friday-afternoon freeze starts at its local hour', async () => {
    const p = {
      timezone: 'America/New_York',
      freezes: [{ days: ['fri' as const], start: '14:00', reason: 'No Friday-afternoon deploys' }],
    }
    // Friday 2026-11-27 18:59 UTC = 13:59 EST -> open; 19:00 UTC = 14:00 EST -> frozen.
    expect((await freezesCheck(p, at('2026-11-27T18:59:00Z'))).status).toBe('pass')
    expect((await freezesCheck(p, at('2026-11-27T19:00:00Z'))).status).toBe('fail')
  })
})
