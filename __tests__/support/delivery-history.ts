/**
 * A seeded month of deploys in the local GitHub server, written the way they are written in real
 * life: deploy tags and tag-deploy's Deployments by the real writers (createDeployTag,
 * recordDeployment), and the Deployment GitHub itself creates for a job with `environment:` through
 * the REST API (pending while it waits for approval → queued → in_progress → success/failure,
 * log_url = the job's URL; GitHub's own `waiting` cannot be written through the API), with the
 * server's clock moved to each instant.
 *
 * EXPECTED holds the metrics worked out by hand from the timeline below (the arithmetic is in the
 * comments), never by the code under test.
 */
import { createGitHubClient } from '@tfpipe/github/client.js'
import { createDeployTag, type DeployMetadata } from '@tfpipe/github/deploy-tags.js'
import { recordDeployment } from '@tfpipe/github/deployments.js'
import { silentLogger } from '@tfpipe/kit/logger.js'
import { startGitHubServer, type GitHubServer } from './github-server.js'

export const REPO = { owner: 'acme', repo: 'infra' }
/** The end of the window; since = UNTIL − 30 days. */
export const UNTIL = new Date('2026-11-30T12:00:00Z')
export const SINCE = new Date(UNTIL.getTime() - 30 * 86_400_000)

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
/** The timeline's end: UNTIL in the jest tests, the real clock under act (the action's window ends now). */
let until = UNTIL
/** `day` days before the timeline's end date, at hh:mm UTC. */
const at = (day: number, hh: number, mm = 0): Date =>
  new Date(Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate() - day, hh, mm))
const sha = (name: string): string =>
  name
    .repeat(40)
    .slice(0, 40)
    .replace(/[^0-9a-f]/g, 'e')

const commitDays = { c0: [45, 9], c1: [21, 10], c2: [15, 6], c3: [10, 8], c4: [6, 9] } as const
type CommitName = keyof typeof commitDays
const COMMIT_SHAS: Record<CommitName, string> = {
  c0: sha('c0'),
  c1: sha('c1'),
  c2: sha('c2'),
  c3: sha('c3'),
  c4: sha('c4'),
}
const commitDate = (c: CommitName): Date => at(commitDays[c][0], commitDays[c][1])

interface Deploy {
  environment: string
  sha: string
  run: number
  /** When the run started (plan job, approval wait included). */
  runStart: Date
  /** When the deploy job started (GitHub's in_progress), for a job with `environment:`. */
  jobStart?: Date
  end: Date
  status: 'success' | 'failure'
  operation?: 'deploy' | 'rollback'
  /** GitHub's own Deployment for the job (a job with `environment:`). */
  native: boolean
  /** tag-deploy writes a tag and its Deployment. */
  tagged: boolean
}

let deploys: Deploy[] = []
let run = 9000

function prod(
  c: CommitName,
  day: number,
  hh: number,
  mm: number,
  minutes: number,
  status: 'success' | 'failure',
  operation: 'deploy' | 'rollback' = 'deploy',
): void {
  const jobStart = at(day, hh, mm)
  deploys.push({
    environment: 'prod',
    sha: COMMIT_SHAS[c],
    run: run++,
    runStart: new Date(jobStart.getTime() - 20 * MIN),
    jobStart,
    end: new Date(jobStart.getTime() + minutes * MIN),
    status,
    operation,
    native: true,
    tagged: true,
  })
}
function timeline(): void {
  deploys = []
  // prod: explicit operations, GitHub's job Deployments (their in_progress gives the job's start).
  prod('c0', 42, 10, 0, 7, 'success') // outside the window (three of them: the reader must stop paging before them)
  prod('c0', 41, 10, 0, 7, 'success')
  prod('c0', 40, 10, 0, 7, 'success')
  prod('c1', 20, 10, 0, 8, 'success') //  1: 8 min, lead c1 = day20 10:08 − day21 10:00 = 24h08m = 86880 s
  prod('c2', 15, 10, 0, 12, 'failure') // 2: 12 min, failure at day15 10:12
  prod('c1', 15, 11, 0, 6, 'success', 'rollback') // 3: 6 min, recovery 10:12 → 11:06 = 54 min
  prod('c3', 10, 9, 0, 10, 'success') // 4: 10 min, lead c3 = day10 09:10 − day10 08:00 = 1h10m = 4200 s
  prod('c4', 5, 9, 0, 20, 'failure') //  5: 20 min, failure at day5 09:20
  prod('c4', 5, 9, 30, 5, 'success') //  6: 5 min, recovery 09:20 → 09:35 = 15 min; lead c4 = day5 09:35 − day6 09:00 = 24h35m = 88500 s

  // sit: tags from before tag-deploy recorded `operation`, no job Deployments: durations from the run's start.
  sit('c1', 12, 8, 30, 'success') // 30 min; lead c1 = day12 08:30 − day21 10:00 = 8d 22h30m = 772200 s
  sit('c2', 11, 8, 20, 'success') // 20 min; lead c2 = day11 08:20 − day15 06:00 = 4d 2h20m = 354000 s
  sit('c1', 11, 9, 10, 'success') // 10 min; c1 again after c2: an inferred rollback
  sit('c3', 2, 8, 40, 'failure') //  40 min; failing since day2 08:40, nothing after it

  // dev: only GitHub's job Deployments (no tag-deploy): twelve deploys d0..d11, one a day, d3 and d7 fail.
  for (let i = 0; i < 12; i++) {
    const jobStart = at(12 - i, 14)
    deploys.push({
      environment: 'dev',
      sha: DEV_SHAS[i]!,
      run: run++,
      runStart: new Date(jobStart.getTime() - 5 * MIN),
      jobStart,
      end: new Date(jobStart.getTime() + (i + 1) * MIN),
      status: i === 3 || i === 7 ? 'failure' : 'success',
      native: true,
      tagged: false,
    })
  }
}

