import type { GitHubClient as Octokit } from './client.js'
import type { Logger } from '@tfpipe/kit/logger.js'

export type PullRequestsClient = Pick<Octokit, 'request'>

export interface EventInfo {
  owner: string
  repo: string
  eventName: string
  event: Record<string, unknown>
  sha: string
}

export interface FoundPullRequest {
  number: number
  /** event: from the pull_request / issue_comment payload; merged-commit: the PR a push merged. */
  source: 'event' | 'merged-commit'
}

/**
 * The pull request a run belongs to:
 *  - pull_request, pull_request_target (and issue_comment on a PR): the PR in the event payload;
 *  - push: the PR whose merge_commit_sha equals the pushed commit (GET commits/{sha}/pulls); a commit
 *    that is merely contained in open PRs does not count, so pushes to a PR branch find nothing;
 *  - anything else (workflow_dispatch, schedule, ...): none.
 * Lookup failures are warnings: the plan still goes to the summary, the artifact and the outputs.
 */
export async function findPullRequest(
  client: PullRequestsClient,
  info: EventInfo,
  logger: Logger,
): Promise<FoundPullRequest | undefined> {
  const pr = info.event.pull_request as { number?: unknown } | undefined
  if (typeof pr?.number === 'number') return { number: pr.number, source: 'event' }
  const issue = info.event.issue as { number?: unknown; pull_request?: unknown } | undefined
  if (typeof issue?.number === 'number' && issue.pull_request) return { number: issue.number, source: 'event' }
  if (info.eventName !== 'push' || !info.sha) return undefined
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
      owner: info.owner,
      repo: info.repo,
      commit_sha: info.sha,
      per_page: 100,
    })
    const merged = (data as { number: number; merge_commit_sha?: string | null }[]).find(
      (p) => p.merge_commit_sha === info.sha,
    )
    if (merged) return { number: merged.number, source: 'merged-commit' }
    logger.info(`No pull request was merged as ${info.sha.slice(0, 12)}: no PR comment.`)
  } catch (error) {
    logger.warning(`Could not look up the pull request of ${info.sha.slice(0, 12)}: ${(error as Error).message}`)
  }
  return undefined
}
