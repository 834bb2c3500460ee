import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { join } from 'node:path'
import { runCommand } from '@tfpipe/cli/args.js'
import { command } from '@tfpipe/cli/commands/plan-comment.js'
import { CliError } from '@tfpipe/cli/errors.js'
import { buildPlanModel } from '@tfpipe/terraform/build-model.js'
import { planSecrets } from '@tfpipe/terraform/sensitive-places.js'
import { scrubText } from '@tfpipe/terraform/scrub.js'
import { preparePlan } from '@tfpipe/plan-report/prepared.js'
import { renderComment } from '@tfpipe/plan-report/render.js'
import { fixturesDir, loadPlanFixture, planFixtureHumanText } from '../../support/terraform.js'

const run = (argv: string[]): Promise<number> => runCommand(command, argv)

function capture(): { out: () => string } {
  let text = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk)
    return true
  })
  return { out: () => text }
}

afterEach(() => {
  jest.restoreAllMocks()
})

describe('tfpipe plan-comment', () => {
  it('prints exactly the comment the action renders', async () => {
    const c = capture()
    const code = await run([
      '--plan-json',
      join(fixturesDir, 'replace.json'),
      '--plan-text',
      join(fixturesDir, 'replace.txt'),
      '--env',
      'dev',
      '--dir',
      './infra/',
    ])
    expect(code).toBe(0)
    const plan = loadPlanFixture('replace')
    const expected = renderComment(
      preparePlan(buildPlanModel(plan), scrubText(planFixtureHumanText('replace'), planSecrets(plan))),
      { environment: 'dev', directory: 'infra', binary: 'terraform' },
    )
    expect(c.out()).toBe(expected)
    expect(c.out().split('\n')[0]).toContain('env=dev dir=infra ')
  })

  it('--summary prints the job summary (no hidden marker) and exits 1 for an errored plan', async () => {
    const c = capture()
    const code = await run(['--plan-json', join(fixturesDir, 'errored.json'), '--summary'])
    expect(code).toBe(1)
    expect(c.out()).not.toContain('<!-- tfpipe:plan-and-comment')
    expect(c.out()).toContain('### ❌')
  })

  it('rejects missing or conflicting plan flags', async () => {
    await expect(run([])).rejects.toThrow(CliError)
    await expect(run(['--plan-json', 'a.json', '--plan-file', 'tfplan'])).rejects.toThrow(
      'give --plan-json or --plan-file, not both.',
    )
    await expect(run(['--plan-json', '/nonexistent/plan.json'])).rejects.toThrow(/not found/)
  })

  it('adds the cost, security and gate preview sections from files', async () => {
    const c = capture()
    const here = join(import.meta.dirname, '..', '..', 'fixtures', 'plan-report')
    const sarif = join(import.meta.dirname, '..', '..', 'fixtures', 'policy', 'checkov.sarif.json')
    const code = await run([
      '--plan-json',
      join(fixturesDir, 'replace.json'),
      '--env',
      'prod',
      '--infracost-json',
      join(here, 'infracost-diff.json'),
      '--sarif',
      sarif,
      '--policy',
      join(here, 'policy.yml'),
    ])
    expect(code).toBe(0)
    expect(c.out()).toContain('#### 💰 Monthly cost: +116.14 USD/month')
    expect(c.out()).toContain('#### 🛡️ Security scan (checkov)')
    expect(c.out()).toContain('#### 🔮 Gate preview: safety-gate would refuse the deploy to `prod`')
  })
})
