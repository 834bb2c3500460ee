import { describe, expect, it } from '@jest/globals'
import { deployAttempts, runOf } from '@tfpipe/metrics/attempts.js'
import { computeMetrics } from '@tfpipe/metrics/compute.js'
import { formatDuration, formatPercent } from '@tfpipe/metrics/format.js'
import type { DeliveryHistory, HistoryDeployment, HistoryTag } from '@tfpipe/metrics/history.js'
import { renderHtml } from '@tfpipe/metrics/html.js'
import { renderMarkdown } from '@tfpipe/metrics/markdown.js'
import { median, percentile } from '@tfpipe/metrics/stats.js'
import { parseSince } from '@tfpipe/metrics/window.js'

const NOW = new Date('2026-12-01T00:00:00Z')
const RUN = 'https://github.com/acme/infra/actions/runs'

function history(deployments: HistoryDeployment[], tags: HistoryTag[], environments = ['prod']): DeliveryHistory {
  return {
    repository: 'acme/infra',
    environments,
    since: '2026-11-01T00:00:00Z',
    until: NOW.toISOString(),
    deployments,
    tags,
  }
}

function tag(over: Partial<HistoryTag> & { name: string; finishedAt: string }): HistoryTag {
  return {
    environment: 'prod',
    sha: 'a'.repeat(40),
    status: 'success',
    runUrl: `${RUN}/1`,
    workingDirectory: '.',
    startedAt: over.finishedAt,
    commitDate: null,
    operation: 'deploy',
    ...over,
  }
}

function deployment(
  over: Partial<Omit<HistoryDeployment, 'statuses'>> & { id: number; statuses: [string, string][] },
): HistoryDeployment {
  const { statuses, ...rest } = over
  return {
    environment: 'prod',
    sha: 'a'.repeat(40),
    createdAt: statuses[0]?.[1] ?? '2026-11-10T00:00:00Z',
    task: 'deploy',
    payload: {},
    commitDate: null,
    ...rest,
    statuses: statuses.map(([state, createdAt]) => ({ state, createdAt, logUrl: `${RUN}/${over.id}/job/7` })),
  }
}

describe('order statistics', () => {
  it('median of odd and even counts, nearest-rank p90, null for no data', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9)
    expect(percentile([10, 1], 90)).toBe(10)
    expect(percentile([5], 90)).toBe(5)
    expect(median([])).toBeNull()
    expect(percentile([], 90)).toBeNull()
  })
})

describe('parseSince', () => {
  it('takes durations and dates, refuses the rest with one line', () => {
    expect(parseSince('30d', NOW).toISOString()).toBe('2026-11-01T00:00:00.000Z')
    expect(parseSince('2w', NOW).toISOString()).toBe('2026-11-17T00:00:00.000Z')
    expect(parseSince('12h', NOW).toISOString()).toBe('2026-11-30T12:00:00.000Z')
    expect(parseSince('2026-11-15', NOW).toISOString()).toBe('2026-11-15T00:00:00.000Z')
    expect(() => parseSince('a month', NOW)).toThrow(
      "since must be a duration such as 30d, 12h or 2w, or a date such as 2026-11-01; got 'a month'.",
    )
    expect(() => parseSince('2027-01-01', NOW)).toThrow("since '2027-01-01' is not in the past; give e.g. 30d.")
    expect(() => parseSince('400d', NOW)).toThrow('reaches back more than a year')
  })
})

