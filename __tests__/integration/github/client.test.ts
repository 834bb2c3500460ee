import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { memoryLogger } from '@tfpipe/kit/logger.js'
import { createGitHubClient, type GitHubClient } from '@tfpipe/github/client.js'
import { describeGitHubError, likelyPermission } from '@tfpipe/github/errors.js'
import { defaultGraphqlUrl, minimizeComment } from '@tfpipe/github/graphql.js'
import { startGitHubServer, type GitHubServer } from '../../support/github-server.js'

let server: GitHubServer

beforeAll(async () => {
  server = await startGitHubServer()
  server.addPullRequest({ number: 1, head_sha: 'a'.repeat(40) })
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => server.resetRequests())

function client(extra: Partial<Parameters<typeof createGitHubClient>[0]> = {}): {
  gh: GitHubClient
  logger: ReturnType<typeof memoryLogger>
} {
  const logger = memoryLogger()
  const gh = createGitHubClient({
    token: 'test-token',
    baseUrl: server.url,
    logger,
    pacing: false,
    retryBaseMs: 10,
    ...extra,
  })
  return { gh, logger }
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('createGitHubClient', () => {
  it('refuses a missing token or a bad API URL with a ConfigurationError', () => {
    expect(() => createGitHubClient({ token: '', baseUrl: server.url, logger: memoryLogger() })).toThrow(
      ConfigurationError,
    )
    expect(() => createGitHubClient({ token: 'x', baseUrl: 'api.github.com', logger: memoryLogger() })).toThrow(
      /is not an http\(s\) URL/,
    )
  })

  it('sends the token and user agent to baseUrl', async () => {
    const { gh } = client({ userAgent: 'tfpipe-test' })
    const { data } = await gh.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 })
    expect(data.head.sha).toBe('a'.repeat(40))
    expect(server.requests[0]?.headers.authorization).toBe('token test-token')
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^tfpipe-test /)
  })

  it('retries a 502 and then succeeds', async () => {
    const { gh } = client()
    server.failNext({ method: 'GET', path: '/repos/o/r/pulls/1' }, { status: 502, body: { message: 'Server Error' } })
    const { data } = await gh.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 })
    expect(data.number).toBe(1)
    expect(server.requests.map((r) => r.path)).toEqual(['/repos/o/r/pulls/1', '/repos/o/r/pulls/1'])
  })

  it('gives up on 5xx after `retries` retries', async () => {
    const { gh } = client({ retries: 2 })
    server.failNext({ path: '/repos/o/r/pulls/1' }, { status: 503, body: { message: 'Service Unavailable' } }, 3)
    const error = await caught(gh.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 }))
    expect((error as { status: number }).status).toBe(503)
    expect(server.requests).toHaveLength(3)
    expect(describeGitHubError(error, 'Reading PR #1')).toBe(
      'Reading PR #1 failed: GitHub answered 503 Service Unavailable (GET /repos/o/r/pulls/1) after retries; GitHub may be degraded, re-run the job.',
    )
    expect((await gh.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 })).status).toBe(200)
  })

  it('retries a secondary rate limit after retry-after and logs a warning', async () => {
    const { gh, logger } = client()
    server.failNext(
      { method: 'POST', path: '/repos/o/r/issues/1/comments' },
      {
        status: 403,
        body: {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
        headers: { 'retry-after': '1' },
      },
    )
    const started = Date.now()
    const { data } = await gh.rest.issues.createComment({ owner: 'o', repo: 'r', issue_number: 1, body: 'plan' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(data.body).toBe('plan')
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(2)
    expect(server.comments(1).map((c) => c.body)).toEqual(['plan'])
    expect(logger.lines.filter((l) => !l.startsWith('debug:'))).toEqual([
      'warning: GitHub secondary rate limit hit on POST /repos/o/r/issues/1/comments; retrying in 1s (retry 1 of 3).',
    ])
  })

  it('stops retrying rate limits after `retries`', async () => {
    const { gh, logger } = client({ retries: 1 })
    server.failNext(
      { path: '/repos/o/r/issues/1' },
      { status: 403, body: { message: 'You have exceeded a secondary rate limit.' }, headers: { 'retry-after': '1' } },
      2,
    )
    const error = await caught(gh.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 1 }))
    expect((error as { status: number }).status).toBe(403)
    expect(server.requests).toHaveLength(2)
    expect(logger.lines.at(-1)).toMatch(/giving up after 1 retry/)
    expect(describeGitHubError(error, 'Reading issue #1')).toMatch(
      /^Reading issue #1 failed: GitHub secondary rate limit \(403\)/,
    )
  })

  it('waits for the primary rate limit reset when it is near, and gives up when it is far', async () => {
    const { gh, logger } = client()
    const exhausted = (resetIn: number) => ({
      status: 403,
      body: {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      },
      headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + resetIn) },
    })
    server.failNext({ path: '/repos/o/r/pulls/1' }, exhausted(0))
    expect((await gh.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 })).data.number).toBe(1)
    expect(server.requests).toHaveLength(2)
    expect(logger.lines.filter((l) => l.startsWith('warning:'))).toEqual([
      expect.stringMatching(
        /^warning: GitHub rate limit hit on GET \/repos\/o\/r\/pulls\/1; retrying in [12]s \(retry 1 of 3\)\.$/,
      ),
    ])
    server.failNext({ path: '/repos/o/r/pulls/1' }, exhausted(3600))
    const error = await caught(gh.rest.pulls.get({ owner: 'o', repo: 'r', pull_number: 1 }))
    expect(server.requests).toHaveLength(3)
    expect(logger.lines.at(-1)).toMatch(/asks to wait \d+s, more than the 300s limit, not retrying/)
    expect(describeGitHubError(error, 'Reading PR #1')).toMatch(
      /^Reading PR #1 failed: GitHub API rate limit exhausted \(403\)/,
    )
  })

  it('sends conditional GETs and answers 304s from its cache without spending rate limit', async () => {
    server.addIssue({ number: 600, title: 'etag' })
    server.addComment(600, { body: 'first' })
    const { gh } = client()
    const before = server.rateLimitUsed()
    const one = await gh.rest.issues.listComments({ owner: 'o', repo: 'r', issue_number: 600 })
    one.data[0]!.body = 'mutated by caller'
    const two = await gh.rest.issues.listComments({ owner: 'o', repo: 'r', issue_number: 600 })
    expect(two.status).toBe(200)
    expect(two.data.map((c) => c.body)).toEqual(['first'])
    expect(server.requests[1]?.headers['if-none-match']).toBe(one.headers.etag)
    expect(server.rateLimitUsed()).toBe(before + 1)
    server.addComment(600, { body: 'second' })
    const three = await gh.rest.issues.listComments({ owner: 'o', repo: 'r', issue_number: 600 })
    expect(three.data.map((c) => c.body)).toEqual(['first', 'second'])
    const { gh: plain } = client({ conditionalRequests: false })
    server.resetRequests()
    await plain.rest.issues.listComments({ owner: 'o', repo: 'r', issue_number: 600 })
    await plain.rest.issues.listComments({ owner: 'o', repo: 'r', issue_number: 600 })
    expect(server.requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, undefined])
  })

  it('paginates over 300 comments with octokit.paginate', async () => {
    server.addIssue({ number: 500, title: 'busy' })
    for (let i = 0; i < 301; i++) server.addComment(500, { body: `comment ${i}` })
    const { gh } = client()
    const all = await gh.paginate(gh.rest.issues.listComments, {
      owner: 'o',
      repo: 'r',
      issue_number: 500,
      per_page: 100,
    })
    expect(all).toHaveLength(301)
    expect(all[300]?.body).toBe('comment 300')
    expect(server.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3', '4'])
  })

  it('minimizes a comment through GraphQL at baseUrl/graphql', async () => {
    const comment = server.addComment(1, { body: 'old' })
    const { gh } = client()
    expect(await minimizeComment(gh, comment.node_id)).toEqual({ isMinimized: true, minimizedReason: 'outdated' })
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /graphql'])
    expect(server.minimizedComments().map((c) => c.id)).toContain(comment.id)
    const error = await caught(minimizeComment(gh, 'IC_missing'))
    expect(describeGitHubError(error, 'Hiding the old plan')).toBe(
      "Hiding the old plan failed: GraphQL: Could not resolve to a node with the global id of 'IC_missing'",
    )
  })

  it('uses an explicit graphqlUrl and the GHES /api/graphql default', async () => {
    expect(defaultGraphqlUrl('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com/api/graphql')
    expect(defaultGraphqlUrl('https://api.github.com/')).toBe('https://api.github.com/graphql')
    const comment = server.addComment(1, { body: 'old 2' })
    const { gh } = client({ baseUrl: `${server.url}/api/v3` })
    await minimizeComment(gh, comment.node_id)
    const { gh: explicit } = client({ graphqlUrl: `${server.url}/api/graphql` })
    const c2 = server.addComment(1, { body: 'old 3' })
    await minimizeComment(explicit, c2.node_id)
    expect(server.requests.map((r) => r.path)).toEqual(['/api/graphql', '/api/graphql'])
  })
})

