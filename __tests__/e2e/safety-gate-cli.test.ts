import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { repoRoot } from '../support/run-action.js'
import { tfpipe } from '../support/run-cli.js'

const plan = (name: string): string => join(repoRoot, '__tests__', 'fixtures', 'plans', `${name}.json`)
let dir: string
let policy: string
let server: GitHubServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tfpipe-gate-'))
  policy = join(dir, 'policy.yml')
  writeFileSync(
    policy,
    `environments:
  prod:
    timezone: Europe/Berlin
    destroy: { max: 0 }
    confirmation: "deploy-{env}"
    ticket: { required: true, pattern: "CHG-[0-9]+" }
    freezes:
      - from: "12-20"
        to: "01-03"
        reason: Year-end change freeze
`,
  )
  server = await startGitHubServer()
})
afterAll(() => server.close())

describe('tfpipe gate', () => {
  it('prints the verdict and exits 1 when refused (freeze at --now, destroys, ticket)', async () => {
    const r = await tfpipe([
      'gate',
      '--env',
      'prod',
      '--plan-json',
      plan('delete'),
      '--policy',
      policy,
      '--confirmation',
      'deploy-prod',
      '--now',
      '2026-12-24T10:00:00Z',
    ])
    expect(r.code).toBe(1)
    expect(r.stdout.split('\n')[0]).toBe('REFUSED: deploy to prod')
    expect(r.stdout).toContain(
      'FAIL       freezes        frozen at 2026-12-24 11:00 Thu (Europe/Berlin): Year-end change freeze',
    )
    expect(r.stdout).toContain('FAIL       destroy        3 destroy/replace, the policy allows 0')
    expect(r.stdout).toContain(`${' '.repeat(28)}delete terraform_data.legacy`)
    expect(r.stdout).toContain('FAIL       ticket         change ticket required: set --ticket')
  })

  it('exits 0 when allowed, and --format json gives the machine verdict', async () => {
    const r = await tfpipe([
      'gate',
      '--env',
      'prod',
      '--plan-json',
      plan('create'),
      '--policy',
      policy,
      '--confirmation',
      'deploy-prod',
      '--ticket',
      'CHG-12',
      '--now',
      '2026-11-24T10:00:00Z',
      '--format',
      'json',
    ])
    expect(r.code).toBe(0)
    const verdict = JSON.parse(r.stdout) as { allowed: boolean; violations: unknown[] }
    expect(verdict).toMatchObject({ allowed: true, violations: [] })
  })

  it('reads GitHub with --repo and a token (approvals against the local server)', async () => {
    server.setEnvironment('prod', { reviewers: ['solo'] })
    const p = join(dir, 'approvals.yml')
    writeFileSync(p, 'environments:\n  prod:\n    approvals: { required-reviewers: 2 }\n')
    const r = await tfpipe(
      [
        'gate',
        '--env',
        'prod',
        '--policy',
        p,
        '--repo',
        'acme/infra',
        '--sha',
        'a'.repeat(40),
        '--api-url',
        server.url,
        '--token-env',
        'MY_TOKEN',
        '--format',
        'markdown',
      ],
      {
        MY_TOKEN: 'test-token',
      },
    )
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(
      "| approvals | ❌ fail | GitHub Environment 'prod' is weaker than the policy: needs at least 2 required reviewer(s), has 1 |",
    )
  })

  it('warns when the plan was made after --now (the verdict would be judged before the plan existed)', async () => {
    const early = await tfpipe([
      'gate',
      '--env',
      'prod',
      '--plan-json',
      plan('create'),
      '--policy',
      policy,
      '--confirmation',
      'deploy-prod',
      '--ticket',
      'CHG-12',
      '--now',
      '2026-11-22T10:00:00Z',
    ])
    expect(early.code).toBe(0)
    expect(early.stderr).toContain(
      "warning: the plan was made at 2026-11-22T18:18:42.000Z (plan JSON timestamp), after the gate's clock 2026-11-22T10:00:00.000Z: windows, freezes and plan age are judged at a time before the plan existed; check --now.",
    )
    const later = await tfpipe([
      'gate',
      '--env',
      'prod',
      '--plan-json',
      plan('create'),
      '--policy',
      policy,
      '--confirmation',
      'deploy-prod',
      '--ticket',
      'CHG-12',
      '--now',
      '2026-11-24T10:00:00Z',
    ])
    expect(later.stderr).not.toContain("after the gate's clock")
  })

  it('a policy error or usage error exits 2 with one message', async () => {
    const bad = join(dir, 'bad.yml')
    writeFileSync(bad, 'environments:\n  prod:\n    destroy: { max: many }\n')
    const r = await tfpipe(['gate', '--env', 'prod', '--policy', bad])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('environments.prod.destroy.max: must be integer')
    expect((await tfpipe(['gate', '--policy', bad])).stderr).toContain('--env is required.')
    expect((await tfpipe(['gate', '--env', 'prod', '--policy', policy, '--now', 'tomorrow'])).code).toBe(2)
  })
})
