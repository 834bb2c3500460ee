import { checkRepositoryAccess } from '../../github/src/access.js'
import { listDeployTags, DEFAULT_TAG_FORMAT } from '../../github/src/deploy-tags.js'
import { successfulDeploymentOf } from '../../github/src/deployments.js'
import { getEnvironmentProtection } from '../../github/src/environments.js'
import { findReviewedPlan, pullRequestOfCommit, type Client, type RepoRef } from '../../github/src/reviewed-plan.js'
import type { GateGitHub } from './context.js'

export interface GateGitHubOptions {
  /** tag-deploy's tag-format, to find deploy tags of required environments. */
  tagFormat?: string
  serverUrl?: string
  /** Trusted authors of the plan-and-comment comment (default github-actions[bot]). */
  commentAuthors?: string[]
  /** The API base (GITHUB_API_URL), named in the message when it is unreachable. */
  apiUrl?: string
}

/** What the gate's GitHub reads need, named when the token cannot do them. */
export const GATE_PERMISSIONS = ['contents: read', 'actions: read', 'deployments: read', 'pull-requests: read']

/** The GitHub reads of the gate over a real Octokit client. */
export function createGateGitHub(client: Client, repo: RepoRef, options: GateGitHubOptions = {}): GateGitHub {
  return {
    checkAccess: () => checkRepositoryAccess(client, { repo, apiUrl: options.apiUrl ?? 'the GitHub API', permissions: GATE_PERMISSIONS }),
    environmentProtection: (environment) => getEnvironmentProtection(client, repo, environment),
    async successfulDeployment(environment, sha) {
      // Deploy tags first (tag-deploy's record), then GitHub Deployments with a success status.
      const tags = await listDeployTags(client, repo, environment, {
        format: options.tagFormat ?? DEFAULT_TAG_FORMAT,
        status: 'success',
        scan: 30,
        ...(options.serverUrl ? { serverUrl: options.serverUrl } : {}),
      })
      const tag = tags.find((t) => t.metadata?.sha === sha)
      if (tag) return `deploy tag ${tag.name} (${tag.metadata?.finishedAt ?? ''})`
      return successfulDeploymentOf(client, repo, environment, sha)
    },
    pullRequestOfCommit: (sha) => pullRequestOfCommit(client, repo, sha),
    reviewedPlan: (pr, environment, workingDirectory) =>
      findReviewedPlan(client, repo, pr.number, environment, workingDirectory, options.commentAuthors ? { authors: options.commentAuthors } : {}),
  }
}
