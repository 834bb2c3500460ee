import { deployAttempts, type Attempt } from './attempts.js'
import type { DeliveryHistory } from './history.js'
import { mean, median, percentile, ratio } from './stats.js'

/**
 * Delivery metrics per environment, from a DeliveryHistory (pure: history in, numbers out).
 *
 * - deployments: attempts that finished in the window (rollbacks included); pending ones are counted apart.
 * - success rate: successful / finished. A success is the final status: a deploy whose verification
 *   failed is recorded as a failure (tag status and Deployment, finalStatus in deploy-tags.ts), so
 *   only a verified deploy (or one without checks, or with a skip the policy allowed) is one.
 * - duration: finished − started, for attempts whose start is known (the deploy job's in_progress
 *   status, else the run's start from the tag); median and p90 (stats.ts).
 * - rollbacks: attempts that were rollbacks (recorded or inferred, attempts.ts); rate = rollbacks / deployments.
 * - MTTR: from the first failure after a success (or the window's start of records) to the next
 *   success, averaged over the recoveries in the window; a failure not yet followed by a success is
 *   reported as `unrecoveredSince`, not averaged.
 * - lead time: for each commit, its first successful deploy (not a rollback) in the environment minus
 *   the commit's committer date; median and p90. For the production environment this is the lead
 *   time to production.
 */
export interface DurationStats {
  count: number
  medianSeconds: number | null
  p90Seconds: number | null
}

export interface DailyCount {
  /** UTC day, YYYY-MM-DD. */
  date: string
  succeeded: number
  failed: number
}

export interface EnvironmentMetrics {
  environment: string
  deployments: number
  succeeded: number
  failed: number
  pending: number
  /** 0..1, null without deployments. */
  successRate: number | null
  duration: DurationStats
  rollbacks: number
  /** Of `rollbacks`, how many were inferred (the records did not say). */
  rollbacksInferred: number
  rollbackRate: number | null
  recoveries: number
  mttrSeconds: number | null
  unrecoveredSince: string | null
  leadTime: DurationStats
  last: { sha: string; outcome: 'success' | 'failure'; finishedAt: string; source: string } | null
  daily: DailyCount[]
}

export interface MetricsReport {
  schema: 1
  repository: string
  since: string
  until: string
  generatedAt: string
  environments: EnvironmentMetrics[]
  /** GitHub API requests the report cost (filled in by the reader's caller). */
  requests?: number
}

const seconds = (ms: number): number => Math.round(ms / 1000)

function stats(valuesMs: number[]): DurationStats {
  const med = median(valuesMs)
  const p90 = percentile(valuesMs, 90)
  return {
    count: valuesMs.length,
    medianSeconds: med === null ? null : seconds(med),
    p90Seconds: p90 === null ? null : seconds(p90),
  }
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

function dailyCounts(attempts: Attempt[], since: number, until: number): DailyCount[] {
  const days: DailyCount[] = []
  const index = new Map<string, DailyCount>()
  const start = Date.UTC(new Date(since).getUTCFullYear(), new Date(since).getUTCMonth(), new Date(since).getUTCDate())
  for (let t = start; t <= until; t += 86_400_000) {
    const d: DailyCount = { date: day(t), succeeded: 0, failed: 0 }
    days.push(d)
    index.set(d.date, d)
  }
  for (const a of attempts) {
    if (a.finishedAt === null) continue
    const d = index.get(day(a.finishedAt))
    if (!d) continue
    if (a.outcome === 'success') d.succeeded++
    else d.failed++
  }
  return days
}

export function environmentMetrics(
  environment: string,
  all: Attempt[],
  since: number,
  until: number,
): EnvironmentMetrics {
  const attempts = all.filter((a) => a.environment === environment)
  const finished = attempts.filter(
    (a): a is Attempt & { finishedAt: number } => a.finishedAt !== null && a.outcome !== 'pending',
  )
  const succeeded = finished.filter((a) => a.outcome === 'success')
  const rollbacks = finished.filter((a) => a.rollback)

  const recoveries: number[] = []
  let failingSince: number | null = null
  for (const a of finished) {
    if (a.outcome === 'failure') failingSince ??= a.finishedAt
    else if (failingSince !== null) {
      recoveries.push(a.finishedAt - failingSince)
      failingSince = null
    }
  }
  const mttr = mean(recoveries)

  const firstDeploy = new Map<string, number>()
  for (const a of succeeded) {
    if (a.rollback || a.commitDate === null || firstDeploy.has(a.sha)) continue
    firstDeploy.set(a.sha, Math.max(0, a.finishedAt - a.commitDate))
  }

  const last = finished[finished.length - 1]
  return {
    environment,
    deployments: finished.length,
    succeeded: succeeded.length,
    failed: finished.length - succeeded.length,
    pending: attempts.length - finished.length,
    successRate: ratio(succeeded.length, finished.length),
    duration: stats(finished.filter((a) => a.timed).map((a) => Math.max(0, a.finishedAt - a.startedAt))),
    rollbacks: rollbacks.length,
    rollbacksInferred: rollbacks.filter((a) => a.rollbackInferred).length,
    rollbackRate: ratio(rollbacks.length, finished.length),
    recoveries: recoveries.length,
    mttrSeconds: mttr === null ? null : seconds(mttr),
    unrecoveredSince: failingSince === null ? null : new Date(failingSince).toISOString(),
    leadTime: stats([...firstDeploy.values()]),
    last: last
      ? {
          sha: last.sha,
          outcome: last.outcome as 'success' | 'failure',
          finishedAt: new Date(last.finishedAt).toISOString(),
          source: last.source,
        }
      : null,
    daily: dailyCounts(finished, since, until),
  }
}

export function computeMetrics(history: DeliveryHistory, generatedAt: Date = new Date(history.until)): MetricsReport {
  const attempts = deployAttempts(history)
  const since = Date.parse(history.since)
  const until = Date.parse(history.until)
  return {
    schema: 1,
    repository: history.repository,
    since: history.since,
    until: history.until,
    generatedAt: generatedAt.toISOString(),
    environments: history.environments.map((env) => environmentMetrics(env, attempts, since, until)),
  }
}
