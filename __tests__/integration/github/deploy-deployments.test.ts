import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGitHubServer, type GitHubServer } from '../../support/github-server.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { silentLogger } from '@tfpipe/kit/logger.js'
import { recordDeployment, successfulDeploymentOf } from '@tfpipe/github/deployments.js'
import { getEnvironmentProtection } from '@tfpipe/github/environments.js'

let server: GitHubServer
let client: ReturnType<typeof createGitHubClient>
const repo = { owner: 'acme', repo: 'infra' }

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

describe('GitHub Deployments', () => {
  it('creates a deployment with auto_merge false, no required contexts, and a status with log and environment URLs', async () => {
    const sha = '9'.repeat(40)
    const result = await recordDeployment(client, repo, {
      sha,
      environment: 'prod',
      state: 'success',
      runUrl: 'https://github.example.test/acme/infra/actions/runs/5',
      description: 'Deployed: deploy-prod-20261122-100000',
      environmentUrl: 'https://prod.example.com',
    })
    expect(result.created).toBe(true)
    const stored = server.deployments().find((d) => d.id === result.id)
    expect(stored?.request).toMatchObject({
      ref: sha,
      environment: 'prod',
      auto_merge: false,
      required_contexts: [],
      payload: { tfpipe: { runUrl: 'https://github.example.test/acme/infra/actions/runs/5' } },
    })
    expect(stored?.statuses.map((s) => [s.state, s.log_url, s.environment_url])).toEqual([
      ['success', 'https://github.example.test/acme/infra/actions/runs/5', 'https://prod.example.com'],
    ])
  })

  it('re-uses the deployment of the same run instead of creating a duplicate', async () => {
    const sha = '8'.repeat(40)
    const request = {
      sha,
      environment: 'prod',
      state: 'failure' as const,
      runUrl: 'https://x/runs/6',
      description: 'first try',
    }
    const first = await recordDeployment(client, repo, request)
    const second = await recordDeployment(client, repo, { ...request, state: 'success' })
    expect(second).toEqual({ id: first.id, created: false })
    const mine = server.deployments().filter((d) => d.sha === sha)
    expect(mine).toHaveLength(1)
    expect(mine[0]?.statuses.map((s) => s.state)).toEqual(['failure', 'success'])
  })

  it('finds a commit that once succeeded even after a newer deploy made it inactive', async () => {
    const old = '7'.repeat(40)
    await recordDeployment(client, repo, {
      sha: old,
      environment: 'dev',
      state: 'success',
      runUrl: 'r/7',
      description: 'x',
    })
    await recordDeployment(client, repo, {
      sha: '6'.repeat(40),
      environment: 'dev',
      state: 'success',
      runUrl: 'r/8',
      description: 'x',
    })
    const stored = server.deployments().find((d) => d.sha === old)
    expect(stored?.statuses.at(-1)?.state).toBe('inactive')
    expect(await successfulDeploymentOf(client, repo, 'dev', old)).toMatch(/^GitHub Deployment \d+ succeeded at /)
    expect(await successfulDeploymentOf(client, repo, 'prod', old)).toBeUndefined()
  })
})

describe('environment protection rules', () => {
  it('reads reviewers, prevent_self_review, wait timer and branch policy', async () => {
    server.setEnvironment('sit', {
      reviewers: ['alice', { type: 'Team', slug: 'sre' }],
      prevent_self_review: true,
      wait_timer: 15,
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    })
    expect(await getEnvironmentProtection(client, repo, 'sit')).toEqual({
      readable: true,
      requiredReviewers: 2,
      reviewers: ['alice', 'team sre'],
      preventSelfReview: true,
      branchPolicy: 'custom',
      waitTimerMinutes: 15,
    })
    server.setEnvironment('open', {})
    expect(await getEnvironmentProtection(client, repo, 'open')).toMatchObject({
      readable: true,
      requiredReviewers: 0,
      branchPolicy: 'none',
    })
  })

  it('returns 403 and 404 as unreadable instead of throwing; other errors are thrown', async () => {
    server.setEnvironment('locked', { unreadable: true })
    expect(await getEnvironmentProtection(client, repo, 'locked')).toEqual({
      readable: false,
      status: 403,
      message: 'Resource not accessible by integration',
    })
    expect(await getEnvironmentProtection(client, repo, 'missing')).toMatchObject({ readable: false, status: 404 })
    server.failNext(
      { method: 'GET', path: '/repos/acme/infra/environments/sit' },
      { status: 500, body: { message: 'boom' } },
    )
    await expect(getEnvironmentProtection(client, repo, 'sit')).rejects.toMatchObject({ status: 500 })
  })
})
