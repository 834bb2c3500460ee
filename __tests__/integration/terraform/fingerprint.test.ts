import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { cpSync, readdirSync, rmSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { canonicalJson, planFingerprint } from '@tfpipe/terraform/fingerprint.js'
import { parsePlanJson } from '@tfpipe/terraform/parse.js'
import type { TerraformPlan } from '@tfpipe/terraform/plan-json.js'
import { copyExample, loadPlanFixture, repoRoot, terraform } from '../../support/terraform.js'

const TIMEOUT = 120_000

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T
}

describe('canonicalJson', () => {
  test('sorts keys at every level, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    )
  })
})

describe('planFingerprint on fixtures', () => {
  test('ignores timestamp, version, variables, drift, prior state and ordering', () => {
    for (const name of ['replace', 'moved', 'drift', 'sensitive', 'import', 'forget']) {
      const plan = loadPlanFixture(name)
      const fp = planFingerprint(plan)
      const p = clone(plan)
      p.timestamp = '1999-01-01T00:00:00Z'
      p.terraform_version = '1.99.0'
      p.resource_changes = [...(p.resource_changes ?? [])].reverse()
      p.variables = Object.fromEntries(Object.entries(p.variables ?? {}).reverse())
      p.variables.extra = { value: 'new variable' }
      delete p.resource_drift
      p.prior_state = null
      p.relevant_attributes = []
      // key order inside values does not matter either
      for (const rc of p.resource_changes) {
        if (rc.change.after && typeof rc.change.after === 'object' && !Array.isArray(rc.change.after)) {
          rc.change.after = Object.fromEntries(Object.entries(rc.change.after).reverse())
        }
      }
      expect(planFingerprint(p)).toBe(fp)
    }
  })

  test('refresh noise: adding drift entries does not move it', () => {
    const plan = loadPlanFixture('update')
    const withDrift = clone(plan)
    withDrift.resource_drift = loadPlanFixture('drift').resource_drift!
    expect(planFingerprint(withDrift)).toBe(planFingerprint(plan))
  })

  test('a real change moves it', () => {
    const plan = loadPlanFixture('update')
    const fp = planFingerprint(plan)
    const app = (p: TerraformPlan) => p.resource_changes!.find((r) => r.address === 'terraform_data.app')!
    const valueChanged = clone(plan)
    ;(app(valueChanged).change.after as { input: { replicas: number } }).input.replicas = 4
    expect(planFingerprint(valueChanged)).not.toBe(fp)
    const actionChanged = clone(plan)
    app(actionChanged).change.actions = ['delete', 'create']
    expect(planFingerprint(actionChanged)).not.toBe(fp)
    const moved = clone(plan)
    app(moved).previous_address = 'terraform_data.legacy'
    expect(planFingerprint(moved)).not.toBe(fp)
    const outputChanged = clone(plan)
    outputChanged.output_changes!.image!.after = 'other'
    outputChanged.output_changes!.image!.after_unknown = false
    expect(planFingerprint(outputChanged)).not.toBe(fp)
    // a plain no-op resource entry is not part of the change set
    const extraNoop = clone(plan)
    extraNoop.resource_changes!.push({
      ...app(plan),
      address: 'terraform_data.other',
      change: { ...app(plan).change, actions: ['no-op'] },
    })
    expect(planFingerprint(extraNoop)).toBe(fp)
  })

  test('different scenarios differ', () => {
    const fps = ['create', 'update', 'delete', 'replace', 'moved', 'forget', 'import'].map((n) =>
      planFingerprint(loadPlanFixture(n)),
    )
    expect(new Set(fps).size).toBe(fps.length)
  })
})

describe('planFingerprint with real terraform', () => {
  let dir = ''
  beforeAll(async () => {
    dir = copyExample('fixtures/update/base')
    await terraform(['init', '-no-color'], dir)
    await terraform(['apply', '-auto-approve', '-no-color'], dir)
    for (const f of readdirSync(dir)) if (f.endsWith('.tf')) unlinkSync(join(dir, f))
    cpSync(join(repoRoot, 'examples/fixtures/update/change'), dir, { recursive: true })
  }, TIMEOUT)
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  async function planJson(extra: string[] = []): Promise<TerraformPlan> {
    await terraform(['plan', '-no-color', '-out=p.tfplan', ...extra], dir)
    const shown = await terraform(['show', '-json', 'p.tfplan'], dir)
    return parsePlanJson(shown.stdout, 'p.tfplan')
  }

  test(
    'same config and state planned twice -> same fingerprint; a real change -> different',
    async () => {
      const a = await planJson()
      await new Promise((r) => setTimeout(r, 1100))
      const b = await planJson(['-refresh=true'])
      expect(a.timestamp).not.toBe(b.timestamp)
      expect(planFingerprint(a)).toBe(planFingerprint(b))
      const c = await planJson(['-replace=terraform_data.unchanged'])
      expect(planFingerprint(c)).not.toBe(planFingerprint(a))
    },
    TIMEOUT,
  )
})
