import type { DeliveryHistory, HistoryDeployment, HistoryTag } from './history.js'

/**
 * Deploy attempts: one per deploy that ran, whatever recorded it. A deploy usually leaves three
 * records: the deploy tag (tag-deploy), tag-deploy's GitHub Deployment (payload.tfpipe) and the
 * Deployment GitHub creates itself for the job with `environment:`. Counting records would count a
 * deploy two or three times, so:
 *
 * - every deploy tag is one attempt: its metadata holds the outcome, the commit, the run and the time;
 * - a Deployment of the same run (and, for tag-deploy's, the same directory) as a tag is that tag's
 *   attempt: it adds only the time the deploy job started (its `in_progress` status), which excludes
 *   the wait for approval that the run's start includes;
 * - any other Deployment is an attempt of its own (a deploy done without tag-deploy, or whose tag
 *   could not be written): outcome from its last success/failure/error status; one of GitHub's that
 *   never reached `in_progress` and did not succeed never ran (rejected or cancelled) and is left out.
 *
 * Rollbacks: terraform-rollback.yml's tags say `operation: rollback` (tag-deploy's Deployments carry
 * it in payload.tfpipe.operation). Records from before that field existed (and other tools'
 * Deployments) say nothing; for them a successful deploy of a commit that an earlier successful
 * deploy in the window had deployed, other than the one just before, is taken as a rollback and
 * counted as inferred.
 */
export type Outcome = 'success' | 'failure' | 'pending'

export interface Attempt {
  environment: string
  /** The tag name, or `deployment <id>`. */
  source: string
  sha: string
  /** ms since the epoch. */
  startedAt: number
  /** ms; null while pending. */
  finishedAt: number | null
  outcome: Outcome
  /** Whether startedAt is a real start (a status or the tag's startedAt), so finishedAt - startedAt is a duration. */
  timed: boolean
  rollback: boolean
  rollbackInferred: boolean
  commitDate: number | null
}

const TERMINAL = new Set(['success', 'failure', 'error'])

