/**
 * The whole loop, in the order the reusable workflows run it, with the committed dist/ bundles run as the
 * runner runs them, real terraform on an S3 backend served by moto, the local GitHub REST server and the
 * local Slack receiver:
 * plan on a PR → comment → gate → apply → tag → notify → second deploy → a change made outside terraform →
 * drift issue opened → rollback to the first deploy tag → the state is that tag's and, applied at the tag's
 * commit, terraform plans cleanly → drift issue closed → notify.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import {
  backendConfigArgs,
  createLockTable,
  createStateBucket,
  motoS3Client,
  startMoto,
  type MotoServer,
} from '../support/moto.js'
import { repoRoot, runAction, type ActionRun } from '../support/run-action.js'
import { startSlackReceiver, type SlackReceiver } from '../support/slack-receiver.js'
import { ensureProviderMirror, terraform, terraformEnv } from '../support/terraform.js'
import { startAll } from '../support/start-all.js'

const BUCKET = 'acme-tfstate'
const TABLE = 'acme-tflocks'
const KEY = 'pipeline/terraform.tfstate'
const PR = 7
const SHA1 = '1'.repeat(40) // merge commit of PR 7: revision 1
const SHA2 = '2'.repeat(40) // revision 2

let moto: MotoServer
let github: GitHubServer
let slack: SlackReceiver
let repo: string // the caller's checkout: .github/terraform-policy.yml and stack/
let stack: string

const POLICY = `version: 1
environments:
  dev:
    destroy:
      max: 0
    confirmation: "deploy-{env}"
    approvals:
      required-reviewers: 1
      on-unreadable: fail
    reviewed-plan:
      required: true
`

function actionEnv(sha: string): Record<string, string> {
  const tf = terraformEnv()
  const pick = (k: string) => (tf[k] ? { [k]: tf[k] } : {})
  return {
    ...moto.env,
    ...pick('TF_CLI_CONFIG_FILE'),
    ...pick('TF_PLUGIN_CACHE_DIR'),
    TF_INPUT: '0',
    GITHUB_API_URL: github.url,
    GITHUB_SHA: sha,
  }
}

async function run(
  name: string,
  sha: string,
  inputs: Record<string, string>,
  event: Record<string, unknown> = {},
  eventName = 'workflow_dispatch',
): Promise<ActionRun> {
  const result = await runAction(name, {
    cwd: repo,
    inputs: { 'github-token': 'test-token', ...inputs },
    event,
    eventName,
    env: actionEnv(sha),
  })
  if (result.exitCode !== 0) throw new Error(`${name} failed (${result.exitCode}):\n${result.stdout}\n${result.stderr}`)
  return result
}

async function plan(revision: number, file: string): Promise<void> {
  await terraform(['plan', '-input=false', `-var=revision=${revision}`, `-out=${file}`], stack)
}

async function stateInS3(): Promise<{
  serial: number
  lineage: string
  resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[]
}> {
  const object = await motoS3Client(moto.endpoint).send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }))
  return JSON.parse(await object.Body!.transformToString())
}

const addresses = (state: Awaited<ReturnType<typeof stateInS3>>) =>
  state.resources.map((r) => `${r.type}.${r.name}`).sort()

beforeAll(async () => {
  ensureProviderMirror()
  ;[moto, github, slack] = await startAll([startMoto(), startGitHubServer(), startSlackReceiver()])
  await createStateBucket(moto.endpoint, BUCKET)
  await createLockTable(moto.endpoint, TABLE)
  repo = mkdtempSync(join(tmpdir(), 'pipeline-repo-'))
  stack = join(repo, 'stack')
  cpSync(join(repoRoot, 'examples', 'pipeline'), stack, { recursive: true })
  mkdirSync(join(repo, '.github'))
  writeFileSync(join(repo, '.github', 'terraform-policy.yml'), POLICY)
  github.setEnvironment('dev', { reviewers: ['alice'] })
  github.addPullRequest({ number: PR, head_sha: 'f'.repeat(40), merge_commit_sha: SHA1, merged: true, state: 'closed' })
  await terraform(
    ['init', '-input=false', ...backendConfigArgs(moto.endpoint, { bucket: BUCKET, key: KEY, dynamodbTable: TABLE })],
    stack,
    { env: moto.env },
  )
}, 180_000)

afterAll(async () => {
  await Promise.all([moto?.close(), github?.close(), slack?.close()])
})

describe('the pipeline, end to end', () => {
  let fingerprint = ''
  let firstTag = ''
  let firstStateVersion = ''
  let issueNumber = 0

  it('plans the PR and posts one sticky comment with the fingerprint', async () => {
    await plan(1, 'pr.tfplan')
    const result = await run(
      'plan-and-comment',
      'f'.repeat(40),
      { 'plan-file': 'pr.tfplan', 'working-directory': 'stack', environment: 'dev', 'upload-artifact': 'false' },
      { pull_request: { number: PR } },
      'pull_request',
    )
    expect(result.outputs).toMatchObject({ 'has-changes': 'true', add: '2', change: '0', destroy: '0', replace: '0' })
    fingerprint = result.outputs.fingerprint ?? ''
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/)
    const comments = github.comments(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toContain(`fingerprint=${fingerprint}`)
    expect(comments[0]?.body).toContain('local_file.app_conf')
  })

  it('refuses the deploy without the typed confirmation', async () => {
    await plan(1, 'deploy.tfplan')
    const refused = await runAction('safety-gate', {
      cwd: repo,
      inputs: {
        'github-token': 'test-token',
        environment: 'dev',
        'plan-file': 'deploy.tfplan',
        'working-directory': 'stack',
      },
      env: actionEnv(SHA1),
    })
    expect(refused.exitCode).toBe(1)
    expect(refused.outputs.allowed).toBe('false')
    expect(JSON.parse(refused.outputs.violations ?? '[]').map((v: { check: string }) => v.check)).toContain(
      'confirmation',
    )
  })

  it('lets the reviewed plan through the gate, applies it, tags the deploy and tells Slack', async () => {
    const gate = await run('safety-gate', SHA1, {
      environment: 'dev',
      'plan-file': 'deploy.tfplan',
      'working-directory': 'stack',
      confirmation: 'deploy-dev',
    })
    expect(gate.outputs.allowed).toBe('true')
    // The gate read the reviewed fingerprint from the PR comment and the environment's protection rules.
    expect(github.requests.some((r) => r.method === 'GET' && r.path.endsWith(`/issues/${PR}/comments`))).toBe(true)
    expect(github.requests.some((r) => r.method === 'GET' && r.path.endsWith('/environments/dev'))).toBe(true)

    await terraform(['apply', '-input=false', 'deploy.tfplan'], stack, { env: moto.env })
    writeFileSync(join(stack, 'deploy.json'), (await terraform(['show', '-json', 'deploy.tfplan'], stack)).stdout)

    const tag = await run('tag-deploy', SHA1, {
      environment: 'dev',
      'plan-json': 'stack/deploy.json',
      'working-directory': 'stack',
    })
    firstTag = tag.outputs.tag ?? ''
    expect(firstTag).toMatch(/^deploy-dev-\d{8}-\d{6}$/)
    expect(github.refs().map((r) => r.ref)).toContain(`refs/tags/${firstTag}`)
    const message = github.tagObjects().find((t) => t.tag === firstTag)?.message ?? ''
    const metadata = JSON.parse(
      message.split('-----BEGIN TFPIPE METADATA-----')[1]!.split('-----END TFPIPE METADATA-----')[0]!,
    )
    expect(metadata).toMatchObject({ environment: 'dev', sha: SHA1, fingerprint })
    firstStateVersion = metadata.state.versionId
    expect(firstStateVersion).toBeTruthy()
    expect(github.deployments()[0]).toMatchObject({ sha: SHA1, environment: 'dev' })

    await run('notify-slack', SHA1, {
      event: 'deploy-succeeded',
      environment: 'dev',
      'webhook-url': slack.webhookUrl(),
      details: JSON.stringify({ tag: firstTag, add: 2, fingerprint }),
    })
    const sent = slack.requests.filter((r) => r.status === 200)
    expect(sent).toHaveLength(1)
    expect(sent[0]?.body).toContain(firstTag)
    expect(sent[0]?.body).toContain('Deploy succeeded')
  })

  it('deploys a second revision on top', async () => {
    await plan(2, 'r2.tfplan')
    await terraform(['apply', '-input=false', 'r2.tfplan'], stack, { env: moto.env })
    const tag = await run('tag-deploy', SHA2, { environment: 'dev', 'working-directory': 'stack' })
    expect(tag.outputs['previous-tag']).toBe(firstTag)
    expect(addresses(await stateInS3())).toEqual(['local_file.app_conf', 'terraform_data.app', 'terraform_data.cache'])
  })

  it('opens a drift issue after a change made outside terraform', async () => {
    writeFileSync(join(stack, 'app.conf'), 'listen = 9090\n')
    const drift = await run('drift-check', SHA2, { 'working-directory': 'stack', environment: 'dev' })
    expect(drift.outputs.drifted).toBe('true')
    expect(Number(drift.outputs['drift-count'])).toBeGreaterThanOrEqual(1)
    const open = github.issues().filter((i) => i.state === 'open')
    expect(open).toHaveLength(1)
    expect(open[0]?.body).toContain('local_file.app_conf')
    issueNumber = open[0]!.number
  })

  it('rolls the state back to the first deploy tag, and the tag commit then plans cleanly', async () => {
    const before = await stateInS3()
    const rollback = await run('rollback-state', SHA2, {
      'working-directory': 'stack',
      'deployment-tag': firstTag,
      environment: 'dev',
      confirmation: 'rollback-dev',
      'dry-run': 'false',
      reason: 'drift after r2',
    })
    expect(rollback.outputs['restored-version-id']).toBe(firstStateVersion)
    const after = await stateInS3()
    expect(after.lineage).toBe(before.lineage)
    expect(after.serial).toBe(before.serial + 1)
    expect(addresses(after)).toEqual(['local_file.app_conf', 'terraform_data.app'])
    expect(after.resources.find((r) => r.name === 'app')?.instances[0]?.attributes.input).toEqual({
      type: 'string',
      value: 'app-r1',
    })

    // Apply at the tag's commit (revision 1): only the drifted file is put back, then nothing is left to do.
    await plan(1, 'restore.tfplan')
    const preview = await terraform(['show', '-no-color', 'restore.tfplan'], stack)
    expect(preview.stdout).toContain('Plan: 1 to add, 0 to change, 0 to destroy.')
    await terraform(['apply', '-input=false', 'restore.tfplan'], stack, { env: moto.env })
    expect(readFileSync(join(stack, 'app.conf'), 'utf8')).toBe('listen = 8080\n')
    const clean = await terraform(['plan', '-input=false', '-detailed-exitcode', '-var=revision=1'], stack, {
      allow: [0, 2],
    })
    expect(clean.exitCode).toBe(0)

    const drift = await run('drift-check', SHA1, { 'working-directory': 'stack', environment: 'dev' })
    expect(drift.outputs.drifted).toBe('false')
    expect(github.issues().find((i) => i.number === issueNumber)?.state).toBe('closed')

    await run('notify-slack', SHA1, {
      event: 'rollback-succeeded',
      environment: 'dev',
      'webhook-url': slack.webhookUrl(),
      details: JSON.stringify({
        'restored-version-id': rollback.outputs['restored-version-id'],
        serial: rollback.outputs.serial,
      }),
    })
    const sent = slack.requests.filter((r) => r.status === 200)
    expect(sent).toHaveLength(2)
    expect(sent[1]?.body).toContain('Rollback succeeded')
    expect(sent[1]?.body).toContain(firstStateVersion)
  })
})
