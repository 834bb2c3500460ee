import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startGitHubServer, type GitHubServer } from '../../support/github-server.js'

let server: GitHubServer

beforeAll(async () => {
  server = await startGitHubServer({
    tokens: {
      'test-token': { login: 'github-actions[bot]', type: 'Bot', id: 41898282 },
      'user-token': { login: 'alice', type: 'User', id: 77 },
    },
  })
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => server.resetRequests())

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  token = 'test-token',
) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `token ${token}`,
      accept: 'application/vnd.github+json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const json = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined
  return { status: res.status, headers: res.headers, json, text }
}

describe('auth', () => {
  it('rejects unknown and missing tokens with 401 Bad credentials', async () => {
    const bad = await api('GET', '/repos/o/r/issues', undefined, {}, 'nope')
    expect(bad.status).toBe(401)
    expect(bad.json.message).toBe('Bad credentials')
    const none = await fetch(`${server.url}/repos/o/r/issues`)
    expect(none.status).toBe(401)
  })

  it('accepts Bearer tokens too', async () => {
    const res = await fetch(`${server.url}/repos/o/r/issues`, { headers: { authorization: 'Bearer test-token' } })
    expect(res.status).toBe(200)
  })

  it('answers GET /user like GITHUB_TOKEN (403) for the bot and with the user for a user token', async () => {
    const bot = await api('GET', '/user')
    expect(bot.status).toBe(403)
    expect(bot.json.message).toBe('Resource not accessible by integration')
    const user = await api('GET', '/user', undefined, {}, 'user-token')
    expect(user.status).toBe(200)
    expect(user.json).toMatchObject({ login: 'alice', id: 77, type: 'User' })
  })
})

