import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runAction, type ActionRun } from '../support/run-action.js'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { copyExample, ensureProviderMirror, terraform, terraformEnv } from '../support/terraform.js'

/**
 * The committed dist/drift-check bundle run as the runner runs it, against real terraform with
 * hashicorp/local (drift = a managed file edited outside Terraform) and the local GitHub server.
 */
ensureProviderMirror()

let server: GitHubServer
let work: string
const GOOD = 'app\nnetwork\nconfig'

function tfEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(terraformEnv()))
    if (k.startsWith('TF_') || k === 'CHECKPOINT_DISABLE') env[k] = v!
  return env
}

function drift(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction('drift-check', {
    cwd: work,
    eventName: 'schedule',
    inputs: { environment: 'prod', 'github-token': 'test-token', 'lock-max-age': '30m', ...inputs },
    env: { GITHUB_API_URL: server.url, ...tfEnv() },
    timeoutMs: 170_000,
  })
}

const writes = (): { method: string; path: string; body: Record<string, unknown> }[] =>
  server.requests
    .filter((r) => r.method !== 'GET')
    .map((r) => ({ method: r.method, path: r.path, body: r.body as Record<string, unknown> }))

const issueFor = (dir: string) =>
  server.issues().find((i) => (i.body ?? '').startsWith(`<!-- tfpipe:drift-check env=prod dir=${dir} -->`))

beforeAll(async () => {
  server = await startGitHubServer()
  work = copyExample('drift')
  for (const s of ['app', 'network', 'config']) {
    await terraform(['init', '-input=false', '-no-color'], join(work, s))
    await terraform(['apply', '-auto-approve', '-input=false', '-no-color'], join(work, s))
  }
}, 180_000)

afterAll(async () => {
  await server.close()
  rmSync(work, { recursive: true, force: true })
})

