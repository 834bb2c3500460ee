/**
 * Every action, table-driven: bad inputs of every kind (missing, malformed JSON/YAML, wrong enum,
 * nonexistent file, state JSON instead of a plan, truncated or binary plan, negative numbers, an
 * unreachable or unauthorised GitHub). Each must fail the step with exactly one `::error::` line that
 * names the input and says what to change, with no stack trace and no secret (expectOneClearError).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expectOneClearError, refusedPort, type BadInputCase } from '../support/bad-input.js'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { repoRoot, runAction } from '../support/run-action.js'

const TOKEN = 'ghs_BadInputSecret0123456789abcdef'
const AUTH = 'Bearer tkt-AuthHeaderSecret-987654'
const WEBHOOK = 'https://hooks.slack.com/services/T000/B000/WebhookSecret42'
const SECRETS = [TOKEN, AUTH.slice(7), WEBHOOK.slice(-15)]

let server: GitHubServer
let refused: string
/** Stands for the refused API URL in a row (the port is known only once the tests start). */
const REFUSED = 'http://refused.invalid'
const plan = (name: string) => join(repoRoot, '__tests__', 'fixtures', 'plans', `${name}.json`)

// Files the rows point at, written when the module loads (the tables are built before beforeAll runs).
const dir = mkdtempSync(join(tmpdir(), 'bad-inputs-'))
const f: Record<string, string> = {}
const write = (name: string, text: string | Buffer) => {
  f[name] = join(dir, name)
  writeFileSync(f[name], text)
}
write('policy.yml', 'environments:\n  prod:\n    destroy: { max: 0 }\n')
write(
  'github-policy.yml',
  'environments:\n  prod:\n    approvals: { required-reviewers: 1 }\n    promotion: { requires: [dev] }\n',
)
write(
  'ticket-policy.yml',
  'environments:\n  prod:\n    ticket: { required: true, verify-url: "http://127.0.0.1:9/t/{ticket}" }\n',
)
write('broken.yml', 'environments:\n  prod:\n    destroy: { max: 0\n')
write('enum.yml', 'environments:\n  prod:\n    windows:\n      - days: [monday]\n')
write('state.json', JSON.stringify({ format_version: '1.0', terraform_version: '1.11.4', values: { root_module: {} } }))
write(
  'tfstate.json',
  JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 3, lineage: 'x', outputs: {}, resources: [] }),
)
write('truncated.json', readFileSync(plan('delete'), 'utf8').slice(0, 700))
write('binary.tfplan', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x01]))
write('future.json', readFileSync(plan('create'), 'utf8').replace('"format_version":"1.2"', '"format_version":"9.0"'))
write('bad.sarif', '{"runs": ')
write('infracost.json', '{"currency": "USD", "diffTotalMonthlyCost": ')
mkdirSync(join(dir, 'stack'))
writeFileSync(join(dir, 'stack', 'main.tf'), '')

beforeAll(async () => {
  server = await startGitHubServer({ tokens: { [TOKEN]: { login: 'github-actions[bot]', type: 'Bot', id: 41898282 } } })
  refused = `http://127.0.0.1:${await refusedPort()}`
})
afterAll(() => server.close())

function withApi(env: Record<string, string> = {}): Record<string, string> {
  const out = { GITHUB_API_URL: server.url, GITHUB_TOKEN: TOKEN, ...env }
  if (out.GITHUB_API_URL === REFUSED) out.GITHUB_API_URL = refused
  return out
}

/** Runs one row and applies the rule; GitHub is the local server unless the row says otherwise. */
async function check(action: string, c: BadInputCase): Promise<void> {
  const run = await runAction(action, { inputs: c.inputs, env: withApi(c.env), cwd: dir, timeoutMs: 60_000 })
  expectOneClearError(run, c, SECRETS)
}

const gate = (inputs: Record<string, string>) => ({
  environment: 'prod',
  'policy-file': f['policy.yml']!,
  'github-token': TOKEN,
  ...inputs,
})