describe('issue comments', () => {
  it('creates comments as the token identity with the real shape and records the request', async () => {
    server.addPullRequest({ number: 7, head_sha: 'a'.repeat(40) })
    const created = await api('POST', '/repos/acme/infra/issues/7/comments', { body: 'hello' })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      body: 'hello',
      user: { login: 'github-actions[bot]', type: 'Bot', id: 41898282 },
      url: `${server.url}/repos/acme/infra/issues/comments/${created.json.id}`,
      html_url: `https://github.com/acme/infra/pull/7#issuecomment-${created.json.id}`,
    })
    expect(typeof created.json.node_id).toBe('string')
    expect(created.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(server.comments(7).map((c) => c.body)).toEqual(['hello'])
    expect(server.requests).toEqual([
      expect.objectContaining({ method: 'POST', path: '/repos/acme/infra/issues/7/comments', body: { body: 'hello' } }),
    ])

    const patched = await api('PATCH', `/repos/acme/infra/issues/comments/${created.json.id}`, { body: 'edited' })
    expect(patched.json.body).toBe('edited')
    const single = await api('GET', `/repos/acme/infra/issues/comments/${created.json.id}`)
    expect(single.json.body).toBe('edited')
    const repoWide = await api('GET', '/repos/acme/infra/issues/comments?per_page=100')
    expect(repoWide.json.map((c: any) => c.id)).toContain(created.json.id)
    expect((await api('DELETE', `/repos/acme/infra/issues/comments/${created.json.id}`)).status).toBe(204)
    expect(server.comments(7)).toEqual([])
    expect((await api('GET', `/repos/acme/infra/issues/comments/${created.json.id}`)).status).toBe(404)
  })

  it('404s a comment on an issue that does not exist', async () => {
    expect((await api('POST', '/repos/o/r/issues/9999/comments', { body: 'x' })).status).toBe(404)
  })

  it('rejects a body over 65,536 characters with GitHub 422', async () => {
    server.addIssue({ number: 20, title: 'long' })
    const ok = await api('POST', '/repos/o/r/issues/20/comments', { body: 'x'.repeat(65536) })
    expect(ok.status).toBe(201)
    const res = await api('POST', '/repos/o/r/issues/20/comments', { body: 'x'.repeat(65537) })
    expect(res.status).toBe(422)
    expect(res.json).toEqual({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ],
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '422',
    })
    const issue = await api('POST', '/repos/o/r/issues', { title: 't', body: 'y'.repeat(70000) })
    expect(issue.status).toBe(422)
    expect(issue.json.errors[0]).toMatchObject({ resource: 'Issue', field: 'body' })
  })

  it('paginates with GitHub Link headers', async () => {
    server.addIssue({ number: 30, title: 'many' })
    for (let i = 0; i < 75; i++) server.addComment(30, { body: `c${i}` })
    const first = await api('GET', '/repos/o/r/issues/30/comments')
    expect(first.json).toHaveLength(30)
    expect(first.headers.get('link')).toBe(
      `<${server.url}/repos/o/r/issues/30/comments?page=2>; rel="next", <${server.url}/repos/o/r/issues/30/comments?page=3>; rel="last"`,
    )
    const middle = await api('GET', '/repos/o/r/issues/30/comments?per_page=25&page=2')
    expect(middle.json.map((c: any) => c.body)[0]).toBe('c25')
    expect(middle.headers.get('link')).toBe(
      [
        `<${server.url}/repos/o/r/issues/30/comments?per_page=25&page=1>; rel="prev"`,
        `<${server.url}/repos/o/r/issues/30/comments?per_page=25&page=3>; rel="next"`,
        `<${server.url}/repos/o/r/issues/30/comments?per_page=25&page=3>; rel="last"`,
        `<${server.url}/repos/o/r/issues/30/comments?per_page=25&page=1>; rel="first"`,
      ].join(', '),
    )
    const last = await api('GET', '/repos/o/r/issues/30/comments?per_page=100&page=1')
    expect(last.json).toHaveLength(75)
    expect(last.headers.get('link')).toBeNull()
    const capped = await api('GET', '/repos/o/r/issues/30/comments?per_page=500')
    expect(capped.json).toHaveLength(75)
  })

  it('answers If-None-Match with 304 and does not count it against the rate limit', async () => {
    server.addIssue({ number: 40, title: 'etag' })
    server.addComment(40, { body: 'one' })
    const first = await api('GET', '/repos/o/r/issues/40/comments')
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^W\/".+"$/)
    const used = server.rateLimitUsed()
    const again = await api('GET', '/repos/o/r/issues/40/comments', undefined, { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(server.rateLimitUsed()).toBe(used)
    server.addComment(40, { body: 'two' })
    const changed = await api('GET', '/repos/o/r/issues/40/comments', undefined, { 'if-none-match': etag })
    expect(changed.status).toBe(200)
    expect(changed.json).toHaveLength(2)
    expect(server.rateLimitUsed()).toBe(used + 1)
  })

  it('minimizes a comment through the GraphQL mutation', async () => {
    server.addIssue({ number: 50, title: 'm' })
    const c = server.addComment(50, { body: 'old plan' })
    const res = await api('POST', '/graphql', {
      query:
        'mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized minimizedReason } } }',
      variables: { id: c.node_id },
    })
    expect(res.json).toEqual({
      data: { minimizeComment: { minimizedComment: { isMinimized: true, minimizedReason: 'outdated' } } },
    })
    expect(server.minimizedComments().map((x) => x.id)).toEqual([c.id])
    const missing = await api('POST', '/graphql', {
      query:
        'mutation { minimizeComment(input: {subjectId: "IC_nope", classifier: OUTDATED}) { minimizedComment { isMinimized } } }',
    })
    expect(missing.json.errors[0].type).toBe('NOT_FOUND')
  })
})

describe('faults', () => {
  it('answers the next matching requests with the injected response, then recovers', async () => {
    server.addIssue({ number: 60, title: 'f' })
    server.failNext({ method: 'get', path: /\/issues\/60\/comments$/ }, { status: 502, body: 'Bad Gateway' }, 2)
    server.failNext(
      { path: '/repos/o/r/issues/60' },
      {
        status: 403,
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        headers: { 'retry-after': '1' },
      },
    )
    const failed = await api('GET', '/repos/o/r/issues/60/comments')
    expect([failed.status, failed.text]).toEqual([502, 'Bad Gateway'])
    expect((await api('GET', '/repos/o/r/issues/60/comments')).status).toBe(502)
    expect((await api('GET', '/repos/o/r/issues/60/comments')).status).toBe(200)
    const limited = await api('GET', '/repos/o/r/issues/60')
    expect(limited.status).toBe(403)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect((await api('GET', '/repos/o/r/issues/60')).status).toBe(200)
    expect(server.requests).toHaveLength(5)
  })
})

