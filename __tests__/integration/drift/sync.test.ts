import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { startGitHubServer, type GitHubServer } from '../../support/github-server.js'
import { memoryLogger } from '@tfpipe/kit/logger.js'
import { syncDriftIssues, type SyncOptions } from '@tfpipe/drift/sync.js'
import { issueMarker, parseIssueMarker, parseState } from '@tfpipe/drift/issue-body.js'
import type { StackResult } from '@tfpipe/drift/types.js'

function drifted(dir: string, drift: string[], pending: string[] = []): StackResult {
  return {
    dir,
    status: 'drifted',
    drift: drift.map((address) => ({ address, kind: 'update', attributes: ['content'] })),
    pending: pending.map((address) => ({ address, kind: 'create', attributes: [] })),
    exitCode: 2,
    durationMs: 1,
    initialised: false,
  }
}
const clean = (dir: string): StackResult => ({
  dir,
  status: 'clean',
  drift: [],
  pending: [],
  exitCode: 0,
  durationMs: 1,
  initialised: false,
})
const failed = (dir: string): StackResult => ({
  dir,
  status: 'error',
  drift: [],
  pending: [],
  exitCode: 1,
  error: 'boom',
  durationMs: 1,
  initialised: false,
})

let server: GitHubServer
let clock = new Date('2026-11-20T06:00:00Z')

beforeAll(async () => {
  server = await startGitHubServer()
})
afterAll(async () => {
  await server.close()
})

function options(over: Partial<SyncOptions> = {}): SyncOptions {
  return {
    client: getOctokit('test-token', { baseUrl: server.url, log: { debug() {}, info() {}, warn() {}, error() {} } }),
    repo: { owner: 'acme', repo: 'infra' },
    environment: 'prod',
    labels: ['drift', 'infra'],
    mode: 'full',
    runUrl: 'https://github.example.test/acme/infra/actions/runs/1',
    now: () => clock,
    logger: memoryLogger(),
    ...over,
  }
}

const writes = (): { method: string; path: string; body: unknown }[] =>
  server.requests.filter((r) => r.method !== 'GET').map((r) => ({ method: r.method, path: r.path, body: r.body }))

