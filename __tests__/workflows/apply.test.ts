/**
 * terraform-apply through its starter template, with the example policy (confirmation, change ticket for
 * prod, weekday window, promotion dev → sit → prod, Environment protection, reviewed plan, destroys):
 *   - dev, then sit, then prod: the plan job gates and summarises BEFORE the approval, the deploy job (in
 *     the Environment, with the apply role) applies the stored plan without planning again → state in S3,
 *     deploy tags, Deployments, Slack approval-required + deploy-succeeded;
 *   - prod for a commit never deployed to sit (given as `ref` while the branch is elsewhere) → refused in
 *     the plan job, nothing applied;
 *   - a state change between plan and approval → the one clear line, nothing applied;
 *   - a swapped saved plan → refused, nothing applied;
 *   - a prod destroy without force → refused; with force → applied;
 *   - dry-run → plan, verdict and summary only.
 * act cannot pause for an Environment approval: the tests assert the deploy job declares `environment:`
 * and that nothing the approvers read is made after the plan job.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { parse } from 'yaml'
import { readFileSync } from 'node:fs'
import { repoRoot } from './support/act.js'
import {
  BUCKET,
  TABLE,
  checkoutMain,
  commit,
  copyTemplate,
  head,
  resourceAddresses,
  runWorkflow,
  stateKey,
  stateOf,
  tail,
  type World,
  type WorkflowRun,
  startWorld,
  SCENARIO_TIMEOUT,
  commitRevision,
  protectEnvironments,
} from './support/world.js'

// A Wednesday inside the example policy's prod window (Mon–Thu 09:00–16:00 Europe/London), no freeze.
const NOW = '2026-12-02T10:30:00Z'
const TICKET = 'CHG-12345'
const APPLY = '.github/workflows/terraform-apply.yml'
const PLAN = '.github/workflows/terraform-plan.yml'

let world: World
let nextPr = 1

/** The apply template as a team copies it, plus two lines: the clock pinned (windows) and a `ref` input. */
function applyCaller(): string {
  return copyTemplate('terraform-apply')
    .replace(
      '      dry-run:\n        description:',
      '      ref:\n        description: "Commit to deploy (empty: the branch head)"\n        type: string\n        required: false\n      dry-run:\n        description:',
    )
    .replace(
      '      dry-run: ${{ inputs.dry-run }}\n',
      `      dry-run: \${{ inputs.dry-run }}\n      ref: \${{ inputs.ref }}\n      now: "${NOW}"\n`,
    )
}

function slackWebhooks(): string {
  return JSON.stringify({
    dev: world.slack.webhookUrl('/services/T0/DEV/x'),
    sit: world.slack.webhookUrl('/services/T0/SIT/x'),
    prod: world.slack.webhookUrl('/services/T0/PROD/x'),
  })
}

/** Plans a commit on a pull request (sticky comments with the fingerprints) and merges it. */
async function reviewAndMerge(sha: string): Promise<void> {
  const number = nextPr++
  world.github.addPullRequest({ number, head_sha: sha, state: 'open' })
  const run = await runWorkflow(world, {
    workflow: PLAN,
    event: 'pull_request',
    payload: { number, pull_request: { number, head: { sha, ref: `pr-${number}` }, base: { ref: 'main' } } },
  })
  if (run.exitCode !== 0) throw new Error(`PR plan failed:\n${tail(run)}`)
  const pr = world.github.pullRequests().find((p) => p.number === number)!
  Object.assign(pr, { state: 'closed', merged: true, merged_at: new Date().toISOString(), merge_commit_sha: sha })
  world.github.associateCommit(sha, number)
}

