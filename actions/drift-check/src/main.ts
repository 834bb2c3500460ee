import * as core from '@actions/core'
import { tmpdir } from 'node:os'
import { coreLogger, runAction, setOutput } from '@tfpipe/kit/runner.js'
import { readRunContext } from '@tfpipe/kit/context.js'
import { SummaryBuilder } from '@tfpipe/kit/summary.js'
import { resolveStacks } from '@tfpipe/drift/stacks.js'
import { checkStacks } from '@tfpipe/drift/check.js'
import { spawnRunner } from '@tfpipe/drift/exec.js'
import { findStaleLocks, formatAge, type HeldLock as DriftHeldLock } from '@tfpipe/drift/locks.js'
import { syncDriftIssues, type IssueOutcome } from '@tfpipe/drift/sync.js'
import { renderSummary } from '@tfpipe/drift/summary.js'
import type { StackResult, StaleLock } from '@tfpipe/drift/types.js'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { describeGitHubError } from '@tfpipe/github/errors.js'
import { readBackendConfig } from '@tfpipe/state/backend-config.js'
import { createStateClients } from '@tfpipe/state/clients.js'
import { listLocks } from '@tfpipe/state/locks.js'
import { readConfig } from './config.js'

/** Held locks of an S3-backed stack, through packages/state (backend config from `.terraform/terraform.tfstate`). */
async function s3Locks(dir: string): Promise<DriftHeldLock[]> {
  const options: { workspace?: string; dataDir?: string } = {}
  if (process.env.TF_WORKSPACE) options.workspace = process.env.TF_WORKSPACE
  if (process.env.TF_DATA_DIR) options.dataDir = process.env.TF_DATA_DIR
  const config = readBackendConfig(dir, options)
  const clients = createStateClients(config)
  try {
    const held = await listLocks(config, clients)
    return held.map((l) => ({
      source: l.kind === 'dynamodb' ? 'dynamodb' : 's3',
      path: l.location,
      info: l.info ?? {},
    }))
  } finally {
    clients.destroy()
  }
}

function stacksOutput(results: StackResult[], outcomes: IssueOutcome[]): unknown[] {
  const issues = new Map(outcomes.map((o) => [o.dir, o.number]))
  return results.map((r) => ({
    dir: r.dir,
    status: r.status,
    driftCount: r.drift.length,
    pendingCount: r.pending.length,
    drift: r.drift.map((d) => d.address),
    pending: r.pending.map((p) => p.address),
    ...(r.error ? { error: r.error.split('\n')[0] } : {}),
    durationMs: r.durationMs,
    issue: issues.get(r.dir) ?? null,
  }))
}

function locksOutput(locks: StaleLock[]): unknown[] {
  return locks.map((l) => ({
    dir: l.dir,
    source: l.source,
    path: l.path,
    id: l.id,
    who: l.who,
    operation: l.operation,
    created: l.created,
    ageSeconds: Number.isFinite(l.ageMs) ? Math.floor(l.ageMs / 1000) : null,
  }))
}

