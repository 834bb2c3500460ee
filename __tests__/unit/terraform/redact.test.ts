import { describe, expect, test } from '@jest/globals'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { SENSITIVE, UNKNOWN, redactValue } from '@tfpipe/terraform/redact.js'
import { collectPlanSecrets, redactChange, redactPlan } from '@tfpipe/terraform/sensitive-places.js'
import { scrubText } from '@tfpipe/terraform/scrub.js'
import type { JsonValue, TerraformPlan } from '@tfpipe/terraform/plan-json.js'
import {
  PLANTED_SECRET,
  fixtureNames,
  loadPlanFixture,
  planFixtureHumanText,
  planFixtureText,
} from '../../support/terraform.js'

describe('redactValue', () => {
  test('nested masks over objects, lists and sets', () => {
    const value = { a: 'x', nested: { pw: 'p', keep: 1 }, list: ['l0', 'l1'], set: [{ k: 's' }, { k: 't' }] }
    const mask: JsonValue = { nested: { pw: true }, list: [false, true], set: [{}, { k: true }] }
    expect(redactValue(value, mask)).toEqual({
      a: 'x',
      nested: { pw: SENSITIVE, keep: 1 },
      list: ['l0', SENSITIVE],
      set: [{ k: 's' }, { k: SENSITIVE }],
    })
  })

  test('a true at a parent masks everything below; null stays null', () => {
    expect(redactValue({ a: { b: [1, 2], c: 'x' }, d: null }, { a: true, d: true })).toEqual({ a: SENSITIVE, d: null })
    expect(redactValue([1, 2, 3], true)).toBe(SENSITIVE)
    expect(redactValue('x', false)).toBe('x')
  })

  test('unknown values become (known after apply), even when absent; sensitivity wins', () => {
    const after = { name: 'n', list: ['a'] }
    const unknown = { id: true, list: [false, true], tags: { x: true } }
    expect(redactValue(after, {}, unknown)).toEqual({
      name: 'n',
      id: UNKNOWN,
      list: ['a', UNKNOWN],
      tags: { x: UNKNOWN },
    })
    expect(redactValue({ pw: 'p' }, { pw: true }, { pw: true })).toEqual({ pw: SENSITIVE })
    expect(redactValue(null, false, true)).toBe(UNKNOWN)
  })

  test('redactChange masks sensitive outputs whole and scrubs given secrets', () => {
    const out = redactChange({
      actions: ['update'],
      before: { a: 'old' },
      after: { a: 'new' },
      before_sensitive: true,
      after_sensitive: true,
    })
    expect(out).toEqual({ before: SENSITIVE, after: SENSITIVE })
    const scrubbed = redactChange({ actions: ['update'], before: { h: 'Bearer abcd1234' }, after: { h: 'ok' } }, [
      'abcd1234',
    ])
    expect(scrubbed).toEqual({ before: { h: SENSITIVE }, after: { h: 'ok' } })
  })
})

describe('nothing sensitive survives (planted secret)', () => {
  test('the fixtures really carry the planted secret in clear', () => {
    expect(planFixtureText('sensitive')).toContain(PLANTED_SECRET)
    expect(planFixtureText('drift')).toContain(PLANTED_SECRET)
    expect(planFixtureText('demo')).toContain('demo-password-change-me')
  })

  test('terraform 1.11 drops the marks on terraform_data.output: masks alone would leak', () => {
    const plan = loadPlanFixture('sensitive')
    const rc = plan.resource_changes!.find((r) => r.address === 'terraform_data.service')!
    const maskOnly = redactValue(rc.change.before, rc.change.before_sensitive)
    expect(JSON.stringify(maskOnly)).toContain(PLANTED_SECRET)
    // ...and terraform's own text prints it
    expect(planFixtureHumanText('sensitive')).toContain(PLANTED_SECRET)
    const redacted = redactChange(rc.change, collectPlanSecrets(plan))
    expect(JSON.stringify(redacted)).not.toContain(PLANTED_SECRET)
    expect(redacted.before).toMatchObject({
      input: { name: 'payments', auth: { header: SENSITIVE, scopes: ['read', 'write'] } },
    })
  })

  test.each(fixtureNames().filter((n) => n !== 'large'))('%s: model and redactPlan are clean', (name) => {
    const plan = loadPlanFixture(name)
    const model = JSON.stringify(buildPlanModel(plan))
    const artifact = JSON.stringify(redactPlan(plan))
    for (const secret of [PLANTED_SECRET, 'demo-password-change-me', 's3cr3t']) {
      expect(model).not.toContain(secret)
      expect(artifact).not.toContain(secret)
    }
  })

  test('redactPlan keeps the structure and non-sensitive values', () => {
    const plan = loadPlanFixture('sensitive')
    const red = redactPlan(plan)
    expect(red.format_version).toBe(plan.format_version)
    expect(red.resource_changes).toHaveLength(plan.resource_changes!.length)
    expect(red.variables).toMatchObject({
      api_token: { value: SENSITIVE },
      db_password: { value: SENSITIVE },
      release: { value: 'r2' },
    })
    const root = (red.configuration as { root_module: { variables: Record<string, { default?: unknown }> } })
      .root_module
    expect(root.variables.api_token?.default).toBe(SENSITIVE)
    expect(red.output_changes?.token?.before).toBe(SENSITIVE)
    expect(red.output_changes?.release).toMatchObject({ before: 'r1', after: 'r2' })
    const svc = red.resource_changes!.find((r) => r.address === 'terraform_data.service')!
    expect(svc.change.after).toMatchObject({
      input: {
        release: 'r2',
        labels: SENSITIVE,
        env: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'API_TOKEN', value: SENSITIVE },
        ],
      },
    })
    // the input is not mutated
    expect(JSON.stringify(plan)).toContain(PLANTED_SECRET)
  })

  test('drift secrets (resource_drift, prior_state) are redacted', () => {
    const plan = loadPlanFixture('drift')
    const red = redactPlan(plan)
    const drifted = red.resource_drift!.find((r) => r.address === 'local_file.secret_file')!
    expect(drifted.change.before).toMatchObject({ sensitive_content: SENSITIVE, filename: './out/secret.txt' })
    expect(JSON.stringify(red)).not.toContain('drift-s3cr3t')
  })

  test('scrubText cleans terraform show text with the plan secrets', () => {
    const plan = loadPlanFixture('sensitive')
    const text = scrubText(planFixtureHumanText('sensitive'), collectPlanSecrets(plan))
    expect(text).not.toContain('s3cr3t')
    expect(text).toContain('Plan: 0 to add, 3 to change, 0 to destroy.')
  })

  test('a synthetic plan: secrets in prior_state, planned_values and unmarked copies elsewhere', () => {
    const secret = 'zz-synthetic-secret-99'
    const plan: TerraformPlan = {
      format_version: '1.2',
      variables: { pw: { value: secret }, region: { value: 'eu' } },
      configuration: { root_module: { variables: { pw: { sensitive: true }, region: {} } } },
      prior_state: {
        values: {
          outputs: { o: { sensitive: true, value: secret } },
          root_module: {
            resources: [{ address: 'a.b', values: { pw: secret, n: 1 }, sensitive_values: { pw: true } }],
          },
        },
      },
      planned_values: {
        root_module: {
          child_modules: [
            {
              resources: [{ address: 'module.m.a.b', values: { list: [secret] }, sensitive_values: { list: [true] } }],
            },
          ],
        },
      },
      checks: [{ problems: [{ message: `bad value ${secret}` }] }],
    }
    const red = JSON.stringify(redactPlan(plan))
    expect(red).not.toContain(secret)
    expect(red).toContain('"region":{"value":"eu"}')
  })
})