async function deploy(
  environment: string,
  options: {
    ref?: string
    force?: boolean
    dryRun?: boolean
    env?: Record<string, string>
    confirmation?: string
  } = {},
): Promise<WorkflowRun> {
  return runWorkflow(world, {
    workflow: APPLY,
    event: 'workflow_dispatch',
    payload: {
      inputs: {
        environment,
        confirmation: options.confirmation ?? `deploy-${environment}`,
        'change-ticket': environment === 'prod' ? TICKET : '',
        'override-reason': '',
        // GitHub sends dispatch inputs as strings (act mistypes a JSON boolean here as false)
        'force-recreate': String(options.force ?? false),
        'dry-run': String(options.dryRun ?? false),
        ref: options.ref ?? '',
      },
    },
    secrets: { SLACK_WEBHOOKS: slackWebhooks() },
    ...(options.env ? { env: options.env } : {}),
  })
}

const tagsOf = (env: string) =>
  world.github
    .refs()
    .map((r) => r.ref)
    .filter((r) => r.startsWith(`refs/tags/deploy-${env}-`))
const slackTexts = () => world.slack.requests.filter((r) => r.status === 200).map((r) => r.body)
const expectOk = (run: WorkflowRun) => expect(run.exitCode === 0 ? 'ok' : tail(run, 120)).toBe('ok')

let A = ''
let B = ''

beforeAll(async () => {
  world = await startWorld()
  protectEnvironments(world)
  A = commit(world, { [APPLY]: applyCaller(), [PLAN]: copyTemplate('terraform-plan') }, 'pipeline')
  await reviewAndMerge(A)
}, SCENARIO_TIMEOUT)
afterAll(async () => world?.close())

