/**
 * The bundles with OpenTofu (`binary: tofu`, built by scripts/setup/tofu.sh): drift-check plans a
 * stack tofu applied and opens its issue; rollback-state restores a state tofu wrote to S3 and tofu
 * then plans against the restored version. (plan-and-comment runs with both binaries in
 * plan-and-comment-terraform.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readBackendConfig } from '@tfpipe/state/backend-config.js'
import { createStateClients } from '@tfpipe/state/clients.js'
import { listStateVersions } from '@tfpipe/state/versions.js'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { startMoto, type MotoServer } from '../support/moto.js'
import { runAction } from '../support/run-action.js'
import { copyExample, ensureProviderMirror, terraform, terraformEnv } from '../support/terraform.js'
import { stateFixture } from '../support/state-fixture.js'
import { startAll } from '../support/start-all.js'

ensureProviderMirror()

let github: GitHubServer
let moto: MotoServer

beforeAll(async () => {
  ;[github, moto] = await startAll([startGitHubServer(), startMoto()])
}, 60_000)
afterAll(async () => Promise.all([github?.close(), moto?.close()]))

const tfEnv = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(terraformEnv()).filter(
      ([k, v]) => (k.startsWith('TF_') || k === 'CHECKPOINT_DISABLE') && v !== undefined,
    ),
  ) as Record<string, string>

describe('OpenTofu', () => {
  test('drift-check with binary tofu: a file edited outside tofu is drift, and its issue is opened', async () => {
    const work = copyExample('drift')
    const stack = join(work, 'app')
    await terraform(['init', '-input=false', '-no-color'], stack, { binary: 'tofu' })
    await terraform(['apply', '-auto-approve', '-input=false', '-no-color'], stack, { binary: 'tofu' })
    // tofu wrote this state: its version and its registry's provider address
    const state = JSON.parse(readFileSync(join(stack, 'terraform.tfstate'), 'utf8')) as {
      terraform_version: string
      resources: { provider: string }[]
    }
    expect(state.terraform_version).toMatch(/^1\.10\./)
    expect(state.resources[0]?.provider).toBe('provider["registry.opentofu.org/hashicorp/local"]')
    writeFileSync(join(stack, 'app.conf'), 'replicas = 9\n')
    const run = await runAction('drift-check', {
      cwd: work,
      eventName: 'schedule',
      inputs: { environment: 'prod', 'github-token': 'test-token', 'working-directory': 'app', binary: 'tofu' },
      env: { GITHUB_API_URL: github.url, ...tfEnv() },
      timeoutMs: 170_000,
    })
    expect(run.annotations.filter((a) => a.startsWith('::error'))).toEqual([])
    expect(run.outputs.drifted).toBe('true')
    const issue = github.issues().find((i) => (i.body ?? '').startsWith('<!-- tfpipe:drift-check env=prod dir=app -->'))
    expect(issue?.state).toBe('open')
    expect(issue?.body).toContain('local_file.app_config')
  }, 180_000)

  test('rollback-state restores a state tofu wrote, and tofu plans against the restored version', async () => {
    const fx = await stateFixture(moto, { lockfile: true, dynamodb: true, binary: 'tofu' })
    for (const revision of [1, 2]) await fx.apply(revision)
    const config = readBackendConfig(fx.dir)
    const clients = createStateClients(config)
    try {
      const [current, previous] = (await listStateVersions(config, clients)).map((v) => v.versionId)
      const run = await runAction('rollback-state', {
        inputs: {
          'working-directory': fx.dir,
          environment: 'prod',
          confirmation: 'rollback-prod',
          'dry-run': 'false',
          'steps-back': '1',
          reason: 'INC-7',
        },
        env: { ...moto.env, GITHUB_API_URL: github.url },
        eventName: 'workflow_dispatch',
      })
      expect(run.annotations).toEqual([])
      expect(run.outputs['restored-version-id']).toBe(previous)
      expect(run.outputs['previous-version-id']).toBe(current)
      // tofu reads the restored state (serial bumped, digest rewritten): revision 1 is what it holds now.
      const plan = await fx.tf(['plan', '-input=false', '-no-color', '-detailed-exitcode', '-var=revision=1'])
      expect(plan.stderr).toBe('')
      expect(plan.code).toBe(0)
    } finally {
      clients.destroy()
    }
  }, 180_000)
})