describe('safety-gate: bad inputs', () => {
  const rows: BadInputCase[] = [
    {
      name: 'environment missing',
      inputs: gate({ environment: '' }),
      names: 'environment',
      says: "set it in the step's 'with:'",
    },
    {
      name: 'policy file does not exist',
      inputs: gate({ 'policy-file': join(dir, 'nope.yml') }),
      names: 'policy-file',
      says: 'create it or set policy-file',
    },
    {
      name: 'policy is malformed YAML',
      inputs: gate({ 'policy-file': f['broken.yml']! }),
      names: 'policy-file',
      says: /is not a valid policy [\s\S]*line \d+, column \d+/,
    },
    {
      name: 'policy has a wrong enum',
      inputs: gate({ 'policy-file': f['enum.yml']! }),
      names: 'policy-file',
      says: 'environments.prod.windows[0].days[0]: must be one of mon..sun',
    },
    {
      name: 'environment not in the policy',
      inputs: gate({ environment: 'qa' }),
      names: 'environment',
      says: 'add environments.qa',
    },
    {
      name: 'plan-json does not exist',
      inputs: gate({ 'plan-json': join(dir, 'nope.json') }),
      names: 'plan-json',
      says: 'check the path',
    },
    {
      name: 'plan-json is state JSON',
      inputs: gate({ 'plan-json': f['state.json']! }),
      names: 'plan-json',
      says: 'is state JSON',
    },
    {
      name: 'plan-json is a raw state file',
      inputs: gate({ 'plan-json': f['tfstate.json']! }),
      names: 'plan-json',
      says: 'raw state file',
    },
    {
      name: 'plan-json is truncated',
      inputs: gate({ 'plan-json': f['truncated.json']! }),
      names: 'plan-json',
      says: 'pass the output of `terraform show -json <planfile>`',
    },
    {
      name: 'plan-json is a binary plan',
      inputs: gate({ 'plan-json': f['binary.tfplan']! }),
      names: 'plan-json',
      says: 'binary plan file',
    },
    {
      name: 'plan-json of an unknown format',
      inputs: gate({ 'plan-json': f['future.json']! }),
      names: 'plan-json',
      says: 'Terraform 0.12 and later',
    },
    {
      name: 'plan-json and plan-file together',
      inputs: gate({ 'plan-json': plan('create'), 'plan-file': 'tfplan' }),
      names: 'plan-file',
      says: 'not both',
    },
    {
      name: 'binary is a wrong enum',
      inputs: gate({ binary: 'terragrunt' }),
      names: 'binary',
      says: "must be one of 'terraform', 'tofu'",
    },
    {
      name: 'force-recreate is not a boolean',
      inputs: gate({ 'force-recreate': 'maybe' }),
      names: 'force-recreate',
      says: 'must be true or false',
    },
    {
      name: 'infracost-json is truncated JSON',
      inputs: gate({ 'infracost-json': f['infracost.json']! }),
      names: 'infracost-json',
      says: 'infracost diff --format json',
    },
    {
      name: 'sarif is malformed',
      inputs: gate({ sarif: f['bad.sarif']! }),
      names: 'sarif',
      says: 'give a SARIF 2.1.0 file',
    },
    {
      name: 'ticket-auth-header is not a header line',
      inputs: gate({ 'policy-file': f['ticket-policy.yml']!, 'ticket-auth-header': AUTH.slice(7) }),
      names: 'ticket-auth-header',
      says: "'Name: value'",
    },
    {
      name: 'github-token is rejected',
      inputs: gate({ 'policy-file': f['github-policy.yml']!, 'github-token': `${TOKEN}-revoked` }),
      names: 'github-token',
      says: 'pass a valid token',
    },
    {
      name: 'GitHub API is unreachable',
      inputs: gate({ 'policy-file': f['github-policy.yml']! }),
      env: { GITHUB_API_URL: REFUSED },
      names: 'GITHUB_API_URL',
      says: 'connection refused',
    },
    {
      name: 'repository is unknown',
      inputs: gate({ 'policy-file': f['github-policy.yml']! }),
      env: { GITHUB_REPOSITORY: 'acme/nope' },
      names: 'repository acme/nope',
      says: 'check GITHUB_REPOSITORY',
    },
  ]
  const cases = () => rows
  it('has at least ten rows', () => expect(cases().length).toBeGreaterThanOrEqual(10))
  it.each(cases().map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    if (c.env?.GITHUB_REPOSITORY)
      server.failNext({ method: 'GET', path: '/repos/acme/nope' }, { status: 404, body: { message: 'Not Found' } })
    const started = Date.now()
    await check('safety-gate', c)
    expect(Date.now() - started).toBeLessThan(20_000) // an unreachable API fails fast, not after ~90 s of retries
  })
})

const pac = (inputs: Record<string, string>) => ({
  'plan-json': plan('create'),
  environment: 'prod',
  'github-token': TOKEN,
  'upload-artifact': 'false',
  ...inputs,
})
const PR_EVENT = { pull_request: { number: 1, head: { sha: 'a'.repeat(40) } } }

