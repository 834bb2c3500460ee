/**
 * Plans of Terraform 0.12 to 1.0 (format_version 0.1 and 0.2), hand-written after the documented format
 * (see __tests__/fixtures/legacy-plans/README.md), read by every action that reads a plan JSON: counts,
 * address lists, redaction, fingerprint; never a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseDeployTagMessage } from '@tfpipe/github/deploy-tags.js'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { repoRoot, runAction } from '../support/run-action.js'
import { tfpipe } from '../support/run-cli.js'

const legacy = (name: string) => join(repoRoot, '__tests__', 'fixtures', 'legacy-plans', name)
const V012 = legacy('plan-0.1-terraform-0.12.json')
const V10 = legacy('plan-0.2-terraform-1.0.json')
const SECRETS = ['legacy-db-password-0123', 'tok-1.0-very-secret-value', 'tok-0.9-old-secret-value']

let server: GitHubServer
beforeAll(async () => {
  server = await startGitHubServer()
})
afterAll(() => server.close())

const noSecret = (...texts: string[]) => {
  for (const s of SECRETS) for (const t of texts) expect(t).not.toContain(s)
}

describe('old plan formats in every action', () => {
  it('plan-and-comment renders a 0.12 plan (format 0.1): counts, lists, everything redacted', async () => {
    const run = await runAction('plan-and-comment', {
      inputs: { 'plan-json': V012, environment: 'prod', comment: 'off', 'upload-artifact': 'false' },
      env: { GITHUB_API_URL: server.url },
    })
    expect(run.annotations.filter((a) => a.startsWith('::error'))).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ add: '1', change: '1', destroy: '1', replace: '1' })
    expect(run.summary).toContain('aws_db_instance.main')
    expect(run.summary).toContain('Terraform 0.12.31')
    noSecret(run.stdout, run.summary)
  })

  it('plan-and-comment renders a 1.0 plan (format 0.2) with its drift', async () => {
    const run = await runAction('plan-and-comment', {
      inputs: { 'plan-json': V10, environment: 'prod', comment: 'off', 'upload-artifact': 'false' },
      env: { GITHUB_API_URL: server.url },
    })
    expect(run.exitCode).toBe(0)
    expect(run.summary).toContain('Changed outside of Terraform (1)')
    noSecret(run.stdout, run.summary)
  })

  it('safety-gate checks a 0.12 plan like any other (a replace counts as a destroy)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'legacy-gate-'))
    const policy = join(dir, 'policy.yml')
    writeFileSync(
      policy,
      'environments:\n  prod:\n    destroy: { max: 1 }\n    protected: { types: [aws_db_instance] }\n',
    )
    const run = await runAction('safety-gate', {
      inputs: { environment: 'prod', 'policy-file': policy, 'plan-json': V012 },
      env: { GITHUB_API_URL: server.url },
    })
    expect(run.exitCode).not.toBe(0)
    const violations = JSON.parse(run.outputs.violations ?? '[]') as { check: string; details: string[] }[]
    expect(violations.map((v) => v.check)).toEqual(['destroy', 'protected'])
    expect(violations[0]?.details).toEqual(['replace aws_db_instance.main', 'delete aws_instance.old'])
    noSecret(run.stdout, run.summary)
  })

  it('tag-deploy records the counts and fingerprint of a 1.0 plan', async () => {
    const sha = 'cd'.repeat(20)
    const run = await runAction('tag-deploy', {
      inputs: { environment: 'dev', sha, 'plan-json': V10, deployment: 'false', 'github-token': 'test-token' },
      env: { GITHUB_API_URL: server.url },
      eventName: 'workflow_dispatch',
    })
    expect(run.annotations.filter((a) => a.startsWith('::error'))).toEqual([])
    expect(run.exitCode).toBe(0)
    const meta = parseDeployTagMessage(server.tagObjects().find((t) => t.tag === run.outputs.tag)?.message ?? '')
    expect(meta?.counts).toMatchObject({ add: 1, destroy: 1, replace: 1 })
    expect(meta?.fingerprint).toMatch(/^[0-9a-f]{64}$/)
  })

  it('the CLI prints the comment of a 0.12 plan without the secret', async () => {
    const r = await tfpipe(['plan-comment', '--plan-json', V012, '--env', 'prod'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('aws_security_group.web')
    noSecret(r.stdout, r.stderr)
  })
})
