import { describe, expect, test } from '@jest/globals'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { parsePlanJson } from '@tfpipe/terraform/parse.js'
import { fixtureNames, planFixtureHumanText, planFixtureText } from '../../support/terraform.js'

function parseError(text: string): ConfigurationError {
  try {
    parsePlanJson(text, 'plan.json')
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    const e = error as ConfigurationError
    expect(e.message).not.toContain('\n')
    expect(e.message.startsWith('plan.json: ')).toBe(true)
    expect(e.message).toContain('terraform show -json <planfile>')
    return e
  }
  throw new Error('parsePlanJson accepted it')
}

describe('parsePlanJson', () => {
  test.each(fixtureNames())('accepts the %s fixture', (name) => {
    const plan = parsePlanJson(planFixtureText(name), name)
    expect(plan.format_version).toMatch(/^1\./)
    expect(plan.terraform_version).toBe('1.11.4')
  })

  test('terraform plan text instead of JSON', () => {
    expect(parseError(planFixtureHumanText('update')).message).toContain('human-readable `terraform plan` text')
    expect(parseError(planFixtureHumanText('noop')).message).toContain('human-readable')
  })

  test('empty, garbage, wrong JSON types', () => {
    expect(parseError('').message).toContain('is empty')
    expect(parseError('   \n').message).toContain('is empty')
    expect(parseError('not json {').message).toContain('is not valid JSON')
    expect(parseError('[1,2]').message).toContain('is JSON array')
    expect(parseError('null').message).toContain('is JSON null')
    expect(parseError('"x"').message).toContain('is JSON string')
    expect(parseError('PK\u0003\u0004 binary').message).toContain('binary plan file')
  })

  test('other terraform JSON documents', () => {
    expect(
      parseError('{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}').message,
    ).toContain('is state JSON')
    expect(
      parseError('{"version":4,"terraform_version":"1.11.4","serial":3,"lineage":"x","outputs":{},"resources":[]}')
        .message,
    ).toContain('raw state file')
    expect(parseError('{"format_version":"1.0","provider_schemas":{}}').message).toContain('provider schema JSON')
    expect(parseError('{"format_version":"1.0","valid":true,"diagnostics":[]}').message).toContain(
      'terraform validate -json',
    )
    expect(
      parseError('{"@level":"info","@message":"Terraform 1.11.4","type":"version"}\n{"@level":"info"}').message,
    ).toContain('machine-readable UI log')
  })

  test('structural checks', () => {
    expect(parseError('{"resource_changes":[]}').message).toContain('no "format_version"')
    expect(parseError('{"format_version":"2.0","resource_changes":[]}').message).toContain(
      'has plan format_version "2.0", which this tool cannot read; it reads plans of Terraform 0.12 and later',
    )
    expect(parseError('{"format_version":"1.2","resource_changes":{}}').message).toContain(
      '"resource_changes" that is not an array',
    )
    expect(parseError('{"format_version":"1.2","resource_changes":[{"address":"a.b","change":{}}]}').message).toContain(
      'resource_changes[0] (a.b) without "change.actions"',
    )
    expect(parseError('{"format_version":"1.2","resource_drift":[{"change":{"actions":[]}}]}').message).toContain(
      'resource_drift[0] without an "address"',
    )
    expect(parseError('{"format_version":"1.2","output_changes":{"o":{"before":1}}}').message).toContain(
      'output_changes.o without "actions"',
    )
    expect(parseError('{"format_version":"1.2","terraform_version":"1.11.4"}').message).toContain('it is not a plan')
  })
})