describe('plan-and-comment: bad inputs', () => {
  const rows: BadInputCase[] = [
    { name: 'no plan given', inputs: pac({ 'plan-json': '' }), names: 'plan-json', says: "Give 'plan-file'" },
    {
      name: 'plan-json and plan-file together',
      inputs: pac({ 'plan-file': 'tfplan' }),
      names: 'plan-file',
      says: 'not both',
    },
    {
      name: 'plan-text without plan-json',
      inputs: pac({ 'plan-json': '', 'plan-file': 'tfplan', 'plan-text': 'x.txt' }),
      names: 'plan-text',
      says: "goes with 'plan-json'",
    },
    {
      name: 'plan-json does not exist',
      inputs: pac({ 'plan-json': 'nope.json' }),
      names: 'plan-json',
      says: 'check the path',
    },
    {
      name: 'plan-json is state JSON',
      inputs: pac({ 'plan-json': f['state.json']! }),
      names: 'plan-json',
      says: 'is state JSON',
    },
    {
      name: 'plan-json is truncated',
      inputs: pac({ 'plan-json': f['truncated.json']! }),
      names: 'plan-json',
      says: 'pass the output of `terraform show -json <planfile>`',
    },
    {
      name: 'plan-json is a binary plan',
      inputs: pac({ 'plan-json': f['binary.tfplan']! }),
      names: 'plan-json',
      says: 'binary plan file',
    },
    {
      name: 'comment is a wrong enum',
      inputs: pac({ comment: 'sometimes' }),
      names: 'comment',
      says: "must be one of 'update', 'new', 'changes-only', 'off'",
    },
    {
      name: 'retention-days is negative',
      inputs: pac({ 'retention-days': '-5' }),
      names: 'retention-days',
      says: 'must be at least 1',
    },
    {
      name: 'upload-artifact is not a boolean',
      inputs: pac({ 'upload-artifact': 'perhaps' }),
      names: 'upload-artifact',
      says: 'must be true or false',
    },
    {
      name: 'binary is a wrong enum',
      inputs: pac({ binary: 'terragrunt' }),
      names: 'binary',
      says: "must be one of 'terraform', 'tofu'",
    },
    {
      name: 'github-token is rejected',
      inputs: pac({ 'github-token': `${TOKEN}-revoked` }),
      names: 'github-token',
      says: 'Pass a valid token',
    },
    {
      name: 'GitHub API is unreachable',
      inputs: pac({}),
      env: { GITHUB_API_URL: REFUSED },
      names: 'GITHUB_API_URL',
      says: 'connection refused',
    },
  ]
  const cases = () => rows
  it('has at least ten rows', () => expect(cases().length).toBeGreaterThanOrEqual(10))
  it.each(cases().map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const run = await runAction('plan-and-comment', {
      inputs: c.inputs,
      event: PR_EVENT,
      env: withApi(c.env),
      cwd: dir,
      timeoutMs: 60_000,
    })
    expectOneClearError(run, c, SECRETS)
  })
})

const td = (inputs: Record<string, string>) => ({
  environment: 'prod',
  'github-token': TOKEN,
  sha: 'b'.repeat(40),
  ...inputs,
})

