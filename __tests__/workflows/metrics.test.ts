/**
 * Scenario: the weekly delivery-metrics template over a month of deploys seeded in the local GitHub
 * server (__tests__/support/delivery-history.ts) → the job reports every environment's numbers as
 * worked out by hand, uploads the HTML page and the JSON as one artifact, and reads GitHub in four
 * requests.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expectedMetrics, seedTimeline, type ExpectedMetrics } from '../support/delivery-history.js'
import { commit, copyTemplate, runWorkflow, startWorld, tail, type World, SCENARIO_TIMEOUT } from './support/world.js'

const METRICS = '.github/workflows/terraform-metrics.yml'
let world: World
let clock: Date | undefined
let expected: Record<'prod' | 'sit' | 'dev', ExpectedMetrics>

beforeAll(async () => {
  world = await startWorld({ githubNow: () => clock ?? new Date() })
  const end = new Date()
  await seedTimeline(world.github, (d) => (clock = d), end)
  clock = undefined
  expected = expectedMetrics(end)
  commit(world, { [METRICS]: copyTemplate('terraform-metrics') }, 'metrics workflow')
}, SCENARIO_TIMEOUT)
afterAll(async () => world?.close())

describe('terraform-metrics through its starter template', () => {
  it(
    'reports each environment, uploads the page and the JSON, in four GitHub requests',
    async () => {
      world.github.resetRequests()
      const run = await runWorkflow(world, {
        workflow: METRICS,
        event: 'schedule',
        payload: { schedule: '23 6 * * 1' },
      })
      expect(run.exitCode === 0 ? 'ok' : tail(run, 150)).toBe('ok')
      expect(world.github.requests.map((r) => `${r.method} ${r.path}`)).toEqual(Array(4).fill('POST /graphql'))

      const upload = run.calls.filter((c) => c.action === 'upload-artifact')
      expect(upload.map((c) => [c.name, c.files, c.retention])).toEqual([['delivery-metrics', 2, '90']])
      const store = join(world.artifactStore, String(run.runId), 'delivery-metrics')
      expect(existsSync(join(store, 'delivery-metrics.html'))).toBe(true)
      const report = JSON.parse(readFileSync(join(store, 'delivery-metrics.json'), 'utf8')) as {
        requests: number
        environments: {
          environment: string
          deployments: number
          succeeded: number
          rollbacks: number
          mttrSeconds: number | null
          duration: { medianSeconds: number }
          leadTime: { p90Seconds: number }
          unrecoveredSince: string | null
        }[]
      }
      expect(report.requests).toBe(4)
      expect(
        report.environments.map((e) => [
          e.environment,
          e.deployments,
          e.succeeded,
          e.rollbacks,
          e.mttrSeconds,
          e.duration.medianSeconds,
          e.leadTime.p90Seconds,
          e.unrecoveredSince,
        ]),
      ).toEqual(
        (['dev', 'sit', 'prod'] as const).map((env) => {
          const x = expected[env]
          return [env, x.deployments, x.succeeded, x.rollbacks, x.mttr, x.durationMedian, x.leadP90, x.unrecoveredSince]
        }),
      )
      expect(readFileSync(join(store, 'delivery-metrics.html'), 'utf8')).toContain('<svg')
    },
    SCENARIO_TIMEOUT,
  )
})
