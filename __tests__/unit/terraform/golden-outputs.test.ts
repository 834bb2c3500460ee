import { describe, expect, test } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { planFingerprint } from '@tfpipe/terraform/fingerprint.js'
import { collectPlanSecrets, redactPlan } from '@tfpipe/terraform/sensitive-places.js'
import { scrubText } from '@tfpipe/terraform/scrub.js'
import { preparePlan } from '@tfpipe/plan-report/prepared.js'
import { renderComment, renderSummary } from '@tfpipe/plan-report/render.js'
import { expectGolden, UPDATE_HINT, updatingGolden } from '../../support/golden.js'
import { fixtureNames, loadPlanFixture, planFixtureHumanText, repoRoot } from '../../support/terraform.js'

/**
 * For every plan fixture, everything derived from the plan — the fingerprint, the whole PlanModel, the
 * redacted plan artifact, the secret list, the rendered comment and job summary — against golden files in
 * __tests__/fixtures/golden/<fixture>/. Any change of value, of redaction or of layout fails here with a
 * diff of what changed; regenerate with the command in __tests__/support/golden.ts after an intended change.
 */
const goldenDir = join(repoRoot, '__tests__', 'fixtures', 'golden')
const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`
const view = { environment: 'prod', directory: 'infra', links: { runUrl: 'https://github.com/o/r/actions/runs/1' } }

describe('golden outputs of every fixture', () => {
  test('every fixture has golden files, and no golden files are left for a removed fixture', () => {
    if (updatingGolden) return
    const golden = readdirSync(goldenDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
    try {
      expect(golden).toEqual(fixtureNames())
    } catch (e) {
      if (e instanceof Error) e.message += `\n\n${UPDATE_HINT} (and delete the directories of removed fixtures)`
      throw e
    }
  })

  for (const name of fixtureNames()) {
    test(
      name,
      () => {
        const file = (f: string): string => join(goldenDir, name, f)
        const plan = loadPlanFixture(name)
        const model = buildPlanModel(plan)
        expect(model.fingerprint).toBe(planFingerprint(loadPlanFixture(name)))
        expectGolden(file('fingerprint.txt'), `${model.fingerprint}\n`)
        expectGolden(file('model.json'), json(model))
        expectGolden(file('redacted-plan.json'), json(redactPlan(loadPlanFixture(name))))
        const secrets = collectPlanSecrets(loadPlanFixture(name))
        expectGolden(file('secrets.json'), json(secrets))
        const prepared = preparePlan(model, scrubText(planFixtureHumanText(name), secrets))
        expectGolden(file('comment.md'), renderComment(prepared, view))
        expectGolden(file('summary.md'), renderSummary(prepared, view, 1024 * 1024))
        // the raw plan is never modified by building the model
        expect(JSON.stringify(plan)).toBe(JSON.stringify(loadPlanFixture(name)))
      },
      120_000,
    )
  }
})