describe('tag-deploy: bad inputs', () => {
  const rows: BadInputCase[] = [
    {
      name: 'environment missing',
      inputs: td({ environment: '' }),
      names: 'environment',
      says: "set it in the step's 'with:'",
    },
    {
      name: 'environment cannot be in a tag',
      inputs: td({ environment: 'prod env' }),
      names: 'environment',
      says: 'Use a name such as prod',
    },
    {
      name: 'mode is a wrong enum',
      inputs: td({ mode: 'delete' }),
      names: 'mode',
      says: "must be one of 'tag', 'list'",
    },
    {
      name: 'status is a wrong enum',
      inputs: td({ status: 'ok' }),
      names: 'status',
      says: "must be one of 'success', 'failure'",
    },
    {
      name: 'limit is negative',
      inputs: td({ mode: 'list', limit: '-1' }),
      names: 'limit',
      says: 'must be at least 1',
    },
    {
      name: 'limit is not a number',
      inputs: td({ mode: 'list', limit: 'ten' }),
      names: 'limit',
      says: 'must be a whole number',
    },
    {
      name: 'tag-format has an unknown placeholder',
      inputs: td({ 'tag-format': 'deploy-{env}-{date}' }),
      names: 'tag-format',
      says: 'use {env}, {timestamp}, {sha} or {run}',
    },
    {
      name: 'tag-format without {env}',
      inputs: td({ 'tag-format': 'deploy-{timestamp}' }),
      names: 'tag-format',
      says: 'must contain {env}',
    },
    {
      name: 'deployment is not a boolean',
      inputs: td({ deployment: 'perhaps' }),
      names: 'deployment',
      says: 'must be true or false',
    },
    {
      name: 'plan-json does not exist',
      inputs: td({ 'plan-json': 'nope.json' }),
      names: 'plan-json',
      says: 'check the path',
    },
    {
      name: 'plan-json is truncated',
      inputs: td({ 'plan-json': f['truncated.json']! }),
      names: 'plan-json',
      says: 'pass the output of `terraform show -json <planfile>`',
    },
    {
      name: 'plan-json is state JSON',
      inputs: td({ 'plan-json': f['state.json']! }),
      names: 'plan-json',
      says: 'is state JSON',
    },
    {
      name: 'github-token is rejected',
      inputs: td({ 'github-token': `${TOKEN}-revoked` }),
      names: 'github-token',
      says: 'Pass a valid token',
    },
    {
      name: 'GitHub API is unreachable',
      inputs: td({}),
      env: { GITHUB_API_URL: REFUSED },
      names: 'GITHUB_API_URL',
      says: 'connection refused',
    },
  ]
  const cases = () => rows
  it('has at least ten rows', () => expect(cases().length).toBeGreaterThanOrEqual(10))
  it.each(cases().map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const started = Date.now()
    await check('tag-deploy', c)
    expect(Date.now() - started).toBeLessThan(20_000)
  })
})

const dc = (inputs: Record<string, string>) => ({
  'working-directory': 'stack',
  'github-token': TOKEN,
  issue: 'false',
  ...inputs,
})

describe('drift-check: bad inputs', () => {
  const rows: BadInputCase[] = [
    {
      name: 'binary is not terraform or tofu',
      inputs: dc({ binary: 'terragrunt' }),
      names: 'binary',
      says: "must be one of 'terraform', 'tofu'",
    },
    {
      name: 'mode is a wrong enum',
      inputs: dc({ mode: 'quick' }),
      names: 'mode',
      says: "must be one of 'full', 'refresh-only'",
    },
    {
      name: 'var-file does not exist',
      inputs: dc({ 'var-file': 'nope.tfvars' }),
      names: 'var-file',
      says: 'fix the var-file input or add the file',
    },
    {
      name: 'working-directory does not exist',
      inputs: dc({ 'working-directory': 'no/such/dir' }),
      names: 'working-directory',
      says: 'no/such/dir',
    },
    {
      name: 'working-directory glob matches nothing',
      inputs: dc({ 'working-directory': 'nothing-*' }),
      names: 'working-directory',
      says: 'nothing-*',
    },
    {
      name: 'fail-on-drift is not a boolean',
      inputs: dc({ 'fail-on-drift': 'maybe' }),
      names: 'fail-on-drift',
      says: 'must be true or false',
    },
    { name: 'issue is not a boolean', inputs: dc({ issue: 'sure' }), names: 'issue', says: 'must be true or false' },
    {
      name: 'lock-max-age is not a duration',
      inputs: dc({ 'lock-max-age': 'forever' }),
      names: 'lock-max-age',
      says: 'must be a duration such as 90s',
    },
    {
      name: 'lock-max-age is negative',
      inputs: dc({ 'lock-max-age': '-30m' }),
      names: 'lock-max-age',
      says: 'must be a duration such as 90s',
    },
    {
      name: 'working-directory is a file',
      inputs: dc({ 'working-directory': 'policy.yml' }),
      names: 'working-directory',
      says: 'policy.yml',
    },
  ]
  const cases = () => rows
  it('has at least ten rows', () => expect(cases().length).toBeGreaterThanOrEqual(10))
  it.each(cases().map((c) => [c.name, c] as const))('%s', async (_name, c) => check('drift-check', c))
})

const rb = (inputs: Record<string, string>) => ({
  bucket: 'tfstate',
  key: 'app/terraform.tfstate',
  region: 'eu-west-1',
  'github-token': TOKEN,
  ...inputs,
})