describe('every sensitive place is both masked and collected', () => {
  // One distinct secret per place a plan holds sensitive values. redactPlan and collectPlanSecrets walk
  // one list of places; a place that only one of them knew would fail here on its own secret. Each
  // secret appears only at its place (never repeated unmarked), so scrubbing cannot hide a missed mask.
  const places = {
    'resource_changes before': 'rc-before-secret-01',
    'resource_changes after': 'rc-after-secret-02',
    'resource_drift after': 'drift-after-secret-03',
    'deferred_changes after': 'deferred-after-secret-04',
    'output_changes whole': 'output-whole-secret-05',
    'output_changes marked part': 'output-part-secret-06',
    'prior_state resource': 'prior-resource-secret-07',
    'prior_state output': 'prior-output-secret-08',
    'planned_values child module resource': 'planned-child-secret-09',
    'root variable': 'root-variable-secret-10',
    'configuration variable default': 'config-default-secret-11',
    'module call variable default': 'module-default-secret-12',
  } as const
  const rc = (address: string, after: string) => ({
    address,
    type: 't',
    name: 'n',
    mode: 'managed' as const,
    change: {
      actions: ['update' as const],
      before: { v: 'plain' },
      after: { v: after },
      before_sensitive: {},
      after_sensitive: { v: true },
    },
  })
  const plan: TerraformPlan = {
    format_version: '1.2',
    resource_changes: [
      {
        ...rc('t.a', places['resource_changes after']),
        change: {
          ...rc('t.a', places['resource_changes after']).change,
          before: { v: places['resource_changes before'] },
          before_sensitive: { v: true },
        },
      },
    ],
    resource_drift: [rc('t.drift', places['resource_drift after'])],
    deferred_changes: [
      { reason: 'provider_config_unknown', resource_change: rc('t.deferred', places['deferred_changes after']) },
    ],
    output_changes: {
      whole: { actions: ['create'], before: null, after: places['output_changes whole'], sensitive: true },
      part: {
        actions: ['create'],
        before: null,
        after: { k: places['output_changes marked part'], open: 'x' },
        after_sensitive: { k: true },
      },
    },
    prior_state: {
      values: {
        outputs: { o: { sensitive: true, value: places['prior_state output'] } },
        root_module: {
          resources: [{ address: 't.p', values: { v: places['prior_state resource'] }, sensitive_values: { v: true } }],
        },
      },
    },
    planned_values: {
      root_module: {
        child_modules: [
          {
            resources: [
              {
                address: 'module.m.t.c',
                values: { v: places['planned_values child module resource'] },
                sensitive_values: { v: true },
              },
            ],
          },
        ],
      },
    },
    variables: { pw: { value: places['root variable'] } },
    configuration: {
      root_module: {
        variables: {
          pw: { sensitive: true },
          token: { sensitive: true, default: places['configuration variable default'] },
        },
        module_calls: {
          m: { module: { variables: { key: { sensitive: true, default: places['module call variable default'] } } } },
        },
      },
    },
  } as unknown as TerraformPlan

  test.each(Object.entries(places))('%s', (_place, secret) => {
    expect(JSON.stringify(plan)).toContain(secret)
    expect(collectPlanSecrets(plan)).toContain(secret)
    expect(JSON.stringify(redactPlan(plan))).not.toContain(secret)
  })
})
