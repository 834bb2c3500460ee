import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { environmentPolicy, formatPath, loadPolicyFile, parsePolicy, PolicyError } from '@tfpipe/policy/load.js'
import { ConfigurationError } from '@tfpipe/kit/errors.js'

const root = join(import.meta.dirname, '..', '..', '..')

function problems(text: string): string[] {
  try {
    parsePolicy(text, 'policy.yml')
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError)
    return (error as PolicyError).problems
  }
  throw new Error('expected the policy to be refused')
}

describe('policy loading and validation', () => {
  it('accepts the shipped example and merges defaults into an environment', () => {
    const doc = loadPolicyFile(join(root, 'examples/policy/terraform-policy.yml'))
    expect(Object.keys(doc.environments)).toEqual(['dev', 'sit', 'prod'])
    const sit = environmentPolicy(doc, 'sit')
    // from defaults
    expect(sit.timezone).toBe('Europe/Berlin')
    expect(sit.protected?.['override-label']).toBe('allow-protected-destroy')
    expect(sit.freezes?.map((f) => f.reason)).toEqual(['Year-end change freeze', 'No Friday-afternoon deploys'])
    // own values win, objects merge
    expect(sit.destroy?.max).toBe(5)
    expect(sit.security?.['fail-on']).toBe('high')
    const dev = environmentPolicy(doc, 'dev')
    expect(dev.freezes).toEqual([]) // a list in the environment replaces the default list
    expect(dev.protected?.types).toEqual([])
    expect(environmentPolicy(doc, 'prod').security).toEqual({ 'fail-on': 'medium', required: true })
  })

  it('the example carries the yaml-language-server schema hint', () => {
    expect(readFileSync(join(root, 'examples/policy/terraform-policy.yml'), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../../schemas/policy.schema.json',
    )
  })

  it('refuses an environment that the policy does not list', () => {
    const doc = parsePolicy('environments:\n  dev: {}\n  prod: {}\n')
    expect(() => environmentPolicy(doc, 'staging', 'policy.yml')).toThrow(
      "Environment 'staging' is not in policy.yml (known: dev, prod); add environments.staging.",
    )
  })

  it('reports one problem per mistake, each with its path', () => {
    const list = problems(`
environments:
  prod:
    windows:
      - days: [mon, tue, funday]
        start: "25:00"
    destroy:
      max: -1
    approvals:
      required-reviewers: "three"
      on-unreadable: ignore
    frezes: []
  dev:
    freezes:
      - reason: missing dates
      - from: "2026-12-20"
        reason: no end
`)
    expect(list).toEqual(
      expect.arrayContaining([
        'environments.prod.windows[0].days[2]: must be one of mon..sun',
        'environments.prod.windows[0].start: must be a time HH:MM (00:00-24:00)',
        'environments.prod.destroy.max: must be >= 0',
        'environments.prod.approvals.required-reviewers: must be integer',
        'environments.prod.approvals.on-unreadable: must be one of fail, warn',
        'environments.prod.frezes: unknown setting (not in the policy schema)',
        'environments.dev.freezes[0]: needs either from/to dates or days',
        "environments.dev.freezes[1]: 'from' needs 'to' too",
      ]),
    )
    expect(list).toHaveLength(8)
  })

  it('checks what the schema cannot: time zones, regexes, real dates, ordering', () => {
    const list = problems(`
defaults:
  timezone: Mars/Olympus_Mons
environments:
  prod:
    ticket:
      pattern: "CHG-(["
      verify-url: "https://tickets.example/api/"
    windows:
      - days: [mon]
        start: "09:00"
        end: "09:00"
      - days: [tue]
        start: "24:00"
    freezes:
      - from: "2026-02-30"
        to: "2026-03-02"
        reason: bad date
      - from: "2027-01-05"
        to: "2026-12-20"
        reason: reversed
`)
    expect(list).toEqual([
      "defaults.timezone: 'Mars/Olympus_Mons' is not an IANA time zone (e.g. Europe/Berlin, UTC)",
      expect.stringMatching(/^environments\.prod\.ticket\.pattern: not a valid regular expression/),
      'environments.prod.ticket.verify-url: must contain {ticket}',
      'environments.prod.windows[0]: start 09:00 equals end 09:00, an empty range; use 00:00-24:00 for a whole day',
      'environments.prod.windows[1].start: 24:00 is the end of a day, not a start; use 00:00',
      "environments.prod.freezes[0].from: '2026-02-30' is not a real date",
      'environments.prod.freezes[1]: from 2027-01-05 is after to 2026-12-20',
    ])
  })

  it('reports YAML syntax errors with line numbers and a missing file in one line', () => {
    const list = problems('environments:\n  prod:\n    destroy: {max: 1\n')
    expect(list[0]).toMatch(/^line \d+, column \d+: /)
    expect(() => loadPolicyFile('/nonexistent/policy.yml')).toThrow(ConfigurationError)
    expect(() => loadPolicyFile('/nonexistent/policy.yml')).toThrow(
      "Policy file '/nonexistent/policy.yml' does not exist; create it or set policy-file.",
    )
  })

  it('formats JSON pointers as readable paths', () => {
    expect(formatPath('/environments/prod/windows/0/days/2')).toBe('environments.prod.windows[0].days[2]')
    expect(formatPath('/environments/eu west/destroy')).toBe('environments["eu west"].destroy')
    expect(formatPath('')).toBe('(top level)')
  })
})
