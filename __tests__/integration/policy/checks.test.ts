import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { confirmationCheck, ticketCheck } from '@tfpipe/policy/input-checks.js'
import { costCheck, destroyCheck, planAgeCheck, protectedCheck, securityCheck } from '@tfpipe/policy/plan-checks.js'
import { GateFacts } from '@tfpipe/policy/gate-facts.js'
import { evaluateGate } from '@tfpipe/policy/gate.js'
import { loadInfracost, loadPlanSource, loadSarif } from '@tfpipe/policy/plan-source.js'
import { renderReport, renderText } from '@tfpipe/policy/report.js'
import { sarifFindings } from '@tfpipe/policy/sarif.js'
import type { EnvironmentPolicy } from '@tfpipe/policy/types.js'
import { fixture, gateInput, planFixture, repoRoot } from '../../support/policy-input.js'
import { join } from 'node:path'

const facts = (overrides: Parameters<typeof gateInput>[0] = {}) => new GateFacts(gateInput(overrides))

describe('destroy protection', () => {
  it('counts replaces as destroys and names them', async () => {
    const r = await destroyCheck({ destroy: { max: 2 } }, facts({ plan: planFixture('replace') }))
    expect(r.status).toBe('fail')
    expect(r.message).toBe(
      '4 destroy/replace, the policy allows 2 (a replace counts as a destroy); use force-recreate to allow it',
    )
    expect(r.details).toEqual([
      'replace terraform_data.cbd',
      'replace terraform_data.dbc',
      'replace terraform_data.follower',
      'replace terraform_data.tainted',
    ])
  })

  it('passes within the limit, and force-recreate lets more through as a warning', async () => {
    expect((await destroyCheck({ destroy: { max: 3 } }, facts({ plan: planFixture('delete') }))).status).toBe('pass')
    expect((await destroyCheck({ destroy: { max: 0 } }, facts({ plan: planFixture('create') }))).status).toBe('pass')
    const forced = await destroyCheck(
      { destroy: { max: 0 } },
      facts({ plan: planFixture('delete'), forceRecreate: true }),
    )
    expect(forced.status).toBe('warn')
    expect(forced.details).toEqual([
      'delete terraform_data.legacy',
      'delete terraform_data.shard[1]',
      'delete terraform_data.shard[2]',
    ])
  })
})

describe('protected resources', () => {
  it('refuses deleting a protected address or type and says there is no override', async () => {
    const policy: EnvironmentPolicy = { protected: { addresses: ['terraform_data.shard[*]'] } }
    const r = await protectedCheck(policy, facts({ plan: planFixture('delete') }))
    expect(r.status).toBe('fail')
    expect(r.details).toEqual([
      "delete terraform_data.shard[1] (protected by 'terraform_data.shard[*]')",
      "delete terraform_data.shard[2] (protected by 'terraform_data.shard[*]')",
    ])
    expect(r.message).toContain(
      'no protected.override-label is set in the policy, so no pull request label can allow it',
    )
    const byType = await protectedCheck(
      { protected: { types: ['terraform_*'] } },
      facts({ plan: planFixture('replace') }),
    )
    expect(byType.status).toBe('fail')
    expect(byType.details).toHaveLength(4)
  })

  it('ignores creates and updates of protected resources', async () => {
    const r = await protectedCheck({ protected: { types: ['terraform_data'] } }, facts({ plan: planFixture('update') }))
    expect(r.status).toBe('pass')
  })

  it('with an override label, still refuses when there is no pull request to carry it', async () => {
    const r = await protectedCheck(
      { protected: { types: ['terraform_data'], 'override-label': 'allow-protected-destroy' } },
      facts({ plan: planFixture('delete') }),
    )
    expect(r.status).toBe('fail')
    expect(r.message).toContain(
      "no pull request was found for commit c0ffee000000, so no 'allow-protected-destroy' label",
    )
  })
})

describe('confirmation', () => {
  const policy: EnvironmentPolicy = { confirmation: 'deploy-{env}' }
  it('matches the template exactly', async () => {
    expect((await confirmationCheck(policy, facts({ confirmation: 'deploy-prod' }))).status).toBe('pass')
    const wrong = await confirmationCheck(policy, facts({ confirmation: 'deploy-prod ' }))
    expect(wrong.status).toBe('fail')
    expect(wrong.message).toBe("confirmation 'deploy-prod ' does not match: type 'deploy-prod' exactly")
    expect((await confirmationCheck(policy, facts({ confirmation: 'Deploy-Prod' }))).status).toBe('fail')
    expect((await confirmationCheck(policy, facts())).message).toBe("confirmation missing: type 'deploy-prod'")
  })
})

