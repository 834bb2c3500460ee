import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { parsePlanJson } from '@tfpipe/terraform/parse.js'
import { planSecrets, redactPlan } from '@tfpipe/terraform/sensitive-places.js'
import { preparePlan } from '@tfpipe/plan-report/prepared.js'
import { renderComment } from '@tfpipe/plan-report/render.js'
import { buildReport } from '@tfpipe/plan-report/report.js'
import { repoRoot } from '../../support/run-action.js'

// Hand-written fixtures of the documented formats (see __tests__/fixtures/legacy-plans/README.md).
const path = (name: string) => join(repoRoot, '__tests__', 'fixtures', 'legacy-plans', name)
const text = (name: string) => readFileSync(path(name), 'utf8')
const V012 = 'plan-0.1-terraform-0.12.json'
const V10 = 'plan-0.2-terraform-1.0.json'

describe('plans of Terraform 0.12 to 1.0 (format_version 0.1 and 0.2)', () => {
  it('0.1 (Terraform 0.12): counts and address lists as for a 1.x plan', () => {
    const model = buildPlanModel(parsePlanJson(text(V012), V012))
    expect(model.terraformVersion).toBe('0.12.31')
    expect(model.counts).toMatchObject({ add: 1, change: 1, destroy: 1, replace: 1, drift: 0 })
    expect(model.resources.filter((r) => r.kind !== 'no-op').map((r) => `${r.kind} ${r.address}`)).toEqual([
      'replace aws_db_instance.main',
      'delete aws_instance.old',
      'create aws_s3_bucket.logs',
      'update aws_security_group.web',
    ])
    expect(model.fingerprint).toMatch(/^[0-9a-f]{64}$/)
  })

  it('0.1 without sensitivity masks: every value is redacted, the clear-text password appears nowhere', () => {
    const plan = parsePlanJson(text(V012), V012)
    const model = buildPlanModel(plan)
    const body = renderComment(preparePlan(model), { environment: 'prod', directory: '.' })
    expect(body).toContain('aws_db_instance.main')
    expect(body).not.toContain('legacy-db-password-0123')
    expect(JSON.stringify(redactPlan(plan))).not.toContain('legacy-db-password-0123')
    expect(planSecrets(plan)).toContain('legacy-db-password-0123')
    expect(JSON.stringify(model)).not.toContain('legacy-db-password-0123')
  })

  it('0.2 (Terraform 1.0): masks are honoured, drift and outputs are read', () => {
    const plan = parsePlanJson(text(V10), V10)
    const model = buildPlanModel(plan)
    expect(model.counts).toMatchObject({ add: 1, destroy: 1, replace: 1, drift: 1, outputs: 2 })
    const report = buildReport(model, 'prod', '.')
    expect(report.addresses.replace).toEqual(['aws_ssm_parameter.token'])
    expect(report.addresses.drift).toEqual(['aws_sqs_queue.legacy'])
    const body = renderComment(preparePlan(model), { environment: 'prod', directory: '.' })
    expect(body).toContain('aws_sqs_queue.orders[0]')
    expect(body).toContain('`api_token`: `(sensitive)` → `(sensitive)`')
    for (const secret of ['tok-1.0-very-secret-value', 'tok-0.9-old-secret-value']) {
      expect(body).not.toContain(secret)
      expect(JSON.stringify(model)).not.toContain(secret)
    }
  })

  it('refuses only formats it cannot read, naming the Terraform versions it supports', () => {
    const future = text(V10).replace('"format_version": "0.2"', '"format_version": "2.0"')
    expect(() => parsePlanJson(future, 'plan.json')).toThrow(
      'plan.json: has plan format_version "2.0", which this tool cannot read; it reads plans of Terraform 0.12 and later and OpenTofu (format_version 0.1, 0.2 and 1.x): pass the output of `terraform show -json <planfile>` of one of those versions',
    )
    expect(() => parsePlanJson(text(V10).replace('"format_version": "0.2"', '"format_version": "0.0"'), 'p')).toThrow(
      'format_version "0.0"',
    )
  })
})