function sit(c: CommitName, day: number, hh: number, minutes: number, status: 'success' | 'failure'): void {
  const runStart = at(day, hh)
  deploys.push({
    environment: 'sit',
    sha: COMMIT_SHAS[c],
    run: run++,
    runStart,
    end: new Date(runStart.getTime() + minutes * MIN),
    status,
    native: false,
    tagged: true,
  })
}

const DEV_SHAS = Array.from({ length: 12 }, (_, i) => sha(`d${i.toString(16)}`))

/** The 30 Deployments in the window and 6 before it (prod's three old runs, each a job and a tag-deploy Deployment). */
export const DEPLOYMENTS_IN_WINDOW = 6 * 2 + 4 + 12 + 2
export const DEPLOYMENTS_BEFORE_WINDOW = 3 * 2

export interface ExpectedMetrics {
  deployments: number
  succeeded: number
  failed: number
  successRate: number
  durationMedian: number
  durationP90: number
  rollbacks: number
  rollbacksInferred: number
  rollbackRate: number
  recoveries: number
  mttr: number | null
  unrecoveredSince: string | null
  leadMedian: number
  leadP90: number
  pending: number
}

/** The numbers for a timeline ending at `end`. */
export function expectedMetrics(end: Date = UNTIL): Record<'prod' | 'sit' | 'dev', ExpectedMetrics> {
  until = end
  return {
    prod: {
      deployments: 6,
      succeeded: 4,
      failed: 2,
      successRate: 4 / 6,
      // durations 8, 12, 6, 10, 20, 5 min → sorted 5 6 8 10 12 20: median (8+10)/2 = 9 min; p90 = 6th of 6 = 20 min
      durationMedian: 9 * 60,
      durationP90: 20 * 60,
      rollbacks: 1,
      rollbacksInferred: 0,
      rollbackRate: 1 / 6,
      recoveries: 2,
      mttr: ((54 + 15) / 2) * 60, // 34.5 min
      unrecoveredSince: null,
      // 4200, 86880, 88500 → median 86880, p90 = 3rd of 3
      leadMedian: 86880,
      leadP90: 88500,
      pending: 0,
    },
    sit: {
      deployments: 4,
      succeeded: 3,
      failed: 1,
      successRate: 0.75,
      // 30, 20, 10, 40 → median 25 min, p90 = 4th of 4 = 40 min
      durationMedian: 25 * 60,
      durationP90: 40 * 60,
      rollbacks: 1,
      rollbacksInferred: 1,
      rollbackRate: 0.25,
      recoveries: 0,
      mttr: null,
      unrecoveredSince: at(2, 8, 40).toISOString(),
      // 354000, 772200 → median (354000 + 772200) / 2 = 563100, p90 = 2nd of 2
      leadMedian: 563100,
      leadP90: 772200,
      pending: 0,
    },
    dev: {
      // the rejected approval never ran (left out); the one still running is pending
      deployments: 12,
      succeeded: 10,
      failed: 2,
      successRate: 10 / 12,
      // 1..12 min → median (6+7)/2 = 6.5 min; p90 = 11th of 12 = 11 min
      durationMedian: 390,
      durationP90: 660,
      rollbacks: 0,
      rollbacksInferred: 0,
      rollbackRate: 0,
      // d3 fails day9 14:04, d4 succeeds day8 14:05; d7 fails day5 14:08, d8 succeeds day4 14:09: 1 day 1 min each
      recoveries: 2,
      mttr: DAY / 1000 + 60,
      unrecoveredSince: null,
      // commit 1 h before the job: lead 60 + (i+1) min for the successes i = 0 1 2 4 5 6 8 9 10 11
      // → 61 62 63 65 66 67 69 70 71 72 min: median (66+67)/2 = 66.5 min; p90 = 9th of 10 = 71 min
      leadMedian: 66.5 * 60,
      leadP90: 71 * 60,
      pending: 1,
    },
  }
}

