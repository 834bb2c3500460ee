import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { join } from 'node:path'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { motoS3Client, startMoto, type MotoServer } from '../support/moto.js'
import { repoRoot, runAction } from '../support/run-action.js'
import { parseDeployTagMessage } from '@tfpipe/github/deploy-tags.js'
import { stateFixture } from '../support/state-fixture.js'

const plan = (name: string): string => join(repoRoot, '__tests__', 'fixtures', 'plans', `${name}.json`)
const sha = 'ab'.repeat(20)

let server: GitHubServer
let moto: MotoServer

beforeAll(async () => {
  server = await startGitHubServer()
  moto = await startMoto()
}, 60_000)
afterAll(async () => {
  await server.close()
  await moto.close()
})

const base = (runId: string, extra: Record<string, string> = {}) => ({
  GITHUB_API_URL: server.url,
  GITHUB_RUN_ID: runId,
  GITHUB_ACTOR: 'deployer',
  ...extra,
})

describe('tag-deploy bundle', () => {
  it('tags the commit with metadata (counts, fingerprint, S3 state version) and records a GitHub Deployment', async () => {
    const fixture = await stateFixture(moto)
    await fixture.apply(1)
    const run = await runAction('tag-deploy', {
      inputs: {
        environment: 'prod',
        sha,
        'plan-json': plan('replace'),
        'working-directory': fixture.dir,
        'environment-url': 'https://prod.example.com',
        'github-token': 'test-token',
      },
      env: { ...base('101'), ...moto.env },
      eventName: 'workflow_dispatch',
    })
    expect(run.stdout).not.toContain('::error')
    expect(run.exitCode).toBe(0)
    expect(run.outputs.tag).toMatch(/^deploy-prod-\d{8}-\d{6}$/)
    expect(run.outputs['tag-url']).toBe(`https://github.example.test/acme/infra/releases/tag/${run.outputs.tag}`)
    expect(run.outputs['previous-tag']).toBe('')
    const tagObject = server.tagObjects().find((t) => t.tag === run.outputs.tag)
    expect(tagObject?.object).toEqual({ sha, type: 'commit' })
    const meta = parseDeployTagMessage(tagObject?.message ?? '')
    expect(tagObject?.message.split('\n')[0]).toBe(
      `Deployed ${sha.slice(0, 12)} to prod (+0 ~1 -0 ±4) by deployer — https://github.example.test/acme/infra/actions/runs/101`,
    )

    // the state it recorded is the object terraform wrote to (moto) S3
    const s3 = motoS3Client(moto.endpoint)
    const head = await s3.send(new HeadObjectCommand({ Bucket: fixture.bucket, Key: fixture.key }))
    const body = JSON.parse(
      await (
        await s3.send(new GetObjectCommand({ Bucket: fixture.bucket, Key: fixture.key }))
      ).Body!.transformToString(),
    ) as { serial: number; lineage: string }
    s3.destroy()
    expect(meta).toMatchObject({
      schema: 1,
      environment: 'prod',
      sha,
      status: 'success',
      repository: 'acme/infra',
      runUrl: 'https://github.example.test/acme/infra/actions/runs/101',
      actor: 'deployer',
      workingDirectory: fixture.dir,
      counts: { add: 0, change: 1, destroy: 0, replace: 4 },
      state: {
        bucket: fixture.bucket,
        key: fixture.key,
        versionId: head.VersionId,
        serial: body.serial,
        lineage: body.lineage,
      },
    })
    expect(meta?.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(Date.parse(meta?.startedAt ?? '')).toBeLessThanOrEqual(Date.parse(meta?.finishedAt ?? ''))

    const deployment = server.deployments().find((d) => String(d.id) === run.outputs['deployment-id'])
    expect(deployment?.request).toMatchObject({
      ref: sha,
      environment: 'prod',
      auto_merge: false,
      required_contexts: [],
    })
    expect(deployment?.statuses.map((s) => [s.state, s.log_url, s.environment_url])).toEqual([
      ['success', 'https://github.example.test/acme/infra/actions/runs/101', 'https://prod.example.com'],
    ])
    expect(run.summary).toContain(`🏷️ Deployed`)
  }, 120_000)

  it('a re-run of the same run finds its tag and deployment instead of making new ones', async () => {
    const first = await runAction('tag-deploy', {
      inputs: { environment: 'qa', sha, 'github-token': 'test-token' },
      env: base('202'),
    })
    expect(first.exitCode).toBe(0)
    const tags = () => server.refs().filter((r) => r.ref.startsWith('refs/tags/deploy-qa-')).length
    const deployments = () => server.deployments().filter((d) => d.environment === 'qa').length
    expect([tags(), deployments()]).toEqual([1, 1])
    const again = await runAction('tag-deploy', {
      inputs: { environment: 'qa', sha, 'github-token': 'test-token' },
      env: { ...base('202'), GITHUB_RUN_ATTEMPT: '2' },
    })
    expect(again.exitCode).toBe(0)
    expect(again.outputs.tag).toBe(first.outputs.tag)
    expect(again.outputs['deployment-id']).toBe(first.outputs['deployment-id'])
    expect([tags(), deployments()]).toEqual([1, 1])
    expect(again.summary).toContain('(already tagged by this run)')
    // a new run tags again and names the previous good tag
    const next = await runAction('tag-deploy', {
      inputs: { environment: 'qa', sha, 'github-token': 'test-token', status: 'failure' },
      env: base('203'),
    })
    expect(next.outputs['previous-tag']).toBe(first.outputs.tag)
    expect(tags()).toBe(2)
    expect(
      server
        .deployments()
        .find((d) => String(d.id) === next.outputs['deployment-id'])
        ?.statuses.at(-1)?.state,
    ).toBe('failure')
  }, 60_000)

  it('lists the last deploys of an environment, newest first', async () => {
    const run = await runAction('tag-deploy', {
      inputs: { environment: 'qa', mode: 'list', limit: '5', 'github-token': 'test-token' },
      env: base('204'),
    })
    expect(run.exitCode).toBe(0)
    const list = JSON.parse(run.outputs.deployments ?? '[]') as { tag: string; status: string; runUrl: string }[]
    expect(list.map((d) => [d.status, d.runUrl.split('/').at(-1)])).toEqual([
      ['failure', '203'],
      ['success', '202'],
    ])
    expect(run.outputs['previous-tag']).toBe(list[1]?.tag)
    expect(run.summary).toContain('### Deployments of `qa` (newest first)')
  }, 60_000)

  it('records the verification: a failed one makes the tag and the Deployment failures, so previous-tag stays the verified deploy', async () => {
    const other = 'cd'.repeat(20)
    const passed = await runAction('tag-deploy', {
      inputs: { environment: 'stage', sha, verification: 'passed', 'github-token': 'test-token' },
      env: base('301'),
    })
    expect([passed.exitCode, passed.outputs.status]).toEqual([0, 'success'])
    const failed = await runAction('tag-deploy', {
      inputs: { environment: 'stage', sha: other, verification: 'failed', 'github-token': 'test-token' },
      env: base('302'),
    })
    expect([failed.exitCode, failed.outputs.status]).toEqual([0, 'failure'])
    expect(failed.outputs['previous-tag']).toBe(passed.outputs.tag)
    expect(failed.outputs['previous-sha']).toBe(sha)
    const message = server.tagObjects().find((t) => t.tag === failed.outputs.tag)?.message ?? ''
    expect(message.split('\n')[0]).toMatch(/^FAILED verification of cdcdcdcdcdcd to stage by deployer/)
    expect(parseDeployTagMessage(message)).toMatchObject({ status: 'failure', verification: { result: 'failed' } })
    const deployment = server.deployments().find((d) => String(d.id) === failed.outputs['deployment-id'])
    expect(deployment?.statuses.map((s) => [s.state, s.description, s.log_url])).toEqual([
      [
        'failure',
        `Verification failed: ${failed.outputs.tag}`,
        'https://github.example.test/acme/infra/actions/runs/302',
      ],
    ])
    expect((deployment?.request as { payload: unknown }).payload).toEqual({
      tfpipe: {
        runUrl: 'https://github.example.test/acme/infra/actions/runs/302',
        workingDirectory: '.',
        operation: 'deploy',
        verification: 'failed',
      },
    })
    // the next deploy's last good tag is still the verified one, not the one whose checks failed
    const skipped = await runAction('tag-deploy', {
      inputs: { environment: 'stage', sha: other, verification: 'skipped', 'github-token': 'test-token' },
      env: base('303'),
    })
    expect(skipped.outputs['previous-tag']).toBe(passed.outputs.tag)
    expect(
      server
        .deployments()
        .find((d) => String(d.id) === skipped.outputs['deployment-id'])
        ?.statuses.at(-1)?.description,
    ).toBe(`Deployed, verification skipped: ${skipped.outputs.tag}`)
    const bad = await runAction('tag-deploy', {
      inputs: { environment: 'stage', sha, verification: 'maybe', 'github-token': 'test-token' },
      env: base('304'),
    })
    expect(bad.exitCode).not.toBe(0)
    expect(bad.stdout).toContain("'none', 'passed', 'failed', 'skipped'")
  }, 60_000)

  it('refuses an environment name that cannot be part of a tag', async () => {
    const run = await runAction('tag-deploy', {
      inputs: { environment: 'prod eu', sha, 'github-token': 'test-token' },
      env: base('205'),
    })
    expect(run.exitCode).not.toBe(0)
    expect(run.stdout).toContain("::error::tag-deploy: Environment 'prod eu' cannot be part of a git tag name")
    expect(server.tagObjects().some((t) => t.tag.includes('prod eu'))).toBe(false)
  })

  it('with deployment: false creates no GitHub Deployment (for jobs whose environment: already makes one)', async () => {
    const before = server.deployments().length
    const run = await runAction('tag-deploy', {
      inputs: { environment: 'dev', sha, deployment: 'false', 'github-token': 'test-token' },
      env: base('206'),
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['deployment-id']).toBe('')
    expect(server.deployments().length).toBe(before)
  })
})

describe('tag-deploy when the state cannot be read', () => {
  it('still tags the deploy, records state: null and warns', async () => {
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const uninitialised = mkdtempSync(join(tmpdir(), 'not-init-'))
    const run = await runAction('tag-deploy', {
      inputs: { environment: 'uat', sha, 'working-directory': uninitialised, 'github-token': 'test-token' },
      env: base('301'),
    })
    expect(run.exitCode).toBe(0)
    expect(
      run.annotations.some(
        (a) =>
          a.startsWith('::warning') &&
          a.includes(`Could not read the S3 state version of '${uninitialised}'`) &&
          a.includes("run 'terraform init'"),
      ),
    ).toBe(true)
    const meta = parseDeployTagMessage(server.tagObjects().find((t) => t.tag === run.outputs.tag)?.message ?? '')
    expect(meta?.state).toBeNull()
  })
})