describe('change ticket', () => {
  let server: Server
  let base: string
  let refusedPort: number
  const seen: string[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '')
      if (req.url?.startsWith('/api/slow/')) return // never answers
      const known = req.url === '/api/CHG-1234' || req.url === '/api/CHG-42%2F7'
      res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' })
      res.end(JSON.stringify(known ? { state: 'approved' } : { error: 'not found' }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()))
    refusedPort = (probe.address() as AddressInfo).port
    await new Promise<void>((r) => probe.close(() => r()))
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
  })

  const rule = (url: string, timeout = '2s'): EnvironmentPolicy => ({
    ticket: { required: true, pattern: 'CHG-[0-9]+(/[0-9]+)?', 'verify-url': url, timeout },
  })

  it('requires a ticket in the right form', async () => {
    expect((await ticketCheck({ ticket: { required: true } }, facts())).message).toBe(
      'change ticket required: set change-ticket',
    )
    const bad = await ticketCheck({ ticket: { pattern: 'CHG-[0-9]+' } }, facts({ changeTicket: 'JIRA-1 CHG-1' }))
    expect(bad.status).toBe('fail')
    expect(bad.message).toBe("change ticket 'JIRA-1 CHG-1' does not match the pattern CHG-[0-9]+")
    expect((await ticketCheck({ ticket: { pattern: 'CHG-[0-9]+' } }, facts({ changeTicket: 'CHG-77' }))).status).toBe(
      'pass',
    )
  })

  it('verifies against the URL template (2xx = valid), URI-encoding the ticket', async () => {
    const ok = await ticketCheck(rule(`${base}/api/{ticket}`), facts({ changeTicket: 'CHG-1234' }))
    expect(ok).toMatchObject({ status: 'pass', message: 'ticket CHG-1234 verified (HTTP 200)' })
    expect((await ticketCheck(rule(`${base}/api/{ticket}`), facts({ changeTicket: 'CHG-42/7' }))).status).toBe('pass')
    expect(seen).toContain('/api/CHG-42%2F7')
    const missing = await ticketCheck(rule(`${base}/api/{ticket}`), facts({ changeTicket: 'CHG-9999' }))
    expect(missing.status).toBe('fail')
    expect(missing.message).toBe(`ticket CHG-9999 not found: ${base}/api/CHG-9999 answered HTTP 404`)
  })

  it('a ticket service that is down gives a clear violation, not a crash', async () => {
    const r = await ticketCheck(
      rule(`http://127.0.0.1:${refusedPort}/api/{ticket}`),
      facts({ changeTicket: 'CHG-1234' }),
    )
    expect(r.status).toBe('fail')
    expect(r.message).toBe(
      `ticket CHG-1234 could not be verified: http://127.0.0.1:${refusedPort}/api/CHG-1234 — connection refused`,
    )
  })

  it('a ticket service that does not answer times out with the configured limit', async () => {
    const started = Date.now()
    const r = await ticketCheck(rule(`${base}/api/slow/{ticket}`, '300ms'), facts({ changeTicket: 'CHG-1234' }))
    expect(Date.now() - started).toBeLessThan(2000)
    expect(r.status).toBe('fail')
    expect(r.message).toBe(`ticket CHG-1234 could not be verified: ${base}/api/slow/CHG-1234 — no answer within 300ms`)
  })

  it('uses an injected HTTP client', async () => {
    const calls: string[] = []
    const r = await ticketCheck(
      rule('https://tickets.example/api/{ticket}'),
      facts({ changeTicket: 'CHG-5', http: async (url) => (calls.push(url), { status: 204 }) }),
    )
    expect(r.status).toBe('pass')
    expect(calls).toEqual(['https://tickets.example/api/CHG-5'])
  })
})

describe('plan age', () => {
  it('uses the plan JSON timestamp and refuses old plans', async () => {
    const plan = await loadPlanSource({ planJson: join(repoRoot, '__tests__/fixtures/plans/create.json') })
    expect(plan?.createdFrom).toBe('plan JSON timestamp')
    const created = plan!.createdAt!
    const fresh = await planAgeCheck(
      { 'plan-age': { max: '2h' } },
      facts({ plan, now: () => new Date(created.getTime() + 30 * 60_000) }),
    )
    expect(fresh.status).toBe('pass')
    const old = await planAgeCheck(
      { 'plan-age': { max: '2h' } },
      facts({ plan, now: () => new Date(created.getTime() + 3 * 3_600_000 + 5 * 60_000) }),
    )
    expect(old.status).toBe('fail')
    expect(old.message).toBe(
      `plan made 3h 5m ago (${created.toISOString()}, from plan JSON timestamp), older than the limit of 2h: plan again`,
    )
  })
})