describe('deploy attempts', () => {
  it('counts a deploy once although its tag, its tag-deploy Deployment and GitHub’s job Deployment all record it', () => {
    const attempts = deployAttempts(
      history(
        [
          deployment({
            id: 1,
            statuses: [
              ['pending', '2026-11-10T09:50:00Z'],
              ['in_progress', '2026-11-10T10:00:00Z'],
              ['success', '2026-11-10T10:09:00Z'],
            ],
          }),
          {
            ...deployment({ id: 2, statuses: [['success', '2026-11-10T10:08:00Z']] }),
            payload: { tfpipe: { runUrl: `${RUN}/1`, workingDirectory: '.' } },
          },
        ],
        [
          tag({
            name: 'deploy-prod-20261110-100800',
            startedAt: '2026-11-10T09:30:00Z',
            finishedAt: '2026-11-10T10:08:00Z',
          }),
        ],
      ),
    )
    expect(attempts).toHaveLength(1)
    // The job's in_progress, not the run's start (the approval wait is not deploy time).
    expect(attempts[0]).toMatchObject({ source: 'deploy-prod-20261110-100800', outcome: 'success', timed: true })
    expect((attempts[0]!.finishedAt! - attempts[0]!.startedAt) / 60_000).toBe(8)
  })

  it('leaves out a job Deployment that never ran, keeps one without a tag, and reports a running one as pending', () => {
    const attempts = deployAttempts(
      history(
        [
          deployment({
            id: 5,
            statuses: [
              ['pending', '2026-11-12T09:00:00Z'],
              ['failure', '2026-11-12T10:00:00Z'],
            ],
          }), // approval rejected
          deployment({
            id: 6,
            statuses: [
              ['queued', '2026-11-13T09:00:00Z'],
              ['in_progress', '2026-11-13T09:01:00Z'],
              ['failure', '2026-11-13T09:04:00Z'],
            ],
          }),
          deployment({ id: 7, statuses: [['in_progress', '2026-11-30T23:00:00Z']] }),
        ],
        [],
      ),
    )
    expect(attempts.map((a) => [a.source, a.outcome])).toEqual([
      ['deployment 6', 'failure'],
      ['deployment 7', 'pending'],
    ])
  })

  it('takes rollbacks from the records, and infers them only where the records do not say', () => {
    const a = 'a'.repeat(40)
    const b = 'b'.repeat(40)
    const recorded = deployAttempts(
      history(
        [],
        [
          tag({ name: 't1', sha: a, finishedAt: '2026-11-10T10:00:00Z', runUrl: `${RUN}/1` }),
          tag({ name: 't2', sha: b, finishedAt: '2026-11-11T10:00:00Z', runUrl: `${RUN}/2` }),
          tag({ name: 't3', sha: a, finishedAt: '2026-11-12T10:00:00Z', runUrl: `${RUN}/3`, operation: 'deploy' }),
          tag({ name: 't4', sha: b, finishedAt: '2026-11-13T10:00:00Z', runUrl: `${RUN}/4`, operation: 'rollback' }),
        ],
      ),
    )
    expect(recorded.map((x) => [x.source, x.rollback, x.rollbackInferred])).toEqual([
      ['t1', false, false],
      ['t2', false, false],
      ['t3', false, false], // says deploy: not second-guessed
      ['t4', true, false],
    ])
    const legacy = deployAttempts(
      history(
        [],
        [a, b, a, a].map((sha, i) => {
          const { operation: _, ...t } = tag({
            name: `t${i}`,
            sha,
            finishedAt: `2026-11-1${i}T10:00:00Z`,
            runUrl: `${RUN}/${i}`,
          })
          return t
        }),
      ),
    )
    // Back to a after b: a rollback; a again right after a: a re-deploy, not one.
    expect(legacy.map((x) => x.rollbackInferred)).toEqual([false, false, true, false])
  })

  it('runOf takes run, attempt and job URLs', () => {
    expect(runOf(`${RUN}/12/job/34`)).toBe(`${RUN}/12`)
    expect(runOf(`${RUN}/12/attempts/2`)).toBe(`${RUN}/12`)
    expect(runOf(`${RUN}/12`)).toBe(`${RUN}/12`)
    expect(runOf('https://ci.example.com/build/12')).toBeUndefined()
  })
})

describe('metrics and renderers', () => {
  const h = history(
    [],
    [
      tag({ name: 't1', status: 'failure', finishedAt: '2026-11-10T10:00:00Z', runUrl: `${RUN}/1` }),
      tag({ name: 't2', status: 'failure', finishedAt: '2026-11-10T10:30:00Z', runUrl: `${RUN}/2` }),
      tag({ name: 't3', status: 'success', finishedAt: '2026-11-10T11:00:00Z', runUrl: `${RUN}/3` }),
    ],
    ['prod', 'dev'],
  )

  it('measures recovery from the first failure, and reports an environment without deploys as no data', () => {
    const report = computeMetrics(h)
    const prod = report.environments[0]!
    expect([prod.recoveries, prod.mttrSeconds, prod.successRate]).toEqual([1, 3600, 1 / 3])
    const dev = report.environments[1]!
    expect([
      dev.deployments,
      dev.successRate,
      dev.mttrSeconds,
      dev.duration.medianSeconds,
      dev.leadTime.p90Seconds,
    ]).toEqual([0, null, null, null, null])
  })

  it('escapes what it shows and loads nothing from elsewhere', () => {
    const report = { ...computeMetrics({ ...h, repository: 'acme/<script>alert(1)</script>' }), requests: 3 }
    const page = renderHtml(report)
    expect(page).not.toContain('<script')
    expect(page).toContain('acme/&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page).not.toMatch(/<link|@import|url\(|src=/i)
    const md = renderMarkdown(report)
    expect(md).not.toContain('<script')
    expect(md).toContain('| `prod` | 3 | 33.3 % (1/3) |')
    expect(md).toContain('| `dev` | 0 | — |')
    expect(md).toContain('3 GitHub API request(s).')
  })

  it('formats durations and rates for people', () => {
    expect([
      formatDuration(null),
      formatDuration(42),
      formatDuration(545),
      formatDuration(7260),
      formatDuration(3 * 86400 + 7200),
    ]).toEqual(['—', '42s', '9m 05s', '2h 01m', '3d 2h'])
    expect([formatPercent(null), formatPercent(0.75), formatPercent(2 / 3)]).toEqual(['—', '75 %', '66.7 %'])
  })
})
