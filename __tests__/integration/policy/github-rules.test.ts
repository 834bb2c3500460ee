import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startGitHubServer, type GitHubServer } from '../../support/github-server.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { silentLogger } from '@tfpipe/kit/logger.js'
import { approvalsCheck, promotionCheck, reviewedPlanCheck } from '@tfpipe/policy/github-checks.js'
import { GateFacts } from '@tfpipe/policy/gate-facts.js'
import { protectedCheck } from '@tfpipe/policy/plan-checks.js'
import { createGateGitHub } from '@tfpipe/policy/github.js'
import { createDeployTag, type DeployMetadata } from '@tfpipe/github/deploy-tags.js'
import { recordDeployment } from '@tfpipe/github/deployments.js'
import { changeList, formatPlanChangesMarker } from '@tfpipe/github/reviewed-plan.js'
import { gateInput, planFixture } from '../../support/policy-input.js'

let server: GitHubServer
let client: ReturnType<typeof createGitHubClient>
const repo = { owner: 'acme', repo: 'infra' }
const sha = '1'.repeat(40)
const marker = (env: string, dir: string, fp: string) =>
  `<!-- tfpipe:plan-and-comment env=${encodeURIComponent(env)} dir=${encodeURIComponent(dir)} fingerprint=${fp} -->`

beforeAll(async () => {
  server = await startGitHubServer()
  client = createGitHubClient({
    token: 'test-token',
    baseUrl: server.url,
    logger: silentLogger,
    pacing: false,
    retries: 0,
  })
})
afterAll(() => server.close())

const facts = (overrides: Parameters<typeof gateInput>[0] = {}) =>
  new GateFacts(gateInput({ sha, github: createGateGitHub(client, repo), ...overrides }))

describe('approvals (GitHub Environment protection rules)', () => {
  const policy = { approvals: { 'required-reviewers': 3, 'prevent-self-review': true, 'branch-policy': true } }

  it('passes when the environment is at least as strict as the policy', async () => {
    server.setEnvironment('prod', {
      reviewers: ['alice', 'bob', { type: 'Team', slug: 'platform' }],
      prevent_self_review: true,
      deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
    })
    const r = await approvalsCheck(policy, facts())
    expect(r.status).toBe('pass')
    expect(r.message).toBe(
      "GitHub Environment 'prod': 3 required reviewer(s): alice, bob, team platform; prevent self-review on; branch policy: protected-branches",
    )
    expect(server.requests.some((q) => q.method === 'GET' && q.path === '/repos/acme/infra/environments/prod')).toBe(
      true,
    )
  })

  it('lists every way the environment is weaker', async () => {
    server.setEnvironment('prod', { reviewers: ['alice'], prevent_self_review: false })
    const r = await approvalsCheck(policy, facts())
    expect(r.status).toBe('fail')
    expect(r.message).toBe(
      'GitHub Environment \'prod\' is weaker than the policy: needs at least 3 required reviewer(s), has 1; "Prevent self-review" is off; no deployment branch policy (any branch can deploy)',
    )
  })

  it('says exactly that the token cannot read the rules (403), and the policy decides fail or warn', async () => {
    server.setEnvironment('prod', { reviewers: ['alice', 'bob', 'carol'], unreadable: true })
    const failing = await approvalsCheck(policy, facts())
    expect(failing.status).toBe('fail')
    expect(failing.message).toBe(
      "the token cannot read the protection rules of GitHub Environment 'prod' (HTTP 403: Resource not accessible by integration); grant actions: read",
    )
    const warning = await approvalsCheck(
      { approvals: { ...policy.approvals, 'on-unreadable': 'warn' as const } },
      facts(),
    )
    expect(warning.status).toBe('warn')
  })

  it('a missing environment is a 404 with its own message', async () => {
    const r = await approvalsCheck(policy, facts({ environment: 'qa' }))
    expect(r).toMatchObject({
      status: 'fail',
      message: "GitHub Environment 'qa' was not found (HTTP 404): it does not exist or the token cannot see it",
    })
  })
})