describe('cost', () => {
  const diff = loadInfracost(fixture('infracost-up.json'))
  it('checks the absolute and the percentage increase', async () => {
    const infracost = { path: 'x', diff }
    expect((await costCheck({ cost: { 'max-monthly-increase': 200 } }, facts({ infracost }))).status).toBe('pass')
    const abs = await costCheck({ cost: { 'max-monthly-increase': 100 } }, facts({ infracost }))
    expect(abs.status).toBe('fail')
    expect(abs.message).toBe('monthly cost +160.00 USD (+20.0%, was 800.00): over the limit of +100 USD/month')
    const pct = await costCheck(
      { cost: { 'max-percent-increase': 15, 'max-monthly-increase': 1000 } },
      facts({ infracost }),
    )
    expect(pct.message).toContain('over the limit of +15%')
    expect((await costCheck({ cost: { 'max-percent-increase': 20 } }, facts({ infracost }))).status).toBe('pass')
    // from nothing: any increase is infinitely many percent
    const fromZero = await costCheck(
      { cost: { 'max-percent-increase': 50 } },
      facts({
        infracost: {
          path: 'x',
          diff: { totalMonthlyCost: '12', pastTotalMonthlyCost: '0', diffTotalMonthlyCost: '12', currency: 'USD' },
        },
      }),
    )
    expect(fromZero).toMatchObject({
      status: 'fail',
      message: 'monthly cost +12.00 USD (from 0, was 0.00): over the limit of +50%',
    })
    expect((await costCheck({ cost: { 'max-monthly-increase': 1 } }, facts())).status).toBe('warn')
  })
})

describe('security (SARIF)', () => {
  it('maps tfsec, checkov and trivy results to severities', () => {
    const tfsec = sarifFindings(loadSarif(fixture('tfsec.sarif.json')))
    expect(tfsec.map((f) => [f.rule, f.severity, f.file, f.line])).toEqual([
      ['aws-s3-enable-bucket-encryption', 'high', 'modules/storage/main.tf', 12],
      ['aws-s3-enable-bucket-logging', 'medium', 'modules/storage/main.tf', 12],
      ['aws-s3-enable-versioning', 'low', 'modules/storage/main.tf', 12],
    ])
    const checkov = sarifFindings(loadSarif(fixture('checkov.sarif.json')))
    // the suppressed result is dropped; security-severity 3.1 wins over level error
    expect(checkov.map((f) => [f.tool, f.rule, f.severity, f.file])).toEqual([
      ['checkov', 'CKV_AWS_18', 'high', 'main.tf'],
      ['checkov', 'CKV_AWS_144', 'low', 'main.tf'],
    ])
    const trivy = sarifFindings(loadSarif(fixture('trivy.sarif.json')))
    expect(trivy.map((f) => [f.rule, f.severity, f.line, f.message])).toEqual([
      ['AVD-AWS-0086', 'high', 20, 'Artifact: main.tf'],
      ['AVD-AWS-0089', 'low', 20, 'Artifact: main.tf'],
      ['AVD-AWS-0107', 'critical', 33, 'Artifact: network.tf'],
    ])
  })

  it('refuses findings at or above the threshold, listed with rule, file and line', async () => {
    const sarif = ['tfsec', 'checkov', 'trivy'].map((t) => ({ path: t, log: loadSarif(fixture(`${t}.sarif.json`)) }))
    const high = await securityCheck({ security: { 'fail-on': 'high' } }, facts({ sarif }))
    expect(high.status).toBe('fail')
    expect(high.message).toBe('4 security finding(s) at or above high')
    expect(high.details?.[0]).toBe('CRITICAL AVD-AWS-0107 network.tf:33 — Artifact: network.tf (Trivy)')
    expect(high.details).toContain(
      'HIGH aws-s3-enable-bucket-encryption modules/storage/main.tf:12 — Bucket does not have encryption enabled (tfsec)',
    )
    expect(high.details).toContain(
      'HIGH CKV_AWS_18 main.tf:4 — Ensure the S3 bucket has access logging enabled (checkov)',
    )
    const critical = await securityCheck({ security: { 'fail-on': 'critical' } }, facts({ sarif }))
    expect(critical.details).toHaveLength(1)
    const onlyLow = await securityCheck({ security: { 'fail-on': 'critical' } }, facts({ sarif: sarif.slice(0, 1) }))
    expect(onlyLow).toMatchObject({ status: 'pass', message: '3 finding(s), none at or above critical' })
    expect((await securityCheck({ security: { required: true } }, facts())).status).toBe('fail')
  })
})