describe('syncDriftIssues: the issue lifecycle against the local GitHub server', () => {
  beforeEach(() => server.resetRequests())

  test('first drift opens one issue with both markers; one lookup for all stacks', async () => {
    clock = new Date('2026-11-20T06:00:00Z')
    const out = await syncDriftIssues(
      [drifted('stacks/app', ['local_file.app_config']), clean('stacks/net'), failed('stacks/broken')],
      options(),
    )
    expect(out.map((o) => [o.dir, o.action])).toEqual([
      ['stacks/app', 'opened'],
      ['stacks/net', 'none'],
      ['stacks/broken', 'skipped'],
    ])
    const gets = server.requests.filter((r) => r.method === 'GET')
    expect(gets).toHaveLength(1)
    expect(gets[0]!.path).toBe('/repos/acme/infra/issues')
    expect(gets[0]!.query).toMatchObject({ labels: 'drift', state: 'all', per_page: '100' })
    const w = writes()
    expect(w).toHaveLength(1)
    expect(w[0]!.method).toBe('POST')
    const body = w[0]!.body as { body: string; labels: string[]; title: string }
    expect(body.labels).toEqual(['drift', 'infra'])
    expect(body.title).toBe('Drift detected: stacks/app (prod)')
    expect(body.body.split('\n')[0]).toBe('<!-- tfpipe:drift-check env=prod dir=stacks%2Fapp -->')
    expect(body.body).toContain('`local_file.app_config`')
    expect(body.body).toContain('**Drifting since:** 2026-11-20T06:00:00Z')
    expect(parseState(body.body)).toMatchObject({
      since: '2026-11-20T06:00:00Z',
      items: ['drift:local_file.app_config'],
    })
    const issue = server.issues()[0]!
    expect(issue.state).toBe('open')
    expect(out[0]!.number).toBe(issue.number)
  })

  test('same drift next run: body updated (last checked), since kept, no duplicate, no comment', async () => {
    clock = new Date('2026-11-21T06:00:00Z')
    const out = await syncDriftIssues(
      [drifted('stacks/app', ['local_file.app_config']), clean('stacks/net')],
      options(),
    )
    expect(out[0]!.action).toBe('updated')
    const w = writes()
    expect(w).toHaveLength(1)
    expect(w[0]!.method).toBe('PATCH')
    expect(server.issues()).toHaveLength(1)
    const issue = server.issues()[0]!
    expect(server.comments(issue.number)).toHaveLength(0)
    expect(issue.body).toContain('**Drifting since:** 2026-11-20T06:00:00Z')
    expect(issue.body).toContain('**Last checked:** 2026-11-21T06:00:00Z')
  })

  test('different drift: body updated and a comment saying what changed', async () => {
    clock = new Date('2026-11-21T12:00:00Z')
    const out = await syncDriftIssues([drifted('stacks/app', ['local_file.extra'], ['local_file.new'])], options())
    expect(out[0]!.action).toBe('commented')
    const issue = server.issues()[0]!
    const comments = server.comments(issue.number)
    expect(comments).toHaveLength(1)
    expect(comments[0]!.body).toContain('New (2)')
    expect(comments[0]!.body).toContain('`local_file.extra` (changed outside Terraform)')
    expect(comments[0]!.body).toContain('`local_file.new` (would change on apply)')
    expect(comments[0]!.body).toContain('No longer drifting (1)')
    expect(comments[0]!.body).toContain('`local_file.app_config`')
    expect(issue.body).toContain('**Drifting since:** 2026-11-20T06:00:00Z')
    expect(writes()).toHaveLength(2)
  })

  test('an error run leaves the issue alone', async () => {
    const out = await syncDriftIssues([failed('stacks/app')], options())
    expect(out[0]).toMatchObject({ action: 'skipped', number: server.issues()[0]!.number })
    expect(writes()).toHaveLength(0)
  })

  test('drift gone: a comment, then closed as completed', async () => {
    clock = new Date('2026-11-22T06:00:00Z')
    const out = await syncDriftIssues([clean('stacks/app')], options())
    expect(out[0]!.action).toBe('closed')
    const issue = server.issues()[0]!
    expect(issue.state).toBe('closed')
    expect(issue.state_reason).toBe('completed')
    const last = server.comments(issue.number).at(-1)!
    expect(last.body).toContain('No drift in `stacks/app` any more')
    expect(parseIssueMarker(issue.body ?? '')).toEqual({ environment: 'prod', dir: 'stacks/app' })
    expect(writes().map((w) => w.method)).toEqual(['POST', 'PATCH'])
    // clean again: nothing to do
    server.resetRequests()
    expect((await syncDriftIssues([clean('stacks/app')], options()))[0]!.action).toBe('none')
    expect(writes()).toHaveLength(0)
  })

  test('drift returns: the same issue is reopened with a new since, in one request', async () => {
    clock = new Date('2026-11-23T06:00:00Z')
    const out = await syncDriftIssues([drifted('stacks/app', ['local_file.app_config'])], options())
    expect(out[0]!.action).toBe('reopened')
    expect(server.issues()).toHaveLength(1)
    const issue = server.issues()[0]!
    expect(issue.state).toBe('open')
    expect(issue.state_reason).toBe('reopened')
    expect(issue.body).toContain('**Drifting since:** 2026-11-23T06:00:00Z')
    expect(writes().map((w) => w.method)).toEqual(['PATCH'])
    expect(writes()[0]!.body).toMatchObject({ state: 'open', state_reason: 'reopened' })
  })

  test('issues without our marker, or of another environment, are never touched', async () => {
    const foreign = server.addIssue({
      title: 'Drift detected: stacks/db',
      body: 'someone else wrote this',
      labels: ['drift'],
    })
    const otherEnv = server.addIssue({ title: 'x', body: `${issueMarker('dev', 'stacks/db')}\nhi`, labels: ['drift'] })
    server.resetRequests()
    const out = await syncDriftIssues([drifted('stacks/db', ['a.b'])], options())
    expect(out[0]!.action).toBe('opened')
    expect(out[0]!.number).not.toBe(foreign.number)
    expect(out[0]!.number).not.toBe(otherEnv.number)
    expect(server.issues().find((i) => i.number === foreign.number)!.body).toBe('someone else wrote this')
    expect(writes().every((w) => w.path === '/repos/acme/infra/issues')).toBe(true)
  })

  test('a failed lookup touches nothing (no duplicate can be opened) and says why', async () => {
    server.failNext(
      { method: 'GET', path: '/repos/acme/infra/issues' },
      { status: 403, body: { message: 'Resource not accessible by integration' } },
    )
    const logger = memoryLogger()
    const out = await syncDriftIssues([drifted('stacks/new', ['x.y'])], options({ logger }))
    expect(out[0]).toMatchObject({ action: 'failed' })
    expect(out[0]!.error).toMatch(
      /^Listing the issues labelled 'drift' failed: .*Resource not accessible by integration.*\(drift-check needs issues: write\)$/,
    )
    expect(writes()).toHaveLength(0)
    expect(logger.lines.join('\n')).toContain('drift issues not updated')
  })

  test('one failing write does not stop the other stacks', async () => {
    server.failNext(
      { method: 'POST', path: '/repos/acme/infra/issues' },
      {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [{ resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long' }],
        },
      },
    )
    const out = await syncDriftIssues([drifted('stacks/w1', ['a.b']), drifted('stacks/w2', ['a.b'])], options())
    expect(out[0]).toMatchObject({ dir: 'stacks/w1', action: 'failed' })
    expect(out[0]!.error).toMatch(/^Opening the drift issue for stacks\/w1 failed: /)
    expect(out[1]).toMatchObject({ dir: 'stacks/w2', action: 'opened' })
  })

  test('the lookup follows pagination (more than 100 labelled issues)', async () => {
    for (let i = 0; i < 120; i++) server.addIssue({ title: `noise ${i}`, body: 'no marker', labels: ['drift'] })
    server.resetRequests()
    // stacks/app's issue is the oldest: it sits on the second page
    const out = await syncDriftIssues([drifted('stacks/app', ['local_file.app_config'])], options())
    expect(out[0]!.action).toBe('updated')
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(2)
  })
})
