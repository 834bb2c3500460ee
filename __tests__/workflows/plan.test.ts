/**
 * Scenario 1: a pull request runs the starter plan template → fmt/validate, then one plan per environment
 * (dev, sit, prod) with plan-and-comment → three sticky comments on the PR; a re-run updates them in place.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { commit, copyTemplate, runWorkflow, startWorld, tail, type World, SCENARIO_TIMEOUT } from './support/world.js'

let world: World
const PR = 11

beforeAll(async () => {
  world = await startWorld()
}, SCENARIO_TIMEOUT)
afterAll(async () => world?.close())

function prEvent(sha: string) {
  return { number: PR, pull_request: { number: PR, head: { sha, ref: 'feature' }, base: { ref: 'main' } } }
}

describe('terraform-plan through its starter template', () => {
  it('posts one sticky comment per environment, and a re-run updates them in place', async () => {
    const sha = commit(world, { '.github/workflows/terraform-plan.yml': copyTemplate('terraform-plan') }, 'plan workflow')
    world.github.addPullRequest({ number: PR, head_sha: sha, state: 'open' })
    const first = await runWorkflow(world, { workflow: '.github/workflows/terraform-plan.yml', event: 'pull_request', payload: prEvent(sha) })
    expect({ exit: first.exitCode, jobs: first.jobs }).toEqual({ exit: 0, jobs: expect.anything() })
    const comments = world.github.comments(PR)
    expect(comments.map((c) => /^<!-- tfpipe:plan-and-comment env=(\w+)/.exec(c.body)?.[1]).sort()).toEqual(['dev', 'prod', 'sit'])
    for (const c of comments) expect(c.body).toContain('local_file.app_conf')
    const ids = comments.map((c) => c.id).sort()

    const second = await runWorkflow(world, { workflow: '.github/workflows/terraform-plan.yml', event: 'pull_request', payload: prEvent(sha) })
    expect(second.exitCode).toBe(0)
    expect(world.github.comments(PR).map((c) => c.id).sort()).toEqual(ids)
    expect(world.github.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/issues/comments/'))).toHaveLength(3)
    // The plan jobs asked for the plan role of their own environment.
    expect(second.calls.filter((c) => c.action === 'configure-aws-credentials').map((c) => c.role).sort()).toEqual([
      'arn:aws:iam::111111111111:role/terraform-plan',
      'arn:aws:iam::222222222222:role/terraform-plan',
      'arn:aws:iam::333333333333:role/terraform-plan',
    ])
    if (first.exitCode !== 0) throw new Error(tail(first))
  }, SCENARIO_TIMEOUT)
})
