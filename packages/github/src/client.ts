/**
 * The Octokit every action uses: @actions/github's `getOctokit` with retries on 5xx (plugin-retry) and
 * rate-limit handling (plugin-throttling) that honours Retry-After, logs through the kit Logger and
 * gives up after `retries` attempts; requests go through HTTPS_PROXY/NO_PROXY like the toolkit's.
 * Callers pass baseUrl (GITHUB_API_URL, or the CLI's flag) and the token.
 */
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { ConfigurationError } from '../../kit/src/errors.js'
import type { Logger } from '../../kit/src/logger.js'
import { networkErrorCode, UNREACHABLE } from '../../kit/src/network.js'
import { proxyFetch } from '../../kit/src/proxy.js'

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

/**
 * Registered before plugin-retry, so its error hook runs first: a request that never reached a server
 * fails at once as GitHubUnreachableError instead of being retried (Octokit reports it as status 500).
 */
function fastFailUnreachable(octokit: GitHubClient): void {
  octokit.hook.error('request', (error: unknown, options: Record<string, unknown>) => {
    const e = error as { status?: number; response?: unknown }
    const code = e && !e.response ? networkErrorCode(error) : undefined
    if (!code) throw error
    const base = String((options.baseUrl as string | undefined) ?? '')
    let url = String(options.url ?? '')
    try {
      url = octokit.request.endpoint.parse(options as never).url
    } catch {
      /* keep the template */
    }
    throw new GitHubUnreachableError(base, UNREACHABLE[code] ?? code, { method: String(options.method ?? 'GET'), url })
  })
}

export type GitHubClient = ReturnType<typeof getOctokit>

export interface GitHubClientOptions {
  token: string
  /** REST API base, e.g. https://api.github.com or https://ghes.example.com/api/v3 (GITHUB_API_URL). */
  baseUrl: string
  logger: Logger
  /** Retries for 5xx answers and for (secondary) rate limits. Default 3. */
  retries?: number
  userAgent?: string
  /** GraphQL endpoint. Default: `<host>/api/graphql` for a `/api/v3` baseUrl (GHES), else `${baseUrl}/graphql`. */
  graphqlUrl?: string
  /**
   * Space out write requests as GitHub asks (1 s between writes, 3 s between writes that notify).
   * Default true; tests against the local server may turn it off.
   */
  pacing?: boolean
  /** Base of the 5xx backoff (attempt n waits n² × this). Default 1000 ms. */
  retryBaseMs?: number
  /** A rate limit asking to wait longer than this is not retried. Default 300 s. */
  maxRetryAfterSeconds?: number
  /**
   * Conditional GETs: remember each GET's ETag and send If-None-Match next time; a 304 (which GitHub
   * does not count against the rate limit) is answered from the cache. Default true.
   */
  conditionalRequests?: boolean
}

const graphqlUrls = new WeakMap<object, string>()

export function defaultGraphqlUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '')
  if (/\/api\/v3$/.test(base)) return base.replace(/\/api\/v3$/, '/api/graphql')
  return `${base}/graphql`
}

/** `METHOD /path` of a request's options (route template expanded; no host, no query). */
function describeRequest(octokit: GitHubClient, options: Record<string, unknown>): string {
  const method = String(options.method ?? 'GET')
  try {
    const { url } = octokit.request.endpoint.parse(options as never)
    return `${method} ${decodeURIComponent(new URL(url).pathname)}`
  } catch {
    return `${method} ${String(options.url ?? '')}`
  }
}

