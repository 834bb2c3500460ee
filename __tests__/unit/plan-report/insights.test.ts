import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { loadInfracost, loadSarif } from '@tfpipe/policy/plan-source.js'
import { environmentPolicy, loadPolicyFile } from '@tfpipe/policy/load.js'
import { evaluateGate } from '@tfpipe/policy/gate.js'
import { sarifFindings } from '@tfpipe/policy/sarif.js'
import {
  blobUrl,
  costInsight,
  gatePreview,
  renderCost,
  renderGatePreview,
  renderSecurity,
  securityInsight,
} from '@tfpipe/plan-report/insights.js'
import { preparePlan } from '@tfpipe/plan-report/prepared.js'
import { renderComment } from '@tfpipe/plan-report/render.js'
import { ZWJ } from '@tfpipe/markdown/escape.js'
import { loadPlanFixture } from '../../support/terraform.js'

const here = join(import.meta.dirname, '..', '..', 'fixtures', 'plan-report')
const policyFixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'policy')
const sarifPaths = ['tfsec', 'checkov', 'trivy'].map((t) => join(policyFixtures, `${t}.sarif.json`))
const infracostPath = join(here, 'infracost-diff.json')

describe('cost from infracost diff JSON', () => {
  const cost = costInsight(loadInfracost(infracostPath))

  it('the monthly delta and the resources by delta, largest first, zero and null left out', () => {
    expect(cost.diff).toBeCloseTo(116.144)
    expect(cost.past).toBeCloseTo(80.008)
    expect(cost.resources.map((r) => r.name)).toEqual([
      'aws_instance.web',
      'aws_nat_gateway.egress["eu-west-1a"]',
      'aws_ebs_volume.scratch',
    ])
    const md = renderCost(cost, 5_000)
    expect(md).toContain('#### 💰 Monthly cost: +116.14 USD/month (+145.2%, was 80.01)')
    expect(md).toContain('- `aws_instance.web`: +91.10 USD')
    expect(md).toContain('- `aws_ebs_volume.scratch`: −10.00 USD')
  })

  it('says an unreadable estimate is unreadable, never a number (the gate refuses it)', () => {
    const unreadable = costInsight({
      ...loadInfracost(infracostPath),
      diffTotalMonthlyCost: 'lots',
      totalMonthlyCost: 'NaN',
    })
    expect(unreadable.problem).toBeTruthy()
    const md = renderCost(unreadable, 5_000)
    expect(md).toContain('#### 💰 Monthly cost: not readable')
    expect(md).not.toMatch(/USD\/month/)
  })

  it('is cut to its budget with an exact count', () => {
    const many = {
      ...loadInfracost(infracostPath),
      projects: [
        {
          name: 'p',
          diff: {
            resources: Array.from({ length: 500 }, (_, i) => ({
              name: `aws_instance.n${i}`,
              monthlyCost: String(i + 1),
            })),
          },
        },
      ],
    }
    const c = costInsight(many)
    const md = renderCost(c, 800, 50)
    expect(md.length).toBeLessThanOrEqual(800)
    const shown = (md.match(/^- `aws_instance/gm) ?? []).length
    expect(md).toContain(`- …and ${500 - shown} more resources with a cost change`)
  })

  it('the comment shows nothing about cost without Infracost, and the block when given', () => {
    const model = buildPlanModel(loadPlanFixture('create'))
    const without = renderComment(preparePlan(model), { environment: 'dev', directory: '.' })
    expect(without).not.toMatch(/cost/i)
    const withCost = renderComment(preparePlan(model), {
      environment: 'dev',
      directory: '.',
      insights: [renderCost(cost, 5_000)],
    })
    expect(withCost).toContain('💰 Monthly cost')
  })
})

describe('security from SARIF (tfsec, checkov, trivy)', () => {
  const logs = sarifPaths.map(loadSarif)
  const security = securityInsight(logs)

  it('counts by severity exactly as safety-gate sees them; suppressed counted apart', () => {
    const gateFindings = logs.flatMap(sarifFindings)
    expect(security.findings).toHaveLength(gateFindings.length)
    const sum = Object.values(security.bySeverity).reduce((a, b) => a + b, 0)
    expect(sum).toBe(gateFindings.length)
    expect(security.suppressed).toBe(1)
    expect(security.tools.length).toBe(3)
    // most severe first
    const ranks = security.findings.map((f) => ['info', 'low', 'medium', 'high', 'critical'].indexOf(f.severity))
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks)
  })

  it('renders counts and the top findings with file:line links', () => {
    const md = renderSecurity(security, 6_000, (file, line) =>
      blobUrl('https://github.com', 'acme', 'infra', 'abc123', `stacks/app/${file}`, line),
    )
    expect(md).toMatch(/^#### 🛡️ Security scan \(.+\): \d+ findings: /)
    expect(md).toContain('1 suppressed (not counted)')
    const first = security.findings[0]!
    expect(md).toContain(
      `[${first.file}:${first.line}](https://github.com/acme/infra/blob/abc123/stacks/app/${first.file}#L${first.line})`,
    )
  })

  it('escapes untrusted SARIF text and refuses odd paths for links', () => {
    const log = {
      runs: [
        {
          tool: { driver: { name: 'evil<img>' } },
          results: [
            {
              ruleId: 'R`1',
              level: 'error' as const,
              message: { text: '@octocat </details> <img src=x>' },
              locations: [
                { physicalLocation: { artifactLocation: { uri: '../../etc/passwd' }, region: { startLine: 3 } } },
              ],
            },
          ],
        },
      ],
    }
    const md = renderSecurity(securityInsight([log]), 2_000, (f, l) =>
      blobUrl('https://github.com', 'o', 'r', 's', f, l),
    )
    expect(md).not.toContain('</details>')
    expect(md).not.toContain('<img')
    expect(md).toContain(`@${ZWJ}octocat`)
    expect(md).toContain('`../../etc/passwd:3`')
    expect(blobUrl('https://github.com', 'o', 'r', 's', 'https://x.test/a.tf', 1)).toBeUndefined()
    expect(blobUrl('https://github.com', 'o', 'r', 's', 'dir with space/a.tf', 2)).toBe(
      'https://github.com/o/r/blob/s/dir%20with%20space/a.tf#L2',
    )
  })

  it('is cut to its budget with an exact count', () => {
    const log = {
      runs: [
        {
          tool: { driver: { name: 'trivy' } },
          results: Array.from({ length: 300 }, (_, i) => ({
            ruleId: `AVD-${i}`,
            level: 'warning' as const,
            message: { text: 'x'.repeat(80) },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'main.tf' }, region: { startLine: i + 1 } } }],
          })),
        },
      ],
    }
    const md = renderSecurity(securityInsight([log]), 1_500, undefined, 100)
    expect(md.length).toBeLessThanOrEqual(1_500)
    const shown = (md.match(/^- 🟡/gm) ?? []).length
    expect(md).toContain(`- …and ${300 - shown} more findings`)
  })
})

