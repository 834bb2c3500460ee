import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { runAction } from '../support/run-action.js'
import { startMoto, type MotoServer } from '../support/moto.js'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { readBackendConfig, type BackendConfig } from '@tfpipe/state/backend-config.js'
import { createStateClients, type StateClients } from '@tfpipe/state/clients.js'
import { currentStateVersion } from '@tfpipe/state/current.js'
import { forceUnlock, listLocks } from '@tfpipe/state/locks.js'
import { lockItemId } from '@tfpipe/state/lock-info.js'
import { listStateVersions } from '@tfpipe/state/versions.js'
import { formatDeployTagMessage, type DeployMetadata } from '@tfpipe/github/deploy-tags.js'
import { stateFixture, type StateFixture } from '../support/state-fixture.js'

let moto: MotoServer
let github: GitHubServer
let fx: StateFixture
let config: BackendConfig
let clients: StateClients
let versions: string[]

beforeAll(async () => {
  moto = await startMoto()
  github = await startGitHubServer()
  fx = await stateFixture(moto, { lockfile: true, dynamodb: true })
  for (const r of [1, 2, 3]) await fx.apply(r)
  config = readBackendConfig(fx.dir)
  clients = createStateClients(config)
  versions = (await listStateVersions(config, clients)).map((v) => v.versionId)
}, 180_000)

afterAll(async () => {
  clients?.destroy()
  await github?.close()
  await moto?.close()
})

function run(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction('rollback-state', {
    inputs,
    env: { ...moto.env, GITHUB_API_URL: github.url, ...env },
    eventName: 'workflow_dispatch',
  })
}