/** A limiter group that never waits (duck-types the Bottleneck.Group the throttling plugin uses). */
const noPacing = {
  key: () => ({
    schedule: (...args: unknown[]) => {
      // schedule(fn) or schedule(jobOptions, fn, ...fnArgs)
      const fnIndex = typeof args[0] === 'function' ? 0 : 1
      const fn = args[fnIndex] as (...a: unknown[]) => unknown
      return Promise.resolve(fn(...args.slice(fnIndex + 1)))
    },
  }),
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const { logger } = options
  if (!options.token) throw new ConfigurationError('No GitHub token: set the github-token input (default ${{ github.token }}).')
  if (!/^https?:\/\/[^/]+/.test(options.baseUrl)) {
    throw new ConfigurationError(`GitHub API URL "${options.baseUrl}" is not an http(s) URL: set GITHUB_API_URL to e.g. https://api.github.com.`)
  }
  const retries = options.retries ?? 3
  const maxWait = options.maxRetryAfterSeconds ?? 300
  const baseUrl = options.baseUrl.replace(/\/+$/, '')

  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: Record<string, unknown>, octokit: GitHubClient, retryCount: number): boolean => {
      const what = describeRequest(octokit, request)
      if (retryCount >= retries) {
        logger.warning(`GitHub ${kind} hit on ${what}; giving up after ${retries} ${retries === 1 ? 'retry' : 'retries'}.`)
        return false
      }
      if (retryAfter > maxWait) {
        logger.warning(`GitHub ${kind} hit on ${what}; it asks to wait ${retryAfter}s, more than the ${maxWait}s limit, not retrying.`)
        return false
      }
      logger.warning(`GitHub ${kind} hit on ${what}; retrying in ${retryAfter}s (retry ${retryCount + 1} of ${retries}).`)
      return true
    }

  const throttle: Record<string, unknown> = {
    onRateLimit: onLimit('rate limit'),
    onSecondaryRateLimit: onLimit('secondary rate limit'),
  }
  if (options.pacing === false) {
    throttle.write = noPacing
    throttle.notifications = noPacing
    throttle.search = noPacing
  }

  const octokitOptions = {
    baseUrl,
    request: { fetch: proxyFetch },
    userAgent: options.userAgent ?? 'terraform-pipeline-actions',
    log: {
      debug: (m: string) => logger.debug(m),
      info: (m: string) => logger.debug(m),
      warn: (m: string) => logger.warning(m),
      // Octokit logs every failed request (also ones that are retried) as an error; callers decide
      // what is an error, so keep these at debug level.
      error: (m: string) => logger.debug(m),
    },
    retry: { retries, retryAfterBaseValue: options.retryBaseMs ?? 1000 },
    throttle,
  }
  const client = getOctokit(options.token, octokitOptions as never, fastFailUnreachable as never, retry as never, throttling as never)
  graphqlUrls.set(client, options.graphqlUrl ?? defaultGraphqlUrl(baseUrl))
  if (options.conditionalRequests !== false) addEtagCache(client)
  return client
}

interface CachedResponse {
  etag: string
  response: { status: number; url: string; headers: Record<string, unknown>; data: unknown }
}

const ETAG_CACHE_SIZE = 500

