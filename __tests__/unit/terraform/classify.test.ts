import { describe, expect, test } from '@jest/globals'
import { classifyActions, isImport, isMove, isSignificant } from '@tfpipe/terraform/classify.js'
import type { ChangeAction } from '@tfpipe/terraform/plan-json.js'
import { fixtureNames, loadPlanFixture } from '../../support/terraform.js'

describe('classifyActions', () => {
  test.each([
    [['no-op'], 'no-op'],
    [['create'], 'create'],
    [['read'], 'read'],
    [['update'], 'update'],
    [['delete'], 'delete'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['forget'], 'forget'],
    [['create', 'forget'], 'replace'],
  ] as [ChangeAction[], string][])('%j -> %s', (actions, kind) => {
    expect(classifyActions(actions)).toBe(kind)
  })

  test('an unknown action list is an error, not a silent no-op', () => {
    expect(() => classifyActions(['delete', 'update'] as ChangeAction[])).toThrow(
      'unsupported terraform change actions [delete, update]',
    )
  })

  test('every action list in every fixture is understood', () => {
    const seen = new Set<string>()
    for (const name of fixtureNames()) {
      const plan = loadPlanFixture(name)
      for (const rc of [...(plan.resource_changes ?? []), ...(plan.resource_drift ?? [])]) {
        classifyActions(rc.change.actions)
        seen.add(rc.change.actions.join(','))
      }
    }
    expect([...seen].sort()).toEqual([
      'create',
      'create,delete',
      'delete',
      'delete,create',
      'forget',
      'no-op',
      'read',
      'update',
    ])
  })
})

describe('moves and imports', () => {
  test('from real plans', () => {
    const moved = loadPlanFixture('moved').resource_changes!
    expect(
      moved
        .filter(isMove)
        .map((r) => r.address)
        .sort(),
    ).toEqual([
      'module.app.terraform_data.moved_in',
      'terraform_data.changed',
      'terraform_data.keyed["a"]',
      'terraform_data.keyed["b"]',
      'terraform_data.new_name',
    ])
    const imported = loadPlanFixture('import').resource_changes!
    expect(imported.filter(isImport).map((r) => r.address)).toEqual([
      'terraform_data.adopted',
      'terraform_data.adopted_same',
    ])
    expect(imported.filter(isSignificant).map((r) => r.address)).toEqual([
      'terraform_data.adopted',
      'terraform_data.adopted_same',
    ])
    const noop = loadPlanFixture('noop').resource_changes!
    expect(noop.length).toBeGreaterThan(0)
    expect(noop.filter(isSignificant)).toEqual([])
  })
})