describe('describeGitHubError', () => {
  it('explains a bad token', async () => {
    const { gh } = client({ token: 'wrong' })
    const error = await caught(gh.rest.issues.listComments({ owner: 'o', repo: 'r', issue_number: 1 }))
    expect(server.requests).toHaveLength(1) // 401 is not retried
    expect(describeGitHubError(error, 'Listing PR comments')).toBe(
      'Listing PR comments failed: GitHub rejected the token (401 Bad credentials) (GET /repos/o/r/issues/1/comments). Pass a valid token (github-token input, default ${{ github.token }}); a token from another host or an expired one gives this.',
    )
  })

  it('names the missing permission for "Resource not accessible by integration"', async () => {
    const { gh } = client()
    server.setEnvironment('prod', { unreadable: true })
    const env = await caught(gh.rest.repos.getEnvironment({ owner: 'o', repo: 'r', environment_name: 'prod' }))
    expect(describeGitHubError(env, 'Reading environment prod')).toBe(
      'Reading environment prod failed: 403 Resource not accessible by integration (GET /repos/o/r/environments/prod). Add `permissions: actions: read` to the job; on pull requests from forks GITHUB_TOKEN is read-only.',
    )
    server.failNext(
      { method: 'POST', path: /\/git\/refs$/ },
      { status: 403, body: { message: 'Resource not accessible by integration' } },
    )
    const ref = await caught(gh.rest.git.createRef({ owner: 'o', repo: 'r', ref: 'refs/tags/x', sha: 'a'.repeat(40) }))
    expect(describeGitHubError(ref, 'Tagging')).toMatch(/Add `permissions: contents: write`/)
    const user = await caught(gh.rest.users.getAuthenticated())
    expect(describeGitHubError(user, 'Who am I')).toMatch(/GITHUB_TOKEN cannot read \/user/)
    expect(likelyPermission('POST', 'http://h/repos/o/r/issues/3/comments')).toBe(
      'pull-requests: write (comments on pull requests) or issues: write',
    )
    expect(likelyPermission('POST', 'http://h/repos/o/r/deployments/3/statuses')).toBe('deployments: write')
  })

  it('quotes GitHub validation messages and explains 404', async () => {
    const { gh } = client()
    const tooLong = await caught(
      gh.rest.issues.createComment({ owner: 'o', repo: 'r', issue_number: 1, body: 'x'.repeat(65537) }),
    )
    expect(describeGitHubError(tooLong, 'Posting the plan')).toBe(
      'Posting the plan failed: 422 Validation Failed: body is too long (maximum is 65536 characters) (POST /repos/o/r/issues/1/comments).',
    )
    const missing = await caught(gh.rest.git.getRef({ owner: 'o', repo: 'r', ref: 'tags/nope' }))
    expect(describeGitHubError(missing, 'Reading tag nope')).toMatch(
      /^Reading tag nope failed: 404 Not Found \(GET \/repos\/o\/r\/git\/ref\/tags\/nope\)\. Check/,
    )
    expect(describeGitHubError(new Error('socket hang up'), 'Posting')).toBe('Posting failed: socket hang up')
  })
})