export async function run(): Promise<void> {
  await runAction('drift-check', async () => {
    const started = Date.now()
    const config = readConfig()
    const context = readRunContext()
    const logger = coreLogger
    const stacks = resolveStacks(config.workingDirectories, process.cwd())
    logger.info(`drift-check: ${stacks.length} stack(s): ${stacks.map((s) => s.id).join(', ')}`)

    const results = await checkStacks(stacks, {
      binary: config.binary,
      mode: config.mode,
      varFiles: config.varFiles,
      tempDir: process.env.RUNNER_TEMP || tmpdir(),
      runner: spawnRunner(process.env),
      logger,
      ...(process.env.TF_DATA_DIR ? { dataDir: process.env.TF_DATA_DIR } : {}),
    })

    const staleLocks: StaleLock[] = []
    if (config.lockMaxAgeMs > 0) {
      for (const s of stacks) {
        staleLocks.push(
          ...(await findStaleLocks(s.dir, s.id, {
            maxAgeMs: config.lockMaxAgeMs,
            now: Date.now,
            logger,
            s3Locks,
            ...(process.env.TF_DATA_DIR ? { dataDir: process.env.TF_DATA_DIR } : {}),
          })),
        )
      }
    }

    let outcomes: IssueOutcome[] = []
    if (config.issue && !config.token) {
      core.warning(
        'drift-check: no github-token, drift issues were not updated; pass github-token (default ${{ github.token }}).',
      )
    } else if (config.issue && config.token) {
      const client = createGitHubClient({ token: config.token, baseUrl: context.apiUrl, logger })
      outcomes = await syncDriftIssues(results, {
        client,
        repo: { owner: context.owner, repo: context.repo },
        environment: config.environment,
        labels: config.issueLabels,
        mode: config.mode,
        runUrl: context.runUrl,
        now: () => new Date(),
        logger,
        describeError: describeGitHubError,
      })
    }

    const drifted = results.filter((r) => r.status === 'drifted')
    const errored = results.filter((r) => r.status === 'error')
    const issueNumbers: Record<string, number> = {}
    for (const o of outcomes) if (o.number !== undefined) issueNumbers[o.dir] = o.number

    setOutput('drifted', drifted.length > 0 ? 'true' : 'false')
    setOutput('drift-count', String(results.reduce((n, r) => n + r.drift.length, 0)))
    setOutput('pending-count', String(results.reduce((n, r) => n + r.pending.length, 0)))
    setOutput('stacks', stacksOutput(results, outcomes))
    setOutput('issue-numbers', issueNumbers)
    setOutput('stale-locks', locksOutput(staleLocks))

    // One stack failing gives one error line (the step's failure names it); several give one each plus the total.
    if (errored.length > 1)
      for (const r of errored) core.error(r.error ?? 'plan failed', { title: `drift-check: ${r.dir} failed` })
    for (const r of drifted) {
      core.warning(
        `${r.drift.length} resource(s) changed outside Terraform, ${r.pending.length} would change on apply.`,
        { title: `Drift in ${r.dir}` },
      )
    }
    for (const l of staleLocks) {
      core.warning(
        `${l.source} lock ${l.path} held by ${l.who || 'unknown'} for ${l.operation || 'unknown operation'} since ${l.created || 'unknown'} (${formatAge(l.ageMs)}); lock ID ${l.id || 'unknown'}. If that run is dead: terraform force-unlock ${l.id || '<ID>'}`,
        { title: `Stale state lock in ${l.dir}` },
      )
    }
    for (const o of outcomes)
      if (o.action === 'failed')
        core.warning(`${o.dir}: ${o.error ?? 'issue not updated'}`, { title: 'Drift issue not updated' })

    const summary = new SummaryBuilder()
    const full = renderSummary(results, outcomes, staleLocks, {
      environment: config.environment,
      mode: config.mode,
      durationMs: Date.now() - started,
    })
    if (!summary.add(full)) {
      const short = renderSummary(
        results.map((r) => ({ ...r, drift: [], pending: [], error: r.error?.slice(0, 2000) })),
        outcomes,
        staleLocks.slice(0, 200),
        { environment: config.environment, mode: config.mode },
      )
      if (
        !summary.add(
          `${short}\n_Resource lists left out: the full summary is over GitHub's 1 MiB limit; see the \`stacks\` output._`,
        )
      ) {
        summary.add(
          `## Drift check\n\n${results.length} stacks: ${drifted.length} drifted, ${errored.length} failed (summary too large to show).`,
        )
      }
    }
    await summary.write()

    if (errored.length === 1) {
      const r = errored[0]!
      core.setFailed(`drift-check: ${r.dir} could not be planned: ${r.error ?? 'plan failed'}`)
      return
    }
    if (errored.length) {
      core.setFailed(
        `drift-check: ${errored.length} stack(s) could not be planned: ${errored.map((r) => r.dir).join(', ')}. See the job summary.`,
      )
      return
    }
    if (config.failOnDrift && drifted.length) {
      core.setFailed(
        `drift-check: drift in ${drifted.length} stack(s): ${drifted.map((r) => r.dir).join(', ')} (fail-on-drift is on).`,
      )
    }
  })
}
