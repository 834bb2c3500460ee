/**
 * Scenario 7: the layers template on push. The first push deploys all four layers in order
 * (foundation → platform → databases → clients) with no typed confirmation (the example policy's dev
 * needs one only for workflow_dispatch); a push changing foundation and one client deploys those two, in
 * order, and skips the unchanged ones; a layer change whose run never deployed it (a replaced or failed
 * run) is still deployed by the next push, because each layer is compared with its last successful deploy.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  addStack,
  commit,
  copyTemplate,
  runWorkflow,
  startWorld,
  tail,
  type World,
  type WorkflowRun,
  SCENARIO_TIMEOUT,
} from './support/world.js'

const LAYERS = '.github/workflows/terraform-layers.yml'
const ORDER = ['foundation', 'platform', 'databases', 'clients']
let world: World

function push(sha: string): Promise<WorkflowRun> {
  return runWorkflow(world, {
    workflow: LAYERS,
    event: 'push',
    payload: { ref: 'refs/heads/main', after: sha, head_commit: { id: sha } },
  })
}

/** Layers deployed by a run, in the order their deploy jobs finished. */
function deployedLayers(run: WorkflowRun): string[] {
  const finished = run.log
    .split('\n')
    .map((l) => /^\[(\w+)\/terraform-apply\/deploy dev\s*\] 🏁 {2}Job succeeded/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined)
  return finished
}

function bump(layer: string): Record<string, string> {
  const path = `layers/${layer}/env/dev.tfvars`
  const text = readFileSync(join(world.repo, path), 'utf8')
  const revision = Number(/revision = (\d+)/.exec(text)?.[1] ?? 1)
  return { [path]: text.replace(/revision = \d+/, `revision = ${revision + 1}`) }
}

beforeAll(async () => {
  world = await startWorld()
  world.github.setEnvironment('dev', { reviewers: ['alice'] })
  for (const layer of ORDER) await addStack(world, `layers/${layer}`)
  commit(world, { [LAYERS]: copyTemplate('terraform-layers') }, 'layers')
}, SCENARIO_TIMEOUT)
afterAll(async () => world?.close())

const ok = (run: WorkflowRun) => expect(run.exitCode === 0 ? 'ok' : tail(run, 150)).toBe('ok')

describe('terraform-layers through its starter template', () => {
  it(
    'deploys every layer in order on the first push, with no confirmation typed',
    async () => {
      const run = await push(commit(world, {}, 'first push'))
      ok(run)
      expect(deployedLayers(run)).toEqual(ORDER)
      // One run, four stacks: a deploy tag and a GitHub Deployment each.
      expect(world.github.refs().filter((r) => r.ref.startsWith('refs/tags/deploy-dev-'))).toHaveLength(4)
      expect(world.github.deployments()).toHaveLength(4)
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'deploys only the changed layers, in order, and skips the others',
    async () => {
      const run = await push(commit(world, { ...bump('foundation'), ...bump('clients') }, 'foundation and clients'))
      ok(run)
      expect(deployedLayers(run)).toEqual(['foundation', 'clients'])
      expect(run.log).toMatch(/platform: unchanged since/)
      expect(run.log).toMatch(/databases: unchanged since/)
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'deploys a change that an earlier run never deployed',
    async () => {
      commit(world, bump('platform'), 'platform change whose run was replaced before it started') // no run
      const run = await push(commit(world, bump('databases'), 'databases change'))
      ok(run)
      expect(deployedLayers(run)).toEqual(['platform', 'databases'])
    },
    SCENARIO_TIMEOUT,
  )
})
