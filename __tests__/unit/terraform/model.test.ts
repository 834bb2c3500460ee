import { describe, expect, test } from '@jest/globals'
import { buildPlanModel, terraformPlanLine } from '@tfpipe/terraform/build-model.js'
import type { PlanModel, ResourceEntry } from '@tfpipe/terraform/model.js'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fixtureNames, loadPlanFixture, planFixtureHumanText, repoRoot } from '../../support/terraform.js'

const models = new Map<string, PlanModel>()
function model(name: string): PlanModel {
  let m = models.get(name)
  if (!m) {
    m = buildPlanModel(loadPlanFixture(name))
    models.set(name, m)
  }
  return m
}

function byAddress(m: PlanModel, address: string): ResourceEntry {
  const r = m.resources.find((e) => e.address === address)
  if (!r) throw new Error(`${address} not in ${m.resources.map((e) => e.address).join(', ')}`)
  return r
}

const EXPECTED_SCENARIOS = [
  'adversarial',
  'create',
  'delete',
  'demo',
  'drift',
  'drift-refresh-only',
  'errored',
  'forget',
  'import',
  'large',
  'moved',
  'noop',
  'outputs',
  'read',
  'replace',
  'sensitive',
  'update',
]

describe('fixtures', () => {
  test('every scenario has a fixture, and every example scenario was generated', () => {
    expect(fixtureNames()).toEqual(EXPECTED_SCENARIOS)
    const examples = readdirSync(join(repoRoot, 'examples/fixtures'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
    expect(['demo', ...examples].sort()).toEqual(EXPECTED_SCENARIOS)
  })
})

describe('terraformPlanLine equals the line terraform printed', () => {
  test.each(EXPECTED_SCENARIOS)('%s', (name) => {
    const m = model(name)
    const text = planFixtureHumanText(name)
    const line = text.split('\n').find((l) => l.startsWith('Plan: '))
    if (line === undefined) {
      // terraform prints no Plan line when no resource changes
      expect(text).toMatch(/No changes\.|Changes to Outputs:|This is a refresh-only plan/)
      expect(m.resources.filter((r) => r.kind !== 'no-op')).toEqual([])
    } else {
      expect(terraformPlanLine(m.counts, { terraformVersion: m.terraformVersion })).toBe(line)
    }
  })

  test('replacements count as one add and one destroy; imports get their own wording', () => {
    const base = {
      add: 1,
      change: 2,
      destroy: 3,
      replace: 4,
      import: 0,
      move: 9,
      forget: 0,
      read: 5,
      drift: 7,
      outputs: 1,
    }
    expect(terraformPlanLine(base)).toBe('Plan: 5 to add, 2 to change, 7 to destroy.')
    expect(terraformPlanLine({ ...base, import: 2 })).toBe('Plan: 2 to import, 5 to add, 2 to change, 7 to destroy.')
    // 1.11 omits forgets (verified by the forget fixture), later versions append them
    expect(terraformPlanLine({ ...base, forget: 3 }, { terraformVersion: '1.11.4' })).toBe(
      'Plan: 5 to add, 2 to change, 7 to destroy.',
    )
    expect(terraformPlanLine({ ...base, forget: 3 }, { terraformVersion: '1.12.0' })).toBe(
      'Plan: 5 to add, 2 to change, 7 to destroy, 3 to forget.',
    )
    // ["create","forget"]: a replacement that destroys nothing
    expect(terraformPlanLine({ ...base, forget: 1, replaceForget: 1 }, { terraformVersion: '1.12.1' })).toBe(
      'Plan: 5 to add, 2 to change, 6 to destroy, 1 to forget.',
    )
  })
})

describe('buildPlanModel per scenario', () => {
  test('create: root, counted and module resources, outputs', () => {
    const m = model('create')
    expect(m.counts).toMatchObject({ add: 5, change: 0, destroy: 0, replace: 0, outputs: 2 })
    expect(m.resources.every((r) => r.kind === 'create')).toBe(true)
    const q = byAddress(m, 'module.queue.terraform_data.queue')
    expect(q.moduleAddress).toBe('module.queue')
    expect(q.type).toBe('terraform_data')
    expect(q.name).toBe('queue')
    expect(q.before).toBeNull()
    expect(q.after).toMatchObject({ id: '(known after apply)', output: '(known after apply)' })
    expect(byAddress(m, 'terraform_data.worker[1]').index).toBe(1)
    expect(m.hasChanges).toBe(true)
    expect(m.errored).toBe(false)
    expect(m.complete).toBe(true)
    expect(m.terraformVersion).toBe('1.11.4')
    expect(m.fingerprint).toMatch(/^[0-9a-f]{64}$/)
  })

  test('update: changed attributes, unknown markers, untouched resources left out', () => {
    const m = model('update')
    expect(m.counts).toMatchObject({ add: 0, change: 1, destroy: 0, outputs: 1 })
    expect(m.resources.map((r) => r.address)).toEqual(['terraform_data.app'])
    const app = byAddress(m, 'terraform_data.app')
    expect(app.kind).toBe('update')
    expect(app.changedAttributes).toEqual(['input', 'output'])
    expect(app.after).toMatchObject({ output: '(known after apply)', input: { replicas: 3 } })
    expect(app.before).toMatchObject({ input: { image: 'registry.example.com/app:1.0.0' } })
    expect(m.outputs).toEqual([
      {
        name: 'image',
        kind: 'update',
        sensitive: false,
        before: 'registry.example.com/app:1.0.0',
        after: '(known after apply)',
      },
    ])
  })

  test('delete', () => {
    const m = model('delete')
    expect(m.counts).toMatchObject({ add: 0, destroy: 3, replace: 0 })
    expect(m.resources.map((r) => r.address).sort()).toEqual([
      'terraform_data.legacy',
      'terraform_data.shard[1]',
      'terraform_data.shard[2]',
    ])
    expect(m.resources.every((r) => r.kind === 'delete' && r.after === null)).toBe(true)
    expect(byAddress(m, 'terraform_data.legacy').actionReason).toBe('delete_because_no_resource_config')
    expect(byAddress(m, 'terraform_data.shard[2]').actionReason).toBe('delete_because_count_index')
    expect(m.outputs.map((o) => [o.name, o.kind])).toEqual([['legacy_id', 'delete']])
  })

  test('replace: both orders, reasons, replace paths; add/destroy exclude replacements', () => {
    const m = model('replace')
    expect(m.counts).toMatchObject({ add: 0, change: 1, destroy: 0, replace: 4 })
    const cbd = byAddress(m, 'terraform_data.cbd')
    expect(cbd.actions).toEqual(['create', 'delete'])
    expect(cbd.kind).toBe('replace')
    expect(cbd.replacePaths).toEqual(['triggers_replace'])
    expect(cbd.actionReason).toBe('replace_because_cannot_update')
    const dbc = byAddress(m, 'terraform_data.dbc')
    expect(dbc.actions).toEqual(['delete', 'create'])
    expect(dbc.kind).toBe('replace')
    expect(byAddress(m, 'terraform_data.follower').actionReason).toBe('replace_by_triggers')
    expect(byAddress(m, 'terraform_data.tainted').actionReason).toBe('replace_because_tainted')
    expect(byAddress(m, 'terraform_data.source').kind).toBe('update')
  })

  test('noop: nothing to show', () => {
    const m = model('noop')
    expect(m.hasChanges).toBe(false)
    expect(m.resources).toEqual([])
    expect(m.outputs).toEqual([])
    expect(m.counts).toMatchObject({
      add: 0,
      change: 0,
      destroy: 0,
      replace: 0,
      move: 0,
      import: 0,
      forget: 0,
      drift: 0,
    })
  })

  test('moved: no-op moves are listed with their previous address', () => {
    const m = model('moved')
    expect(m.counts).toMatchObject({ move: 5, change: 1, add: 0, destroy: 0 })
    const moved = byAddress(m, 'module.app.terraform_data.moved_in')
    expect(moved.kind).toBe('no-op')
    expect(moved.previousAddress).toBe('terraform_data.into_module')
    expect(byAddress(m, 'terraform_data.keyed["a"]').previousAddress).toBe('terraform_data.listed[0]')
    const changed = byAddress(m, 'terraform_data.changed')
    expect(changed.kind).toBe('update')
    expect(changed.previousAddress).toBe('terraform_data.renamed_and_changed')
    // a resource that neither moved nor changed is not listed
    expect(m.resources.some((r) => r.address === 'module.app.terraform_data.svc')).toBe(false)
    expect(m.hasChanges).toBe(true)
  })

  test('forget: removed blocks with destroy = false', () => {
    const m = model('forget')
    expect(m.counts).toMatchObject({ forget: 3, destroy: 0, add: 0 })
    expect(m.resources.map((r) => r.kind)).toEqual(['forget', 'forget', 'forget'])
    expect(byAddress(m, 'terraform_data.handed_over').actions).toEqual(['forget'])
  })

  test('import: import blocks, with an update and as a pure import', () => {
    const m = model('import')
    expect(m.counts).toMatchObject({ import: 2, change: 1, add: 0 })
    const adopted = byAddress(m, 'terraform_data.adopted')
    expect(adopted.importing).toBe(true)
    expect(adopted.kind).toBe('update')
    const same = byAddress(m, 'terraform_data.adopted_same')
    expect(same.importing).toBe(true)
    expect(same.kind).toBe('no-op')
    expect(m.resources.some((r) => r.address === 'terraform_data.existing')).toBe(false)
  })

  test('drift: objects changed outside terraform (real hashicorp/local)', () => {
    const m = model('drift')
    expect(m.counts.drift).toBe(3)
    expect(m.drift.map((d) => d.address).sort()).toEqual([
      'local_file.app_conf',
      'local_file.removed_file',
      'local_file.secret_file',
    ])
    const secret = m.drift.find((d) => d.address === 'local_file.secret_file')!
    expect(secret.kind).toBe('delete')
    expect(secret.before).toMatchObject({ sensitive_content: '(sensitive)' })
    expect(m.counts.add).toBe(3)
  })

  test('errored: a failing precondition still saves a plan, marked errored and incomplete', () => {
    const m = model('errored')
    expect(m.errored).toBe(true)
    expect(m.complete).toBe(false)
    expect(m.resources.map((r) => r.address)).toEqual(['terraform_data.ok'])
  })

  test('large: 10,000 resources', () => {
    const started = Date.now()
    const m = buildPlanModel(loadPlanFixture('large'))
    expect(m.counts.add).toBe(10000)
    expect(m.resources).toHaveLength(10000)
    expect(m.resources[9999]?.address).toBe('terraform_data.fleet[9999]')
    expect(Date.now() - started).toBeLessThan(20000)
  })

  test('adversarial strings survive as data (rendering is the renderer’s job)', () => {
    const m = model('adversarial')
    const addresses = m.resources.map((r) => r.address)
    expect(addresses).toContain('terraform_data.keys["</details>"]')
    expect(addresses).toContain('terraform_data.keys["```"]')
    expect(addresses).toContain('terraform_data.keys["<!-- x -->"]')
    expect(addresses).toContain('terraform_data.keys["a|b"]')
    const html = byAddress(m, 'terraform_data.evil["html"]')
    expect(JSON.stringify(html.after)).toContain('<img src=x onerror=alert(document.cookie)>')
    expect(m.outputs[0]?.name).toBe('nasty')
  })

  test('demo stack: module instances, sensitive output masked', () => {
    const m = model('demo')
    expect(m.counts.add).toBe(6)
    const db = m.outputs.find((o) => o.name === 'database_connection')!
    expect(db.sensitive).toBe(true)
    expect(db.after).toBe('(sensitive)')
    expect(byAddress(m, 'terraform_data.database').after).toMatchObject({
      input: { password: '(sensitive)', engine: 'postgres' },
    })
  })

  test('read: a data source read deferred to apply, next to a replacement', () => {
    const m = model('read')
    expect(m.counts).toMatchObject({ read: 1, replace: 1, add: 0, destroy: 0, outputs: 1 })
    const data = byAddress(m, 'data.local_file.settings')
    expect(data).toMatchObject({ mode: 'data', kind: 'read', actionReason: 'read_because_dependency_pending' })
    expect(data.after).toMatchObject({ content: '(known after apply)', filename: './out/settings.json' })
    const file = byAddress(m, 'local_file.settings')
    expect(file.replacePaths).toEqual(['content'])
  })

  test('outputs: output-only changes, sensitive output masked, no Plan line', () => {
    const m = model('outputs')
    expect(m.resources).toEqual([])
    expect(m.hasChanges).toBe(true)
    expect(m.counts.outputs).toBe(3)
    expect(m.outputs.map((o) => [o.name, o.kind, o.sensitive, o.after])).toEqual([
      ['api_key', 'create', true, '(sensitive)'],
      ['old_output', 'delete', false, null],
      ['region', 'create', false, 'eu-west-1'],
    ])
    expect(planFixtureHumanText('outputs')).not.toContain('Plan:')
  })

  test('drift-refresh-only: drift only, nothing to change, still applyable', () => {
    const m = model('drift-refresh-only')
    expect(m.resources).toEqual([])
    expect(m.counts.drift).toBe(3)
    expect(m.hasChanges).toBe(false)
    expect(m.applyable).toBe(true)
  })
})

describe('buildPlanModel without values (plan-and-comment, large plans)', () => {
  test.each(fixtureNames())('%s: same fingerprint, counts and entries; before/after left null', (name) => {
    const full = buildPlanModel(loadPlanFixture(name))
    const lean = buildPlanModel(loadPlanFixture(name), { values: false })
    expect(lean.fingerprint).toBe(full.fingerprint)
    expect(lean.counts).toEqual(full.counts)
    expect(lean.outputs).toEqual(full.outputs)
    const strip = (e: { before: unknown; after: unknown }) => ({ ...e, before: null, after: null })
    expect(lean.resources).toEqual(full.resources.map(strip))
    expect(lean.drift).toEqual(full.drift.map(strip))
  })
})