describe('rollback-state: bad inputs', () => {
  const rows: BadInputCase[] = [
    {
      name: 'no backend given',
      inputs: { 'github-token': TOKEN },
      names: 'working-directory',
      says: "or all of 'bucket', 'key' and 'region'",
    },
    {
      name: 'workspace is not a workspace name',
      inputs: rb({ workspace: 'a b' }),
      names: 'workspace',
      says: 'must be a Terraform workspace name',
    },
    {
      name: 'endpoint is not a URL',
      inputs: rb({ endpoint: 'localhost:4566' }),
      names: 'endpoint',
      says: 'must be an http(s) URL',
    },
    {
      name: 'use-lockfile is not a boolean',
      inputs: rb({ 'use-lockfile': 'maybe' }),
      names: 'use-lockfile',
      says: 'must be true or false',
    },
    {
      name: 'two targets',
      inputs: rb({ 'version-id': 'v1', 'deployment-tag': 'deploy-prod-1' }),
      names: 'version-id',
      says: 'Set only one of',
    },
    {
      name: 'steps-back is negative',
      inputs: rb({ 'steps-back': '-2' }),
      names: 'steps-back',
      says: 'must be at least 1',
    },
    {
      name: 'steps-back is not a number',
      inputs: rb({ 'steps-back': 'two' }),
      names: 'steps-back',
      says: 'must be a whole number',
    },
    {
      name: 'dry-run is not a boolean',
      inputs: rb({ 'dry-run': 'nah' }),
      names: 'dry-run',
      says: 'must be true or false',
    },
    {
      name: 'a write without environment',
      inputs: rb({ 'dry-run': 'false' }),
      names: 'environment',
      says: 'or keep dry-run',
    },
    {
      name: 'a write with the wrong confirmation',
      inputs: rb({ 'dry-run': 'false', environment: 'prod', confirmation: 'yes' }),
      names: 'confirmation',
      says: "must be exactly 'rollback-prod'",
    },
    {
      name: 'lock-timeout is not a duration',
      inputs: rb({ 'lock-timeout': 'soon' }),
      names: 'lock-timeout',
      says: 'must be a duration such as 90s',
    },
    {
      name: 'working-directory does not exist',
      inputs: { 'working-directory': 'no/such/dir', 'github-token': TOKEN },
      names: 'working-directory',
      says: 'no/such/dir',
    },
  ]
  const cases = () => rows
  it('has at least ten rows', () => expect(cases().length).toBeGreaterThanOrEqual(10))
  it.each(cases().map((c) => [c.name, c] as const))('%s', async (_name, c) => check('rollback-state', c))
})

const ns = (inputs: Record<string, string>) => ({
  event: 'deploy-succeeded',
  environment: 'prod',
  'webhook-url': WEBHOOK,
  'dry-run': 'true',
  ...inputs,
})

describe('notify-slack: bad inputs', () => {
  const rows: BadInputCase[] = [
    { name: 'event missing', inputs: ns({ event: '' }), names: 'event', says: "set it in the step's 'with:'" },
    {
      name: 'event is a wrong enum',
      inputs: ns({ event: 'deployed' }),
      names: 'event',
      says: "must be one of 'plan-ready'",
    },
    {
      name: 'webhooks is malformed JSON',
      inputs: ns({ 'webhook-url': '', webhooks: `{"prod": "${WEBHOOK}"` }),
      names: 'webhooks',
      says: /JSON/,
    },
    {
      name: 'webhooks is not an object',
      inputs: ns({ 'webhook-url': '', webhooks: `["${WEBHOOK}"]` }),
      names: 'webhooks',
      says: /object|environment/,
    },
    {
      name: 'webhook-url is not a Slack URL',
      inputs: ns({ 'webhook-url': 'not a url' }),
      names: 'webhook-url',
      says: 'is not an http(s) URL; pass the incoming webhook URL from a secret',
    },
    { name: 'details is malformed JSON', inputs: ns({ details: '{"tag": ' }), names: 'details', says: /JSON/ },
    {
      name: 'required is not a boolean',
      inputs: ns({ required: 'sometimes' }),
      names: 'required',
      says: 'must be true or false',
    },
    {
      name: 'dry-run is not a boolean',
      inputs: ns({ 'dry-run': 'perhaps' }),
      names: 'dry-run',
      says: 'must be true or false',
    },
    {
      name: 'mention is not a Slack mention',
      inputs: ns({ mention: '@platform-team' }),
      names: 'mention',
      says: 'must be Slack mentions such as',
    },
    {
      name: 'required for prod but no destination',
      inputs: ns({ 'webhook-url': '', 'dry-run': 'false', required: 'true' }),
      names: 'webhook',
      says: /webhook/,
    },
  ]
  const cases = () => rows
  it('has at least ten rows', () => expect(cases().length).toBeGreaterThanOrEqual(10))
  it.each(cases().map((c) => [c.name, c] as const))('%s', async (_name, c) => check('notify-slack', c))
})