export const EXPECTED = expectedMetrics(UNTIL)

export interface SeededServer {
  server: GitHubServer
  setClock(d: Date): void
}

/** Starts a GitHub server and writes the timeline (ending at UNTIL) into it. */
export async function seedDeliveryHistory(): Promise<SeededServer> {
  let clock = new Date(UNTIL.getTime() - 60 * DAY)
  const server = await startGitHubServer({ now: () => clock })
  const setClock = (d: Date): void => {
    clock = d
  }
  await seedTimeline(server, setClock, UNTIL)
  return { server, setClock }
}

/** Writes the timeline ending at `end` into `server`, whose clock `setClock` moves. */
export async function seedTimeline(server: GitHubServer, setClock: (d: Date) => void, end: Date): Promise<void> {
  until = end
  timeline()
  const client = createGitHubClient({
    token: 'test-token',
    baseUrl: server.url,
    logger: silentLogger,
    pacing: false,
    retries: 0,
  })
  const web = `https://github.com/${REPO.owner}/${REPO.repo}`
  for (const c of Object.keys(COMMIT_SHAS) as CommitName[])
    server.addCommit({ sha: COMMIT_SHAS[c], committedDate: commitDate(c).toISOString().replace('.000', '') })
  DEV_SHAS.forEach((s, i) =>
    server.addCommit({
      sha: s,
      committedDate: new Date(at(12 - i, 14).getTime() - HOUR).toISOString().replace('.000', ''),
    }),
  )
  server.setEnvironment('prod', { reviewers: ['alice', 'bob', 'carol'] })
  server.setEnvironment('sit', { reviewers: ['alice', 'bob'] })
  server.setEnvironment('dev', { reviewers: ['alice'] })

  const api = async (method: 'POST', path: string, body: Record<string, unknown>): Promise<{ id: number }> => {
    const r = await client.request(`${method} /repos/{owner}/{repo}${path}`, { ...REPO, ...body })
    return r.data as { id: number }
  }
  const nativeDeployment = async (
    environment: string,
    sha: string,
    runId: number,
    states: [string, Date][],
  ): Promise<void> => {
    setClock(states[0]![1])
    const d = await api('POST', '/deployments', {
      ref: sha,
      environment,
      auto_merge: false,
      required_contexts: [],
      payload: {},
    })
    for (const [state, when] of states) {
      setClock(when)
      await api('POST', `/deployments/${d.id}/statuses`, {
        state,
        log_url: `${web}/actions/runs/${runId}/job/${runId * 10 + 1}`,
      })
    }
  }

  for (const d of [...deploys].sort((a, b) => a.runStart.getTime() - b.runStart.getTime())) {
    const runUrl = `${web}/actions/runs/${d.run}`
    if (d.native && d.jobStart) {
      const created = new Date(d.jobStart.getTime() - 10 * MIN)
      // Created when the job waits for approval; its final status comes when the job ends, after tag-deploy's step.
      await nativeDeployment(d.environment, d.sha, d.run, [
        ['pending', created],
        ['queued', new Date(d.jobStart.getTime() - 1000)],
        ['in_progress', d.jobStart],
        [d.status, d.tagged ? new Date(d.end.getTime() + 20_000) : d.end],
      ])
    }
    if (!d.tagged) continue
    setClock(d.end)
    const metadata: DeployMetadata = {
      schema: 1,
      environment: d.environment,
      sha: d.sha,
      status: d.status,
      repository: `${REPO.owner}/${REPO.repo}`,
      runUrl,
      actor: 'octocat',
      workingDirectory: '.',
      fingerprint: null,
      counts: { add: 1, change: 0, destroy: 0 },
      state: null,
      startedAt: d.runStart.toISOString(),
      finishedAt: d.end.toISOString(),
      ...(d.operation ? { operation: d.operation } : {}),
    }
    await createDeployTag(client, REPO, metadata, {
      now: () => d.end,
      runId: String(d.run),
      serverUrl: 'https://github.com',
    })
    await recordDeployment(client, REPO, {
      sha: d.sha,
      environment: d.environment,
      state: d.status,
      runUrl,
      workingDirectory: '.',
      description: d.status === 'success' ? 'Deployed' : 'Failed',
    })
  }
  // dev: an approval that was rejected (never in_progress) and a deploy still running at UNTIL.
  await nativeDeployment('dev', DEV_SHAS[11]!, run++, [
    ['pending', at(1, 15)],
    ['failure', at(1, 16)],
  ])
  await nativeDeployment('dev', DEV_SHAS[11]!, run++, [
    ['queued', new Date(end.getTime() - HOUR)],
    ['in_progress', new Date(end.getTime() - HOUR + 1000)],
  ])
  setClock(end)
  server.resetRequests()
}
