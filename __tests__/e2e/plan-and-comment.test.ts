import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runAction, type ActionRun, type RunActionOptions } from '../support/run-action.js'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js'
import { fixturesDir, PLANTED_SECRET } from '../support/terraform.js'

jest.setTimeout(120_000)

const MARKER = '<!-- tfpipe:plan-and-comment '
const PR = 7
const fixture = (name: string, ext = 'json'): string => join(fixturesDir, `${name}.${ext}`)

let server: GitHubServer

function run(options: RunActionOptions & { pr?: number | null } = {}): Promise<ActionRun> {
  const pr = options.pr === undefined ? PR : options.pr
  return runAction('plan-and-comment', {
    eventName: 'pull_request',
    event: pr === null ? {} : { pull_request: { number: pr } },
    ...options,
    inputs: {
      'github-token': 'test-token',
      'plan-json': fixture('replace'),
      'plan-text': fixture('replace', 'txt'),
      ...options.inputs,
    },
    env: { GITHUB_API_URL: server.url, ...options.env },
  })
}

function ourComments(n = PR): { id: number; body: string; user: { login: string } }[] {
  return server.comments(n).filter((c) => c.body.startsWith(MARKER))
}

function writes(): { method: string; path: string }[] {
  return server.requests.filter((r) => r.method !== 'GET')
}

beforeAll(async () => {
  server = await startGitHubServer()
})
afterAll(async () => {
  await server.close()
})