describe('pulls and issues', () => {
  it('serves pulls and commit→pulls associations', async () => {
    server.addPullRequest({
      number: 101,
      head_sha: 'b'.repeat(40),
      merge_commit_sha: 'c'.repeat(40),
      merged: true,
      base_ref: 'main',
    })
    const pr = await api('GET', '/repos/o/r/pulls/101')
    expect(pr.json).toMatchObject({
      number: 101,
      state: 'closed',
      merged: true,
      merge_commit_sha: 'c'.repeat(40),
      head: { sha: 'b'.repeat(40) },
      base: { ref: 'main' },
    })
    const byMerge = await api('GET', `/repos/o/r/commits/${'c'.repeat(40)}/pulls`)
    expect(byMerge.json.map((p: any) => p.number)).toEqual([101])
    expect((await api('GET', `/repos/o/r/commits/${'d'.repeat(40)}/pulls`)).json).toEqual([])
    expect((await api('GET', '/repos/o/r/pulls/9998')).status).toBe(404)
    // GHES-style base URL (GITHUB_API_URL=https://host/api/v3)
    expect((await api('GET', '/api/v3/repos/o/r/pulls/101')).json.number).toBe(101)
  })

  it('filters issues by state, labels and creator and marks pull requests', async () => {
    const created = await api('POST', '/repos/o/r/issues', {
      title: 'Drift in prod',
      body: 'b',
      labels: ['drift', 'prod'],
    })
    expect(created.status).toBe(201)
    const n = created.json.number as number
    const drift = await api('GET', '/repos/o/r/issues?labels=drift,prod&creator=github-actions%5Bbot%5D')
    expect(drift.json.map((i: any) => i.number)).toEqual([n])
    expect(drift.json[0].labels.map((l: any) => l.name)).toEqual(['drift', 'prod'])
    const all = await api('GET', '/repos/o/r/issues?state=all&per_page=100')
    expect(all.json.some((i: any) => i.pull_request && i.number === 101)).toBe(true)
    const closed = await api('PATCH', `/repos/o/r/issues/${n}`, { state: 'closed', state_reason: 'completed' })
    expect(closed.json).toMatchObject({ state: 'closed', state_reason: 'completed' })
    expect(closed.json.closed_at).not.toBeNull()
    expect((await api('GET', '/repos/o/r/issues?labels=drift')).json).toEqual([])
    expect(server.issues().find((i) => i.number === n)?.state).toBe('closed')
    const labelled = await api('POST', `/repos/o/r/issues/${n}/labels`, { labels: ['stale'] })
    expect(labelled.json.map((l: any) => l.name)).toEqual(['drift', 'prod', 'stale'])
    expect((await api('DELETE', `/repos/o/r/issues/${n}/labels/prod`)).json.map((l: any) => l.name)).toEqual([
      'drift',
      'stale',
    ])
    expect((await api('DELETE', `/repos/o/r/issues/${n}/labels/prod`)).status).toBe(404)
  })

  it('marks pull requests from forks', async () => {
    server.addPullRequest({ number: 102, head_sha: '1'.repeat(40), head_repo: 'mallory/infra', head_ref: 'evil' })
    const pr = await api('GET', '/repos/acme/infra/pulls/102')
    expect(pr.json.head).toMatchObject({ label: 'mallory:evil', repo: { full_name: 'mallory/infra', fork: true } })
    expect(pr.json.base.repo).toMatchObject({ full_name: 'acme/infra', fork: false })
  })
})

describe('actions', () => {
  it('serves seeded workflow runs, 404 for unknown and 403 when unreadable', async () => {
    server.setWorkflowRun({ id: 123, run_started_at: '2026-11-22T10:00:00Z' })
    server.setWorkflowRun({ id: 124, unreadable: true })
    const run = await api('GET', '/repos/o/r/actions/runs/123')
    expect(run.json).toMatchObject({
      id: 123,
      run_started_at: '2026-11-22T10:00:00Z',
      html_url: 'https://github.com/o/r/actions/runs/123',
    })
    expect((await api('GET', '/repos/o/r/actions/runs/999')).status).toBe(404)
    expect((await api('GET', '/repos/o/r/actions/runs/124')).status).toBe(403)
  })
})

