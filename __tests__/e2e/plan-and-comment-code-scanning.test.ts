/**
 * plan-and-comment `code-scanning: true`: the bundle uploads every sarif file to the local GitHub server's
 * code scanning endpoint (gzip + base64, the run's commit and ref, one category per directory and tool)
 * and renders the same files in the comment.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runAction, type RunActionOptions } from '../support/run-action.js'
import { startGitHubServer, type GitHubServer } from '../support/github-server.js'
import { fixturesDir } from '../support/terraform.js'

jest.setTimeout(120_000)

const PR = 51
const SHA = 'e'.repeat(40)
const policyFixtures = join(import.meta.dirname, '..', 'fixtures', 'policy')
const trivy = join(policyFixtures, 'trivy.sarif.json')
const checkov = join(policyFixtures, 'checkov.sarif.json')
let server: GitHubServer

function run(options: RunActionOptions = {}) {
  return runAction('plan-and-comment', {
    eventName: 'pull_request',
    event: { pull_request: { number: PR, head: { sha: SHA } } },
    ...options,
    inputs: {
      'github-token': 'test-token',
      'plan-json': join(fixturesDir, 'replace.json'),
      environment: 'dev',
      'working-directory': 'stacks/app',
      sarif: `${trivy}\n${checkov}`,
      'code-scanning': 'true',
      ...options.inputs,
    },
    env: { GITHUB_API_URL: server.url, GITHUB_SHA: SHA, GITHUB_REF: `refs/pull/${PR}/merge`, ...options.env },
  })
}

beforeAll(async () => {
  server = await startGitHubServer()
  server.addPullRequest({ number: PR, head_sha: SHA })
})
afterAll(async () => server.close())

describe('plan-and-comment code-scanning', () => {
  it('uploads each SARIF file as its own analysis and comments on the same findings', async () => {
    const r = await run()
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
    const uploads = server.sarifUploads()
    expect(uploads.map((u) => [u.tool_name, u.ref, u.commit_sha, u.sarif.runs?.[0]?.automationDetails?.id])).toEqual([
      ['Trivy', `refs/pull/${PR}/merge`, SHA, 'tfpipe/stacks/app/trivy/'],
      ['checkov', `refs/pull/${PR}/merge`, SHA, 'tfpipe/stacks/app/checkov/'],
    ])
    // the results GitHub received are the file's, unchanged
    const fileResults = (JSON.parse(readFileSync(checkov, 'utf8')) as { runs: { results: unknown[] }[] }).runs[0]!
      .results
    expect(uploads[1]!.sarif.runs?.[0]?.results).toEqual(fileResults)
    expect(r.outputs['code-scanning-ids']).toBe(uploads.map((u) => u.id).join(','))
    const body = server.comments(PR)[0]!.body
    expect(body).toMatch(/#### 🛡️ Security scan \(Trivy, checkov\): 5 findings/)
  })

  it('no Advanced Security: the comment is written, then the step fails in one line saying what to change', async () => {
    server.failNext(
      { method: 'POST', path: /\/code-scanning\/sarifs$/ },
      {
        status: 403,
        body: {
          message: 'Advanced Security must be enabled for this repository to use code scanning.',
          documentation_url:
            'https://docs.github.com/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data',
          status: '403',
        },
      },
    )
    const before = server.sarifUploads().length
    const r = await run({ inputs: { environment: 'sit' } })
    expect(r.exitCode).not.toBe(0)
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /Uploading .*trivy\.sarif\.json to code scanning failed: 403 Advanced Security must be enabled.*set code-scanning to false/,
    )
    expect(server.sarifUploads()).toHaveLength(before)
    expect(server.comments(PR).some((c) => c.body.includes('env=sit '))).toBe(true)
  })

  it.each([
    [{ sarif: '' }, /Input 'code-scanning' uploads the 'sarif' files: give sarif, or set code-scanning to false/, {}],
    [{}, /GITHUB_REF 'main' is not refs\/heads\/…/, { GITHUB_REF: 'main' }],
  ])('bad input %j fails in one line', async (inputs, message, env) => {
    const r = await run({ inputs: { environment: 'qa', ...inputs }, env })
    expect(r.exitCode).not.toBe(0)
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(message)
  })
})
