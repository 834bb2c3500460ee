import type { Logger } from '@tfpipe/kit/logger.js'
import { retry, sleep as realSleep } from '@tfpipe/kit/retry.js'
import { networkErrorCode, UNREACHABLE } from '@tfpipe/kit/network.js'
import { proxyFetch } from '@tfpipe/kit/proxy.js'
import type { SlackMessage } from './limits.js'

/** Where a message goes. The URL and the token are secrets: never logged, never in errors. */
export type Destination =
  | { kind: 'webhook'; url: string; /** how it was chosen, for logs: "webhook-url", "webhooks[prod]" */ source: string }
  | { kind: 'bot'; token: string; channel: string; threadTs?: string; updateTs?: string }

export interface TransportOptions {
  /** Slack Web API base, e.g. https://slack.com/api (overridable for tests and proxies). */
  apiUrl: string
  logger: Logger
  fetch?: typeof fetch
  sleep?: (ms: number) => Promise<void>
  now?: () => number
  random?: () => number
  /** Total time for all attempts, waits included. Default 30 s. */
  maxTotalMs?: number
  attempts?: number
  baseDelayMs?: number
  maxDelayMs?: number
  /** One request's timeout. Default 10 s. */
  requestTimeoutMs?: number
}

export interface SendResult {
  ts?: string
  channel?: string
  attempts: number
  method: 'webhook' | 'chat.postMessage' | 'chat.update'
}

/** A Slack refusal or an unreachable Slack, with Slack's error code (`invalid_blocks`, `no_service`...). */
export class SlackError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'SlackError'
  }
}

/** The request body sent for a destination (what the `payload` output file holds; no secret in it). */
export function requestBody(dest: Destination, message: SlackMessage): Record<string, unknown> {
  if (dest.kind === 'webhook') return { ...message }
  const body: Record<string, unknown> = { channel: dest.channel, ...message, unfurl_links: false, unfurl_media: false }
  if (dest.updateTs) body.ts = dest.updateTs
  else if (dest.threadTs) body.thread_ts = dest.threadTs
  return body
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header.trim())
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000)
  const date = Date.parse(header)
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined
}

/** Slack's error text is short and code-like; anything else is cut so a proxy's HTML page stays out of logs. */
function errorCode(text: string, fallback: string): string {
  const t = text.trim()
  return /^[a-z0-9_.-]{1,80}$/i.test(t) ? t : fallback
}

/** Removes secrets from a message built from a lower layer's error. */
function scrub(message: string, secrets: string[]): string {
  let out = message
  for (const s of secrets) if (s) out = out.split(s).join('***')
  return out
}

async function attempt(
  dest: Destination,
  body: Record<string, unknown>,
  options: TransportOptions,
  timeoutMs: number,
): Promise<{ ts?: string; channel?: string }> {
  const doFetch = options.fetch ?? proxyFetch
  const method = dest.kind === 'webhook' ? 'webhook' : dest.updateTs ? 'chat.update' : 'chat.postMessage'
  const url = dest.kind === 'webhook' ? dest.url : `${options.apiUrl.replace(/\/$/, '')}/${method}`
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
  if (dest.kind === 'bot') headers.authorization = `Bearer ${dest.token}`
  const secrets = dest.kind === 'webhook' ? [dest.url] : [dest.token]
  let response: Response
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    const cause =
      error instanceof Error
        ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
        : String(error)
    // A host that does not resolve or refuses the connection will not answer a retry either.
    const final = networkErrorCode(error)
    const reason = final ? `${UNREACHABLE[final]}: ${scrub(cause, secrets)}` : scrub(cause, secrets)
    throw new SlackError('request_failed', `${method}: Slack could not be reached (${reason})`, final === undefined)
  }
  const text = await response.text().catch(() => '')
  if (response.status === 429) {
    throw new SlackError(
      'rate_limited',
      `${method}: rate limited (HTTP 429)`,
      true,
      429,
      retryAfterMs(response.headers.get('retry-after')),
    )
  }
  if (response.status >= 500) {
    throw new SlackError(
      errorCode(text, `http_${response.status}`),
      `${method}: Slack answered HTTP ${response.status}`,
      true,
      response.status,
      retryAfterMs(response.headers.get('retry-after')),
    )
  }
  if (dest.kind === 'webhook') {
    if (response.status >= 200 && response.status < 300) return {}
    const c = errorCode(scrub(text, secrets), `http_${response.status}`)
    throw new SlackError(
      c,
      `webhook: Slack refused the message: ${c} (HTTP ${response.status})`,
      false,
      response.status,
    )
  }
  let json: { ok?: boolean; error?: string; ts?: string; channel?: string } = {}
  try {
    json = JSON.parse(text) as typeof json
  } catch {
    const c = `http_${response.status}`
    throw new SlackError(c, `${method}: Slack answered HTTP ${response.status} without JSON`, false, response.status)
  }
  if (json.ok !== true) {
    const c = errorCode(scrub(json.error ?? '', secrets), `http_${response.status}`)
    // `ratelimited` in a 200 body is also a rate limit.
    throw new SlackError(
      c,
      `${method}: Slack refused the message: ${c}`,
      c === 'ratelimited',
      response.status,
      retryAfterMs(response.headers.get('retry-after')),
    )
  }
  return { ts: json.ts, channel: json.channel }
}

/**
 * Sends one message: an incoming webhook POST, or chat.postMessage / chat.update with a bot token.
 * Retries 429 (waiting Retry-After) and 5xx / network errors (full-jitter backoff) within a total
 * time budget; a 4xx or `ok:false` is final and carries Slack's error code.
 */
export async function sendMessage(
  dest: Destination,
  message: SlackMessage,
  options: TransportOptions,
): Promise<SendResult> {
  const body = requestBody(dest, message)
  const method: SendResult['method'] =
    dest.kind === 'webhook' ? 'webhook' : dest.updateTs ? 'chat.update' : 'chat.postMessage'
  let attempts = 0
  const now = options.now ?? Date.now
  const budget = options.maxTotalMs ?? 30_000
  const started = now()
  const result = await retry(
    async () => {
      attempts++
      // A hanging request may not stretch the total past the budget (at least 1 s per try).
      const timeout = Math.min(options.requestTimeoutMs ?? 10_000, Math.max(1000, budget - (now() - started)))
      return attempt(dest, body, options, timeout)
    },
    {
      attempts: options.attempts ?? 8,
      baseDelayMs: options.baseDelayMs ?? 1000,
      maxDelayMs: options.maxDelayMs ?? 8000,
      maxTotalMs: budget,
      sleep: async (ms) => {
        options.logger.info(
          `Slack: ${method} failed, retrying in ${(ms / 1000).toFixed(1)} s (attempt ${attempts + 1}).`,
        )
        await (options.sleep ?? realSleep)(ms)
      },
      now,
      random: options.random,
      shouldRetry: (error) => error instanceof SlackError && error.retryable,
      delayHint: (error) => (error instanceof SlackError ? error.retryAfterMs : undefined),
    },
  ).catch((error: unknown) => {
    if (error instanceof SlackError && error.retryable) {
      throw new SlackError(
        error.code,
        `${error.message}; gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
        true,
        error.status,
      )
    }
    throw error
  })
  return { ...result, attempts, method }
}