describe('git, deployments, environments', () => {
  it('creates annotated tags and refs, rejects duplicates, reads and matches refs', async () => {
    const tag = await api('POST', '/repos/o/r/git/tags', {
      tag: 'deploy/prod/1',
      message: 'deployed',
      object: 'e'.repeat(40),
      type: 'commit',
    })
    expect(tag.status).toBe(201)
    expect(tag.json).toMatchObject({
      tag: 'deploy/prod/1',
      message: 'deployed',
      object: { sha: 'e'.repeat(40), type: 'commit' },
    })
    expect(tag.json.sha).toMatch(/^[0-9a-f]{40}$/)
    const ref = await api('POST', '/repos/o/r/git/refs', { ref: 'refs/tags/deploy/prod/1', sha: tag.json.sha })
    expect(ref.status).toBe(201)
    expect(ref.json.object).toMatchObject({ type: 'tag', sha: tag.json.sha })
    const dup = await api('POST', '/repos/o/r/git/refs', { ref: 'refs/tags/deploy/prod/1', sha: tag.json.sha })
    expect(dup.status).toBe(422)
    expect(dup.json.message).toBe('Reference already exists')
    expect((await api('GET', '/repos/o/r/git/ref/tags/deploy/prod/1')).json.ref).toBe('refs/tags/deploy/prod/1')
    // Octokit sends the ref percent-encoded; recorded paths are decoded.
    expect((await api('GET', '/repos/o/r/git/ref/tags%2Fdeploy%2Fprod%2F1')).json.ref).toBe('refs/tags/deploy/prod/1')
    expect(server.requests.at(-1)).toMatchObject({
      path: '/repos/o/r/git/ref/tags/deploy/prod/1',
      rawPath: '/repos/o/r/git/ref/tags%2Fdeploy%2Fprod%2F1',
    })
    expect((await api('GET', '/repos/o/r/git/ref/tags/missing')).status).toBe(404)
    server.addRef('refs/tags/deploy/dev/1', 'f'.repeat(40))
    const matching = await api('GET', '/repos/o/r/git/matching-refs/tags/deploy/')
    expect(matching.json.map((r: any) => r.ref)).toEqual(['refs/tags/deploy/dev/1', 'refs/tags/deploy/prod/1'])
    expect((await api('GET', `/repos/o/r/git/tags/${tag.json.sha}`)).json.tag).toBe('deploy/prod/1')
    expect(server.tagObjects()).toHaveLength(1)
  })

  it('records deployments newest first with statuses and auto-inactivates older successes', async () => {
    const d1 = await api('POST', '/repos/o/r/deployments', {
      ref: 'a'.repeat(40),
      environment: 'dev',
      auto_merge: false,
      required_contexts: [],
    })
    const d2 = await api('POST', '/repos/o/r/deployments', {
      ref: 'b'.repeat(40),
      environment: 'dev',
      auto_merge: false,
      required_contexts: [],
    })
    expect(d1.status).toBe(201)
    await api('POST', `/repos/o/r/deployments/${d1.json.id}/statuses`, { state: 'success' })
    await api('POST', `/repos/o/r/deployments/${d2.json.id}/statuses`, { state: 'success', log_url: 'https://x/run' })
    const list = await api('GET', '/repos/o/r/deployments?environment=dev')
    expect(list.json.map((d: any) => d.id)).toEqual([d2.json.id, d1.json.id])
    const statuses = await api('GET', `/repos/o/r/deployments/${d1.json.id}/statuses`)
    expect(statuses.json.map((s: any) => s.state)).toEqual(['inactive', 'success'])
    expect(server.deployments()[0]?.request).toMatchObject({ auto_merge: false, required_contexts: [] })
    expect((await api('GET', `/repos/o/r/deployments?sha=${'b'.repeat(40)}`)).json).toHaveLength(1)
  })

  it('serves environment protection rules, 404 for unknown and 403 when unreadable', async () => {
    server.setEnvironment('prod', {
      reviewers: ['alice', { type: 'Team', slug: 'sre' }],
      prevent_self_review: true,
      wait_timer: 5,
      deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
    })
    server.setEnvironment('secret', { unreadable: true })
    const env = await api('GET', '/repos/o/r/environments/prod')
    expect(env.json.protection_rules).toEqual([
      expect.objectContaining({
        type: 'required_reviewers',
        prevent_self_review: true,
        reviewers: [
          expect.objectContaining({ type: 'User', reviewer: expect.objectContaining({ login: 'alice' }) }),
          expect.objectContaining({ type: 'Team', reviewer: expect.objectContaining({ slug: 'sre' }) }),
        ],
      }),
      expect.objectContaining({ type: 'wait_timer', wait_timer: 5 }),
      expect.objectContaining({ type: 'branch_policy' }),
    ])
    expect(env.json.deployment_branch_policy).toEqual({ protected_branches: true, custom_branch_policies: false })
    expect((await api('GET', '/repos/o/r/environments/nope')).status).toBe(404)
    const secret = await api('GET', '/repos/o/r/environments/secret')
    expect(secret.status).toBe(403)
    expect(secret.json.message).toBe('Resource not accessible by integration')
  })
})