describe('drift-check e2e (dist bundle, real terraform, local GitHub server)', () => {
  test('run 1: glob over 4 stacks; app drifted -> issue opened; broken -> error, not drift; a stale local lock reported', async () => {
    writeFileSync(join(work, 'app', 'app.conf'), 'replicas = 9\n')
    // a lock left behind by a crashed apply two hours ago (local backend lock info)
    const created = new Date(Date.now() - 2 * 3_600_000).toISOString()
    writeFileSync(
      join(work, 'config', '.terraform.tfstate.lock.info'),
      JSON.stringify({
        ID: 'f00d-1',
        Operation: 'OperationTypeApply',
        Info: '',
        Who: 'runner@ci-17',
        Version: '1.11.4',
        Created: created,
        Path: 'terraform.tfstate',
      }),
    )
    server.resetRequests()
    const run = await drift({ 'working-directory': '*' })
    // the broken stack fails the step, after outputs, issues and summary were written
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('::error::drift-check: broken could not be planned: terraform plan failed (exit 1)')
    expect(run.annotations.filter((a) => a.startsWith('::error'))).toHaveLength(1)
    expect(run.outputs.drifted).toBe('true')
    expect(run.outputs['drift-count']).toBe('1')
    expect(run.outputs['pending-count']).toBe('1')
    const stacks = JSON.parse(run.outputs.stacks!) as {
      dir: string
      status: string
      drift: string[]
      error?: string
      issue: number | null
    }[]
    expect(stacks.map((s) => [s.dir, s.status])).toEqual([
      ['app', 'drifted'],
      ['broken', 'error'],
      ['config', 'clean'],
      ['network', 'clean'],
    ])
    expect(stacks[0]!.drift).toEqual(['local_file.app_config'])
    expect(stacks[1]!.error).toBe('terraform plan failed (exit 1)')
    // issues: one lookup, one create
    const gets = server.requests.filter((r) => r.method === 'GET')
    expect(gets.map((g) => g.path)).toEqual(['/repos/acme/infra/issues'])
    expect(gets[0]!.query.state).toBe('all')
    const w = writes()
    expect(w.map((x) => `${x.method} ${x.path}`)).toEqual(['POST /repos/acme/infra/issues'])
    expect(w[0]!.body.labels).toEqual(['drift'])
    const body = w[0]!.body.body as string
    expect(body.split('\n')[0]).toBe('<!-- tfpipe:drift-check env=prod dir=app -->')
    expect(body).toMatch(/<!-- tfpipe:drift-state [A-Za-z0-9_-]+ -->/)
    expect(body).toContain('### Changed outside Terraform (1)')
    expect(body).toContain('| `local_file.app_config` | deleted outside Terraform |')
    expect(body).toContain('### Would change on apply (1)')
    expect(body).toContain('https://github.example.test/acme/infra/actions/runs/4242')
    expect(body).not.toContain('replicas') // values are never shown
    const issue = issueFor('app')!
    expect(JSON.parse(run.outputs['issue-numbers']!)).toEqual({ app: issue.number })
    // stale lock
    const locks = JSON.parse(run.outputs['stale-locks']!) as Record<string, unknown>[]
    expect(locks).toEqual([
      expect.objectContaining({
        dir: 'config',
        source: 'local',
        id: 'f00d-1',
        who: 'runner@ci-17',
        operation: 'OperationTypeApply',
        created,
      }),
    ])
    expect((locks[0]!.ageSeconds as number) >= 7200).toBe(true)
    expect(
      run.annotations.some(
        (a) => a.startsWith('::warning title=Stale state lock in config::') && a.includes('runner@ci-17'),
      ),
    ).toBe(true)
    // summary
    expect(run.summary).toContain('| Directory | Status | Drifted | Pending | Issue |')
    expect(run.summary).toContain(`| \`app\` | ⚠️ drifted | 1 | 1 | [#${issue.number}](`)
    expect(run.summary).toContain('| `broken` | ❌ error | — | — |')
    expect(run.summary).toContain('| `network` | ✅ clean | 0 | 0 |')
    expect(run.summary).toContain('no file exists')
    rmSync(join(work, 'config', '.terraform.tfstate.lock.info'))
  }, 180_000)

  test('run 2: same drift -> body updated, no duplicate, no comment; network drift -> its own issue; fail-on-drift fails after writing', async () => {
    const appIssue = issueFor('app')!
    const firstBody = appIssue.body
    writeFileSync(join(work, 'network', 'routes.txt'), '0.0.0.0/0 via somewhere-else\n')
    server.resetRequests()
    const run = await drift({ 'working-directory': GOOD, 'fail-on-drift': 'true' })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('::error::drift-check: drift in 2 stack(s): app, network (fail-on-drift is on).')
    expect(run.outputs.drifted).toBe('true')
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(1)
    expect(writes().map((x) => `${x.method} ${x.path}`)).toEqual([
      `PATCH /repos/acme/infra/issues/${appIssue.number}`,
      'POST /repos/acme/infra/issues',
    ])
    expect(server.comments(appIssue.number)).toHaveLength(0)
    expect(server.issues()).toHaveLength(2)
    const app = issueFor('app')!
    expect(app.body).not.toBe(firstBody)
    expect(app.body).toContain('**Last checked:**')
    const net = issueFor('network')!
    expect(net.body).toContain('`local_file.routes`')
    expect(JSON.parse(run.outputs['issue-numbers']!)).toEqual({ app: app.number, network: net.number })
  }, 180_000)

  test('run 3: the set of drifted resources changes -> a comment saying what is new', async () => {
    writeFileSync(join(work, 'network', 'firewall.txt'), 'allow all\n')
    server.resetRequests()
    const run = await drift({ 'working-directory': GOOD })
    expect(run.exitCode).toBe(0)
    const net = issueFor('network')!
    const comments = server.comments(net.number)
    expect(comments).toHaveLength(1)
    expect(comments[0]!.body).toContain('`local_file.firewall` (changed outside Terraform)')
    expect(comments[0]!.body).toContain('`local_file.firewall` (would change on apply)')
    expect(server.comments(issueFor('app')!.number)).toHaveLength(0)
    expect(writes()).toHaveLength(3) // 2 body updates + 1 comment
  }, 180_000)

  test('run 4: drift undone (re-applied) -> issues closed as completed with a comment', async () => {
    await terraform(['apply', '-auto-approve', '-input=false', '-no-color'], join(work, 'app'))
    await terraform(['apply', '-auto-approve', '-input=false', '-no-color'], join(work, 'network'))
    server.resetRequests()
    const run = await drift({ 'working-directory': GOOD, 'fail-on-drift': 'true' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.drifted).toBe('false')
    for (const dir of ['app', 'network']) {
      const issue = issueFor(dir)!
      expect(issue.state).toBe('closed')
      expect(issue.state_reason).toBe('completed')
      expect(server.comments(issue.number).at(-1)!.body).toContain(`No drift in \`${dir}\` any more`)
    }
    expect(run.summary).toContain('closed')
  }, 180_000)

  test('run 5: drift returns -> the same issue is reopened', async () => {
    rmSync(join(work, 'app', 'app.conf'))
    const before = server.issues().length
    server.resetRequests()
    const run = await drift({ 'working-directory': GOOD })
    expect(run.exitCode).toBe(0)
    expect(server.issues()).toHaveLength(before)
    const app = issueFor('app')!
    expect(app.state).toBe('open')
    expect(app.state_reason).toBe('reopened')
    expect(app.body).toContain('**Drifting since:**')
    expect(writes().map((x) => `${x.method} ${x.path}`)).toEqual([`PATCH /repos/acme/infra/issues/${app.number}`])
    expect(issueFor('network')!.state).toBe('closed')
    expect(JSON.parse(run.outputs.stacks!)[0]).toMatchObject({ dir: 'app', status: 'drifted', issue: app.number })
  }, 180_000)

  test('issue: false makes no GitHub request; refresh-only reports drift without pending', async () => {
    server.resetRequests()
    const run = await drift({ 'working-directory': 'app', issue: 'false', mode: 'refresh-only' })
    expect(run.exitCode).toBe(0)
    expect(server.requests).toHaveLength(0)
    expect(run.outputs['drift-count']).toBe('1')
    expect(run.outputs['pending-count']).toBe('0')
    expect(run.outputs['issue-numbers']).toBe('{}')
  }, 180_000)

  test('a failed issue lookup (token without issues permission) is a warning: no duplicate issue, outputs still set', async () => {
    rmSync(join(work, 'app', 'app.conf'), { force: true }) // app drifted (as left by run 5)
    server.failNext(
      { method: 'GET', path: '/repos/acme/infra/issues' },
      { status: 403, body: { message: 'Resource not accessible by integration' } },
      4,
    )
    server.resetRequests()
    const count = server.issues().length
    const run = await drift({ 'working-directory': 'app' })
    expect(run.exitCode).toBe(0)
    expect(server.issues()).toHaveLength(count)
    expect(writes()).toHaveLength(0)
    expect(run.outputs.drifted).toBe('true')
    const warning = run.annotations.find((a) => a.startsWith('::warning title=Drift issue not updated::'))
    expect(warning).toContain('issues: write')
    expect(run.summary).toContain('not updated:')
  }, 180_000)

  test('a bad input fails with one line naming it, before any terraform or GitHub call', async () => {
    server.resetRequests()
    const run = await drift({ 'working-directory': 'nope/*', mode: 'sideways' })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/::error::drift-check: Input '(mode|working-directory)'/)
    expect(server.requests).toHaveLength(0)
  }, 60_000)
})
