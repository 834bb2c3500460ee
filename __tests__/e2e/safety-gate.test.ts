import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { repoRoot, runAction } from '../support/run-action.js'

const plan = (name: string): string => join(repoRoot, '__tests__', 'fixtures', 'plans', `${name}.json`)
const sarif = (name: string): string => join(repoRoot, '__tests__', 'fixtures', 'policy', name)

let server: GitHubServer
let dir: string

function policyFile(text: string): string {
  const path = join(dir, `policy-${Math.random().toString(36).slice(2)}.yml`)
  writeFileSync(path, text)
  return path
}

beforeAll(async () => {
  server = await startGitHubServer()
  dir = mkdtempSync(join(tmpdir(), 'safety-gate-e2e-'))
})
afterAll(() => server.close())

const env = () => ({ GITHUB_API_URL: server.url })

describe('safety-gate bundle', () => {
  it('refuses with violations in the outputs, a summary table and error annotations, then fails the step', async () => {
    const policy = policyFile(`
environments:
  prod:
    destroy: { max: 0 }
    confirmation: "deploy-{env}"
    security: { fail-on: high }
`)
    const run = await runAction('safety-gate', {
      inputs: {
        environment: 'prod',
        'policy-file': policy,
        'plan-json': plan('replace'),
        confirmation: 'deploy-prd',
        sarif: `${sarif('tfsec.sarif.json')}\n${sarif('trivy.sarif.json')}`,
        'github-token': 'test-token',
      },
      env: env(),
    })
    expect(run.exitCode).not.toBe(0)
    expect(run.outputs.allowed).toBe('false')
    const violations = JSON.parse(run.outputs.violations ?? '[]') as {
      check: string
      message: string
      details: string[]
    }[]
    expect(violations.map((v) => v.check)).toEqual(['destroy', 'confirmation', 'security'])
    expect(violations[0]?.details).toContain('replace terraform_data.tainted')
    expect(violations[2]?.details).toContain('CRITICAL AVD-AWS-0107 network.tf:33 — Artifact: network.tf (Trivy)')
    expect(run.summary).toContain('| Check | Result | Detail |')
    expect(run.summary).toContain(
      "| confirmation | ❌ fail | confirmation 'deploy-prd' does not match: type 'deploy-prod' exactly |",
    )
    expect(run.outputs.report).toContain('refused (3 violations)')
    expect(run.annotations.filter((a) => a.startsWith('::error'))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('destroy: 4 destroy/replace'),
        expect.stringContaining(
          'safety-gate: deploy to prod refused: 3 violation(s) (destroy, confirmation, security)',
        ),
      ]),
    )
  })

  it('applies only the approved plan: another fingerprint is refused even with an override', async () => {
    const policy = policyFile('environments:\n  prod:\n    destroy: { max: 10 }\n    override: { allowed: true }\n')
    const approved = await runAction('safety-gate', {
      inputs: { environment: 'prod', 'policy-file': policy, 'plan-json': plan('create') },
      env: env(),
    })
    expect(approved.exitCode).toBe(0)
    const report = await runAction('plan-and-comment', {
      inputs: { environment: 'prod', 'plan-json': plan('create'), comment: 'off', 'upload-artifact': 'false' },
      env: env(),
    })
    const fingerprint = report.outputs.fingerprint ?? ''
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/)
    const same = await runAction('safety-gate', {
      inputs: {
        environment: 'prod',
        'policy-file': policy,
        'plan-json': plan('create'),
        'expected-fingerprint': fingerprint,
      },
      env: env(),
    })
    expect(same.exitCode).toBe(0)
    const swapped = await runAction('safety-gate', {
      inputs: {
        environment: 'prod',
        'policy-file': policy,
        'plan-json': plan('update'),
        'expected-fingerprint': fingerprint,
        'override-reason': 'incident 42',
      },
      env: env(),
    })
    expect(swapped.exitCode).toBe(1)
    expect(swapped.outputs.allowed).toBe('false')
    const errors = swapped.stdout.split('\n').filter((l) => l.startsWith('::error'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`is not the plan that was approved (${fingerprint.slice(0, 12)}…); nothing was applied`)
  })

  it('judges windows at the `now` input, and refuses a malformed one naming it', async () => {
    const policy = policyFile(
      'environments:\n  prod:\n    timezone: Europe/London\n    windows: [{ days: [wed], start: "09:00", end: "16:00" }]\n',
    )
    const inside = await runAction('safety-gate', {
      inputs: { environment: 'prod', 'policy-file': policy, 'plan-json': plan('create'), now: '2026-12-02T10:30:00Z' },
      env: env(),
    })
    expect(inside.exitCode).toBe(0)
    const outside = await runAction('safety-gate', {
      inputs: { environment: 'prod', 'policy-file': policy, 'plan-json': plan('create'), now: '2026-12-02T17:30:00Z' },
      env: env(),
    })
    expect(outside.exitCode).toBe(1)
    expect(JSON.parse(outside.outputs.violations ?? '[]').map((v: { check: string }) => v.check)).toEqual(['windows'])
    const bad = await runAction('safety-gate', {
      inputs: { environment: 'prod', 'policy-file': policy, 'plan-json': plan('create'), now: 'tomorrow' },
      env: env(),
    })
    expect(bad.exitCode).toBe(1)
    expect(bad.stdout).toContain("::error::safety-gate: Input 'now' must be an ISO 8601 time")
  })

  it('allows a clean deploy and fails nothing', async () => {
    const policy = policyFile('environments:\n  dev:\n    destroy: { max: 0 }\n')
    const run = await runAction('safety-gate', {
      inputs: { environment: 'dev', 'policy-file': policy, 'plan-json': plan('create') },
      env: env(),
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.allowed).toBe('true')
    expect(run.outputs.violations).toBe('[]')
    expect(run.summary).toContain('### ✅ safety-gate: deploy to `dev` allowed')
  })

  it('records an emergency override loudly in outputs, summary and annotations', async () => {
    const policy = policyFile('environments:\n  prod:\n    destroy: { max: 0 }\n    override: { allowed: true }\n')
    const run = await runAction('safety-gate', {
      inputs: {
        environment: 'prod',
        'policy-file': policy,
        'plan-json': plan('delete'),
        'override-reason': 'INC-4711 restore service',
      },
      env: { ...env(), GITHUB_ACTOR: 'oncall-anna' },
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.allowed).toBe('true')
    const warnings = JSON.parse(run.outputs.warnings ?? '[]') as { check: string; overridden?: boolean }[]
    expect(warnings).toEqual([expect.objectContaining({ check: 'destroy', overridden: true })])
    expect(run.summary).toContain('**Emergency override** — reason: INC-4711 restore service')
    expect(
      run.annotations.some(
        (a) =>
          a.startsWith('::warning') &&
          a.includes('EMERGENCY OVERRIDE of the safety-gate for prod by oncall-anna: INC-4711 restore service'),
      ),
    ).toBe(true)
  })

  it('a bad policy fails with one line per problem and its path', async () => {
    const policy = policyFile(
      'environments:\n  prod:\n    windows:\n      - days: [mon, tue, someday]\n    destroy: { maximum: 1 }\n',
    )
    const run = await runAction('safety-gate', { inputs: { environment: 'prod', 'policy-file': policy }, env: env() })
    expect(run.exitCode).not.toBe(0)
    expect(run.stdout).toContain('environments.prod.windows[0].days[2]: must be one of mon..sun')
    expect(run.stdout).toContain('environments.prod.destroy.maximum: unknown setting (not in the policy schema)')
    expect(run.outputs.allowed).toBeUndefined()
  })

  it('checks approvals, promotion and the reviewed plan against GitHub; promotion passes after a verified tag-deploy to dev', async () => {
    const sha = '5e'.repeat(20)
    // The fingerprint posted on the PR below is read back from tag-deploy's record of this exact plan.
    server.addPullRequest({
      number: 7,
      head_sha: '6f'.repeat(20),
      merge_commit_sha: sha,
      merged: true,
      state: 'closed',
    })
    server.setEnvironment('prod', { reviewers: ['a', 'b', 'c'], prevent_self_review: true })
    const policy = policyFile(`
environments:
  dev: {}
  prod:
    approvals: { required-reviewers: 3, prevent-self-review: true }
    promotion: { requires: [dev] }
    reviewed-plan: { required: true }
`)
    const inputs = {
      environment: 'prod',
      'policy-file': policy,
      'plan-json': plan('demo'),
      'github-token': 'test-token',
    }
    const before = await runAction('safety-gate', { inputs, env: { ...env(), GITHUB_SHA: sha }, eventName: 'push' })
    expect(before.exitCode).not.toBe(0)
    const v1 = JSON.parse(before.outputs.violations ?? '[]') as { check: string; message: string }[]
    expect(v1.map((v) => v.check)).toEqual(['promotion', 'reviewed-plan'])
    expect(v1[0]?.message).toBe(
      `commit ${sha.slice(0, 12)} has no verified deployment in dev (a GitHub Deployment whose final status is success; required before prod)`,
    )
    expect(v1[1]?.message).toBe('PR #7: no plan-and-comment comment for env=prod dir=. by github-actions[bot]')

    // deploy to dev with tag-deploy (records the plan fingerprint), then post the reviewed plan comment
    const tagged = await runAction('tag-deploy', {
      inputs: {
        environment: 'dev',
        sha,
        'plan-json': plan('demo'),
        'github-token': 'test-token',
        verification: 'passed',
      },
      env: { ...env(), GITHUB_RUN_ID: '9001' },
      eventName: 'push',
    })
    expect(tagged.exitCode).toBe(0)
    const tagMessage = server.tagObjects().find((t) => t.tag === tagged.outputs.tag)?.message ?? ''
    const fingerprint = /"fingerprint": "([0-9a-f]{64})"/.exec(tagMessage)?.[1] ?? ''
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/)
    server.addComment(7, {
      body: `<!-- tfpipe:plan-and-comment env=prod dir=. fingerprint=${fingerprint} -->\n## Plan for prod`,
    })

    const after = await runAction('safety-gate', { inputs, env: { ...env(), GITHUB_SHA: sha }, eventName: 'push' })
    expect(after.exitCode).toBe(0)
    expect(after.outputs.allowed).toBe('true')
    expect(after.summary).toMatch(/\| promotion \| ✅ pass \| commit deployed and verified before in dev \|/)
    expect(after.summary).toContain('| reviewed-plan | ✅ pass | plan matches the one reviewed on PR #7')
    expect(after.summary).toContain(
      "| approvals | ✅ pass | GitHub Environment 'prod': 3 required reviewer(s): a, b, c",
    )
  })

  it('promotion: a tag alone or a failed verification is no evidence; skip-verify only where allowed; outputs the verification rules', async () => {
    const sha = '7a'.repeat(20)
    const policy = policyFile(
      'environments:\n  sit:\n    verification: { auto-rollback: true }\n  prod:\n    promotion: { requires: [sit] }\n    verification: { skip-allowed: false }\n',
    )
    const tag = (runId: string, extra: Record<string, string>) =>
      runAction('tag-deploy', {
        inputs: { environment: 'sit', sha, 'github-token': 'test-token', ...extra },
        env: { ...env(), GITHUB_RUN_ID: runId },
        eventName: 'push',
      })
    const gate = (extra: Record<string, string> = {}) =>
      runAction('safety-gate', {
        inputs: { environment: 'prod', 'policy-file': policy, 'github-token': 'test-token', ...extra },
        env: { ...env(), GITHUB_SHA: sha },
        eventName: 'push',
      })
    expect((await tag('9102', { deployment: 'false' })).exitCode).toBe(0)
    expect((await gate()).outputs.allowed).toBe('false')
    expect((await tag('9103', { verification: 'failed' })).outputs.status).toBe('failure')
    expect((await gate()).outputs.allowed).toBe('false')
    expect((await tag('9104', { verification: 'passed' })).outputs.status).toBe('success')
    const allowed = await gate()
    expect(allowed.outputs.allowed).toBe('true')
    expect(allowed.summary).toContain(`| promotion | ✅ pass | commit deployed and verified before in sit |`)
    expect([allowed.outputs['skip-verify'], allowed.outputs['auto-rollback']]).toEqual(['false', 'false'])

    const skip = await gate({ 'skip-verify': 'true' })
    expect(skip.outputs.allowed).toBe('false')
    expect(JSON.parse(skip.outputs.violations ?? '[]')).toEqual([
      {
        check: 'verification',
        message:
          'skip-verify is not allowed for prod: unset it, or set verification.skip-allowed: true for this environment in the policy',
        details: [],
      },
    ])
    const sit = await runAction('safety-gate', {
      inputs: { environment: 'sit', 'policy-file': policy, 'skip-verify': 'false' },
      env: env(),
      eventName: 'push',
    })
    expect([sit.outputs.allowed, sit.outputs['auto-rollback'], sit.outputs['skip-verify']]).toEqual([
      'true',
      'true',
      'false',
    ])
    expect(sit.summary).toContain(
      '| verification | ✅ pass | verification runs after the apply; a failed verification rolls back automatically |',
    )
  })

  it('sends ticket-auth-header with the verify-url request, masked and never shown', async () => {
    const seen: IncomingHttpHeaders[] = []
    const tickets = createServer((req, res) => {
      seen.push(req.headers)
      res.writeHead(req.headers['x-api-key'] === 'k3y-Secret-Value-55' ? 200 : 403).end('{}')
    })
    await new Promise<void>((r) => tickets.listen(0, '127.0.0.1', () => r()))
    const url = `http://127.0.0.1:${(tickets.address() as AddressInfo).port}`
    try {
      const policy = policyFile(
        `environments:\n  prod:\n    ticket: { required: true, verify-url: "${url}/api/{ticket}" }\n`,
      )
      const ok = await runAction('safety-gate', {
        inputs: {
          environment: 'prod',
          'policy-file': policy,
          'change-ticket': 'CHG-7',
          'ticket-auth-header': 'X-Api-Key: k3y-Secret-Value-55',
        },
        env: env(),
      })
      expect(ok.exitCode).toBe(0)
      expect(seen[0]?.['x-api-key']).toBe('k3y-Secret-Value-55')
      expect(ok.stdout).toContain('::add-mask::k3y-Secret-Value-55')
      const refused = await runAction('safety-gate', {
        inputs: {
          environment: 'prod',
          'policy-file': policy,
          'change-ticket': 'CHG-7',
          'ticket-auth-header': 'X-Api-Key: wrong-Secret-66',
        },
        env: env(),
      })
      expect(refused.exitCode).not.toBe(0)
      expect(refused.summary).toContain('ticket CHG-7 not readable (the ticket-auth-header was refused)')
      const shown = [
        refused.stdout
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n'),
        refused.summary,
        JSON.stringify(refused.outputs),
      ].join('\n')
      expect(shown).not.toContain('wrong-Secret-66')
    } finally {
      tickets.closeAllConnections()
      await new Promise<void>((r) => tickets.close(() => r()))
    }
  })

  it('an unreadable environment is reported as such and the policy decides', async () => {
    server.setEnvironment('locked', { unreadable: true })
    const policy = policyFile(`
environments:
  locked:
    approvals: { required-reviewers: 2, on-unreadable: warn }
`)
    const run = await runAction('safety-gate', {
      inputs: { environment: 'locked', 'policy-file': policy, 'github-token': 'test-token' },
      env: env(),
    })
    expect(run.exitCode).toBe(0)
    const warnings = JSON.parse(run.outputs.warnings ?? '[]') as { message: string }[]
    expect(warnings[0]?.message).toBe(
      "the token cannot read the protection rules of GitHub Environment 'locked' (HTTP 403: Resource not accessible by integration); grant actions: read",
    )
  })
})