describe('gate preview', () => {
  const doc = loadPolicyFile(join(here, 'policy.yml'))
  const model = buildPlanModel(loadPlanFixture('replace'))
  const sarif = sarifPaths.map((path) => ({ path, log: loadSarif(path) }))
  const infracost = { path: infracostPath, diff: loadInfracost(infracostPath) }

  it("decides the plan-time rules with safety-gate's own evaluation and wording; deploy-time rules are listed", async () => {
    const policy = environmentPolicy(doc, 'prod')
    const preview = await gatePreview(policy, {
      environment: 'prod',
      sha: 'a'.repeat(40),
      workingDirectory: '.',
      model,
      infracost,
      sarif,
    })
    const gate = await evaluateGate(policy, {
      environment: 'prod',
      sha: 'a'.repeat(40),
      workingDirectory: '.',
      plan: { model },
      confirmation: '',
      changeTicket: '',
      forceRecreate: false,
      overrideReason: '',
      infracost,
      sarif,
    })
    for (const r of preview.results) expect(gate.results.find((g) => g.check === r.check)).toEqual(r)
    expect(preview.refusing.map((r) => r.check).sort()).toEqual(['cost', 'destroy', 'protected', 'security'])
    expect(preview.atDeploy).toEqual(['windows', 'approvals', 'promotion', 'reviewed-plan'])
    const md = renderGatePreview(preview, 6_000)
    expect(md).toContain('#### 🔮 Gate preview: safety-gate would refuse the deploy to `prod` (4 violations)')
    expect(md).toContain('Preview on this plan')
    expect(md).toContain('⏳ checked at deploy: windows, approvals, promotion, reviewed-plan')
    const destroy = gate.results.find((g) => g.check === 'destroy')!
    expect(md).toContain(`❌ **destroy** — ${destroy.message.replace(/[_*[\]`]/g, (c) => `\\${c}`)}`)
  })

  it("the protected rule sees the pull request's override label", async () => {
    const policy = environmentPolicy(doc, 'prod')
    const pr = { number: 7, url: 'https://github.com/o/r/pull/7', labels: ['allow-protected-destroy'], merged: false }
    const preview = await gatePreview(policy, {
      environment: 'prod',
      sha: 'a'.repeat(40),
      workingDirectory: '.',
      model,
      sarif: [],
      pullRequest: pr,
    })
    expect(preview.results.find((r) => r.check === 'protected')?.status).toBe('warn')
  })

  it('an allowed plan says so, and the block fits a small budget', async () => {
    const policy = environmentPolicy(doc, 'dev')
    const preview = await gatePreview(policy, {
      environment: 'dev',
      sha: 'a'.repeat(40),
      workingDirectory: '.',
      model: buildPlanModel(loadPlanFixture('create')),
      sarif: [],
    })
    expect(preview.refusing).toEqual([])
    const md = renderGatePreview(preview, 1_000)
    expect(md).toContain('safety-gate would allow the deploy to `dev` so far')
    expect(md.length).toBeLessThanOrEqual(1_000)
  })

  it("the fixture files are the tools' documented formats", () => {
    const raw = JSON.parse(readFileSync(infracostPath, 'utf8')) as {
      version: string
      projects: { diff: { resources: unknown[] } }[]
    }
    expect(raw.version).toBe('0.2')
    expect(raw.projects[0]!.diff.resources.length).toBe(4)
  })
})