describe('dist/rollback-state', () => {
  test('wrong confirmation: refused with one line, before touching anything', async () => {
    const before = await currentStateVersion(config, clients)
    const r = await run({
      'working-directory': fx.dir,
      environment: 'prod',
      confirmation: 'rollback-dev',
      'dry-run': 'false',
    })
    expect(r.exitCode).toBe(1)
    const errors = r.annotations.filter((a) => a.startsWith('::error'))
    expect(errors).toEqual([
      "::error::rollback-state: Input 'confirmation' must be exactly 'rollback-prod' to roll back prod; got 'rollback-dev'. Nothing was changed.",
    ])
    expect(await currentStateVersion(config, clients)).toEqual(before)
    // Missing environment when writing is refused too.
    const r2 = await run({ 'working-directory': fx.dir, 'dry-run': 'false' })
    expect(r2.exitCode).toBe(1)
    expect(r2.stdout).toContain("Writing needs 'environment'")
  }, 60_000)

  test('dry run by default: preview in log, summary and outputs; nothing written', async () => {
    const before = await currentStateVersion(config, clients)
    const r = await run({ 'working-directory': fx.dir, environment: 'prod' })
    expect(r.stderr).not.toContain('Error')
    expect(r.exitCode).toBe(0)
    expect(r.outputs['restored-version-id']).toBe(versions[1])
    expect(r.outputs['previous-version-id']).toBe(versions[0])
    expect(r.outputs['new-version-id']).toBe('')
    expect(r.outputs.serial).toBe(String((before?.serial ?? 0) + 1))
    expect(r.outputs.lineage).toBe(before?.lineage)
    expect(JSON.parse(r.outputs.diff ?? '')).toEqual({
      added: [],
      removed: ['terraform_data.worker[0]'],
      changed: ['terraform_data.app', 'terraform_data.cache[0]'],
    })
    expect(r.stdout).toContain('  - terraform_data.worker[0]')
    expect(r.summary).toContain('Rollback preview (dry run) — prod')
    expect(r.summary).toContain('confirmation: rollback-prod')
    expect(await currentStateVersion(config, clients)).toEqual(before)
    expect(await listStateVersions(config, clients)).toHaveLength(3)
  }, 60_000)

  test('explicit bucket/key/region/endpoint inputs work without a working directory', async () => {
    const r = await run({
      bucket: fx.bucket,
      key: fx.key,
      region: 'us-east-1',
      endpoint: moto.endpoint,
      'dynamodb-table': fx.table,
      'use-lockfile': 'true',
      'steps-back': '2',
    })
    expect(r.exitCode).toBe(0)
    expect(r.outputs['restored-version-id']).toBe(versions[2])
  }, 60_000)

  test('a held lock: the write refuses after lock-timeout, naming the holder; the state is untouched', async () => {
    const before = await currentStateVersion(config, clients)
    const info = {
      ID: 'e2e-lock-1',
      Operation: 'OperationTypeApply',
      Info: '',
      Who: 'dave@runner-9',
      Version: '1.11.4',
      Created: '2026-11-22T05:00:00Z',
      Path: lockItemId(config),
    }
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: fx.table,
        Item: { LockID: { S: lockItemId(config) }, Info: { S: JSON.stringify(info) } },
      }),
    )
    try {
      const r = await run({
        'working-directory': fx.dir,
        environment: 'prod',
        confirmation: 'rollback-prod',
        'dry-run': 'false',
        'lock-timeout': '2s',
      })
      expect(r.exitCode).toBe(1)
      expect(r.stdout).toMatch(
        /::error::rollback-state: Cannot roll back: the state is locked .* by dave@runner-9 since 2026-11-22T05:00:00Z for OperationTypeApply; lock ID e2e-lock-1/,
      )
      expect(await currentStateVersion(config, clients)).toEqual(before)
    } finally {
      await forceUnlock(config, clients, 'e2e-lock-1')
    }
  }, 60_000)

  test('confirmed write with steps-back 2: terraform then sees revision 1 as the state', async () => {
    const before = await currentStateVersion(config, clients)
    const r = await run({
      'working-directory': fx.dir,
      environment: 'prod',
      confirmation: 'rollback-prod',
      'dry-run': 'false',
      'steps-back': '2',
      reason: 'INC-42',
    })
    expect(r.exitCode).toBe(0)
    expect(r.outputs['restored-version-id']).toBe(versions[2])
    expect(r.outputs['previous-version-id']).toBe(versions[0])
    const now = await currentStateVersion(config, clients)
    expect(r.outputs['new-version-id']).toBe(now?.versionId)
    expect(r.outputs.serial).toBe(String((before?.serial ?? 0) + 1))
    expect(now?.serial).toBe((before?.serial ?? 0) + 1)
    expect(r.summary).toContain('State rolled back — prod')
    expect(r.summary).toContain(`version-id: ${versions[0]}`)
    expect(r.summary).toContain('INC-42')
    expect(await listLocks(config, clients)).toEqual([])
    const plan = await fx.tf(['plan', '-input=false', '-no-color', '-detailed-exitcode', '-var=revision=1'])
    expect(plan.stderr).toBe('')
    expect(plan.code).toBe(0)
  }, 90_000)

  test('deployment-tag: restores the state version the deploy tag recorded', async () => {
    const target = versions[1]! // revision 2
    const metadata: DeployMetadata = {
      schema: 1,
      environment: 'prod',
      sha: 'b'.repeat(40),
      status: 'success',
      repository: 'acme/infra',
      runUrl: 'https://github.example.test/acme/infra/actions/runs/1',
      actor: 'octocat',
      workingDirectory: '.',
      fingerprint: null,
      counts: { add: 1, change: 0, destroy: 0 },
      state: {
        bucket: fx.bucket,
        key: fx.key,
        versionId: target,
        serial: 2,
        lineage: (await currentStateVersion(config, clients))?.lineage ?? '',
      },
      startedAt: '2026-11-22T04:00:00Z',
      finishedAt: '2026-11-22T04:01:00Z',
    }
    const headers = { authorization: 'token test-token', 'content-type': 'application/json' }
    const tag = (await (
      await fetch(`${github.url}/repos/acme/infra/git/tags`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          tag: 'deploy-prod-20261122-040100',
          message: formatDeployTagMessage(metadata),
          object: 'b'.repeat(40),
          type: 'commit',
        }),
      })
    ).json()) as { sha: string }
    const ref = await fetch(`${github.url}/repos/acme/infra/git/refs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ref: 'refs/tags/deploy-prod-20261122-040100', sha: tag.sha }),
    })
    expect(ref.status).toBe(201)

    const r = await run({
      'working-directory': fx.dir,
      'deployment-tag': 'deploy-prod-20261122-040100',
      environment: 'prod',
      confirmation: 'rollback-prod',
      'dry-run': 'false',
      'github-token': 'test-token',
    })
    expect(r.stdout).not.toContain('::error')
    expect(r.exitCode).toBe(0)
    expect(r.outputs['restored-version-id']).toBe(target)
    expect(r.summary).toContain('deploy tag deploy-prod-20261122-040100')
    const plan = await fx.tf(['plan', '-input=false', '-no-color', '-detailed-exitcode', '-var=revision=2'])
    expect(plan.code).toBe(0)

    // A tag of another environment is refused.
    const wrong = await run({
      'working-directory': fx.dir,
      'deployment-tag': 'deploy-prod-20261122-040100',
      environment: 'staging',
      'github-token': 'test-token',
    })
    expect(wrong.exitCode).toBe(1)
    expect(wrong.stdout).toContain("is for environment 'prod', not 'staging'")
    const missing = await run({
      'working-directory': fx.dir,
      'deployment-tag': 'deploy-prod-nope',
      'github-token': 'test-token',
    })
    expect(missing.exitCode).toBe(1)
    expect(missing.stdout).toContain("Deploy tag 'deploy-prod-nope' does not exist")
  }, 90_000)
})
