import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { parsePlanJson } from '@tfpipe/terraform/parse.js'
import type { GateInput, PlanSource } from '@tfpipe/policy/context.js'

export const repoRoot = join(import.meta.dirname, '..', '..')
/** Scanner reports (SARIF) and Infracost output in __tests__/fixtures/policy/. */
export const fixture = (name: string): string => join(repoRoot, '__tests__', 'fixtures', 'policy', name)

/** A real plan fixture (made by terraform, see scripts/generate-fixtures.sh). */
export function planFixture(name: string, createdAt = new Date('2026-11-22T18:00:00Z')): PlanSource {
  const path = join(repoRoot, '__tests__', 'fixtures', 'plans', `${name}.json`)
  return { model: buildPlanModel(parsePlanJson(readFileSync(path, 'utf8'), path)), createdAt, createdFrom: 'test' }
}

export function gateInput(overrides: Partial<GateInput> = {}): GateInput {
  return {
    environment: 'prod',
    sha: 'c0ffee'.padEnd(40, '0'),
    workingDirectory: '.',
    confirmation: '',
    changeTicket: '',
    forceRecreate: false,
    overrideReason: '',
    sarif: [],
    now: () => new Date('2026-11-24T10:00:00Z'), // a Tuesday
    ...overrides,
  }
}