function addEtagCache(client: GitHubClient): void {
  const cache = new Map<string, CachedResponse>()
  type Request = (options: Record<string, unknown>) => Promise<CachedResponse['response']>
  const wrap = client.hook.wrap as unknown as (name: 'request', hook: (request: Request, options: Record<string, unknown>) => Promise<unknown>) => void
  wrap('request', async (request, options) => {
    if (String(options.method ?? 'GET').toUpperCase() !== 'GET') return request(options)
    let key: string
    try {
      const parsed = client.request.endpoint.parse(options as never) as { url: string; headers: Record<string, unknown> }
      key = `${parsed.url} ${String(parsed.headers.accept ?? '')}`
    } catch {
      return request(options)
    }
    const hit = cache.get(key)
    if (hit) options.headers = { ...(options.headers as Record<string, string> | undefined), 'if-none-match': hit.etag }
    try {
      const response = await request(options)
      const etag = response.headers.etag
      if (typeof etag === 'string' && etag !== '') {
        cache.delete(key)
        cache.set(key, { etag, response: { ...response, data: structuredClone(response.data) } })
        if (cache.size > ETAG_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
      }
      return response
    } catch (error) {
      if (hit && (error as { status?: number }).status === 304) {
        return { ...hit.response, headers: { ...hit.response.headers }, data: structuredClone(hit.response.data) }
      }
      throw error
    }
  })
}

// ---------------------------------------------------------------------------------------------------
// GraphQL
// ---------------------------------------------------------------------------------------------------

export class GitHubGraphqlError extends Error {
  constructor(
    message: string,
    readonly errors: { message: string; type?: string }[],
  ) {
    super(message)
    this.name = 'GitHubGraphqlError'
  }
}

/** POSTs a GraphQL query to the client's GraphQL endpoint (through the same retry/throttling); throws GitHubGraphqlError on `errors`. */
export async function graphql<T>(client: GitHubClient, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const url = graphqlUrls.get(client) ?? defaultGraphqlUrl(String(client.request.endpoint.DEFAULTS.baseUrl))
  const response = await client.request({ method: 'POST', url, query, variables })
  const data = response.data as { data?: T; errors?: { message: string; type?: string }[] }
  if (data.errors && data.errors.length > 0) {
    throw new GitHubGraphqlError(`GraphQL: ${data.errors.map((e) => e.message).join('; ')}`, data.errors)
  }
  return data.data as T
}

export type MinimizeClassifier = 'OUTDATED' | 'RESOLVED' | 'DUPLICATE' | 'OFF_TOPIC' | 'SPAM' | 'ABUSE'

/** Hides a comment (by its node_id) as GitHub's "Hide → Outdated" does. */
export async function minimizeComment(
  client: GitHubClient,
  subjectId: string,
  classifier: MinimizeClassifier = 'OUTDATED',
): Promise<{ isMinimized: boolean; minimizedReason: string | null }> {
  const result = await graphql<{ minimizeComment: { minimizedComment: { isMinimized: boolean; minimizedReason: string | null } } | null }>(
    client,
    `mutation($subjectId: ID!, $classifier: ReportedContentClassifiers!) {
  minimizeComment(input: {subjectId: $subjectId, classifier: $classifier}) {
    minimizedComment { isMinimized minimizedReason }
  }
}`,
    { subjectId, classifier },
  )
  if (!result?.minimizeComment) throw new GitHubGraphqlError(`GraphQL: minimizeComment returned nothing for ${subjectId}`, [])
  return result.minimizeComment.minimizedComment
}

// ---------------------------------------------------------------------------------------------------
// Errors users can act on
// ---------------------------------------------------------------------------------------------------

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
  if (/\/graphql$/.test(path)) return 'pull-requests: write'
  if (/^\/user$/.test(path)) return undefined
  if (/\/issues\/(\d+\/comments|comments\/\d+)/.test(path)) return write ? 'pull-requests: write (comments on pull requests) or issues: write' : 'pull-requests: read or issues: read'
  if (/\/issues(\/|$)/.test(path)) return `issues: ${level}`
  if (/\/commits\/[^/]+\/pulls$/.test(path) || /\/pulls(\/|$)/.test(path)) return `pull-requests: ${level}`
  if (/\/git\//.test(path)) return `contents: ${level}`
  if (/\/deployments(\/|$)/.test(path)) return `deployments: ${level}`
  if (/\/environments(\/|$)/.test(path)) return 'actions: read'
  if (/\/actions\//.test(path)) return `actions: ${level}`
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
  if (error instanceof GitHubUnreachableError) return `${what} failed: ${error.message}; check GITHUB_API_URL (on GHES https://<host>/api/v3) and the runner's network.`
  const e = (error ?? {}) as ErrorLike
  const status = typeof e.status === 'number' ? e.status : undefined
  if (status === undefined) return `${what} failed: ${error instanceof Error ? error.message : String(error)}`
  const data = e.response?.data
  const apiMessage =
    data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string'
      ? ((data as { message: string }).message)
      : (e.message ?? '').replace(/ - https:\/\/docs\.github\.com\S*$/, '')
  const method = (e.request?.method ?? '').toUpperCase()
  const url = e.request?.url ?? ''
  let path = ''
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
      if (status >= 500) return `${what} failed: GitHub answered ${status}${apiMessage ? ` ${apiMessage}` : ''}${req} after retries; GitHub may be degraded, re-run the job.`
      return `${what} failed: GitHub answered ${status}${apiMessage ? ` ${apiMessage}` : ''}${req}.`
  }
}
