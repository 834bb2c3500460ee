// docs/workflows.md is generated from the reusable workflows' `on.workflow_call` blocks by
// scripts/workflow-reference.mjs: current, complete (every input, secret and output with its type,
// required flag and default), any terraform-*.yml reusable workflow picked up, and still current after
// a release stamps the references.
import { describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, REUSABLE, isDict, workflow, type Dict, type WorkflowCallInput } from '../../support/workflow-files.js'

// @ts-expect-error: a plain .mjs script without types
const { renderReference } = (await import('../../../scripts/workflow-reference.mjs')) as {
  renderReference: (root?: string) => string
}

const DOC = join(ROOT, 'docs/workflows.md')

function callSpec(name: string): {
  inputs: Record<string, WorkflowCallInput>
  secrets: Record<string, Dict>
  outputs: Record<string, Dict>
} {
  const on = workflow(name).doc.on
  const call = isDict(on) && isDict(on.workflow_call) ? on.workflow_call : {}
  return {
    inputs: (isDict(call.inputs) ? call.inputs : {}) as Record<string, WorkflowCallInput>,
    secrets: (isDict(call.secrets) ? call.secrets : {}) as Record<string, Dict>,
    outputs: (isDict(call.outputs) ? call.outputs : {}) as Record<string, Dict>,
  }
}

/** The lines of one workflow's section of the reference. */
function section(doc: string, file: string): string[] {
  const parts = doc.split(/^## /m)
  const part = parts.find((p) => p.startsWith(`${file}\n`))
  if (!part) throw new Error(`docs/workflows.md has no section ${file}`)
  return part.split('\n')
}

function copyRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfpipe-reference-'))
  for (const part of ['.github', 'workflows-templates', 'docs', 'actions']) {
    cpSync(join(ROOT, part), join(dir, part), { recursive: true, filter: (src) => !src.includes('/node_modules') })
  }
  return dir
}

describe('docs/workflows.md', () => {
  test('is generated from the current workflows (node scripts/workflow-reference.mjs)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderReference())
  })

  test.each(REUSABLE)('%s: every input with its type, required flag and default; every secret and output', (name) => {
    const lines = section(readFileSync(DOC, 'utf8'), `${name}.yml`)
    const spec = callSpec(name)
    expect(Object.keys(spec.inputs).length).toBeGreaterThan(0)
    for (const [input, i] of Object.entries(spec.inputs)) {
      const row = lines.find((l) => l.startsWith(`| \`${input}\` |`))
      expect(row).toBeDefined()
      const cells = row!.split(' | ')
      expect(cells[1]).toBe(i.type)
      expect(cells[2]).toBe(i.required === true ? 'yes' : 'no')
      const expected =
        i.default === undefined ? '' : i.default === '' ? '`""`' : `\`${i.default as string | number | boolean}\``
      expect(cells[3]).toBe(expected)
    }
    for (const s of Object.keys(spec.secrets)) expect(lines.some((l) => l.startsWith(`| \`${s}\` |`))).toBe(true)
    for (const o of Object.keys(spec.outputs)) expect(lines.some((l) => l.startsWith(`| \`${o}\` |`))).toBe(true)
    expect(lines).toContain(`### Inputs (${Object.keys(spec.inputs).length})`)
  })

  test('the call example grants what the jobs ask for and passes every declared secret', () => {
    const lines = section(readFileSync(DOC, 'utf8'), 'terraform-apply.yml')
    const yaml = lines
      .slice(lines.indexOf('```yaml') + 1, lines.indexOf('```', lines.indexOf('```yaml') + 1))
      .join('\n')
    expect(yaml).toContain(
      '      contents: write\n      deployments: write\n      id-token: write\n      pull-requests: read',
    )
    expect(yaml).toContain('      environment: "…" # required')
    for (const s of ['SLACK_WEBHOOK_URL', 'SLACK_WEBHOOKS', 'SLACK_BOT_TOKEN'])
      expect(yaml).toContain(`${s}: \${{ secrets.${s} }}`)
  })

  test('a new terraform-*.yml reusable workflow is picked up; a terraform-*.yml without workflow_call is not', () => {
    const dir = copyRepo()
    writeFileSync(
      join(dir, '.github/workflows/terraform-metrics.yml'),
      [
        '# Reusable workflow: delivery metrics for one repository.',
        'name: terraform-metrics',
        'on:',
        '  workflow_call:',
        '    inputs:',
        '      window:',
        '        description: "Days to look back; | and <days> are shown as written."',
        '        type: number',
        '        default: 30',
        '    outputs:',
        '      lead-time:',
        '        description: "Median lead time."',
        '        value: ${{ jobs.m.outputs.lead }}',
        'permissions: {}',
        'jobs:',
        '  m:',
        '    runs-on: ubuntu-latest',
        '    permissions: { contents: read, deployments: read }',
        '    steps: [{ run: "true" }]',
        '',
      ].join('\n'),
    )
    writeFileSync(join(dir, '.github/workflows/terraform-selftest.yml'), 'on: push\njobs: {}\n')
    const doc = renderReference(dir)
    expect(doc).toContain('| [terraform-metrics.yml](#terraform-metricsyml) | 1 | 0 | 1 |')
    expect(doc).toContain('Delivery metrics for one repository.')
    expect(doc).toContain(
      '| `window` | number | no | `30` | Days to look back; \\| and &lt;days> are shown as written. |',
    )
    expect(doc).toContain('    permissions:\n      contents: read\n      deployments: read\n')
    expect(doc).not.toContain('terraform-selftest')
  })

  test('a release that stamps the references leaves the reference current', () => {
    const dir = copyRepo()
    const stamp = spawnSync(
      process.execPath,
      [join(ROOT, 'scripts/stamp-actions-ref.mjs'), '--root', dir, 'my-org/tf-pipeline', 'a'.repeat(40)],
      { encoding: 'utf8' },
    )
    expect(stamp.stderr).toBe('')
    const stamped = readFileSync(join(dir, 'docs/workflows.md'), 'utf8')
    expect(stamped).toContain(`uses: my-org/tf-pipeline/.github/workflows/terraform-apply.yml@${'a'.repeat(40)}`)
    expect(stamped).toBe(renderReference(dir))
  })

  test('--check fails on a stale file with one line saying what to run', () => {
    const dir = copyRepo()
    writeFileSync(join(dir, 'docs/workflows.md'), 'stale\n')
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/workflow-reference.mjs'), '--check', '--root', dir], {
      encoding: 'utf8',
    })
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe('docs/workflows.md is stale: run node scripts/workflow-reference.mjs')
    const ok = spawnSync(process.execPath, [join(ROOT, 'scripts/workflow-reference.mjs'), '--check'], {
      encoding: 'utf8',
    })
    expect([ok.status, ok.stdout.trim()]).toEqual([0, 'docs/workflows.md is current.'])
  })
})