describe('plan-and-comment sticky comment', () => {
  beforeAll(() => {
    server.addPullRequest({ number: PR, head_sha: 'b'.repeat(40) })
  })

  it('creates the comment on the first run and updates the same comment on the second', async () => {
    const first = await run({ inputs: { environment: 'dev', 'working-directory': 'stacks/app' } })
    expect(first.stderr).toBe('')
    expect(first.exitCode).toBe(0)
    const mine = server.comments(PR).filter((c) => c.body.includes('env=dev dir=stacks%2Fapp '))
    expect(mine).toHaveLength(1)
    const comment = mine[0]!
    expect(comment.body.split('\n')[0]).toMatch(
      /^<!-- tfpipe:plan-and-comment env=dev dir=stacks%2Fapp fingerprint=[0-9a-f]{64} -->$/,
    )
    expect(first.outputs['comment-id']).toBe(String(comment.id))
    expect(first.outputs['comment-url']).toContain(`#issuecomment-${comment.id}`)
    // counts: the replace fixture
    expect(first.outputs['has-changes']).toBe('true')
    expect(Number(first.outputs.replace)).toBeGreaterThan(0)
    expect(first.outputs.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(comment.body).toContain(`fingerprint=${first.outputs.fingerprint}`)
    const report = JSON.parse(readFileSync(first.outputs.report!, 'utf8'))
    expect(report.counts.replace).toBe(Number(first.outputs.replace))
    expect(report.addresses.replace.length).toBe(Number(first.outputs.replace))
    expect(comment.body).toContain('♻️ **replace**')
    expect(first.summary).toContain('Terraform plan')
    expect(first.summary).not.toContain(MARKER)

    server.resetRequests()
    const inputs = {
      environment: 'dev',
      'working-directory': 'stacks/app',
      'plan-json': fixture('update'),
      'plan-text': fixture('update', 'txt'),
    }
    const second = await run({ inputs })
    expect(second.exitCode).toBe(0)
    expect(server.comments(PR).filter((c) => c.body.includes('env=dev dir=stacks%2Fapp '))).toHaveLength(1)
    expect(second.outputs['comment-id']).toBe(String(comment.id))
    expect(writes()).toEqual([
      expect.objectContaining({ method: 'PATCH', path: `/repos/acme/infra/issues/comments/${comment.id}` }),
    ])
    expect(server.comments(PR).find((c) => c.id === comment.id)!.body).toContain(
      `fingerprint=${second.outputs.fingerprint}`,
    )

    // the same plan again: the comment is already current, nothing is written
    server.resetRequests()
    const third = await run({ inputs })
    expect(third.outputs['comment-id']).toBe(String(comment.id))
    expect(writes()).toEqual([])
  })

  it('keeps one comment per environment in a dev/sit/prod matrix and each run touches only its own', async () => {
    const pr = 11
    server.addPullRequest({ number: pr, head_sha: 'c'.repeat(40) })
    for (const env of ['dev', 'sit', 'prod']) {
      const r = await run({
        pr,
        inputs: { environment: env, 'plan-json': fixture('create'), 'plan-text': fixture('create', 'txt') },
      })
      expect(r.exitCode).toBe(0)
    }
    const ids = Object.fromEntries(ourComments(pr).map((c) => [/env=(\w+)/.exec(c.body)![1], c.id]))
    expect(Object.keys(ids).sort()).toEqual(['dev', 'prod', 'sit'])
    const prodBefore = server.comments(pr).find((c) => c.id === ids.prod)!.body
    server.resetRequests()
    const sit = await run({
      pr,
      inputs: { environment: 'sit', 'plan-json': fixture('delete'), 'plan-text': fixture('delete', 'txt') },
    })
    expect(sit.exitCode).toBe(0)
    expect(writes()).toEqual([
      expect.objectContaining({ method: 'PATCH', path: `/repos/acme/infra/issues/comments/${ids.sit}` }),
    ])
    expect(server.comments(pr).find((c) => c.id === ids.sit)!.body).toContain('🗑️ **destroy**')
    expect(server.comments(pr).find((c) => c.id === ids.prod)!.body).toBe(prodBefore)
    expect(ourComments(pr)).toHaveLength(3)
  })

  it('finds its comment among 300 others in at most 5 requests and never edits a person quoting the marker', async () => {
    const pr = 12
    server.addPullRequest({ number: pr, head_sha: 'd'.repeat(40) })
    const first = await run({ pr, inputs: { environment: 'prod' } })
    expect(first.exitCode).toBe(0)
    const ownId = Number(first.outputs['comment-id'])
    const ownBody = server.comments(pr).find((c) => c.id === ownId)!.body
    for (let i = 0; i < 299; i++) {
      if (i === 150) server.addComment(pr, { body: ownBody, login: 'mallory', type: 'User' })
      else if (i === 151) server.addComment(pr, { body: ownBody, login: 'other-bot[bot]', type: 'Bot' })
      else server.addComment(pr, { body: `LGTM ${i}`, login: 'reviewer', type: 'User' })
    }
    expect(server.comments(pr).length).toBe(300)
    server.resetRequests()
    const second = await run({
      pr,
      inputs: { environment: 'prod', 'plan-json': fixture('update'), 'plan-text': fixture('update', 'txt') },
    })
    expect(second.exitCode).toBe(0)
    expect(second.outputs['comment-id']).toBe(String(ownId))
    const lists = server.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/issues/${pr}/comments`))
    expect(lists.map((r) => r.query.per_page)).toEqual(['100', '100', '100'])
    expect(server.requests.length).toBeLessThanOrEqual(5)
    expect(server.comments(pr).find((c) => c.user.login === 'mallory')!.body).toBe(ownBody)
    expect(server.comments(pr).find((c) => c.user.login === 'other-bot[bot]')!.body).toBe(ownBody)
    expect(server.comments(pr).find((c) => c.id === ownId)!.body).not.toBe(ownBody)
  })

  it('retries once with a minimal body when GitHub answers 422 body too long', async () => {
    const pr = 13
    server.addPullRequest({ number: pr, head_sha: 'e'.repeat(40) })
    server.failNext(
      { method: 'POST', path: `/repos/acme/infra/issues/${pr}/comments` },
      {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: 'body is too long (maximum is 65536 characters)',
            },
          ],
        },
      },
    )
    server.resetRequests()
    const r = await run({
      pr,
      inputs: { environment: 'dev', 'plan-json': fixture('adversarial'), 'plan-text': fixture('adversarial', 'txt') },
    })
    expect(r.exitCode).toBe(0)
    const posts = server.requests.filter((q) => q.method === 'POST')
    expect(posts).toHaveLength(2)
    const [full, minimal] = posts.map((p) => (p.body as { body: string }).body)
    expect(minimal!.length).toBeLessThan(full!.length)
    expect(minimal!.length).toBeLessThanOrEqual(8_000)
    expect(ourComments(pr)).toHaveLength(1)
    expect(ourComments(pr)[0]!.body).toBe(minimal)
    expect(r.stdout).toContain('too long')
  })

  it('retries a 502 and a secondary rate limit with retry-after', async () => {
    const pr = 14
    server.addPullRequest({ number: pr, head_sha: 'f'.repeat(40) })
    server.failNext(
      { method: 'GET', path: `/repos/acme/infra/issues/${pr}/comments` },
      { status: 502, body: { message: 'Bad Gateway' } },
    )
    server.failNext(
      { method: 'POST', path: `/repos/acme/infra/issues/${pr}/comments` },
      {
        status: 403,
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        headers: { 'retry-after': '1' },
      },
    )
    server.resetRequests()
    const started = Date.now()
    const r = await run({ pr, inputs: { environment: 'dev' } })
    expect(r.exitCode).toBe(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(server.requests.filter((q) => q.method === 'GET' && q.path.endsWith(`/issues/${pr}/comments`))).toHaveLength(
      2,
    )
    expect(server.requests.filter((q) => q.method === 'POST')).toHaveLength(2)
    expect(ourComments(pr)).toHaveLength(1)
    expect(r.stdout).toMatch(/secondary rate limit/)
  })

  it('comment: new posts a new comment and minimises the previous one as outdated', async () => {
    const pr = 15
    server.addPullRequest({ number: pr, head_sha: '1'.repeat(40) })
    const a = await run({ pr, inputs: { environment: 'dev', comment: 'new' } })
    const b = await run({ pr, inputs: { environment: 'dev', comment: 'new' } })
    expect(a.exitCode).toBe(0)
    expect(b.exitCode).toBe(0)
    expect(a.outputs['comment-id']).not.toBe(b.outputs['comment-id'])
    const minimized = server.minimizedComments().filter((c) => c.issue_number === pr)
    expect(minimized.map((c) => c.id)).toEqual([Number(a.outputs['comment-id'])])
    expect(minimized[0]!.minimizedReason).toBe('outdated')
  })

  it('comment: changes-only does not comment a no-op plan but updates an existing comment so it is never stale', async () => {
    const pr = 16
    server.addPullRequest({ number: pr, head_sha: '2'.repeat(40) })
    const quiet = await run({
      pr,
      inputs: {
        environment: 'dev',
        comment: 'changes-only',
        'plan-json': fixture('noop'),
        'plan-text': fixture('noop', 'txt'),
      },
    })
    expect(quiet.exitCode).toBe(0)
    expect(quiet.outputs['has-changes']).toBe('false')
    expect(quiet.outputs['comment-id']).toBe('')
    expect(ourComments(pr)).toHaveLength(0)
    const loud = await run({ pr, inputs: { environment: 'dev', comment: 'changes-only' } })
    expect(ourComments(pr)).toHaveLength(1)
    const again = await run({
      pr,
      inputs: {
        environment: 'dev',
        comment: 'changes-only',
        'plan-json': fixture('noop'),
        'plan-text': fixture('noop', 'txt'),
      },
    })
    expect(again.outputs['comment-id']).toBe(loud.outputs['comment-id'])
    expect(ourComments(pr)[0]!.body).toContain('**No changes**')
  })
})

describe('plan-and-comment without a pull request', () => {
  it('on push finds the PR merged as that commit and comments there', async () => {
    const sha = '9'.repeat(40)
    server.addPullRequest({
      number: 21,
      head_sha: '8'.repeat(40),
      merge_commit_sha: sha,
      merged: true,
      state: 'closed',
    })
    server.addPullRequest({ number: 22, head_sha: sha, state: 'open' })
    server.resetRequests()
    const r = await run({ pr: null, eventName: 'push', env: { GITHUB_SHA: sha }, inputs: { environment: 'prod' } })
    expect(r.exitCode).toBe(0)
    expect(server.requests.some((q) => q.path === `/repos/acme/infra/commits/${sha}/pulls`)).toBe(true)
    expect(ourComments(21)).toHaveLength(1)
    expect(ourComments(22)).toHaveLength(0)
  })

  it('on workflow_dispatch writes summary, report and outputs but no comment', async () => {
    server.resetRequests()
    const r = await run({ pr: null, eventName: 'workflow_dispatch', inputs: { environment: 'dev' } })
    expect(r.exitCode).toBe(0)
    expect(writes()).toEqual([])
    expect(r.outputs['comment-id']).toBe('')
    expect(r.outputs['has-changes']).toBe('true')
    expect(r.summary).toContain('♻️')
    expect(existsSync(r.outputs.report!)).toBe(true)
  })
})

describe('plan-and-comment failures', () => {
  it('an errored plan gets a ❌ comment and fails the step', async () => {
    const pr = 31
    server.addPullRequest({ number: pr, head_sha: '3'.repeat(40) })
    const r = await run({
      pr,
      inputs: { environment: 'dev', 'plan-json': fixture('errored'), 'plan-text': fixture('errored', 'txt') },
    })
    expect(r.exitCode).not.toBe(0)
    expect(r.annotations.join('\n')).toMatch(/::error::plan-and-comment: terraform reported errors/)
    const body = ourComments(pr)[0]!.body
    expect(body).toContain('### ❌')
    expect(body).toContain('cannot be applied')
  })

  it('a failing terraform show gets a ❌ comment that says what failed, and fails the step', async () => {
    const pr = 32
    server.addPullRequest({ number: pr, head_sha: '4'.repeat(40) })
    const r = await run({
      pr,
      inputs: {
        environment: 'dev',
        'plan-json': '',
        'plan-text': '',
        'plan-file': 'missing.tfplan',
        'working-directory': fixturesDir,
      },
    })
    expect(r.exitCode).not.toBe(0)
    const body = ourComments(pr)[0]!.body
    expect(body).toContain('### ❌')
    expect(body).toContain('terraform show -json missing.tfplan failed')
    expect(r.outputs.fingerprint).toBe('')
  })

  it('a bad input fails fast with one line', async () => {
    const r = await runAction('plan-and-comment', { inputs: {}, env: { GITHUB_API_URL: server.url } })
    expect(r.exitCode).not.toBe(0)
    expect(r.annotations).toEqual([expect.stringContaining("Give 'plan-file'")])
  })
})

describe('plan-and-comment secrets and artifact', () => {
  let artifacts: ArtifactServer
  beforeAll(async () => {
    artifacts = await startArtifactServer()
  })
  afterAll(async () => {
    await artifacts.close()
  })

  it('uploads the redacted plan and never shows the planted secret anywhere', async () => {
    const pr = 41
    server.addPullRequest({ number: pr, head_sha: '5'.repeat(40) })
    server.resetRequests()
    const r = await run({
      pr,
      inputs: {
        environment: 'prod',
        'plan-json': fixture('sensitive'),
        'plan-text': fixture('sensitive', 'txt'),
        'retention-days': '5',
      },
      env: artifacts.env,
    })
    expect(r.exitCode).toBe(0)
    const uploaded = artifacts.artifacts().at(-1)!
    expect(uploaded.name).toBe('tfplan-prod-root')
    expect(uploaded.files.sort()).toEqual(['plan.redacted.json', 'plan.txt', 'report.json'])
    expect(r.outputs['artifact-id']).toBe(String(uploaded.id))
    expect(r.outputs['artifact-url']).toBe(
      `${artifacts.env.GITHUB_SERVER_URL}/acme/infra/actions/runs/4242/artifacts/${uploaded.id}`,
    )
    const body = ourComments(pr)[0]!.body
    expect(body).toContain('(sensitive)')
    expect(body).toContain(r.outputs['artifact-url']!)
    const everything = [
      r.stdout,
      r.stderr,
      r.summary,
      readFileSync(r.outputs.report!, 'utf8'),
      JSON.stringify(server.requests.map((q) => q.body)),
      ...uploaded.entries.map((e) => e.content.toString('utf8')),
    ].join('\n')
    expect(everything).toContain('terraform_data.service')
    expect(everything).not.toContain(PLANTED_SECRET)
  })

  it('degrades to a warning when artifact storage is unavailable', async () => {
    const r = await run({ pr: null, eventName: 'schedule', inputs: { environment: 'dev' } })
    expect(r.exitCode).toBe(0)
    expect(r.outputs['artifact-id']).toBe('')
    expect(r.annotations.join('\n')).toMatch(/::warning::Artifact storage is not available/)
  })
})

describe('plan-and-comment: cost, security, gate preview, labels, next step', () => {
  const here = join(import.meta.dirname, '..', 'fixtures', 'plan-report')
  const policyFixtures = join(import.meta.dirname, '..', 'fixtures', 'policy')
  const LPR = 41

  beforeAll(() => {
    server.addPullRequest({ number: LPR, head_sha: 'c'.repeat(40), labels: ['prod/no-changes', 'dev/changes'] })
  })

  it('renders the three sections from real files, labels the PR and points at the deploy', async () => {
    const r = await run({
      pr: LPR,
      event: { pull_request: { number: LPR, head: { sha: 'c'.repeat(40) }, labels: [{ name: 'prod/no-changes' }] } },
      inputs: {
        environment: 'prod',
        'infracost-json': join(here, 'infracost-diff.json'),
        sarif: `${join(policyFixtures, 'trivy.sarif.json')}\n${join(policyFixtures, 'checkov.sarif.json')}`,
        'policy-file': join(here, 'policy.yml'),
        labels: 'true',
      },
    })
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
    const body = ourComments(LPR).find((c) => c.body.includes('env=prod '))!.body
    expect(body).toContain('#### 💰 Monthly cost: +116.14 USD/month')
    expect(body).toMatch(/#### 🛡️ Security scan \(.*\): \d+ findings/)
    expect(body).toContain('1 suppressed (not counted)')
    expect(body).toMatch(/\[main\.tf:\d+\]\(https:\/\/[^/]+\/acme\/infra\/blob\/c{40}\/main\.tf#L\d+\)/)
    expect(body).toContain('#### 🔮 Gate preview: safety-gate would refuse the deploy to `prod`')
    expect(body).toContain('⏳ checked at deploy: windows, approvals, promotion, reviewed-plan')
    expect(body).toContain(
      '➡️ **Next:** fix what the gate preview refuses, then deploy: Actions → terraform-apply → prod',
    )
    expect(body.length).toBeLessThanOrEqual(60_000)
    expect(r.outputs['gate-preview']).toBe('refuse')
    expect(r.summary).toContain('🔮 Gate preview')
    const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8'))
    expect(report.gatePreview.verdict).toBe('refuse')
    expect(report.cost.diff).toBeCloseTo(116.144)
    expect(report.security.suppressed).toBe(1)
    // labels: prod/destroy added (the plan replaces), the stale prod/no-changes removed, dev's label untouched
    const labels = server.pullRequests().find((p) => p.number === LPR)!.labels
    expect(labels.sort()).toEqual(['dev/changes', 'prod/destroy'])
  })

  it('without infracost-json, sarif and policy-file: nothing about cost, security or the gate', async () => {
    const r = await run({ pr: LPR, inputs: { environment: 'sit' } })
    expect(r.exitCode).toBe(0)
    const body = ourComments(LPR).find((c) => c.body.includes('env=sit '))!.body
    expect(body).not.toMatch(/cost|Security scan|Gate preview/)
    expect(body).toContain('➡️ **Next:** deploy: Actions → terraform-apply → sit')
    expect(r.outputs['gate-preview']).toBe('')
  })

  it.each([
    [{ sarif: 'missing.sarif' }, /sarif '.*missing\.sarif' does not exist/],
    [{ 'infracost-json': join(fixturesDir, 'replace.json') }, /infracost-json '.*' has no diffTotalMonthlyCost/],
    [{ 'policy-file': 'x.yml', environment: '' }, /Input 'policy-file' needs 'environment'/],
  ])('bad input %j fails in one line naming the input', async (inputs, message) => {
    const r = await run({ pr: LPR, inputs: { environment: 'qa', ...inputs } })
    expect(r.exitCode).not.toBe(0)
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(message)
  })
})

describe('plan-and-comment: combine-reports posts one comment per directory', () => {
  const CPR = 43
  beforeAll(() => {
    server.addPullRequest({ number: CPR, head_sha: 'd'.repeat(40) })
  })

  it('matrix jobs with comment: off write reports; the combine job posts one comment that safety-gate can read', async () => {
    const reports: string[] = []
    for (const [env, plan] of [
      ['dev', 'replace'],
      ['sit', 'update'],
      ['prod', 'noop'],
    ] as const) {
      const r = await run({
        pr: CPR,
        inputs: {
          environment: env,
          'working-directory': 'stacks/app',
          comment: 'off',
          'plan-json': fixture(plan),
          'plan-text': fixture(plan, 'txt'),
        },
      })
      expect(r.exitCode).toBe(0)
      reports.push(r.outputs.report!)
    }
    expect(server.comments(CPR)).toHaveLength(0)
    const combined = await run({
      pr: CPR,
      inputs: { 'plan-json': '', 'plan-text': '', 'combine-reports': reports.join('\n') },
    })
    expect(combined.stderr).toBe('')
    expect(combined.exitCode).toBe(0)
    const comments = server.comments(CPR)
    expect(comments).toHaveLength(1)
    const body = comments[0]!.body
    expect(body.split('\n')[0]).toBe('<!-- tfpipe:plan-and-comment-combined dir=stacks%2Fapp -->')
    for (const env of ['dev', 'sit', 'prod'])
      expect(body).toContain(`<!-- tfpipe:plan-and-comment env=${env} dir=stacks%2Fapp fingerprint=`)
    expect(combined.outputs['comment-id']).toBe(String(comments[0]!.id))
    // a second run edits the same comment
    const again = await run({
      pr: CPR,
      inputs: { 'plan-json': '', 'plan-text': '', 'combine-reports': reports.join('\n') },
    })
    expect(again.exitCode).toBe(0)
    expect(server.comments(CPR)).toHaveLength(1)
  })

  it('a file that is not a report fails in one line naming the input', async () => {
    const r = await run({
      pr: CPR,
      inputs: { 'plan-json': '', 'plan-text': '', 'combine-reports': fixture('replace') },
    })
    expect(r.exitCode).not.toBe(0)
    expect(r.stdout).toMatch(/::error::.*Input 'combine-reports': .* is not a plan-and-comment report/)
  })
})
