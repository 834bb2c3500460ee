import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { buildReport, type PlanReport } from '@tfpipe/plan-report/report.js'
import { isCombinedMarkerFor, renderCombined } from '@tfpipe/plan-report/combined.js'
import { costInsight, securityInsight } from '@tfpipe/plan-report/insights.js'
import { findReviewedPlan, planSections } from '@tfpipe/github/reviewed-plan.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { silentLogger } from '@tfpipe/kit/logger.js'
import { startGitHubServer, type GitHubServer } from '../../support/github-server.js'
import { loadPlanFixture } from '../../support/terraform.js'
import { entry, model } from '../../support/plan-model.js'

function report(name: string, env: string, extra: Parameters<typeof buildReport>[3] = {}): PlanReport {
  return buildReport(buildPlanModel(loadPlanFixture(name)), env, 'stacks/app', {
    runUrl: `https://github.com/acme/infra/actions/runs/${env.length}`,
    ...extra,
  })
}

describe('combined comment: one per directory, a row per environment', () => {
  const cost = costInsight({ currency: 'EUR', diffTotalMonthlyCost: '12.5', pastTotalMonthlyCost: '100' })
  const security = securityInsight([
    {
      runs: [
        {
          tool: { driver: { name: 'checkov' } },
          results: [
            { ruleId: 'CKV_1', level: 'error' },
            { ruleId: 'CKV_2', level: 'note', suppressions: [{ kind: 'inSource' }] },
          ],
        },
      ],
    },
  ])
  const reports = [report('replace', 'dev', { cost, security }), report('update', 'sit'), report('noop', 'prod')]
  const body = renderCombined('stacks/app', reports)

  it('has the combined marker, a table row per environment and each environment folded with its own marker', () => {
    expect(isCombinedMarkerFor(body, 'stacks/app')).toBe(true)
    expect(isCombinedMarkerFor(body, 'stacks')).toBe(false)
    expect(body).toMatch(
      /^\| ⚠️ \[dev\]\(https:\/\/github.com\/acme\/infra\/actions\/runs\/3\) \| Plan: \d+ to add, \d+ to change, \d+ to destroy\. \| \+12\.50 EUR \| 1 high \(\+1 suppressed\) \| — \|$/m,
    )
    expect(body).toMatch(/^\| 📝 \[sit\]/m)
    expect(body).toMatch(/^\| ✅ \[prod\]\(.*\) \| No changes\. \|/m)
    const sections = planSections(body)
    expect(sections.map((s) => s.split('\n')[0])).toEqual(
      reports.map(
        (r) => `<!-- tfpipe:plan-and-comment env=${r.environment} dir=stacks%2Fapp fingerprint=${r.fingerprint} -->`,
      ),
    )
    for (const r of reports)
      for (const c of r.changes)
        expect(sections.find((s) => s.includes(`env=${r.environment} `))).toContain(`${c.action} ${c.address}`)
    expect((body.match(/<details>/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length)
  })

  it('stays within the budget with 10,000 resources per environment, cut by risk with exact counts', () => {
    const big = (env: string): PlanReport =>
      buildReport(
        model([
          ...Array.from({ length: 50 }, (_, i) => entry(`terraform_data.gone[${i}]`, 'delete')),
          ...Array.from({ length: 10_000 }, (_, i) => entry(`terraform_data.fleet[${i}]`, 'create')),
        ]),
        env,
        'stacks/app',
      )
    const text = renderCombined('stacks/app', [big('dev'), big('sit'), big('prod')])
    expect(text.length).toBeLessThanOrEqual(60_000)
    for (const section of planSections(text)) {
      const shown = (section.match(/^- (🗑️ destroy|➕ create) `/gm) ?? []).length
      expect(section).toContain(`…and ${10_050 - shown} more — full list in the plan artifact*`)
      expect(section.indexOf('🗑️ destroy')).toBeLessThan(section.indexOf('➕ create'))
    }
  })

  describe('safety-gate reads the reviewed plan from a combined comment', () => {
    let server: GitHubServer
    beforeAll(async () => {
      server = await startGitHubServer()
    })
    afterAll(async () => {
      await server.close()
    })

    it("finds each environment's fingerprint and change list", async () => {
      server.addPullRequest({ number: 3, head_sha: 'a'.repeat(40) })
      server.addComment(3, { body, login: 'github-actions[bot]', type: 'Bot' })
      const client = createGitHubClient({ token: 'test-token', baseUrl: server.url, logger: silentLogger })
      for (const r of reports) {
        const found = await findReviewedPlan(client, { owner: 'acme', repo: 'infra' }, 3, r.environment, 'stacks/app')
        expect(found).toMatchObject({ found: true, fingerprint: r.fingerprint })
        if (found.found) expect(found.changes).toEqual(r.changes)
      }
      const missing = await findReviewedPlan(client, { owner: 'acme', repo: 'infra' }, 3, 'qa', 'stacks/app')
      expect(missing.found).toBe(false)
    })
  })
})