describe('promotion', () => {
  const policy = { promotion: { requires: ['dev'] } }
  const meta = (environment: string, commit: string, status: 'success' | 'failure' = 'success'): DeployMetadata => ({
    schema: 1,
    environment,
    sha: commit,
    status,
    repository: 'acme/infra',
    runUrl: `https://github.example.test/acme/infra/actions/runs/${Math.floor(Math.random() * 1e9)}`,
    actor: 'octocat',
    workingDirectory: '.',
    fingerprint: null,
    counts: null,
    state: null,
    startedAt: '2026-11-22T10:00:00Z',
    finishedAt: '2026-11-22T10:05:00Z',
  })

  it('a deploy tag alone is no evidence: refused until dev has a Deployment of the commit that ended success', async () => {
    const commit = '2'.repeat(40)
    const refused = await promotionCheck(policy, facts({ sha: commit }))
    expect(refused.status).toBe('fail')
    expect(refused.message).toBe(
      `commit ${'2'.repeat(12)} has no verified deployment in dev (a GitHub Deployment whose final status is success; required before prod)`,
    )
    await createDeployTag(client, repo, meta('dev', commit), { now: () => new Date('2026-11-22T10:02:00Z') })
    expect((await promotionCheck(policy, facts({ sha: commit }))).status).toBe('fail')
    const { id } = await recordDeployment(client, repo, {
      sha: commit,
      environment: 'dev',
      state: 'success',
      runUrl: 'https://x/runs/3',
      description: 'Deployed and verified: deploy-dev-20261122-100200',
    })
    const accepted = await promotionCheck(policy, facts({ sha: commit }))
    expect(accepted.status).toBe('pass')
    expect(accepted.message).toBe('commit deployed and verified before in dev')
    expect(accepted.details?.[0]).toMatch(
      new RegExp(
        `^dev: GitHub Deployment ${id} succeeded at .* \\(Deployed and verified: deploy-dev-20261122-100200\\)$`,
      ),
    )
  })

  it('a failed verification is no evidence; a later failure withdraws a success; inactive still counts', async () => {
    const commit = '4'.repeat(40)
    await recordDeployment(client, repo, {
      sha: commit,
      environment: 'sit',
      state: 'failure',
      runUrl: 'https://x/runs/1',
      description: 'Verification failed: deploy-sit-1',
    })
    expect((await promotionCheck({ promotion: { requires: ['sit'] } }, facts({ sha: commit }))).status).toBe('fail')
    // success, then a failure on the same Deployment (a verification that reported later): withdrawn
    const first = await recordDeployment(client, repo, {
      sha: commit,
      environment: 'sit',
      state: 'success',
      runUrl: 'https://x/runs/2',
      description: 'x',
    })
    await recordDeployment(client, repo, {
      sha: commit,
      environment: 'sit',
      state: 'failure',
      runUrl: 'https://x/runs/2',
      description: 'y',
    })
    expect(
      server
        .deployments()
        .find((d) => d.id === first.id)
        ?.statuses.map((s) => s.state),
    ).toEqual(['success', 'failure'])
    expect((await promotionCheck({ promotion: { requires: ['sit'] } }, facts({ sha: commit }))).status).toBe('fail')
    const { id } = await recordDeployment(client, repo, {
      sha: commit,
      environment: 'sit',
      state: 'success',
      runUrl: 'https://x/runs/4',
      description: 'x',
    })
    // a newer deploy of another commit turns it inactive: still deployed and verified
    await recordDeployment(client, repo, {
      sha: '5'.repeat(40),
      environment: 'sit',
      state: 'success',
      runUrl: 'https://x/runs/5',
      description: 'x',
    })
    expect(
      server
        .deployments()
        .find((d) => d.id === id)
        ?.statuses.at(-1)?.state,
    ).toBe('inactive')
    const r = await promotionCheck({ promotion: { requires: ['sit'] } }, facts({ sha: commit }))
    expect(r.status).toBe('pass')
    expect(r.details?.[0]).toMatch(new RegExp(`^sit: GitHub Deployment ${id} succeeded at `))
  })
})

