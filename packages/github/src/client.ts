/**
 * The Octokit every action uses: @actions/github's `getOctokit` with retries on 5xx (plugin-retry) and
 * rate-limit handling (plugin-throttling) that honours Retry-After, logs through the kit Logger and
 * gives up after `retries` attempts; requests go through HTTPS_PROXY/NO_PROXY like the toolkit's.
 * Callers pass baseUrl (GITHUB_API_URL, or the CLI's flag) and the token.
 */
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { ConfigurationError } from '@tfpipe/kit/errors.js'
import type { Logger } from '@tfpipe/kit/logger.js'
import { networkErrorCode, UNREACHABLE } from '@tfpipe/kit/network.js'
import { proxyFetch } from '@tfpipe/kit/proxy.js'
import { GitHubUnreachableError } from './errors.js'
import { addEtagCache } from './etag-cache.js'
import { defaultGraphqlUrl, registerGraphqlUrl } from './graphql.js'
import { stringOption } from './request-options.js'

/**
 * Registered before plugin-retry, so its error hook runs first: a request that never reached a server
 * fails at once as GitHubUnreachableError instead of being retried (Octokit reports it as status 500).
 */
function fastFailUnreachable(octokit: GitHubClient): void {
  octokit.hook.error('request', (error: unknown, options: Record<string, unknown>) => {
    const e = error as { status?: number; response?: unknown } | null | undefined
    const code = e && !e.response ? networkErrorCode(error) : undefined
    if (!code) throw error
    const base = (options.baseUrl as string | undefined) ?? ''
    let url = stringOption(options, 'url', '')
    try {
      url = octokit.request.endpoint.parse(options as never).url
    } catch {
      /* keep the template */
    }
    throw new GitHubUnreachableError(base, UNREACHABLE[code] ?? code, {
      method: stringOption(options, 'method', 'GET'),
      url,
    })
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

/** `METHOD /path` of a request's options (route template expanded; no host, no query). */
function describeRequest(octokit: GitHubClient, options: Record<string, unknown>): string {
  const method = stringOption(options, 'method', 'GET')
  try {
    const { url } = octokit.request.endpoint.parse(options as never)
    return `${method} ${decodeURIComponent(new URL(url).pathname)}`
  } catch {
    return `${method} ${stringOption(options, 'url', '')}`
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
  if (!options.token)
    throw new ConfigurationError('No GitHub token: set the github-token input (default ${{ github.token }}).')
  if (!/^https?:\/\/[^/]+/.test(options.baseUrl)) {
    throw new ConfigurationError(
      `GitHub API URL "${options.baseUrl}" is not an http(s) URL: set GITHUB_API_URL to e.g. https://api.github.com.`,
    )
  }
  const retries = options.retries ?? 3
  const maxWait = options.maxRetryAfterSeconds ?? 300
  const baseUrl = options.baseUrl.replace(/\/+$/, '')

  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: Record<string, unknown>, octokit: GitHubClient, retryCount: number): boolean => {
      const what = describeRequest(octokit, request)
      if (retryCount >= retries) {
        logger.warning(
          `GitHub ${kind} hit on ${what}; giving up after ${retries} ${retries === 1 ? 'retry' : 'retries'}.`,
        )
        return false
      }
      if (retryAfter > maxWait) {
        logger.warning(
          `GitHub ${kind} hit on ${what}; it asks to wait ${retryAfter}s, more than the ${maxWait}s limit, not retrying.`,
        )
        return false
      }
      logger.warning(
        `GitHub ${kind} hit on ${what}; retrying in ${retryAfter}s (retry ${retryCount + 1} of ${retries}).`,
      )
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
  const client = getOctokit(options.token, octokitOptions as never, fastFailUnreachable as never, retry, throttling)
  registerGraphqlUrl(client, options.graphqlUrl ?? defaultGraphqlUrl(baseUrl))
  if (options.conditionalRequests !== false) addEtagCache(client)
  return client
}
