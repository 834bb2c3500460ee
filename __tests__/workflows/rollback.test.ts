/**
 * Scenario 6: the rollback template returns dev to its first deploy tag. The preview job (no Environment,
 * plan role) shows the state diff and the plan against the state as it will be restored, gated; the
 * rollback job (Environment, apply role) restores exactly that version (serial bumped, same lineage,
 * digest right), applies the approved plan at the tag's commit, tags the rollback and tells Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { parseDeployTagMessage } from '@tfpipe/github/deploy-tags.js'
import { motoDynamoClient, motoS3Client } from '../support/moto.js'
import {
  BUCKET,
  TABLE,
  commit,
  copyTemplate,
  resourceAddresses,
  runWorkflow,
  stateKey,
  stateOf,
  tail,
  type World,
  startWorld,
  SCENARIO_TIMEOUT,
  commitRevision,
} from './support/world.js'

const APPLY = '.github/workflows/terraform-apply.yml'
const ROLLBACK = '.github/workflows/terraform-rollback.yml'
let world: World

const ok = (run: { exitCode: number; log: string }) =>
  expect(run.exitCode === 0 ? 'ok' : tail(run as never, 150)).toBe('ok')

async function deployDev(): Promise<void> {
  ok(
    await runWorkflow(world, {
      workflow: APPLY,
      event: 'workflow_dispatch',
      payload: {
        inputs: {
          environment: 'dev',
          confirmation: 'deploy-dev',
          'change-ticket': '',
          'override-reason': '',
          'force-recreate': 'false',
          'dry-run': 'false',
        },
      },
    }),
  )
}

/** The deploy tags exist on GitHub; the checkout fetches them. */
function mirrorTags(): void {
  for (const tag of world.github.tagObjects())
    execFileSync('git', ['-C', world.repo, 'tag', '-f', tag.tag, tag.object.sha])
}

const devTags = () =>
  world.github
    .refs()
    .map((r) => r.ref.slice('refs/tags/'.length))
    .filter((t) => t.startsWith('deploy-dev-'))
    .sort()

beforeAll(async () => {
  world = await startWorld()
  world.github.setEnvironment('dev', { reviewers: ['alice'] })
  // The rollback runs the team's checks too (verify-command): the restored revision 1 passes them.
  const rollback = copyTemplate('terraform-rollback').replace(
    '      verify-command: ""\n',
    '      verify-command: "test \\"$(jq -r .revision.value \\"$TFPIPE_OUTPUTS_FILE\\")\\" = 1 && echo \\"verified $TFPIPE_ENVIRONMENT\\""\n',
  )
  expect(rollback).toContain('TFPIPE_OUTPUTS_FILE')
  commit(world, { [APPLY]: copyTemplate('terraform-apply'), [ROLLBACK]: rollback }, 'pipeline')
  await deployDev()
  commitRevision(world, 2, 'revision 2', ['dev'])
  await new Promise((r) => setTimeout(r, 1100)) // deploy tags are per second
  await deployDev()
  mirrorTags()
}, SCENARIO_TIMEOUT)
afterAll(async () => world?.close())

describe('terraform-rollback through its starter template', () => {
  it(
    'restores the first deploy after an approved preview, applies its commit, tags it and tells Slack',
    async () => {
      const [first] = devTags()
      expect(devTags()).toHaveLength(2)
      const before = await stateOf(world, 'dev')
      expect(resourceAddresses(before)).toContain('terraform_data.cache')
      world.slack.requests.length = 0

      const run = await runWorkflow(world, {
        workflow: ROLLBACK,
        event: 'workflow_dispatch',
        payload: {
          inputs: {
            environment: 'dev',
            'deployment-tag': first,
            'version-id': '',
            confirmation: 'rollback-dev',
            reason: 'revision 2 broke the cache',
            'force-recreate': 'false',
            'override-reason': '',
          },
        },
        secrets: { SLACK_WEBHOOKS: JSON.stringify({ dev: world.slack.webhookUrl() }) },
      })
      ok(run)
      expect(run.job('preview rollback dev')).toBe('success')
      expect(run.job('rollback dev')).toBe('success')
      // The approvers' preview: the plan against the restored state and the gate's verdict, before the rollback job.
      const rollbackStart = run.log.indexOf('[rollback/terraform-rollback/rollback dev ')
      expect(
        run.log.lastIndexOf('Summary - ### ✅ safety-gate: deploy to `dev` allowed', rollbackStart),
      ).toBeGreaterThan(-1)
      expect(
        run.calls
          .filter((c) => c.action === 'configure-aws-credentials')
          .map((c) => `${c.job}:${String(c.role).split(':role/')[1]}`),
      ).toEqual(['preview:terraform-plan', 'rollback:terraform-apply'])

      const after = await stateOf(world, 'dev')
      expect(after?.lineage).toBe(before?.lineage)
      expect(after!.serial).toBeGreaterThan(before!.serial)
      expect(resourceAddresses(after)).toEqual(['local_file.app_conf', 'terraform_data.app'])
      expect(after?.resources.find((r) => r.name === 'app')?.instances[0]?.attributes.input).toEqual({
        type: 'string',
        value: 'app-r1',
      })
      // The digest terraform checks matches the bytes now in S3.
      const body = await (
        await motoS3Client(world.moto.endpoint).send(new GetObjectCommand({ Bucket: BUCKET, Key: stateKey('dev') }))
      ).Body!.transformToString()
      const digest = await motoDynamoClient(world.moto.endpoint).send(
        new GetItemCommand({ TableName: TABLE, Key: { LockID: { S: `${BUCKET}/${stateKey('dev')}-md5` } } }),
      )
      expect(digest.Item?.Digest?.S).toBe(createHash('md5').update(body).digest('hex'))

      expect(devTags()).toHaveLength(3)
      // The rollback's tag and Deployment say it was one (the delivery metrics count rollbacks by it); the deploys' say deploy.
      const operations = devTags().map((name) => {
        const ref = world.github.refs().find((r) => r.ref === `refs/tags/${name}`)
        return parseDeployTagMessage(world.github.tagObjects().find((t) => t.sha === ref?.sha)?.message ?? '')
          ?.operation
      })
      expect(operations).toEqual(['deploy', 'deploy', 'rollback'])
      expect(run.log).toContain('verified dev')
      const rollbackTag = world.github.tagObjects().find((t) => t.tag === devTags()[2])
      expect(parseDeployTagMessage(rollbackTag?.message ?? '')?.verification).toEqual({ result: 'passed' })
      const newest = world.github
        .deployments()
        .find(
          (d) =>
            d.environment === 'dev' &&
            (d.payload as { tfpipe?: { operation?: string } }).tfpipe?.operation !== undefined,
        )
      expect((newest?.payload as { tfpipe: { operation: string } }).tfpipe.operation).toBe('rollback')
      const texts = world.slack.requests.filter((r) => r.status === 200).map((r) => r.body)
      expect(texts.map((t) => /"text":"([^:"]+)/.exec(t)?.[1])).toEqual([
        'Approval required',
        'Rollback started',
        'Rollback succeeded',
      ])
    },
    SCENARIO_TIMEOUT,
  )
})