describe('reviewed plan', () => {
  const policy = { 'reviewed-plan': { required: true } }
  const reviewed = planFixture('create')
  const applying = planFixture('demo')
  let pr = 100
  let commit: string

  beforeEach(() => {
    pr++
    commit = pr.toString(16).padStart(40, 'a')
    server.addPullRequest({
      number: pr,
      head_sha: 'b'.repeat(40),
      merge_commit_sha: commit,
      merged: true,
      state: 'closed',
      labels: [],
    })
  })

  it('passes when the plan has the fingerprint of our comment for this env and dir', async () => {
    server.addComment(pr, { body: `${marker('prod', '.', reviewed.model.fingerprint)}\n## Plan` })
    const r = await reviewedPlanCheck(policy, facts({ sha: commit, plan: reviewed }))
    expect(r.status).toBe('pass')
    expect(r.message).toBe(`plan matches the one reviewed on PR #${pr} (${reviewed.model.fingerprint.slice(0, 12)})`)
  })

  it('on mismatch shows both fingerprints and a readable list of what differs', async () => {
    const body = `${marker('prod', 'infra/live', reviewed.model.fingerprint)}\n## Plan\n\n${formatPlanChangesMarker(changeList(reviewed.model))}\n`
    server.addComment(pr, { body })
    const r = await reviewedPlanCheck(policy, facts({ sha: commit, plan: applying, workingDirectory: './infra/live/' }))
    expect(r.status).toBe('fail')
    expect(r.details?.slice(0, 2)).toEqual([
      `reviewed on PR #${pr}: ${reviewed.model.fingerprint}`,
      `about to apply: ${applying.model.fingerprint}`,
    ])
    expect(r.details).toContain('- create module.queue.terraform_data.dlq  (reviewed, no longer in the plan)')
    expect(r.details).toContain('+ create terraform_data.database  (not in the reviewed plan)')
    expect(r.details).toContain('+ create module.api.terraform_data.instance[0]  (not in the reviewed plan)')
  })

  it('names an action change on the same address', async () => {
    const fake = [
      { action: 'update', address: 'terraform_data.cbd' },
      ...changeList(planFixture('replace').model).filter((c) => c.address !== 'terraform_data.cbd'),
    ]
    server.addComment(pr, { body: `${marker('prod', '.', 'f'.repeat(64))}\n${formatPlanChangesMarker(fake)}` })
    const r = await reviewedPlanCheck(policy, facts({ sha: commit, plan: planFixture('replace') }))
    expect(r.details?.slice(2)).toEqual(['~ terraform_data.cbd: reviewed update, now replace'])
  })

  it('ignores markers written by anyone but github-actions[bot], and other environments or directories', async () => {
    server.addComment(pr, {
      body: `${marker('prod', '.', applying.model.fingerprint)}\nlooks good`,
      login: 'mallory',
      type: 'User',
    })
    server.addComment(pr, { body: `${marker('dev', '.', applying.model.fingerprint)}\n` })
    server.addComment(pr, { body: `${marker('prod', 'other', applying.model.fingerprint)}\n` })
    const r = await reviewedPlanCheck(policy, facts({ sha: commit, plan: applying }))
    expect(r.status).toBe('fail')
    expect(r.message).toBe(
      `PR #${pr}: no plan-and-comment comment for env=prod dir=. by github-actions[bot] (1 comment(s) with the marker by other authors were ignored)`,
    )
    expect(
      (
        await reviewedPlanCheck(
          { 'reviewed-plan': { required: true, 'on-missing': 'warn' as const } },
          facts({ sha: commit, plan: applying }),
        )
      ).status,
    ).toBe('warn')
  })

  it('reads every page of comments (our comment after 120 others)', async () => {
    for (let i = 0; i < 120; i++) server.addComment(pr, { body: `chatter ${i}`, login: 'dev', type: 'User' })
    server.addComment(pr, { body: `${marker('prod', '.', applying.model.fingerprint)}\n## Plan` })
    server.resetRequests()
    const r = await reviewedPlanCheck(policy, facts({ sha: commit, plan: applying }))
    expect(r.status).toBe('pass')
    expect(server.requests.filter((q) => q.path === `/repos/acme/infra/issues/${pr}/comments`).length).toBe(2)
  })

  it('a commit without a pull request means nothing was reviewed', async () => {
    const r = await reviewedPlanCheck(policy, facts({ sha: 'e'.repeat(40), plan: applying }))
    expect(r).toMatchObject({
      status: 'fail',
      message: `commit ${'e'.repeat(12)} belongs to no pull request, so no plan was reviewed`,
    })
  })

  it('a protected-resource override label on the merged PR lets the delete through as a warning', async () => {
    const labelled = pr + 1000
    const merge = labelled.toString(16).padStart(40, 'c')
    server.addPullRequest({
      number: labelled,
      head_sha: 'd'.repeat(40),
      merge_commit_sha: merge,
      merged: true,
      state: 'closed',
      labels: ['allow-protected-destroy'],
    })
    const p = { protected: { types: ['terraform_data'], 'override-label': 'allow-protected-destroy' } }
    const allowed = await protectedCheck(p, facts({ sha: merge, plan: planFixture('delete') }))
    expect(allowed.status).toBe('warn')
    expect(allowed.message).toBe(
      `3 protected resource(s) deleted or replaced, allowed by label 'allow-protected-destroy' on PR #${labelled}`,
    )
    const refused = await protectedCheck(p, facts({ sha: commit, plan: planFixture('delete') }))
    expect(refused.message).toContain(`PR #${pr} does not carry the label 'allow-protected-destroy'`)
  })
})

describe('GitHub failures', () => {
  it('a check whose GitHub read fails fails closed with the error, the others still run', async () => {
    const { evaluateGate } = await import('@tfpipe/policy/gate.js')
    server.setEnvironment('prod', { reviewers: ['a'] })
    server.failNext(
      { method: 'GET', path: '/repos/acme/infra/environments/prod' },
      { status: 502, body: { message: 'Bad Gateway' } },
    )
    const verdict = await evaluateGate(
      { approvals: { 'required-reviewers': 1 }, confirmation: 'deploy-{env}' },
      gateInput({ sha, github: createGateGitHub(client, repo), confirmation: 'deploy-prod' }),
    )
    expect(verdict.allowed).toBe(false)
    expect(verdict.violations).toEqual([
      { check: 'approvals', message: expect.stringMatching(/^could not be checked: .*Bad Gateway/), details: [] },
    ])
    expect(verdict.results.find((r) => r.check === 'confirmation')?.status).toBe('pass')
  })
})
