// Starter templates (workflows-templates/): GitHub's workflow-template format, one per trigger the
// product promises, and the policy example that safety-gate accepts.
import { describe, expect, test } from '@jest/globals'
import AjvModule from 'ajv'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT, isDict, ourWorkflow, templates, type Dict, type LoadedWorkflow } from '../../support/workflow-files.js'

type AjvClass = typeof AjvModule
const Ajv = (AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule

const DIR = join(ROOT, 'workflows-templates')
const all = templates()

function triggers(t: LoadedWorkflow): Dict {
  return isDict(t.doc.on) ? t.doc.on : {}
}

function calls(t: LoadedWorkflow): string[] {
  return Object.values(t.doc.jobs).map((j) => ourWorkflow(j.uses) ?? '')
}

function template(name: string): LoadedWorkflow {
  const t = all.find((x) => x.file === `workflows-templates/${name}.yml`)
  if (!t) throw new Error(`no template ${name}`)
  return t
}

describe('workflow templates', () => {
  test('every template has a properties file in GitHub format, and every properties file a template', () => {
    const props = readdirSync(DIR).filter((f) => f.endsWith('.properties.json'))
    expect(props.length).toBe(all.length)
    expect(all.length).toBeGreaterThanOrEqual(4)
    for (const p of props) {
      const data = JSON.parse(readFileSync(join(DIR, p), 'utf8')) as Record<string, unknown>
      expect(Object.keys(data).sort()).toEqual(['categories', 'description', 'filePatterns', 'iconName', 'name'])
      expect(typeof data.name === 'string' && data.name.length > 0).toBe(true)
      expect(typeof data.description === 'string' && data.description.length > 20).toBe(true)
      // An octicon ("octicon <name>") or an SVG file beside the templates.
      const icon = String(data.iconName)
      expect(icon.startsWith('octicon ') || existsSync(join(DIR, `${icon}.svg`))).toBe(true)
      expect(Array.isArray(data.categories) && data.categories.length > 0).toBe(true)
      expect(Array.isArray(data.filePatterns) && data.filePatterns.length > 0).toBe(true)
      for (const pattern of data.filePatterns as string[]) {
        expect(() => new RegExp(pattern)).not.toThrow()
      }
      expect((data.filePatterns as string[]).some((p) => new RegExp(p).test('main.tf'))).toBe(true)
      expect(existsSync(join(DIR, p.replace('.properties.json', '.yml')))).toBe(true)
    }
  })

  test('pull_request -> terraform-plan', () => {
    const t = template('terraform-plan')
    expect(Object.keys(triggers(t))).toEqual(['pull_request'])
    expect(calls(t)).toEqual(['terraform-plan'])
  })

  test('dispatch with environment choice, confirmation and change ticket -> terraform-apply', () => {
    const t = template('terraform-apply')
    const dispatch = triggers(t).workflow_dispatch as { inputs: Record<string, Dict> }
    expect(dispatch.inputs.environment).toMatchObject({
      type: 'choice',
      options: ['dev', 'sit', 'prod'],
      required: true,
    })
    expect(dispatch.inputs.confirmation).toMatchObject({ required: true })
    expect(dispatch.inputs['change-ticket']).toBeDefined()
    expect(calls(t)).toEqual(['terraform-apply'])
    const job = Object.values(t.doc.jobs)[0]!
    expect(job.with?.environment).toBe('${{ inputs.environment }}')
    expect(job.with?.confirmation).toBe('${{ inputs.confirmation }}')
    expect(job.with?.['change-ticket']).toBe('${{ inputs.change-ticket }}')
  })

  test('schedule -> terraform-drift', () => {
    const t = template('terraform-drift')
    const schedule = triggers(t).schedule as { cron: string }[]
    expect(schedule[0]?.cron.split(' ')).toHaveLength(5)
    expect(calls(t)).toEqual(['terraform-drift'])
  })

  test('weekly schedule (and dispatch) -> terraform-metrics, with the read permissions it needs', () => {
    const t = template('terraform-metrics')
    const schedule = triggers(t).schedule as { cron: string }[]
    expect(schedule[0]?.cron.split(' ')).toHaveLength(5)
    expect(Object.keys(triggers(t)).sort()).toEqual(['schedule', 'workflow_dispatch'])
    expect(calls(t)).toEqual(['terraform-metrics'])
    expect(Object.values(t.doc.jobs)[0]?.permissions).toEqual({ contents: 'read', deployments: 'read' })
  })

  test('rollback dispatch with a tag or version and a confirmation -> terraform-rollback', () => {
    const t = template('terraform-rollback')
    const dispatch = triggers(t).workflow_dispatch as { inputs: Record<string, Dict> }
    expect(Object.keys(dispatch.inputs)).toEqual(
      expect.arrayContaining(['environment', 'deployment-tag', 'version-id', 'confirmation']),
    )
    expect(calls(t)).toEqual(['terraform-rollback'])
  })

  test('every template whose workflow sends Slack passes SLACK_WEBHOOKS, one webhook per environment, and shows its format', () => {
    const withSlack = all.filter((t) => {
      const called = calls(t)[0]
      const text = called ? readFileSync(join(ROOT, '.github/workflows', `${called}.yml`), 'utf8') : ''
      return /^\s{6}SLACK_WEBHOOKS:\s*$/m.test(text)
    })
    expect(withSlack.map((t) => t.file).sort()).toEqual(
      ['terraform-apply', 'terraform-drift', 'terraform-layers', 'terraform-rollback'].map(
        (n) => `workflows-templates/${n}.yml`,
      ),
    )
    for (const t of withSlack) {
      const job = Object.values(t.doc.jobs)[0]!
      expect([t.file, job.secrets]).toEqual([
        t.file,
        expect.objectContaining({ SLACK_WEBHOOKS: '${{ secrets.SLACK_WEBHOOKS }}' }),
      ])
      // The comment above it shows the map with every environment the template deploys.
      const example = /#.*(\{"dev": "https:\/\/hooks\.slack\.com\/[^}]*\})/.exec(t.text)?.[1]
      expect([t.file, example && Object.keys(JSON.parse(example) as object)]).toEqual([t.file, ['dev', 'sit', 'prod']])
    }
  })

  test('the policy example is valid against schemas/policy.schema.json and sets dev 1, sit 2, prod 3 reviewers', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/policy.schema.json'), 'utf8')) as object
    const policy = parse(readFileSync(join(DIR, 'terraform-policy.example.yml'), 'utf8')) as {
      environments: Record<string, { approvals?: { 'required-reviewers'?: number } }>
    }
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
    expect([validate(policy), validate.errors ?? null]).toEqual([true, null])
    const reviewers = Object.fromEntries(
      Object.entries(policy.environments).map(([env, p]) => [env, p.approvals?.['required-reviewers']]),
    )
    expect(reviewers).toEqual({ dev: 1, sit: 2, prod: 3 })
  })
})
