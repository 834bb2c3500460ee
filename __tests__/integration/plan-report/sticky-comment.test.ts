import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { memoryLogger } from '@tfpipe/kit/logger.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { resolveTokenIdentity, upsertComment } from '@tfpipe/github/comments.js'
import { findPullRequest } from '@tfpipe/github/pull-requests.js'
import { artifactUrl, planArtifactName, uploadPlanArtifact } from '@tfpipe/github/artifacts.js'
import { formatMarker, isMarkerFor } from '@tfpipe/plan-report/marker.js'
import { startGitHubServer, type GitHubServer } from '../../support/github-server.js'

const target = { owner: 'acme', repo: 'infra', issueNumber: 9 }
const marker = formatMarker({ environment: 'dev', directory: '.', fingerprint: 'f'.repeat(64) })

describe('sticky comment with a personal access token', () => {
  let server: GitHubServer
  beforeAll(async () => {
    server = await startGitHubServer({
      tokens: {
        'pat-alice': { login: 'alice', type: 'User' },
        'test-token': { login: 'github-actions[bot]', type: 'Bot' },
      },
    })
    server.addPullRequest({ number: 9, head_sha: 'a'.repeat(40) })
  })
  afterAll(async () => {
    await server.close()
  })

  it('uses GET /user for a PAT and github-actions[bot] when /user answers 403', async () => {
    const logger = memoryLogger()
    const pat = createGitHubClient({ token: 'pat-alice', baseUrl: server.url, logger, pacing: false })
    const bot = createGitHubClient({ token: 'test-token', baseUrl: server.url, logger, pacing: false })
    expect(await resolveTokenIdentity(pat, logger)).toBe('alice')
    expect(await resolveTokenIdentity(bot, logger)).toBe('github-actions[bot]')
  })

  it("updates only the token owner's comment, never the bot's with the same marker", async () => {
    const logger = memoryLogger()
    const botComment = server.addComment(9, { body: `${marker}\nbot`, login: 'github-actions[bot]', type: 'Bot' })
    const pat = createGitHubClient({ token: 'pat-alice', baseUrl: server.url, logger, pacing: false })
    const common = {
      target,
      isOurs: (b: string) => isMarkerFor(b, 'dev', '.'),
      minimalBody: `${marker}\nmin`,
      hasChanges: true,
      logger,
    }
    const created = await upsertComment(pat, { ...common, mode: 'update', body: `${marker}\nalice 1` })
    expect(created.action).toBe('created')
    const updated = await upsertComment(pat, { ...common, mode: 'update', body: `${marker}\nalice 2` })
    expect(updated).toMatchObject({ action: 'updated', id: created.id })
    expect(server.comments(9).find((c) => c.id === created.id)!.body).toBe(`${marker}\nalice 2`)
    expect(server.comments(9).find((c) => c.id === botComment.id)!.body).toBe(`${marker}\nbot`)
  })
})

describe('pull request discovery', () => {
  let server: GitHubServer
  beforeAll(async () => {
    server = await startGitHubServer()
  })
  afterAll(async () => {
    await server.close()
  })

  it('push: picks the PR whose merge_commit_sha is the commit, none when the commit is only a PR head', async () => {
    const client = createGitHubClient({
      token: 'test-token',
      baseUrl: server.url,
      logger: memoryLogger(),
      pacing: false,
    })
    server.addPullRequest({
      number: 1,
      head_sha: '1'.repeat(40),
      merge_commit_sha: 'm'.repeat(40),
      merged: true,
      state: 'closed',
    })
    server.addPullRequest({ number: 2, head_sha: 'h'.repeat(40) })
    const base = { owner: 'acme', repo: 'infra', event: {} }
    expect(await findPullRequest(client, { ...base, eventName: 'push', sha: 'm'.repeat(40) }, memoryLogger())).toEqual({
      number: 1,
      source: 'merged-commit',
    })
    expect(
      await findPullRequest(client, { ...base, eventName: 'push', sha: 'h'.repeat(40) }, memoryLogger()),
    ).toBeUndefined()
    expect(
      await findPullRequest(client, { ...base, eventName: 'workflow_dispatch', sha: 'm'.repeat(40) }, memoryLogger()),
    ).toBeUndefined()
    expect(
      await findPullRequest(
        client,
        { ...base, eventName: 'pull_request', event: { pull_request: { number: 5 } }, sha: '' },
        memoryLogger(),
      ),
    ).toEqual({ number: 5, source: 'event' })
  })
})

describe('artifacts', () => {
  it('names and links the artifact and degrades to a warning', async () => {
    expect(planArtifactName('prod', './infra/app/')).toBe('tfplan-prod-infra_app')
    expect(planArtifactName('', '.')).toBe('tfplan-root')
    expect(artifactUrl('https://github.com/', 'o', 'r', '12', 34)).toBe(
      'https://github.com/o/r/actions/runs/12/artifacts/34',
    )
    const logger = memoryLogger()
    const failing = { uploadArtifact: async () => Promise.reject(new Error('GHESNotSupportedError')) }
    const result = await uploadPlanArtifact({
      uploader: failing,
      name: 'n',
      files: [],
      rootDirectory: '/',
      retentionDays: 1,
      urlFor: String,
      logger,
    })
    expect(result).toBeUndefined()
    expect(logger.lines.join('\n')).toMatch(/warning: Could not upload the plan artifact 'n' \(GHESNotSupportedError\)/)
  })
})