describe('terraform-apply through its starter template', () => {
  it('declares the Environment on the deploy job only, so the approval sits between plan and apply', () => {
    const workflow = parse(readFileSync(join(repoRoot, '.github', 'workflows', 'terraform-apply.yml'), 'utf8'))
    expect(workflow.jobs.plan.environment).toBeUndefined()
    expect(workflow.jobs.deploy.environment.name).toBe('${{ inputs.environment }}')
    expect(workflow.jobs.deploy.needs).toBe('plan')
  })

  it(
    'deploys dev, then sit, then prod: plan and gate before the approval, the stored plan applied after it',
    async () => {
      for (const env of ['dev', 'sit', 'prod']) {
        const run = await deploy(env)
        expectOk(run)
        expect(run.job(`plan ${env}`)).toBe('success')
        expect(run.job(`deploy ${env}`)).toBe('success')
        // The approvers' summary and the Slack request come from the plan job, before the deploy job starts.
        const deployStart = run.log.indexOf(`deploy ${env}]`)
        expect(run.log.indexOf('Summary - ### 📝 Terraform plan')).toBeGreaterThan(-1)
        expect(run.log.indexOf('Summary - ### 📝 Terraform plan')).toBeLessThan(deployStart)
        // The deploy job applied the saved file and never planned.
        const deployLog = run.log
          .split('\n')
          .filter((l) => l.includes(`deploy ${env}]`))
          .join('\n')
        expect(deployLog).toContain('Apply complete! Resources: 2 added')
        expect(deployLog).not.toMatch(/terraform(\s|")plan|Terraform will perform/)
        // Plan role in the plan job, apply role in the deploy job only.
        const roles = run.calls
          .filter((c) => c.action === 'configure-aws-credentials')
          .map((c) => `${c.job}:${String(c.role).split(':role/')[1]}`)
        expect(roles).toEqual(['plan:terraform-plan', 'deploy:terraform-apply'])
        expect(resourceAddresses(await stateOf(world, env))).toEqual(['local_file.app_conf', 'terraform_data.app'])
        expect(tagsOf(env)).toHaveLength(1)
      }
      expect(
        world.github
          .deployments()
          .map((d) => `${d.environment}@${d.sha.slice(0, 7)}`)
          .sort(),
      ).toEqual([`dev@${A.slice(0, 7)}`, `prod@${A.slice(0, 7)}`, `sit@${A.slice(0, 7)}`])
      const texts = slackTexts()
      expect(texts.filter((t) => t.includes('Approval required'))).toHaveLength(3)
      expect(texts.filter((t) => t.includes('Deploy succeeded'))).toHaveLength(3)
      expect(texts.find((t) => t.includes('Approval required') && t.includes('prod'))).toMatch(/\*2\* to add/)
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'refuses prod for a commit never deployed to sit, even when the branch head was',
    async () => {
      B = commitRevision(world, 2, 'revision 2')
      await reviewAndMerge(B)
      execFileSync('git', ['-C', world.repo, 'branch', '-f', 'release', B])
      checkoutMain(world, A) // the dispatch runs on A (deployed to sit) but asks for B
      const before = await stateOf(world, 'prod')
      const run = await deploy('prod', { ref: B })
      expect(run.exitCode).not.toBe(0)
      expect(run.job('plan prod')).toBe('failure')
      expect(run.job('deploy prod')).toBe('not run')
      expect(run.log).toMatch(/promotion/)
      expect((await stateOf(world, 'prod'))?.serial).toBe(before?.serial)
      checkoutMain(world, B)
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'refuses a plan whose state moved while it waited for approval, in one clear line',
    async () => {
      const before = await stateOf(world, 'dev')
      const hook = `node ${join(import.meta.dirname, 'support', 'move-state.mjs')} ${world.moto.endpoint} ${BUCKET} ${stateKey('dev')} ${TABLE}`
      const run = await deploy('dev', { env: { TFPIPE_TEST_ON_DOWNLOAD: hook } })
      expect(run.exitCode).not.toBe(0)
      expect(run.job('plan dev')).toBe('success')
      expect(run.job('deploy dev')).toBe('failure')
      expect(run.log).toContain('the state changed since the plan you approved; nothing was applied: dispatch again')
      const after = await stateOf(world, 'dev')
      expect(after?.serial).toBe((before?.serial ?? 0) + 1) // the hook's write only
      expect(resourceAddresses(after)).toEqual(['local_file.app_conf', 'terraform_data.app'])
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'refuses a saved plan swapped after the approval',
    async () => {
      const run = await deploy('dev', { env: { TFPIPE_TEST_ON_DOWNLOAD: 'printf "not the plan" > "$1/tfplan"' } })
      expect(run.job('deploy dev')).toBe('failure')
      expect(run.log).toContain('the saved plan is not the one the plan job made and the reviewers approved')
      expect(resourceAddresses(await stateOf(world, 'dev'))).toEqual(['local_file.app_conf', 'terraform_data.app'])
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'dry-run plans, gates and summarises without a deploy job',
    async () => {
      const run = await deploy('dev', { dryRun: true })
      expectOk(run)
      expect(run.job('plan dev')).toBe('success')
      expect(run.job('deploy dev')).toBe('not run')
      expect(run.calls.filter((c) => c.action === 'upload-artifact')).toHaveLength(0)
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'promotes revision 2 through sit to prod, then refuses a prod destroy without force and applies it with force',
    async () => {
      expectOk(await deploy('dev'))
      expectOk(await deploy('sit'))
      const prod = await deploy('prod')
      expectOk(prod)
      expect(resourceAddresses(await stateOf(world, 'prod'))).toEqual([
        'local_file.app_conf',
        'terraform_data.app',
        'terraform_data.cache',
      ])

      const C = commitRevision(world, 1, 'back to revision 1')
      expect(head(world)).toBe(C)
      await reviewAndMerge(C)
      expectOk(await deploy('dev'))
      expectOk(await deploy('sit'))
      const refused = await deploy('prod')
      expect(refused.job('plan prod')).toBe('failure')
      expect(refused.job('deploy prod')).toBe('not run')
      expect(refused.log).toMatch(/destroy: /)
      expect(resourceAddresses(await stateOf(world, 'prod'))).toContain('terraform_data.cache')

      const forced = await deploy('prod', { force: true })
      expectOk(forced)
      expect(resourceAddresses(await stateOf(world, 'prod'))).toEqual(['local_file.app_conf', 'terraform_data.app'])
      expect(tagsOf('prod')).toHaveLength(3)
    },
    SCENARIO_TIMEOUT,
  )
})
