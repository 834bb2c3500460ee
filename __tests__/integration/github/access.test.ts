import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { startGitHubServer, type GitHubServer } from '../../support/github-server.js'
import { checkRepositoryAccess } from '@tfpipe/github/access.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { describeGitHubError, GitHubUnreachableError } from '@tfpipe/github/errors.js'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { silentLogger } from '@tfpipe/kit/logger.js'
import { evaluateGate } from '@tfpipe/policy/gate.js'
import { createGateGitHub } from '@tfpipe/policy/github.js'
import { gateInput } from '../../support/policy-input.js'

let server: GitHubServer
let refusedUrl: string
const repo = { owner: 'acme', repo: 'infra' }
const permissions = ['contents: read', 'actions: read']

beforeAll(async () => {
  server = await startGitHubServer()
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()))
  refusedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`
  await new Promise<void>((r) => probe.close(() => r()))
})
afterAll(() => server.close())

// Default retries (3) and backoff: a refused connection must still fail at once.
const client = (token: string, baseUrl = server.url) =>
  createGitHubClient({ token, baseUrl, logger: silentLogger, pacing: false })

describe('GitHub access: one line that says what to fix', () => {
  it('a rejected token names the github-token input and the permissions', async () => {
    const error = await checkRepositoryAccess(client('not-a-token'), { repo, apiUrl: server.url, permissions }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toBe(
      `GitHub rejected the github-token input (401 Bad credentials): pass a valid token for ${server.url} (default \${{ github.token }}) with contents: read, actions: read.`,
    )
  })

  it('an unknown repository names the repository', async () => {
    server.failNext({ method: 'GET', path: '/repos/acme/nope' }, { status: 404, body: { message: 'Not Found' } })
    await expect(
      checkRepositoryAccess(client('test-token'), {
        repo: { owner: 'acme', repo: 'nope' },
        apiUrl: server.url,
        permissions,
      }),
    ).rejects.toThrow(
      `repository acme/nope was not found at ${server.url}, or the github-token input cannot see it: check GITHUB_REPOSITORY`,
    )
  })

  it('a refused connection fails at once (no retries) and names the API URL', async () => {
    const started = Date.now()
    const raw = await client('test-token', refusedUrl)
      .rest.repos.get(repo)
      .catch((e: unknown) => e)
    expect(Date.now() - started).toBeLessThan(1500)
    expect(raw).toBeInstanceOf(GitHubUnreachableError)
    expect(describeGitHubError(raw, 'Writing the plan comment')).toBe(
      `Writing the plan comment failed: the GitHub API at ${refusedUrl} is unreachable (connection refused); check GITHUB_API_URL (on GHES https://<host>/api/v3) and the runner's network.`,
    )
    await expect(
      checkRepositoryAccess(client('test-token', refusedUrl), { repo, apiUrl: refusedUrl, permissions }),
    ).rejects.toThrow(
      `the GitHub API at ${refusedUrl} is unreachable (connection refused): check GITHUB_API_URL (${refusedUrl}; on GHES https://<host>/api/v3) and the runner's network.`,
    )
  })

  it('a port fetch will not use (e.g. 9) is as final as a refusal', async () => {
    const started = Date.now()
    const raw = await client('test-token', 'http://127.0.0.1:9')
      .rest.repos.get(repo)
      .catch((e: unknown) => e)
    expect(Date.now() - started).toBeLessThan(1500)
    expect((raw as Error).message).toBe(
      'the GitHub API at http://127.0.0.1:9 is unreachable (a port fetch refuses to use)',
    )
  })

  it('the gate stops with that one line before any rule, instead of one "could not be checked" per rule', async () => {
    const policy = {
      approvals: { 'required-reviewers': 1 },
      promotion: { requires: ['dev'] },
      'reviewed-plan': { required: true },
    }
    const github = createGateGitHub(client('expired'), repo, { apiUrl: server.url })
    server.resetRequests()
    await expect(evaluateGate(policy, gateInput({ github }))).rejects.toThrow(
      /^GitHub rejected the github-token input \(401 Bad credentials\)/,
    )
    expect(server.requests.map((r) => r.path)).toEqual(['/repos/acme/infra'])
    // A policy that needs no GitHub read does not ask GitHub at all.
    server.resetRequests()
    expect((await evaluateGate({ confirmation: 'x' }, gateInput({ github, confirmation: 'x' }))).allowed).toBe(true)
    expect(server.requests).toEqual([])
  })
})

describe('a rule whose GitHub read is refused names the permission', () => {
  it('403 on deployments: the promotion rule says which permission to grant', async () => {
    server.failNext(
      { method: 'GET', path: /\/deployments$/ },
      { status: 403, body: { message: 'Resource not accessible by integration' } },
    )
    const github = createGateGitHub(client('test-token'), repo, { apiUrl: server.url })
    const verdict = await evaluateGate({ promotion: { requires: ['dev'] } }, gateInput({ github }))
    expect(verdict.violations).toEqual([
      expect.objectContaining({
        check: 'promotion',
        message: expect.stringMatching(
          /^could not be checked: reading GitHub failed: 403 Resource not accessible by integration .*Add `permissions: deployments: read` to the job/,
        ),
      }),
    ])
  })
})