/** `https://host/o/r/actions/runs/123` of a run, job, or attempt URL; undefined for anything else. */
export function runOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined
  const m = /^(https?:\/\/[^?#]*?\/actions\/runs\/\d+)(?:[/?#]|$)/.exec(url)
  return m ? m[1]! : undefined
}

interface Marker {
  runUrl?: string
  workingDirectory?: string
  operation?: string
}

function marker(payload: unknown): Marker | undefined {
  const t = (payload as { tfpipe?: unknown } | null | undefined)?.tfpipe
  if (typeof t !== 'object' || t === null) return undefined
  const m = t as Record<string, unknown>
  return {
    ...(typeof m.runUrl === 'string' ? { runUrl: m.runUrl } : {}),
    ...(typeof m.workingDirectory === 'string' ? { workingDirectory: m.workingDirectory } : {}),
    ...(typeof m.operation === 'string' ? { operation: m.operation } : {}),
  }
}

const time = (iso: string | null | undefined): number | null => {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : t
}

const key = (...parts: string[]): string => parts.join('\n')

/** An attempt while merging: whether the record said which operation it was. */
type Draft = Attempt & { unknownOperation: boolean }

function sortedStatuses(d: HistoryDeployment): HistoryDeployment['statuses'] {
  return d.statuses
    .map((s, i) => ({ s, i, t: time(s.createdAt) ?? 0 }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.s)
}

function deploymentRun(d: HistoryDeployment): string | undefined {
  const m = marker(d.payload)
  if (m?.runUrl) return runOf(m.runUrl)
  for (const s of d.statuses) {
    const run = runOf(s.logUrl)
    if (run) return run
  }
  return undefined
}

function tagAttempt(tag: HistoryTag, natives: HistoryDeployment[]): Draft {
  const finishedAt = time(tag.finishedAt) ?? time(tag.startedAt) ?? 0
  let startedAt = time(tag.startedAt) ?? finishedAt
  // The deploy job's start: the latest in_progress of this run's GitHub Deployments not after the tag.
  let jobStart: number | undefined
  for (const d of natives) {
    for (const s of d.statuses) {
      const t = time(s.createdAt)
      if (s.state === 'in_progress' && t !== null && t <= finishedAt && (jobStart === undefined || t > jobStart))
        jobStart = t
    }
  }
  if (jobStart !== undefined && jobStart >= startedAt) startedAt = jobStart
  return {
    environment: tag.environment,
    source: tag.name,
    sha: tag.sha,
    startedAt,
    finishedAt,
    outcome: tag.status === 'success' ? 'success' : 'failure',
    timed: time(tag.startedAt) !== null || jobStart !== undefined,
    rollback: tag.operation === 'rollback',
    rollbackInferred: false,
    commitDate: time(tag.commitDate),
    unknownOperation: tag.operation === undefined,
  }
}

function deploymentAttempt(d: HistoryDeployment): Draft | undefined {
  const statuses = sortedStatuses(d)
  const m = marker(d.payload)
  const terminal = [...statuses].reverse().find((s) => TERMINAL.has(s.state))
  const started = statuses.find((s) => s.state === 'in_progress') ?? statuses.find((s) => s.state === 'queued')
  if (!m && !statuses.some((s) => s.state === 'in_progress') && terminal?.state !== 'success') return undefined
  const created = time(d.createdAt) ?? 0
  const startedAt = time(started?.createdAt) ?? created
  const operation = m?.operation ?? (/rollback/i.test(d.task) ? 'rollback' : undefined)
  return {
    environment: d.environment,
    source: `deployment ${d.id}`,
    sha: d.sha,
    startedAt,
    finishedAt: terminal ? (time(terminal.createdAt) ?? startedAt) : null,
    outcome: !terminal ? 'pending' : terminal.state === 'success' ? 'success' : 'failure',
    timed: started !== undefined,
    rollback: operation === 'rollback',
    rollbackInferred: false,
    commitDate: time(d.commitDate),
    unknownOperation: operation === undefined,
  }
}

/** Marks, per environment, the successful deploys of unknown operation that returned to an earlier commit. */
function inferRollbacks(attempts: Draft[]): void {
  const byEnv = new Map<string, typeof attempts>()
  for (const a of attempts) byEnv.set(a.environment, [...(byEnv.get(a.environment) ?? []), a])
  for (const list of byEnv.values()) {
    const seen = new Set<string>()
    let previous: string | undefined
    for (const a of list) {
      if (a.outcome !== 'success') continue
      if (a.unknownOperation && a.sha !== previous && seen.has(a.sha)) {
        a.rollback = true
        a.rollbackInferred = true
      }
      seen.add(a.sha)
      previous = a.sha
    }
  }
}

const order = (a: Attempt): number => a.finishedAt ?? a.startedAt

/** The attempts of the history's window, oldest first (by the time they finished). */
export function deployAttempts(history: DeliveryHistory): Attempt[] {
  const since = time(history.since) ?? -Infinity
  const until = time(history.until) ?? Infinity
  const envs = new Set(history.environments)
  const tags = history.tags.filter((t) => envs.has(t.environment))
  const deployments = history.deployments.filter((d) => envs.has(d.environment))

  const tagRuns = new Set<string>()
  const tagStacks = new Set<string>()
  for (const t of tags) {
    const run = runOf(t.runUrl)
    if (!run) continue
    tagRuns.add(key(t.environment, run))
    tagStacks.add(key(t.environment, run, t.workingDirectory || '.'))
  }
  const nativesByRun = new Map<string, HistoryDeployment[]>()
  const own: HistoryDeployment[] = []
  for (const d of deployments) {
    const run = deploymentRun(d)
    const m = marker(d.payload)
    const covered =
      run !== undefined &&
      (m
        ? m.workingDirectory !== undefined
          ? tagStacks.has(key(d.environment, run, m.workingDirectory || '.'))
          : tagRuns.has(key(d.environment, run))
        : tagRuns.has(key(d.environment, run)))
    if (covered) {
      if (!m) nativesByRun.set(key(d.environment, run), [...(nativesByRun.get(key(d.environment, run)) ?? []), d])
      continue
    }
    own.push(d)
  }

  const attempts: Draft[] = []
  for (const t of tags) {
    const run = runOf(t.runUrl)
    attempts.push(tagAttempt(t, run ? (nativesByRun.get(key(t.environment, run)) ?? []) : []))
  }
  for (const d of own) {
    const a = deploymentAttempt(d)
    if (a) attempts.push(a)
  }
  const inWindow = attempts
    .filter((a) => order(a) >= since && order(a) <= until)
    .sort((a, b) => order(a) - order(b) || (a.source < b.source ? -1 : 1))
  inferRollbacks(inWindow)
  return inWindow.map(({ unknownOperation: _, ...a }) => a)
}
