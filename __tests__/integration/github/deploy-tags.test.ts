import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGitHubServer, type GitHubServer } from '../../support/github-server.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { memoryLogger, silentLogger } from '@tfpipe/kit/logger.js'
import {
  assertRefSafeEnvironment,
  createDeployTag,
  formatDeployTagMessage,
  getDeployTag,
  listDeployTags,
  parseDeployTagMessage,
  renderTagName,
  tagPrefix,
  type DeployMetadata,
} from '@tfpipe/github/deploy-tags.js'

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

function meta(overrides: Partial<DeployMetadata> = {}): DeployMetadata {
  return {
    schema: 1,
    environment: 'prod',
    sha: 'a1'.repeat(20),
    status: 'success',
    repository: 'acme/infra',
    runUrl: 'https://github.com/acme/infra/actions/runs/1',
    actor: 'octocat',
    workingDirectory: 'live/prod',
    fingerprint: 'f'.repeat(64),
    counts: { add: 2, change: 1, destroy: 0, replace: 0 },
    state: { bucket: 'tfstate', key: 'prod/terraform.tfstate', versionId: 'v-123', serial: 42, lineage: 'lin-1' },
    startedAt: '2026-11-22T10:00:00.000Z',
    finishedAt: '2026-11-22T10:04:00.000Z',
    ...overrides,
  }
}

describe('deploy tag message', () => {
  it('has a human first line, a blank line and the metadata block, and parses back', () => {
    const text = formatDeployTagMessage(meta())
    const lines = text.split('\n')
    expect(lines[0]).toBe(
      `Deployed ${'a1'.repeat(6)} to prod (+2 ~1 -0) by octocat — https://github.com/acme/infra/actions/runs/1`,
    )
    expect(lines[1]).toBe('')
    expect(lines[2]).toBe('-----BEGIN TFPIPE METADATA-----')
    expect(lines.at(-2)).toBe('-----END TFPIPE METADATA-----')
    expect(parseDeployTagMessage(text)).toEqual(meta())
    expect(parseDeployTagMessage('v1.2.3 release')).toBeUndefined()
    expect(
      parseDeployTagMessage('x\n\n-----BEGIN TFPIPE METADATA-----\n{oops\n-----END TFPIPE METADATA-----'),
    ).toBeUndefined()
  })

  it('renders names from the format and refuses environments that are not ref-safe', () => {
    const date = new Date('2026-03-29T01:02:03.456Z')
    expect(renderTagName('deploy-{env}-{timestamp}', { environment: 'prod', date, sha: 'abc', runId: '7' })).toBe(
      'deploy-prod-20260329-010203',
    )
    expect(
      renderTagName('deploy/{env}/{run}-{sha}', { environment: 'eu-west-1', date, sha: 'a'.repeat(40), runId: '7' }),
    ).toBe(`deploy/eu-west-1/7-${'a'.repeat(12)}`)
    expect(() => renderTagName('deploy-{env}-{when}', { environment: 'prod', date, sha: 'a', runId: '' })).toThrow(
      'tag-format has an unknown placeholder {when}',
    )
    expect(tagPrefix('deploy-{env}-{timestamp}', 'prod')).toBe('deploy-prod-')
    for (const bad of [
      'prod env',
      'prod:1',
      '../x',
      'a..b',
      '.hidden',
      'prod.lock',
      'prod~1',
      'prod^',
      'prod/eu',
      '',
    ]) {
      expect(() => assertRefSafeEnvironment(bad)).toThrow(ConfigurationError)
    }
    expect(() => assertRefSafeEnvironment('prod env')).toThrow(
      "Environment 'prod env' cannot be part of a git tag name: only letters, digits",
    )
    expect(() => assertRefSafeEnvironment('eu-west-1_prod.v2')).not.toThrow()
  })
})

