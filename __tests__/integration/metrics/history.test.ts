import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubClient } from '@tfpipe/github/client.js'
import { readDeliveryHistory } from '@tfpipe/github/delivery-history.js'
import { silentLogger } from '@tfpipe/kit/logger.js'
import { computeMetrics, type EnvironmentMetrics } from '@tfpipe/metrics/compute.js'
import {
  DEPLOYMENTS_BEFORE_WINDOW,
  DEPLOYMENTS_IN_WINDOW,
  EXPECTED,
  REPO,
  SINCE,
  UNTIL,
  seedDeliveryHistory,
  type ExpectedMetrics,
  type SeededServer,
} from '../../support/delivery-history.js'

let seeded: SeededServer
let client: ReturnType<typeof createGitHubClient>

beforeAll(async () => {
  seeded = await seedDeliveryHistory()
  client = createGitHubClient({
    token: 'test-token',
    baseUrl: seeded.server.url,
    logger: silentLogger,
    pacing: false,
    retries: 0,
  })
}, 120_000)
afterAll(() => seeded?.server.close())

const graphqlRequests = (): number =>
  seeded.server.requests.filter((r) => r.method === 'POST' && r.path === '/graphql').length

function check(actual: EnvironmentMetrics | undefined, expected: ExpectedMetrics): void {
  expect(actual).toBeDefined()
  const a = actual!
  expect({
    deployments: a.deployments,
    succeeded: a.succeeded,
    failed: a.failed,
    pending: a.pending,
    durationMedian: a.duration.medianSeconds,
    durationP90: a.duration.p90Seconds,
    rollbacks: a.rollbacks,
    rollbacksInferred: a.rollbacksInferred,
    recoveries: a.recoveries,
    mttr: a.mttrSeconds,
    unrecoveredSince: a.unrecoveredSince,
    leadMedian: a.leadTime.medianSeconds,
    leadP90: a.leadTime.p90Seconds,
  }).toEqual({
    deployments: expected.deployments,
    succeeded: expected.succeeded,
    failed: expected.failed,
    pending: expected.pending,
    durationMedian: expected.durationMedian,
    durationP90: expected.durationP90,
    rollbacks: expected.rollbacks,
    rollbacksInferred: expected.rollbacksInferred,
    recoveries: expected.recoveries,
    mttr: expected.mttr,
    unrecoveredSince: expected.unrecoveredSince,
    leadMedian: expected.leadMedian,
    leadP90: expected.leadP90,
  })
  expect(a.successRate).toBeCloseTo(expected.successRate, 10)
  expect(a.rollbackRate).toBeCloseTo(expected.rollbackRate, 10)
}

describe('delivery metrics on a seeded month of deploys', () => {
  it('reads the history in pages and computes every metric per environment', async () => {
    seeded.server.resetRequests()
    const { history, requests } = await readDeliveryHistory(client, REPO, {
      environments: ['dev', 'sit', 'prod'],
      since: SINCE,
      until: UNTIL,
    })
    // One page of Deployments for all three environments, one page of tags per environment.
    expect(requests).toBe(1 + 3)
    expect(graphqlRequests()).toBe(requests)
    expect(seeded.server.requests).toHaveLength(requests)
    const report = computeMetrics(history)
    check(
      report.environments.find((e) => e.environment === 'prod'),
      EXPECTED.prod,
    )
    check(
      report.environments.find((e) => e.environment === 'sit'),
      EXPECTED.sit,
    )
    check(
      report.environments.find((e) => e.environment === 'dev'),
      EXPECTED.dev,
    )
    expect(report.environments.map((e) => e.environment)).toEqual(['dev', 'sit', 'prod'])
    // The per-day counts add up to the deployments.
    for (const e of report.environments) {
      expect(e.daily).toHaveLength(31)
      expect(e.daily.reduce((s, d) => s + d.succeeded + d.failed, 0)).toBe(e.deployments)
    }
  })

  it('pages through many Deployments and stops at the first page that reaches past the window', async () => {
    seeded.server.resetRequests()
    const pageSize = 5
    const { history, requests } = await readDeliveryHistory(client, REPO, {
      environments: ['dev', 'sit', 'prod'],
      since: SINCE,
      until: UNTIL,
      pageSize,
    })
    // Deployments, newest first: the pages that hold the window, plus the one that reaches past it;
    // not the pages after it (there are DEPLOYMENTS_BEFORE_WINDOW older ones).
    const deploymentPages =
      Math.ceil(DEPLOYMENTS_IN_WINDOW / pageSize) + (DEPLOYMENTS_IN_WINDOW % pageSize === 0 ? 1 : 0)
    expect(Math.ceil((DEPLOYMENTS_IN_WINDOW + DEPLOYMENTS_BEFORE_WINDOW) / pageSize)).toBeGreaterThan(deploymentPages)
    // Tags: prod has 9 (2 pages of 5), sit 4 (1 page), dev none (1 page).
    const tagPages = 2 + 1 + 1
    expect(requests).toBe(deploymentPages + tagPages)
    expect(graphqlRequests()).toBe(deploymentPages + tagPages)
    const report = computeMetrics(history)
    check(
      report.environments.find((e) => e.environment === 'prod'),
      EXPECTED.prod,
    )
    check(
      report.environments.find((e) => e.environment === 'dev'),
      EXPECTED.dev,
    )
  })

  it('finds the environments itself when none are given (one more request)', async () => {
    seeded.server.resetRequests()
    const { history, requests } = await readDeliveryHistory(client, REPO, {
      environments: [],
      since: SINCE,
      until: UNTIL,
    })
    expect(history.environments).toEqual(['dev', 'prod', 'sit'])
    expect(requests).toBe(1 + 1 + 3)
    expect(graphqlRequests()).toBe(requests)
  })

  it('says which repository it could not read', async () => {
    const other = createGitHubClient({
      token: 'test-token',
      baseUrl: seeded.server.url,
      logger: silentLogger,
      pacing: false,
      retries: 0,
    })
    seeded.server.failNext(
      { method: 'POST', path: '/graphql' },
      {
        status: 200,
        body: {
          data: { repository: null },
          errors: [
            {
              type: 'NOT_FOUND',
              path: ['repository'],
              message: "Could not resolve to a Repository with the name 'acme/nope'.",
            },
          ],
        },
      },
    )
    await expect(
      readDeliveryHistory(
        other,
        { owner: 'acme', repo: 'nope' },
        { environments: ['prod'], since: SINCE, until: UNTIL },
      ),
    ).rejects.toThrow("GraphQL: Could not resolve to a Repository with the name 'acme/nope'.")
  })
})