describe('the whole gate', () => {
  const policy: EnvironmentPolicy = {
    destroy: { max: 0 },
    confirmation: 'deploy-{env}',
    ticket: { required: true },
    override: { allowed: true, except: ['confirmation'] },
  }

  it('collects violations, renders a table and a text verdict', async () => {
    const verdict = await evaluateGate(policy, gateInput({ plan: planFixture('delete'), confirmation: 'deploy-prod' }))
    expect(verdict.allowed).toBe(false)
    expect(verdict.violations.map((v) => v.check)).toEqual(['destroy', 'ticket'])
    const md = renderReport(verdict)
    expect(md).toContain('### ❌ safety-gate: deploy to `prod` refused (2 violations)')
    expect(md).toContain('| Check | Result | Detail |')
    expect(md).toContain('| confirmation | ✅ pass | confirmation matches |')
    expect(md).toContain('| ticket | ❌ fail | change ticket required: set change-ticket |')
    expect(md).toContain('delete terraform_data.shard[2]')
    expect(renderText(verdict)).toMatch(/^REFUSED: deploy to prod\n/)
  })

  it('an emergency override turns violations into loud warnings, except the ones the policy keeps', async () => {
    const verdict = await evaluateGate(
      policy,
      gateInput({ plan: planFixture('delete'), overrideReason: 'INC-991 outage, rollback needed' }),
    )
    expect(verdict.violations.map((v) => v.check)).toEqual(['confirmation'])
    expect(verdict.warnings.filter((w) => w.overridden).map((w) => w.check)).toEqual(['destroy', 'ticket'])
    const allowed = await evaluateGate(
      policy,
      gateInput({
        plan: planFixture('delete'),
        confirmation: 'deploy-prod',
        overrideReason: 'INC-991 outage, rollback needed',
      }),
    )
    expect(allowed.allowed).toBe(true)
    expect(allowed.override).toEqual({
      reason: 'INC-991 outage, rollback needed',
      applied: true,
      notOverridable: ['confirmation', 'protected'],
    })
    const md = renderReport(allowed)
    expect(md).toContain('allowed by EMERGENCY OVERRIDE')
    expect(md).toContain('**Emergency override** — reason: INC-991 outage, rollback needed')
    expect(md).toContain('| destroy | ⚠️ overridden |')
  })

  it('ignores an override reason where the policy does not allow overrides, and says so', async () => {
    const verdict = await evaluateGate(
      { destroy: { max: 0 } },
      gateInput({ plan: planFixture('delete'), overrideReason: 'please' }),
    )
    expect(verdict.allowed).toBe(false)
    expect(verdict.warnings.map((w) => w.check)).toEqual(['override'])
    expect(renderReport(verdict)).toContain("this environment's policy does not allow overrides")
  })
})

describe('report safety', () => {
  it('escapes table cells and keeps detail lines inside their code block', () => {
    const md = renderReport({
      environment: 'prod',
      allowed: false,
      results: [
        {
          check: 'security',
          status: 'fail',
          message: 'rule a|b <img src=x> found',
          details: ['```\n# injected', 'x'.repeat(10)],
        },
      ],
      violations: [{ check: 'security', message: 'm', details: [] }],
      warnings: [],
    })
    expect(md).toContain('| security | ❌ fail | rule a\\|b &lt;img src=x&gt; found |')
    expect(md).not.toContain('```\n# injected')
    expect(md).toContain("'''")
    const many = renderReport(
      {
        environment: 'prod',
        allowed: false,
        results: [
          {
            check: 'destroy',
            status: 'fail',
            message: 'm',
            details: Array.from({ length: 80 }, (_, i) => `delete r${i}`),
          },
        ],
        violations: [],
        warnings: [],
      },
      { maxDetailLines: 10 },
    )
    expect(many).toContain('delete r9\n… and 70 more')
    expect(many).not.toContain('delete r10\n')
  })
})
