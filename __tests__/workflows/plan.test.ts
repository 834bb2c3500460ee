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
  it(
    'posts one sticky comment per environment, and a re-run updates them in place',
    async () => {
      const sha = commit(
        world,
        { '.github/workflows/terraform-plan.yml': copyTemplate('terraform-plan') },
        'plan workflow',
      )
      world.github.addPullRequest({ number: PR, head_sha: sha, state: 'open' })
      const first = await runWorkflow(world, {
        workflow: '.github/workflows/terraform-plan.yml',
        event: 'pull_request',
        payload: prEvent(sha),
      })
      expect({ exit: first.exitCode, jobs: first.jobs }).toEqual({ exit: 0, jobs: expect.anything() })
      const comments = world.github.comments(PR)
      expect(comments.map((c) => /^<!-- tfpipe:plan-and-comment env=(\w+)/.exec(c.body)?.[1]).sort()).toEqual([
        'dev',
        'prod',
        'sit',
      ])
      for (const c of comments) expect(c.body).toContain('local_file.app_conf')
      const ids = comments.map((c) => c.id).sort()

      const second = await runWorkflow(world, {
        workflow: '.github/workflows/terraform-plan.yml',
        event: 'pull_request',
        payload: prEvent(sha),
      })
      expect(second.exitCode).toBe(0)
      expect(
        world.github
          .comments(PR)
          .map((c) => c.id)
          .sort(),
      ).toEqual(ids)
      expect(
        world.github.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/issues/comments/')),
      ).toHaveLength(3)
      // The plan jobs asked for the plan role of their own environment.
      expect(
        second.calls
          .filter((c) => c.action === 'configure-aws-credentials')
          .map((c) => c.role)
          .sort(),
      ).toEqual([
        'arn:aws:iam::111111111111:role/terraform-plan',
        'arn:aws:iam::222222222222:role/terraform-plan',
        'arn:aws:iam::333333333333:role/terraform-plan',
      ])
      if (first.exitCode !== 0) throw new Error(tail(first))
      // The example policy previews the gate in every comment.
      for (const c of comments) expect(c.body).toContain('#### 🔮 Gate preview: safety-gate would')
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'comment-mode combined: one comment for all environments, written after the plan matrix',
    async () => {
      const combined = copyTemplate('terraform-plan').replace(
        '      # comment-mode: "combined"',
        '      comment-mode: "combined"',
      )
      const sha = commit(world, { '.github/workflows/terraform-plan.yml': combined }, 'combined comment')
      const pr = PR + 1
      world.github.addPullRequest({ number: pr, head_sha: sha, state: 'open' })
      const run = await runWorkflow(world, {
        workflow: '.github/workflows/terraform-plan.yml',
        event: 'pull_request',
        payload: { number: pr, pull_request: { number: pr, head: { sha, ref: 'feature-2' }, base: { ref: 'main' } } },
      })
      expect(run.exitCode === 0 ? 'ok' : tail(run, 150)).toBe('ok')
      expect(run.job('combined plan comment')).toBe('success')
      const comments = world.github.comments(pr)
      expect(comments).toHaveLength(1)
      expect(comments[0]!.body.split('\n')[0]).toBe('<!-- tfpipe:plan-and-comment-combined dir=. -->')
      for (const env of ['dev', 'sit', 'prod'])
        expect(comments[0]!.body).toContain(`tfpipe:plan-and-comment env=${env} `)
    },
    SCENARIO_TIMEOUT,
  )
})
