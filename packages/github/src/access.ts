import { ConfigurationError } from '@tfpipe/kit/errors.js'
import { GitHubUnreachableError } from './errors.js'
import type { Client, RepoRef } from './reviewed-plan.js'

export interface AccessContext {
  repo: RepoRef
  /** The API base the client talks to (GITHUB_API_URL). */
  apiUrl: string
  /** The permissions the step needs, for the message (e.g. ['actions: read', 'deployments: read']). */
  permissions: string[]
}

/**
 * One line saying what to fix when GitHub cannot be used at all: the github-token input (rejected or
 * lacking a permission), the repository (unknown or invisible to the token), or the API URL (unreachable).
 * undefined for any other error (a 5xx, a 422 ...), which the caller reports in its own words.
 */
export function describeAccessProblem(error: unknown, context: AccessContext): string | undefined {
  const full = `${context.repo.owner}/${context.repo.repo}`
  const perms = context.permissions.join(', ')
  if (error instanceof GitHubUnreachableError) {
    return `${error.message}: check GITHUB_API_URL (${context.apiUrl}; on GHES https://<host>/api/v3) and the runner's network.`
  }
  const e = (error ?? {}) as { status?: number; response?: { data?: { message?: unknown } }; message?: string }
  const apiMessage = typeof e.response?.data?.message === 'string' ? e.response.data.message : (e.message ?? '')
  if (e.status === 401) {
    return `GitHub rejected the github-token input (401 ${apiMessage || 'Bad credentials'}): pass a valid token for ${context.apiUrl} (default \${{ github.token }}) with ${perms}.`
  }
  if (e.status === 403 && /not accessible by integration|permission/i.test(apiMessage)) {
    return `the github-token input may not read repository ${full} (403 ${apiMessage}): give the job \`permissions:\` ${perms}.`
  }
  return undefined
}

/**
 * GET /repos/{owner}/{repo}: one request that proves the token works, the repository exists and the
 * API answers, before any rule reads GitHub. Throws a ConfigurationError with one line otherwise.
 */
export async function checkRepositoryAccess(client: Client, context: AccessContext): Promise<void> {
  try {
    await client.rest.repos.get({ owner: context.repo.owner, repo: context.repo.repo })
  } catch (error) {
    const line = describeAccessProblem(error, context)
    if (line) throw new ConfigurationError(line)
    const status = (error as { status?: number }).status
    if (status === 404) {
      throw new ConfigurationError(
        `repository ${context.repo.owner}/${context.repo.repo} was not found at ${context.apiUrl}, or the github-token input cannot see it: check GITHUB_REPOSITORY and that the token has access to that repository (${context.permissions.join(', ')}).`,
      )
    }
    throw new ConfigurationError(
      `GitHub could not be read to check repository ${context.repo.owner}/${context.repo.repo} (${status !== undefined ? `HTTP ${status}` : error instanceof Error ? error.message : String(error)}); the gate refuses when it cannot check: re-run the job.`,
    )
  }
}
