/**
 * Scenario: the plan workflow's multi-layer validation in one place. A pull request adds a hard-coded AWS
 * access key; the starter template asks for `scanners: checkov` and passes an INFRACOST_API_KEY secret.
 * The check job runs the real checkov (the pinned version, from the tool cache scripts/setup/checkov.sh
 * fills from PyPI), each plan job runs `infracost diff` on its plan (a stand-in CLI in the tool cache:
 * stand-ins/README.md) and plan-and-comment gets the same SARIF and cost files: one code scanning upload
 * per directory and scanner (recorded by the local GitHub server), the finding in every comment, and the
 * prod gate preview refusing it (the example policy fails prod on high findings).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './support/act.js'
import {
  commit,
  copyTemplate,
  runWorkflow,
  startWorld,
  tail,
  toolCache,
  type World,
  SCENARIO_TIMEOUT,
} from './support/world.js'

let world: World
const PR = 31
const WORKFLOW = readFileSync(join(repoRoot, '.github', 'workflows', 'terraform-plan.yml'), 'utf8')
const pinned = (name: string, pattern: RegExp): string => {
  const m = pattern.exec(WORKFLOW)
  if (!m?.[1]) throw new Error(`terraform-plan.yml pins no ${name}`)
  return m[1]
}
const CHECKOV = pinned('checkov', /checkov-version:\n(?:.*\n)*?\s+default: "([^"]+)"/)
const INFRACOST = pinned('infracost', /TFPIPE_INFRACOST_VERSION: "([^"]+)"/)

beforeAll(async () => {
  const checkovCache = join(repoRoot, '.tools', 'toolcache', 'tfpipe-checkov')
  if (!existsSync(join(checkovCache, CHECKOV, 'x64', 'bin', 'checkov'))) {
    const r = spawnSync('bash', [join(repoRoot, 'scripts', 'setup', 'checkov.sh')], {
      stdio: 'inherit',
      timeout: 900_000,
    })
    if (r.status !== 0) throw new Error('scripts/setup/checkov.sh failed: checkov is not installed')
  }
  world = await startWorld()
  // this world's tool cache: the real checkov, and the infracost stand-in
  const cache = toolCache(world)
  mkdirSync(join(cache, 'tfpipe-infracost', INFRACOST, 'x64'), { recursive: true })
  symlinkSync(checkovCache, join(cache, 'tfpipe-checkov'))
  const infracost = join(cache, 'tfpipe-infracost', INFRACOST, 'x64', 'infracost')
  copyFileSync(join(repoRoot, '__tests__', 'workflows', 'stand-ins', 'infracost', 'infracost'), infracost)
  chmodSync(infracost, 0o755)
}, SCENARIO_TIMEOUT)
afterAll(async () => world?.close())

describe('terraform-plan with scanners and an Infracost key', () => {
  it(
    'scans once, uploads the SARIF to code scanning once, and every comment and gate preview reads the same findings and cost',
    async () => {
      const template = copyTemplate('terraform-plan')
        .replace('      # scanners: "checkov,trivy"', '      scanners: "checkov"')
        .replace('    # secrets:\n    #   INFRACOST_API_KEY:', '    secrets:\n      INFRACOST_API_KEY:')
      expect(template).toContain('INFRACOST_API_KEY: ${{ secrets.INFRACOST_API_KEY }}\n')
      const sha = commit(
        world,
        {
          '.github/workflows/terraform-plan.yml': template,
          // what checkov's secrets check catches: an AWS access key written into the configuration
          'legacy.tf': 'resource "terraform_data" "legacy_key" {\n  input = "AKIAZ7Q3H6LCOKDX2NPB"\n}\n',
        },
        'a hard-coded key',
      )
      world.github.addPullRequest({ number: PR, head_sha: sha, state: 'open' })
      const run = await runWorkflow(world, {
        workflow: '.github/workflows/terraform-plan.yml',
        event: 'pull_request',
        payload: { number: PR, pull_request: { number: PR, head: { sha, ref: 'feature' }, base: { ref: 'main' } } },
        secrets: { INFRACOST_API_KEY: 'ico-scenario-key-0123456789' },
      })
      expect(run.exitCode === 0 ? 'ok' : tail(run, 150)).toBe('ok')
      expect(run.log).toMatch(/checkov \.: 1 finding\(s\)/)
      expect(run.log).not.toMatch(/pip install|Collecting checkov/) // the pinned checkov came from the tool cache

      // code scanning: one analysis (one directory, one scanner), from the first environment's job only
      const uploads = world.github.sarifUploads()
      expect(uploads).toHaveLength(1)
      const upload = uploads[0]!
      expect(upload.ref).toBe(`refs/pull/${PR}/merge`)
      expect(upload.commit_sha).toMatch(/^[0-9a-f]{40}$/)
      expect(upload.tool_name).toBe('Checkov')
      const sarifRun = upload.sarif.runs![0]! as {
        automationDetails?: { id?: string }
        tool?: { driver?: { version?: string } }
        results?: { ruleId?: string; locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[] }[]
      }
      expect(sarifRun.automationDetails?.id).toBe('tfpipe/root/checkov/')
      expect(sarifRun.tool?.driver?.version).toBe(CHECKOV)
      expect(
        sarifRun.results!.map((r) => [r.ruleId, r.locations?.[0]?.physicalLocation?.artifactLocation?.uri]),
      ).toEqual([['CKV_SECRET_2', 'legacy.tf']])

      // the comments: the same finding, the cost infracost priced, and prod's gate preview refusing the finding
      const comments = world.github.comments(PR)
      const byEnv = new Map(comments.map((c) => [/^<!-- tfpipe:plan-and-comment env=(\w+)/.exec(c.body)?.[1], c.body]))
      expect([...byEnv.keys()].sort()).toEqual(['dev', 'prod', 'sit'])
      for (const body of byEnv.values()) {
        expect(body).toContain('#### 🛡️ Security scan (Checkov): 1 finding')
        // linked at the pull request's head commit, where the key is
        expect(body).toContain(
          `\`CKV_SECRET_2\` — AWS Access Key — [legacy.tf:2](https://github.com/acme/infra/blob/${sha}/legacy.tf#L2)`,
        )
        // three resources to create, priced by the stand-in at 1.50 each
        expect(body).toContain('#### 💰 Monthly cost: +4.50 USD/month')
        expect(body).not.toContain('ico-scenario-key')
      }
      expect(byEnv.get('prod')).toContain('❌ **security** — 1 security finding(s) at or above high')
      expect(byEnv.get('dev')).not.toContain('**security**')
      // infracost ran in every plan job, with the key and with Infracost Cloud off
      const costCalls = run.calls.filter((c) => c.action === 'infracost')
      expect(costCalls.map((c) => [c.keyed, c.cloud])).toEqual([
        ['yes', 'false'],
        ['yes', 'false'],
        ['yes', 'false'],
      ])
    },
    SCENARIO_TIMEOUT,
  )
})
