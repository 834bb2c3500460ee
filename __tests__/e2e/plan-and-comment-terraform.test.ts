import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { runAction } from '../support/run-action.js'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js'
import { copyExample, terraform, terraformEnv } from '../support/terraform.js'

jest.setTimeout(180_000)

const DEMO_PASSWORD = 'demo-password-change-me' // examples/demo: sensitive default of var.db_password

describe.each(['terraform', 'tofu'] as const)('plan-and-comment with a real binary plan (%s)', (binary) => {
  let server: GitHubServer
  let artifacts: ArtifactServer
  let dir: string

  beforeAll(async () => {
    server = await startGitHubServer()
    artifacts = await startArtifactServer()
    dir = copyExample('demo')
    await terraform(['init', '-input=false'], dir, { binary })
    await terraform(['plan', '-input=false', '-var', 'environment=prod', '-out=demo.tfplan'], dir, { binary })
  })
  afterAll(async () => {
    await server.close()
    await artifacts.close()
  })

  it('shows the plan with its binary, comments, uploads binary + redacted JSON + text, and sets the outputs', async () => {
    server.addPullRequest({ number: 3, head_sha: '7'.repeat(40) })
    const env: Record<string, string> = { GITHUB_API_URL: server.url, ...artifacts.env }
    for (const [k, v] of Object.entries(terraformEnv()))
      if (k.startsWith('TF_') || k === 'CHECKPOINT_DISABLE') env[k] = v!
    const r = await runAction('plan-and-comment', {
      inputs: {
        'github-token': 'test-token',
        'plan-file': 'demo.tfplan',
        'working-directory': dir,
        environment: 'prod',
        binary,
      },
      event: { pull_request: { number: 3 } },
      env,
    })
    expect(r.annotations).toEqual([])
    expect(r.exitCode).toBe(0)
    // examples/demo with environment=prod: network, database, 2 modules × (deployment + 3 instances for api / 1 for worker)
    const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8'))
    expect(Number(r.outputs.add)).toBe(report.addresses.create.length)
    expect(Number(r.outputs.add)).toBeGreaterThanOrEqual(6)
    expect(r.outputs.change).toBe('0')
    expect(r.outputs.destroy).toBe('0')
    expect(r.outputs.replace).toBe('0')
    expect(r.outputs['has-changes']).toBe('true')
    expect(r.outputs.fingerprint).toMatch(/^[0-9a-f]{64}$/)

    const [comment] = server.comments(3)
    expect(comment!.body.split('\n')[0]).toBe(
      `<!-- tfpipe:plan-and-comment env=prod dir=${encodeURIComponent(dir.replace(/^\//, '/'))} fingerprint=${r.outputs.fingerprint} -->`,
    )
    expect(comment!.body).toContain(`**Plan: ${r.outputs.add} to add, 0 to change, 0 to destroy.**`)
    expect(comment!.body).toContain(
      `${binary === 'tofu' ? 'OpenTofu' : 'Terraform'} says: \`Plan: ${r.outputs.add} to add, 0 to change, 0 to destroy.\``,
    )
    expect(comment!.body).toContain('```diff\n')
    expect(comment!.body).toContain('`database_connection`: `(sensitive)`')

    const uploaded = artifacts.artifacts().at(-1)!
    // Redacted files only: the binary plan carries every secret in clear.
    expect(uploaded.files.sort()).toEqual(['plan.redacted.json', 'plan.txt', 'report.json'])
    expect(r.outputs['artifact-url']).toMatch(new RegExp(`/acme/infra/actions/runs/4242/artifacts/${uploaded.id}$`))
    const readable = [
      comment!.body,
      r.summary,
      r.stdout,
      readFileSync(r.outputs.report!, 'utf8'),
      ...uploaded.entries.map((e) => e.content.toString('utf8')),
    ].join('\n')
    expect(readable).toContain('terraform_data.database')
    expect(readable).not.toContain(DEMO_PASSWORD)
  })
})
