/**
 * Verification after the apply, promotion on evidence and the automatic rollback, through the apply
 * template with a `verify-command` (a script of the caller repository: sit's "integration test" fails at
 * revision 2) and the example policy (dev may skip the verification, sit rolls back automatically, prod
 * needs a verified sit deploy of the same commit):
 *   - dev with skip-verify: allowed there, recorded on the Deployment, the tag and in Slack;
 *   - sit at revision 1: verified → Deployment success, Slack deploy-succeeded with the verification;
 *   - sit at revision 2: the verification fails → tag and Deployment failed (log URL), Slack
 *     verification-failed, then in the same job the last verified sit deploy is restored (state by its
 *     tag, apply at its commit), tagged as a rollback and reported; the run fails;
 *   - prod of revision 2 (with skip-verify, which prod does not allow) → refused for both reasons;
 *     prod of revision 1 (verified in sit) → allowed.
 * Lean on purpose: one world, five runs, the prod ones dry runs (the gate is what decides).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDeployTagMessage, type DeployMetadata } from '@tfpipe/github/deploy-tags.js'
import {
  checkoutMain,
  commit,
  copyTemplate,
  resourceAddresses,
  runWorkflow,
  stateOf,
  tail,
  type World,
  type WorkflowRun,
  startWorld,
  SCENARIO_TIMEOUT,
  commitRevision,
  protectEnvironments,
} from './support/world.js'
import { repoRoot } from './support/act.js'

const NOW = '2026-12-02T10:30:00Z' // a Wednesday inside the example policy's prod window
const APPLY = '.github/workflows/terraform-apply.yml'
const VERIFY = `#!/usr/bin/env bash
# The team's checks: dev only validates; sit's integration test fails from revision 2 on.
set -euo pipefail
revision="$(jq -r .revision.value "$TFPIPE_OUTPUTS_FILE")"
echo "verifying $TFPIPE_ENVIRONMENT at revision $revision in $PWD"
[[ "$TFPIPE_ENVIRONMENT" == dev || "$revision" == 1 ]]
`

let world: World
let A = ''
let B = ''

/** The template as a team fills it in: its verify-command and the clock pinned for prod's window. */
function applyCaller(): string {
  const text = copyTemplate('terraform-apply').replace(
    '      verify-command: ""\n',
    `      verify-command: "bash scripts/verify.sh"\n      now: "${NOW}"\n`,
  )
  if (!text.includes('scripts/verify.sh')) throw new Error('the apply template no longer has a verify-command line')
  return text
}

/** The example policy; the reviewed-plan rule (covered in apply.test.ts) and sit's dev prerequisite are left out to keep this lean. */
function policy(): string {
  const text = readFileSync(join(repoRoot, 'workflows-templates', 'terraform-policy.example.yml'), 'utf8')
  const lean = text
    .replace('reviewed-plan:\n    required: true', 'reviewed-plan:\n    required: false')
    .replace(/( {2}sit:\n[\s\S]*?)\n {4}promotion:\n {6}requires: \[dev\]\n/, '$1\n')
  if (lean.includes('requires: [dev]') || !lean.includes('auto-rollback: true'))
    throw new Error('the example policy changed shape; update this test')
  return lean
}

async function deploy(
  environment: string,
  options: { skipVerify?: boolean; dryRun?: boolean } = {},
): Promise<WorkflowRun> {
  return runWorkflow(world, {
    workflow: APPLY,
    event: 'workflow_dispatch',
    payload: {
      inputs: {
        environment,
        confirmation: `deploy-${environment}`,
        'change-ticket': environment === 'prod' ? 'CHG-12345' : '',
        'override-reason': '',
        'force-recreate': 'false',
        'dry-run': String(options.dryRun ?? false),
        'skip-verify': String(options.skipVerify ?? false),
      },
    },
    secrets: { SLACK_WEBHOOKS: JSON.stringify({ default: world.slack.webhookUrl() }) },
  })
}

const expectOk = (run: WorkflowRun) => expect(run.exitCode === 0 ? 'ok' : tail(run, 120)).toBe('ok')
const slackTitles = () =>
  world.slack.requests.filter((r) => r.status === 200).map((r) => /"text":"([^:"]+)/.exec(r.body)?.[1])
const slackBodies = () => world.slack.requests.filter((r) => r.status === 200).map((r) => r.body)

function tagsOf(env: string): { name: string; metadata: DeployMetadata | undefined }[] {
  return world.github
    .refs()
    .filter((r) => r.ref.startsWith(`refs/tags/deploy-${env}-`))
    .map((r) => ({
      name: r.ref.slice('refs/tags/'.length),
      metadata: parseDeployTagMessage(world.github.tagObjects().find((t) => t.sha === r.sha)?.message ?? ''),
    }))
    .sort((a, b) => (a.metadata?.finishedAt ?? '').localeCompare(b.metadata?.finishedAt ?? ''))
}

/** The Deployments of env@sha, oldest first, each with its statuses (oldest first) and payload. */
function deploymentsOf(env: string, sha: string) {
  return world.github
    .deployments()
    .filter((d) => d.environment === env && d.sha === sha)
    .reverse()
    .map((d) => ({
      payload: (d.payload as { tfpipe?: Record<string, string> }).tfpipe ?? {},
      statuses: d.statuses.map((s) => ({ state: s.state, description: s.description, log_url: s.log_url })),
    }))
}