describe('createDeployTag against the GitHub API', () => {
  it('creates an annotated tag (git/tags, then git/refs) at the commit', async () => {
    server.resetRequests()
    const result = await createDeployTag(client, repo, meta(), {
      now: () => new Date('2026-11-22T10:04:05Z'),
      serverUrl: 'https://github.example.test',
    })
    expect(result.created).toBe(true)
    expect(result.tag.name).toBe('deploy-prod-20261122-100405')
    expect(result.tag.url).toBe('https://github.example.test/acme/infra/releases/tag/deploy-prod-20261122-100405')
    const writes = server.requests.filter((r) => r.method === 'POST').map((r) => r.path)
    expect(writes).toEqual(['/repos/acme/infra/git/tags', '/repos/acme/infra/git/refs'])
    const tagBody = server.requests.find((r) => r.path.endsWith('/git/tags'))?.body as Record<string, string>
    expect(tagBody).toMatchObject({ tag: 'deploy-prod-20261122-100405', object: 'a1'.repeat(20), type: 'commit' })
    const ref = server.refs().find((r) => r.ref === 'refs/tags/deploy-prod-20261122-100405')
    expect(ref?.type).toBe('tag')
    const read = await getDeployTag(client, repo, 'deploy-prod-20261122-100405')
    expect(read?.commitSha).toBe('a1'.repeat(20))
    expect(read?.metadata).toEqual(meta())
    expect(await getDeployTag(client, repo, 'deploy-prod-nope')).toBeUndefined()
  })

  it('is idempotent on a re-run of the same run: no second tag', async () => {
    const logger = memoryLogger()
    const first = await createDeployTag(
      client,
      repo,
      meta({ environment: 'rerun', runUrl: 'https://github.com/acme/infra/actions/runs/77' }),
      {
        now: () => new Date('2026-11-22T11:00:00Z'),
      },
    )
    server.resetRequests()
    const again = await createDeployTag(
      client,
      repo,
      meta({
        environment: 'rerun',
        runUrl: 'https://github.com/acme/infra/actions/runs/77',
        finishedAt: '2026-11-22T11:30:00Z',
      }),
      {
        now: () => new Date('2026-11-22T11:30:00Z'),
        logger,
      },
    )
    expect(again.created).toBe(false)
    expect(again.tag.name).toBe(first.tag.name)
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0)
    expect(server.refs().filter((r) => r.ref.startsWith('refs/tags/deploy-rerun-'))).toHaveLength(1)
    expect(logger.lines.join('\n')).toContain('already records this run')
    // the same run deploying another commit is a new deploy
    const other = await createDeployTag(
      client,
      repo,
      meta({ environment: 'rerun', sha: 'b2'.repeat(20), runUrl: 'https://github.com/acme/infra/actions/runs/77' }),
      {
        now: () => new Date('2026-11-22T11:31:00Z'),
      },
    )
    expect(other.created).toBe(true)
    // ... and so is the same run deploying another directory of the same commit (terraform-layers.yml)
    const layer = await createDeployTag(
      client,
      repo,
      meta({
        environment: 'rerun',
        workingDirectory: 'layers/clients',
        runUrl: 'https://github.com/acme/infra/actions/runs/77',
      }),
      {
        now: () => new Date('2026-11-22T11:32:00Z'),
      },
    )
    expect(layer.created).toBe(true)
    expect(layer.tag.name).not.toBe(first.tag.name)
  })

  it('two deploys in the same second get -2 and -3 instead of colliding', async () => {
    const now = () => new Date('2026-11-22T12:00:00Z')
    const names: string[] = []
    for (let i = 1; i <= 3; i++) {
      const r = await createDeployTag(
        client,
        repo,
        meta({ environment: 'burst', runUrl: `https://github.com/acme/infra/actions/runs/${100 + i}` }),
        { now },
      )
      names.push(r.tag.name)
    }
    expect(names).toEqual([
      'deploy-burst-20261122-120000',
      'deploy-burst-20261122-120000-2',
      'deploy-burst-20261122-120000-3',
    ])
    // each name has its own tag object whose `tag` field matches the ref
    const objects = server.tagObjects().filter((t) => t.tag.startsWith('deploy-burst-'))
    for (const n of names) expect(objects.some((o) => o.tag === n)).toBe(true)
  })

  it('a collision with a tag created concurrently (between listing and creating) also moves to -2', async () => {
    server.addRef('refs/tags/deploy-race-20261122-130000', 'c3'.repeat(20))
    const r = await createDeployTag(client, repo, meta({ environment: 'race' }), {
      now: () => new Date('2026-11-22T13:00:00Z'),
    })
    expect(r.tag.name).toBe('deploy-race-20261122-130000-2')
  })

  it('lists an environment newest first, skipping other environments that share the prefix, with the previous good tag', async () => {
    const env = 'stage'
    const at = (t: string) => () => new Date(t)
    await createDeployTag(client, repo, meta({ environment: env, runUrl: 'r/1', finishedAt: '2026-11-20T09:00:00Z' }), {
      now: at('2026-11-20T09:00:00Z'),
    })
    await createDeployTag(
      client,
      repo,
      meta({ environment: env, runUrl: 'r/2', status: 'failure', finishedAt: '2026-11-21T09:00:00Z' }),
      { now: at('2026-11-21T09:00:00Z') },
    )
    await createDeployTag(
      client,
      repo,
      meta({ environment: 'stage-eu', runUrl: 'r/3', finishedAt: '2026-11-21T10:00:00Z' }),
      { now: at('2026-11-21T10:00:00Z') },
    )
    server.addRef('refs/tags/deploy-stage-manual', 'd4'.repeat(20)) // lightweight, no metadata
    const latest = await createDeployTag(
      client,
      repo,
      meta({ environment: env, runUrl: 'r/4', finishedAt: '2026-11-22T09:00:00Z' }),
      { now: at('2026-11-22T09:00:00Z') },
    )
    expect(latest.previous?.name).toBe('deploy-stage-20261120-090000') // the failed one is not "good"
    const list = await listDeployTags(client, repo, env)
    expect(list.map((t) => [t.name, t.metadata?.status])).toEqual([
      ['deploy-stage-20261122-090000', 'success'],
      ['deploy-stage-20261121-090000', 'failure'],
      ['deploy-stage-20261120-090000', 'success'],
    ])
    expect((await listDeployTags(client, repo, env, { limit: 1 })).map((t) => t.name)).toEqual([
      'deploy-stage-20261122-090000',
    ])
    expect((await listDeployTags(client, repo, 'stage-eu')).map((t) => t.name)).toEqual([
      'deploy-stage-eu-20261121-100000',
    ])
  })

  it('pages through more than 100 matching refs', async () => {
    for (let i = 0; i < 105; i++)
      server.addRef(`refs/tags/deploy-many-2025${String(i).padStart(4, '0')}-000000`, 'e5'.repeat(20))
    await createDeployTag(client, repo, meta({ environment: 'many', runUrl: 'r/many' }), {
      now: () => new Date('2026-11-22T14:00:00Z'),
    })
    server.resetRequests()
    const list = await listDeployTags(client, repo, 'many', { scan: 5 })
    expect(list.map((t) => t.name)).toEqual(['deploy-many-20261122-140000'])
    expect(server.requests.filter((r) => r.path.includes('/git/matching-refs/')).length).toBe(2)
  })
})
