import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { tfpipe } from '../support/run-cli.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { createDeployTag } from '@tfpipe/github/deploy-tags.js'
import { silentLogger } from '@tfpipe/kit/logger.js'

let server: GitHubServer

beforeAll(async () => {
  server = await startGitHubServer()
  const client = createGitHubClient({
    token: 'test-token',
    baseUrl: server.url,
    logger: silentLogger,
    pacing: false,
    retries: 0,
  })
  for (const [i, status] of (['success', 'failure', 'success'] as const).entries()) {
    const finishedAt = `2026-11-2${i}T10:00:00Z`
    await createDeployTag(
      client,
      { owner: 'acme', repo: 'infra' },
      {
        schema: 1,
        environment: 'prod',
        sha: String(i + 1).repeat(40),
        status,
        repository: 'acme/infra',
        runUrl: `https://github.com/acme/infra/actions/runs/${i}`,
        actor: `user${i}`,
        workingDirectory: '.',
        fingerprint: null,
        counts: { add: i, change: 0, destroy: 0 },
        state: { bucket: 'b', key: 'k', versionId: `v${i}`, serial: 10 + i, lineage: 'l' },
        startedAt: finishedAt,
        finishedAt,
      },
      { now: () => new Date(finishedAt) },
    )
  }
})
afterAll(() => server.close())

describe('tfpipe deployments', () => {
  it('prints the last deploy tags of an environment, newest first', async () => {
    const r = await tfpipe(
      ['deployments', '--env', 'prod', '--repo', 'acme/infra', '--api-url', server.url, '--token-env', 'GH'],
      { GH: 'test-token' },
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^TAG\s+STATUS\s+COMMIT\s+CHANGES\s+FINISHED\s+BY\s+STATE SERIAL$/)
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 2))).toEqual([
      ['deploy-prod-20261122-100000', 'success'],
      ['deploy-prod-20261121-100000', 'failure'],
      ['deploy-prod-20261120-100000', 'success'],
    ])
    expect(lines[1]).toMatch(/user2\s+12$/)
  })

  it('--json and --limit', async () => {
    const r = await tfpipe(['deployments', '--env', 'prod', '--limit', '1', '--json'], {
      GITHUB_TOKEN: 'test-token',
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_API_URL: server.url,
    })
    expect(r.code).toBe(0)
    const list = JSON.parse(r.stdout) as { tag: string; sha: string; state: { versionId: string } }[]
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({
      tag: 'deploy-prod-20261122-100000',
      sha: '3'.repeat(40),
      state: { versionId: 'v2' },
    })
  })

  it('says what is missing', async () => {
    const noToken = await tfpipe(['deployments', '--env', 'prod', '--repo', 'acme/infra', '--api-url', server.url])
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toContain('No token: set the environment variable GITHUB_TOKEN')
    const badEnv = await tfpipe(['deployments', '--env', 'prod/eu', '--repo', 'acme/infra'], { GITHUB_TOKEN: 'x' })
    expect(badEnv.stderr).toContain("Environment 'prod/eu' cannot be part of a git tag name")
  })
})
