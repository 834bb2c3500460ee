/**
 * Scenario 5: the nightly drift template after an out-of-band change → one drift issue opened for that
 * environment, its own Slack channel told (per-environment webhooks), the others quiet; after the fix →
 * the issue closed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { terraform } from '../support/terraform.js'
import {
  ENVIRONMENTS,
  commit,
  copyTemplate,
  deployedConf,
  runWorkflow,
  startWorld,
  tail,
  type World,
  SCENARIO_TIMEOUT,
} from './support/world.js'

const DRIFT = '.github/workflows/terraform-drift.yml'
let world: World

/** What earlier deploys left: each environment applied at revision 1. */
async function applyEverywhere(): Promise<void> {
  for (const env of ENVIRONMENTS) {
    const dir = mkdtempSync(join(world.dir, `apply-${env}-`))
    cpSync(world.repo, dir, { recursive: true, filter: (p) => !p.includes('/.git') })
    await terraform(['init', '-input=false', `-backend-config=backend/${env}.hcl`], dir, { env: world.moto.env })
    await terraform(['apply', '-input=false', '-auto-approve', `-var-file=env/${env}.tfvars`], dir, {
      env: world.moto.env,
    })
    rmSync(dir, { recursive: true, force: true })
  }
}

const hooks = () => ({
  dev: world.slack.webhookUrl('/services/T0/DEV/x'),
  sit: world.slack.webhookUrl('/services/T0/SIT/x'),
  prod: world.slack.webhookUrl('/services/T0/PROD/x'),
})
const sentTo = (path: string) => world.slack.requests.filter((r) => r.status === 200 && r.path === path)

beforeAll(async () => {
  world = await startWorld()
  commit(world, { [DRIFT]: copyTemplate('terraform-drift') }, 'drift workflow')
  await applyEverywhere()
}, SCENARIO_TIMEOUT)
afterAll(async () => world?.close())

describe('terraform-drift through its starter template', () => {
  it(
    'opens one issue for the drifted environment, tells its channel only, and closes the issue after the fix',
    async () => {
      writeFileSync(deployedConf(world, 'dev'), 'listen = 9090\n') // changed by hand, outside Terraform
      const first = await runWorkflow(world, {
        workflow: DRIFT,
        event: 'schedule',
        payload: { schedule: '17 6 * * 1-5' },
        secrets: { SLACK_WEBHOOKS: JSON.stringify(hooks()) },
      })
      expect(first.exitCode === 0 ? 'ok' : tail(first, 150)).toBe('ok')
      const open = world.github.issues().filter((i) => i.state === 'open')
      expect(open).toHaveLength(1)
      expect(open[0]?.title).toContain('dev')
      expect(open[0]?.body).toContain('local_file.app_conf')
      expect(
        sentTo('/services/T0/DEV/x')
          .map((r) => r.body)
          .join('\n'),
      ).toContain('Drift detected')
      expect(sentTo('/services/T0/SIT/x')).toHaveLength(0)
      expect(sentTo('/services/T0/PROD/x')).toHaveLength(0)

      writeFileSync(deployedConf(world, 'dev'), 'listen = 8080\n') // put back
      const second = await runWorkflow(world, {
        workflow: DRIFT,
        event: 'schedule',
        payload: { schedule: '17 6 * * 1-5' },
        secrets: { SLACK_WEBHOOKS: JSON.stringify(hooks()) },
      })
      expect(second.exitCode === 0 ? 'ok' : tail(second, 150)).toBe('ok')
      expect(world.github.issues().find((i) => i.number === open[0]!.number)?.state).toBe('closed')
      expect(world.github.issues().filter((i) => i.state === 'open')).toHaveLength(0)
      expect(sentTo('/services/T0/DEV/x')).toHaveLength(1)
    },
    SCENARIO_TIMEOUT,
  )
})
