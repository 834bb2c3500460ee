// The CLI refuses what it does not understand instead of guessing: each mistake below used to be
// ignored (and, for notify, the message was sent). Runs bin/tfpipe.js (the committed bundle).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { repoRoot } from '../support/run-action.js'
import { tfpipe } from '../support/run-cli.js'
import { startSlackReceiver, type SlackReceiver } from '../support/slack-receiver.js'

let slack: SlackReceiver
beforeAll(async () => {
  slack = await startSlackReceiver()
})
afterAll(() => slack.close())

const plan = (name: string): string => join(repoRoot, '__tests__', 'fixtures', 'plans', `${name}.json`)
const policy = join(repoRoot, 'examples', 'policy', 'terraform-policy.yml')

/** Exit 2 with exactly one line on stderr, nothing on stdout. */
function refused(r: { code: number; stdout: string; stderr: string }, line: string): void {
  expect({ code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ code: 2, stderr: `${line}\n`, stdout: '' })
}

describe('tfpipe refuses misspelt, missing and contradictory flags', () => {
  it('notify --dryrun: refused, and nothing reaches Slack', async () => {
    const before = slack.requests.length
    const r = await tfpipe(
      ['notify', '--event', 'deploy-succeeded', '--env', 'prod', '--webhook-url-env', 'HOOK', '--dryrun', 'yes'],
      {
        HOOK: slack.webhookUrl(),
        SLACK_API_URL: slack.apiUrl,
      },
    )
    refused(r, 'tfpipe notify: unknown flag --dryrun; did you mean --dry-run?')
    expect(slack.requests.length).toBe(before)
    // the right flag with a stray value is refused too (a switch takes no value)
    const stray = await tfpipe(
      ['notify', '--event', 'deploy-succeeded', '--env', 'prod', '--webhook-url-env', 'HOOK', '--dry-run', 'yes'],
      { HOOK: slack.webhookUrl() },
    )
    expect(stray.code).toBe(2)
    expect(stray.stderr).toContain("unexpected argument 'yes' (--dry-run is a switch and takes no value")
    expect(slack.requests.length).toBe(before)
  })

  it('plan-comment --environment: refused with --env suggested', async () => {
    const r = await tfpipe(['plan-comment', '--plan-json', plan('create'), '--environment', 'prod'])
    refused(r, 'tfpipe plan-comment: unknown flag --environment; did you mean --env?')
  })

  it('gate --tickt: refused with --ticket suggested; a missing ticket is reported by its flag name', async () => {
    const r = await tfpipe([
      'gate',
      '--env',
      'prod',
      '--plan-json',
      plan('create'),
      '--policy',
      policy,
      '--tickt',
      'CHG-1',
    ])
    refused(r, 'tfpipe gate: unknown flag --tickt; did you mean --ticket?')
    const missing = await tfpipe([
      'gate',
      '--env',
      'prod',
      '--plan-json',
      plan('create'),
      '--policy',
      policy,
      '--confirmation',
      'deploy-prod',
      '--now',
      '2026-11-24T10:00:00Z',
    ])
    expect(missing.stdout).toMatch(/ticket\s+change ticket required: set --ticket\n/)
    expect(missing.stdout).not.toContain('change-ticket')
  })

  it('state rollback needs exactly one of --version-id and --steps-back (before touching any backend)', async () => {
    refused(
      await tfpipe(['state', 'rollback', '--dir', '/nonexistent']),
      'tfpipe state rollback: give --version-id or --steps-back.',
    )
    refused(
      await tfpipe(['state', 'rollback', '--version-id', 'v1', '--steps-back', '1']),
      'tfpipe state rollback: give --version-id or --steps-back, not both.',
    )
    refused(
      await tfpipe(['state', 'rollback', '--steps-back']),
      'tfpipe state rollback: --steps-back needs a value: --steps-back N.',
    )
    refused(
      await tfpipe(['state', 'rollback', '--steps-back', '0', '--dir', '/nonexistent']),
      'tfpipe state rollback: --steps-back must be at least 1; got 0.',
    )
  })

  it('--plan-file given a JSON plan says to use --plan-json (no terraform error)', async () => {
    refused(
      await tfpipe(['plan-comment', '--plan-file', plan('create')]),
      `tfpipe plan-comment: --plan-file '${plan('create')}' is a JSON plan: use --plan-json for a JSON plan.`,
    )
    refused(
      await tfpipe(['gate', '--env', 'prod', '--policy', policy, '--plan-file', plan('create')]),
      `tfpipe gate: --plan-file '${plan('create')}' is a JSON plan: use --plan-json for a JSON plan.`,
    )
  })

  it('a missing binary is named by its flag', async () => {
    const r = await tfpipe(['plan-comment', '--plan-file', join(repoRoot, 'README.md'), '--binary', 'tofu'], {
      PATH: '/nonexistent',
    })
    refused(
      r,
      "tfpipe plan-comment: binary 'tofu' not found on PATH; install it (e.g. opentofu/setup-opentofu) or set --binary terraform",
    )
  })

  it('unknown commands and subcommands are one line with a suggestion', async () => {
    refused(await tfpipe(['gat']), "tfpipe: unknown command 'gat'; did you mean 'gate'?")
    refused(await tfpipe(['state', 'version']), "tfpipe state: unknown command 'version'; did you mean 'versions'?")
  })
})
