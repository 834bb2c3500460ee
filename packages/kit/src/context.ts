import { readFileSync } from 'node:fs'
import { ConfigurationError } from './errors.js'

/** What the runner tells an action about the workflow run, read once from the environment. */
export interface RunContext {
  owner: string
  repo: string
  sha: string
  ref: string
  actor: string
  eventName: string
  event: Record<string, unknown>
  runId: string
  runAttempt: string
  serverUrl: string
  apiUrl: string
  graphqlUrl: string
  runUrl: string
  workflow: string
  job: string
}

export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? ''
  const [owner, repo] = repository.split('/')
  if (!owner || !repo) {
    throw new ConfigurationError(
      'GITHUB_REPOSITORY is not set (expected owner/repo); run inside GitHub Actions or set it.',
    )
  }
  let event: Record<string, unknown> = {}
  if (env.GITHUB_EVENT_PATH) {
    try {
      event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>
    } catch {
      event = {}
    }
  }
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '')
  const apiUrl = (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, '')
  const runId = env.GITHUB_RUN_ID ?? ''
  return {
    owner,
    repo,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    event,
    runId,
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    serverUrl,
    apiUrl,
    graphqlUrl: (env.GITHUB_GRAPHQL_URL ?? `${apiUrl}/graphql`).replace(/\/$/, ''),
    runUrl: runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : '',
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
  }
}

/** The pull request number of a pull_request / pull_request_target / issue_comment event, if any. */
export function pullRequestNumber(context: RunContext): number | undefined {
  const pr = context.event.pull_request as { number?: number } | undefined
  if (pr?.number) return pr.number
  const issue = context.event.issue as { number?: number; pull_request?: unknown } | undefined
  if (issue?.number && issue.pull_request) return issue.number
  return undefined
}
