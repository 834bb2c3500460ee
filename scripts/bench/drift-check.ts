/**
 * drift-check benchmark (npm run bench -- drift-check):
 *  1. GitHub API requests of the issue sync over 20 stacks, per scenario, counted by the local GitHub
 *     server (target: a run over 20 stacks costs at most 23 requests). Plans are synthetic here: the
 *     count depends only on the stack results, not on terraform.
 *  2. Wall time of a real 3-stack run of dist/drift-check (real terraform, hashicorp/local from the mirror,
 *     one stack drifted, issues against the local GitHub server with the production client settings).
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startGitHubServer } from '../../__tests__/support/github-server.js'
import { runAction } from '../../__tests__/support/run-action.js'
import { copyExample, ensureProviderMirror, terraform, terraformEnv } from '../../__tests__/support/terraform.js'
import { silentLogger } from '@tfpipe/kit/logger.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { syncDriftIssues } from '@tfpipe/drift/sync.js'
import type { StackResult } from '@tfpipe/drift/types.js'

const STACKS = 20
const TARGET = 23

const dirOf = (i: number): string => `live/prod/stack-${String(i).padStart(2, '0')}`
function drifted(i: number, variant = 0): StackResult {
  return {
    dir: dirOf(i),
    status: 'drifted',
    drift: [{ address: `aws_security_group.sg${variant}`, kind: 'update', attributes: ['ingress'] }],
    pending: [{ address: 'aws_instance.web', kind: 'update', attributes: ['tags'] }],
    exitCode: 2,
    durationMs: 0,
    initialised: false,
  }
}
const clean = (i: number): StackResult => ({
  dir: dirOf(i),
  status: 'clean',
  drift: [],
  pending: [],
  exitCode: 0,
  durationMs: 0,
  initialised: false,
})
const failed = (i: number): StackResult => ({
  dir: dirOf(i),
  status: 'error',
  drift: [],
  pending: [],
  exitCode: 1,
  error: 'x',
  durationMs: 0,
  initialised: false,
})
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

async function apiRequests(): Promise<{ scenario: string; requests: number; writes: number }[]> {
  const server = await startGitHubServer()
  try {
    const client = createGitHubClient({ token: 'test-token', baseUrl: server.url, logger: silentLogger, pacing: false })
    // 30 unrelated labelled issues without our marker, so the lookup is not trivially empty
    for (let i = 0; i < 30; i++) server.addIssue({ title: `noise ${i}`, body: 'not ours', labels: ['drift'] })
    const options = {
      client,
      repo: { owner: 'acme', repo: 'infra' },
      environment: 'prod',
      labels: ['drift'],
      mode: 'full',
      runUrl: 'https://github.example.test/acme/infra/actions/runs/1',
      now: () => new Date(),
      logger: silentLogger,
    }
    // Each scenario starts from the issue state `setup` leaves (synced first, not counted).
    const scenarios: { name: string; setup?: StackResult[]; results: StackResult[] }[] = [
      { name: 'all clean, no issues yet', results: range(STACKS).map(clean) },
      { name: 'first drift: 20 stacks drifted, 20 issues opened', results: range(STACKS).map((i) => drifted(i)) },
      { name: 'same drift again: 20 bodies updated', results: range(STACKS).map((i) => drifted(i)) },
      {
        name: 'typical: 3 still drifted, 1 changed set, 1 resolved, 15 clean',
        setup: range(STACKS).map((i) => (i < 5 ? drifted(i) : clean(i))),
        results: range(STACKS).map((i) => (i < 3 ? drifted(i) : i === 3 ? drifted(i, 1) : clean(i))),
      },
      {
        name: '2 stacks fail to plan (issues left alone), 18 clean',
        setup: range(STACKS).map((i) => (i < 2 ? drifted(i) : clean(i))),
        results: range(STACKS).map((i) => (i < 2 ? failed(i) : clean(i))),
      },
      {
        name: 'drift returns on all 20 (20 reopened)',
        setup: range(STACKS).map(clean),
        results: range(STACKS).map((i) => drifted(i, 2)),
      },
      {
        name: 'worst case: drifted set changes on all 20 (update + comment each)',
        results: range(STACKS).map((i) => drifted(i, 3)),
      },
      { name: 'worst case: all 20 resolved at once (comment + close each)', results: range(STACKS).map(clean) },
    ]
    const rows: { scenario: string; requests: number; writes: number }[] = []
    for (const { name, setup, results } of scenarios) {
      if (setup) await syncDriftIssues(setup, options)
      server.resetRequests()
      await syncDriftIssues(results, options)
      rows.push({
        scenario: name,
        requests: server.requests.length,
        writes: server.requests.filter((r) => r.method !== 'GET').length,
      })
    }
    return rows
  } finally {
    await server.close()
  }
}

async function realRun(): Promise<{
  wallMs: number
  stacks: { dir: string; status: string; durationMs: number }[]
  requests: number
}> {
  ensureProviderMirror()
  const work = copyExample('drift')
  const server = await startGitHubServer()
  try {
    for (const s of ['app', 'network', 'config']) {
      await terraform(['init', '-input=false', '-no-color'], join(work, s))
      await terraform(['apply', '-auto-approve', '-input=false', '-no-color'], join(work, s))
    }
    writeFileSync(join(work, 'app', 'app.conf'), 'changed outside terraform\n')
    const env: Record<string, string> = { GITHUB_API_URL: server.url }
    for (const [k, v] of Object.entries(terraformEnv()))
      if (k.startsWith('TF_') || k === 'CHECKPOINT_DISABLE') env[k] = v!
    const started = Date.now()
    const run = await runAction('drift-check', {
      cwd: work,
      eventName: 'schedule',
      inputs: { 'working-directory': 'app\nnetwork\nconfig', environment: 'prod', 'github-token': 'test-token' },
      env,
    })
    const wallMs = Date.now() - started
    if (run.exitCode !== 0) throw new Error(`drift-check failed:\n${run.stdout}\n${run.stderr}`)
    const stacks = JSON.parse(run.outputs.stacks ?? '[]') as { dir: string; status: string; durationMs: number }[]
    return { wallMs, stacks, requests: server.requests.length }
  } finally {
    await server.close()
    rmSync(work, { recursive: true, force: true })
  }
}

const rows = await apiRequests()
console.log(`### GitHub API requests of the drift issue sync, ${STACKS} stacks (target ≤ ${TARGET})\n`)
console.log('| scenario | requests | of which writes | within target |')
console.log('| --- | ---: | ---: | --- |')
for (const r of rows)
  console.log(
    `| ${r.scenario} | ${r.requests} | ${r.writes} | ${r.requests <= TARGET ? 'yes' : 'no: the spec asks for a comment AND an update per issue here'} |`,
  )

const real = await realRun()
console.log('\n### Real 3-stack run (dist/drift-check, terraform 1.11.4, hashicorp/local, local GitHub server)\n')
console.log('| stack | status | check time (ms) |')
console.log('| --- | --- | ---: |')
for (const s of real.stacks) console.log(`| ${s.dir} | ${s.status} | ${s.durationMs} |`)
console.log(
  `| **whole run, wall clock** (node start to exit, ${real.requests} GitHub requests) | | **${real.wallMs}** |`,
)
