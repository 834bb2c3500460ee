import { checkRepositoryAccess } from '@tfpipe/github/access.js'
import { successfulDeploymentOf } from '@tfpipe/github/deployments.js'
import { getEnvironmentProtection } from '@tfpipe/github/environments.js'
import { findReviewedPlan, pullRequestOfCommit, type Client, type RepoRef } from '@tfpipe/github/reviewed-plan.js'
import type { GateGitHub } from './context.js'

export interface GateGitHubOptions {
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
    checkAccess: () =>
      checkRepositoryAccess(client, {
        repo,
        apiUrl: options.apiUrl ?? 'the GitHub API',
        permissions: GATE_PERMISSIONS,
      }),
    environmentProtection: (environment) => getEnvironmentProtection(client, repo, environment),
    // Promotion on evidence: a Deployment whose final status is success (set after the verification), never a tag alone.
    successfulDeployment: (environment, sha) => successfulDeploymentOf(client, repo, environment, sha),
    pullRequestOfCommit: (sha) => pullRequestOfCommit(client, repo, sha),
    reviewedPlan: (pr, environment, workingDirectory) =>
      findReviewedPlan(
        client,
        repo,
        pr.number,
        environment,
        workingDirectory,
        options.commentAuthors ? { authors: options.commentAuthors } : {},
      ),
  }
}
