/** GitHub failures as one line a user can act on: what failed, why, and what to change. */
import { GitHubGraphqlError } from './graphql.js'

/** The API could not be reached at all (connection refused, host not found): retrying will not help. */
export class GitHubUnreachableError extends Error {
  /** Shaped so plugin-retry sees a request error it must not retry (no `request.request`). */
  readonly request: { method: string; url: string }
  constructor(
    readonly baseUrl: string,
    readonly reason: string,
    request: { method: string; url: string },
  ) {
    super(`the GitHub API at ${baseUrl} is unreachable (${reason})`)
    this.name = 'GitHubUnreachableError'
    this.request = request
  }
}

interface ErrorLike {
  status?: number
  message?: string
  request?: { method?: string; url?: string }
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> }
}

/** The permission a GITHUB_TOKEN most likely lacks for a request (for 403 "Resource not accessible by integration"). */
export function likelyPermission(method: string, url: string): string | undefined {
  let path = url
  try {
    path = new URL(url, 'http://x').pathname
  } catch {
    /* keep as is */
  }
  path = path.replace(/^\/api\/v3/, '')
  const write = !['GET', 'HEAD'].includes(method.toUpperCase())
  const level = write ? 'write' : 'read'
  if (path.endsWith('/graphql')) return 'pull-requests: write'
  if (path.includes('/code-scanning/')) return `security-events: ${level}`
  if (/^\/user$/.test(path)) return undefined
  if (/\/issues\/(\d+\/comments|comments\/\d+)/.test(path))
    return write
      ? 'pull-requests: write (comments on pull requests) or issues: write'
      : 'pull-requests: read or issues: read'
  if (/\/issues(\/|$)/.test(path)) return `issues: ${level}`
  if (/\/commits\/[^/]+\/pulls$/.test(path) || /\/pulls(\/|$)/.test(path)) return `pull-requests: ${level}`
  if (path.includes('/git/')) return `contents: ${level}`
  if (/\/deployments(\/|$)/.test(path)) return `deployments: ${level}`
  if (/\/environments(\/|$)/.test(path)) return 'actions: read'
  if (path.includes('/actions/')) return `actions: ${level}`
  if (/\/(contents|commits|branches|releases)(\/|$)/.test(path)) return `contents: ${level}`
  return undefined
}

function validationDetails(data: unknown): string {
  const d = (data ?? {}) as { message?: unknown; errors?: unknown }
  const errors = Array.isArray(d.errors) ? d.errors : []
  const parts = errors.map((e) => {
    if (typeof e === 'string') return e
    const o = (e ?? {}) as Record<string, unknown>
    if (typeof o.message === 'string') return o.message
    return [o.resource, o.field, o.code].filter((x) => typeof x === 'string').join(' ')
  })
  return parts.filter((p) => p !== '').join('; ')
}

/** One line a user can act on, e.g. `Creating the plan comment failed: 403 ... — grant "pull-requests: write" ...`. */
export function describeGitHubError(error: unknown, what: string): string {
  if (error instanceof GitHubGraphqlError) return `${what} failed: ${error.message}`
  if (error instanceof GitHubUnreachableError)
    return `${what} failed: ${error.message}; check GITHUB_API_URL (on GHES https://<host>/api/v3) and the runner's network.`
  const e = (error ?? {}) as ErrorLike
  const status = typeof e.status === 'number' ? e.status : undefined
  if (status === undefined) return `${what} failed: ${error instanceof Error ? error.message : String(error)}`
  const data = e.response?.data
  const apiMessage =
    data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string'
      ? (data as { message: string }).message
      : (e.message ?? '').replace(/ - https:\/\/docs\.github\.com\S*$/, '')
  const method = (e.request?.method ?? '').toUpperCase()
  const url = e.request?.url ?? ''
  let path: string
  try {
    path = url ? decodeURIComponent(new URL(url).pathname) : ''
  } catch {
    path = url
  }
  const req = method && path ? ` (${method} ${path})` : ''

  switch (status) {
    case 401:
      return `${what} failed: GitHub rejected the token (401 Bad credentials)${req}. Pass a valid token (github-token input, default \${{ github.token }}); a token from another host or an expired one gives this.`
    case 403: {
      if (/secondary rate limit/i.test(apiMessage)) {
        return `${what} failed: GitHub secondary rate limit (403)${req} and retries ran out. Run fewer jobs at once or retry later.`
      }
      if (/rate limit/i.test(apiMessage) || e.response?.headers?.['x-ratelimit-remaining'] === '0') {
        return `${what} failed: GitHub API rate limit exhausted (403)${req}. GITHUB_TOKEN allows 1,000 requests per hour per repository; retry after the reset.`
      }
      if (/not accessible by integration/i.test(apiMessage)) {
        const perm = likelyPermission(method, url)
        if (!perm && /^\/user$/.test(path.replace(/^\/api\/v3/, ''))) {
          return `${what} failed: 403 Resource not accessible by integration${req}: GITHUB_TOKEN cannot read /user; use a personal access token or do not rely on the token's user.`
        }
        return `${what} failed: 403 Resource not accessible by integration${req}. Add \`permissions: ${perm ?? '<the permission this endpoint needs>'}\` to the job; on pull requests from forks GITHUB_TOKEN is read-only.`
      }
      return `${what} failed: 403 ${apiMessage}${req}. The token lacks access; check the job's permissions.`
    }
    case 404:
      return `${what} failed: 404 Not Found${req}. Check the repository and number, or that the token can see this repository (private repositories answer 404 when access is missing).`
    case 422: {
      const details = validationDetails(data)
      return `${what} failed: 422 ${apiMessage}${details ? `: ${details}` : ''}${req}.`
    }
    default:
      if (status >= 500)
        return `${what} failed: GitHub answered ${status}${apiMessage ? ` ${apiMessage}` : ''}${req} after retries; GitHub may be degraded, re-run the job.`
      return `${what} failed: GitHub answered ${status}${apiMessage ? ` ${apiMessage}` : ''}${req}.`
  }
}
