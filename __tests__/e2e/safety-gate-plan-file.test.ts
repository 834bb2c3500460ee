import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runAction } from '../support/run-action.js'
import { copyExample, terraform, terraformEnv } from '../support/terraform.js'

describe('safety-gate with a binary plan file (real terraform show -json)', () => {
  it('reads the plan from plan-file in working-directory and dates it by the file', async () => {
    const dir = copyExample('demo')
    await terraform(['init', '-input=false', '-no-color'], dir)
    await terraform(['plan', '-input=false', '-no-color', '-out=tfplan'], dir)
    const policy = join(dir, 'policy.yml')
    writeFileSync(
      policy,
      'environments:\n  dev:\n    destroy: { max: 0 }\n    plan-age: { max: 1h }\n    protected: { types: [terraform_data] }\n',
    )
    const env = terraformEnv()
    const run = await runAction('safety-gate', {
      inputs: {
        environment: 'dev',
        'policy-file': policy,
        'plan-file': 'tfplan',
        'working-directory': dir,
        'github-token': '',
      },
      env: {
        TF_CLI_CONFIG_FILE: env.TF_CLI_CONFIG_FILE!,
        TF_PLUGIN_CACHE_DIR: env.TF_PLUGIN_CACHE_DIR!,
        TF_IN_AUTOMATION: '1',
        CHECKPOINT_DISABLE: '1',
      },
    })
    expect(run.stdout).not.toContain('::error')
    expect(run.exitCode).toBe(0)
    expect(run.outputs.allowed).toBe('true')
    expect(run.summary).toContain('| destroy | ✅ pass | 0 destroy/replace (limit 0) |')
    expect(run.summary).toMatch(
      /\| plan-age \| ✅ pass \| plan made \d+m?s ago \([^)]*, from plan file time\); limit 1h \|/,
    )
    expect(run.summary).toContain('| protected | ✅ pass | no protected resource is deleted or replaced |')
  }, 120_000)

  it('a missing plan file is a one-line configuration error', async () => {
    const dir = copyExample('demo')
    const policy = join(dir, 'policy.yml')
    writeFileSync(policy, 'environments:\n  dev: {}\n')
    const run = await runAction('safety-gate', {
      inputs: { environment: 'dev', 'policy-file': policy, 'plan-file': 'nope.tfplan', 'working-directory': dir },
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.at(-1)).toBe(
      `::error::safety-gate: plan-file '${join(dir, 'nope.tfplan')}' does not exist: give the path, relative to working-directory, of a plan saved with \`terraform plan -out\`.`,
    )
  })
})