beforeAll(async () => {
  world = await startWorld()
  protectEnvironments(world)
  A = commit(
    world,
    { [APPLY]: applyCaller(), '.github/terraform-policy.yml': policy(), 'scripts/verify.sh': VERIFY },
    'pipeline with verification',
  )
}, SCENARIO_TIMEOUT)
afterAll(async () => world?.close())

describe('verification after the apply', () => {
  it(
    'dev allows skip-verify: the skip is recorded on the Deployment, the deploy tag and in Slack',
    async () => {
      const run = await deploy('dev', { skipVerify: true })
      expectOk(run)
      expect(run.log).not.toContain('verifying dev')
      const [d] = deploymentsOf('dev', A)
      expect(d?.statuses.map((s) => s.state)).toEqual(['success'])
      expect(d?.statuses[0]?.description).toMatch(/^Deployed, verification skipped: deploy-dev-/)
      expect(d?.payload.verification).toBe('skipped')
      expect(tagsOf('dev').map((t) => [t.metadata?.status, t.metadata?.verification?.result])).toEqual([
        ['success', 'skipped'],
      ])
      expect(slackTitles()).toEqual(['Approval required', 'Deploy succeeded'])
      expect(slackBodies()[1]).toContain('skipped (skip-verify)')
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'sit at revision 1 passes its checks: the Deployment ends success and Slack says verified',
    async () => {
      world.slack.requests.length = 0
      const run = await deploy('sit')
      expectOk(run)
      expect(run.log).toContain('verifying sit at revision 1')
      const [d] = deploymentsOf('sit', A)
      expect(d?.statuses.map((s) => s.state)).toEqual(['success'])
      expect(d?.statuses[0]?.description).toMatch(/^Deployed and verified: deploy-sit-/)
      expect(tagsOf('sit').map((t) => [t.metadata?.status, t.metadata?.verification?.result])).toEqual([
        ['success', 'passed'],
      ])
      expect(slackTitles()).toEqual(['Approval required', 'Deploy succeeded'])
      expect(slackBodies()[1]).toContain('passed')
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'sit at revision 2 fails its checks: Deployment failed, Slack told, and sit rolled back to the verified revision 1 in the same job',
    async () => {
      await new Promise((r) => setTimeout(r, 1100)) // deploy tags are per second
      B = commitRevision(world, 2, 'revision 2')
      world.slack.requests.length = 0
      const verified = tagsOf('sit')[0]!
      const run = await deploy('sit')
      expect(run.exitCode).not.toBe(0)
      expect(run.job('deploy sit')).toBe('failure')
      expect(run.log).toContain('verifying sit at revision 2')
      expect(run.log).toContain('the verification of the deploy to sit failed (verify-command exit 1)')

      // The failed deploy: tag and Deployment say so, with the run's log URL.
      const [d] = deploymentsOf('sit', B)
      expect(d?.statuses.map((s) => s.state)).toEqual(['failure'])
      expect(d?.statuses[0]?.description).toMatch(/^Verification failed: deploy-sit-/)
      expect(d?.statuses[0]?.log_url).toMatch(/\/actions\/runs\/\d+$/)
      const tags = tagsOf('sit')
      expect(
        tags.map((t) => [
          t.metadata?.sha.slice(0, 7),
          t.metadata?.operation,
          t.metadata?.status,
          t.metadata?.verification?.result ?? 'none',
        ]),
      ).toEqual([
        [A.slice(0, 7), 'deploy', 'success', 'passed'],
        [B.slice(0, 7), 'deploy', 'failure', 'failed'],
        [A.slice(0, 7), 'rollback', 'success', 'none'],
      ])

      // Restored: the state of the verified tag, then its commit applied (revision 1, no cache).
      const state = await stateOf(world, 'sit')
      expect(resourceAddresses(state)).toEqual(['local_file.app_conf', 'terraform_data.app'])
      expect(state?.resources.find((r) => r.name === 'app')?.instances[0]?.attributes.input).toEqual({
        type: 'string',
        value: 'app-r1',
      })
      expect(state?.lineage).toBe(verified.metadata?.state?.lineage)
      const rollback = deploymentsOf('sit', A).find((x) => x.payload.operation === 'rollback')
      expect(rollback?.statuses.map((s) => s.state)).toEqual(['success'])

      expect(slackTitles()).toEqual(['Approval required', 'Verification failed', 'Rollback succeeded'])
      expect(slackBodies()[1]).toContain(`Rolling back automatically to the last verified deploy`)
      expect(slackBodies()[1]).toContain(verified.name)
      expect(slackBodies()[2]).toContain('automatic: the verification of deploy-sit-')
    },
    SCENARIO_TIMEOUT,
  )

  it(
    'blocks prod for the commit whose verification failed, and allows the verified one',
    async () => {
      // Revision 2 (head): no verified sit deploy; and skip-verify is not allowed in prod.
      const refused = await deploy('prod', { dryRun: true, skipVerify: true })
      expect(refused.exitCode).not.toBe(0)
      expect(refused.job('plan prod')).toBe('failure')
      expect(refused.log).toContain(`promotion: commit ${B.slice(0, 12)} has no verified deployment in sit`)
      expect(refused.log).toContain('verification: skip-verify is not allowed for prod')

      checkoutMain(world, A)
      const allowed = await deploy('prod', { dryRun: true })
      expectOk(allowed)
      expect(allowed.log).toContain('commit deployed and verified before in sit')
    },
    SCENARIO_TIMEOUT,
  )
})
