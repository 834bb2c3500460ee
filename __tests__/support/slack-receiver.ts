import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { validateBlocks } from '@tfpipe/slack/limits.js'

/**
 * A local Slack stand-in on 127.0.0.1: incoming webhooks under /services/T000/B000/<key> and the Web
 * API (/api/chat.postMessage, /api/chat.update). It answers like Slack: webhooks reply `ok` or an
 * error text with a 4xx (`invalid_blocks`, `no_service`, `invalid_payload`); the Web API replies
 * HTTP 200 with `{ok:false,error}` (`invalid_auth`, `channel_not_found`, `invalid_blocks`,
 * `message_not_found`). Block Kit limits are enforced by the same `validateBlocks` the builder uses.
 */
export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
  json?: unknown
  status: number
  response: string
}

export interface StoredMessage {
  channel: string
  ts: string
  threadTs?: string
  body: Record<string, unknown>
  updates: number
}

/** An error answer, or (`delayMs`) a normal answer that comes late, to exercise client timeouts. */
export type Failure = { status: 429; retryAfter?: number } | { status: number; body?: string } | { delayMs: number }

export interface SlackReceiver {
  /** URL of an incoming webhook the receiver accepts; `path` defaults to /services/T000/B000/XXXX. */
  webhookUrl(path?: string): string
  apiUrl: string
  botToken: string
  requests: RecordedRequest[]
  messages: StoredMessage[]
  /** The next `count` requests get this answer (429 with Retry-After, 500...), then normal service. */
  failNext(count: number, failure: Failure): void
  /** Forgets failures not yet served. */
  clearFailures(): void
  close(): Promise<void>
}

export const DEFAULT_WEBHOOK_PATH = '/services/T000/B000/XXXX'

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const botToken = `xoxb-test-${Math.random().toString(36).slice(2)}`
  const hooks = new Set<string>([DEFAULT_WEBHOOK_PATH])
  const requests: RecordedRequest[] = []
  const messages: StoredMessage[] = []
  const failures: Failure[] = []
  let clock = 1_700_000_000

  const channelId = (channel: string): string | undefined => {
    if (/^[CDG][A-Z0-9]{2,}$/.test(channel)) return channel
    const name = /^#?([a-z0-9][a-z0-9_-]{0,79})$/.exec(channel)?.[1]
    return name
      ? `C${name
          .replace(/[^a-z0-9]/g, '')
          .toUpperCase()
          .slice(0, 9)
          .padEnd(9, '0')}`
      : undefined
  }

  const handle = (
    req: IncomingMessage,
    body: string,
    failure: Failure | undefined,
  ): { status: number; text: string; headers?: Record<string, string>; json?: unknown } => {
    let json: unknown
    try {
      json = body ? JSON.parse(body) : undefined
    } catch {
      json = undefined
    }
    if (failure && 'status' in failure) {
      const headers: Record<string, string> = {}
      if ('retryAfter' in failure && failure.retryAfter !== undefined)
        headers['retry-after'] = String(failure.retryAfter)
      const text =
        'body' in failure && failure.body !== undefined
          ? failure.body
          : failure.status === 429
            ? 'rate_limited'
            : 'internal_error'
      return { status: failure.status, text, headers, json }
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.method !== 'POST') return { status: 405, text: 'method_not_allowed', json }

    if (url.pathname.startsWith('/services/')) {
      if (!hooks.has(url.pathname)) return { status: 404, text: 'no_service', json }
      if (json === undefined || typeof json !== 'object') return { status: 400, text: 'invalid_payload', json }
      if (validateBlocks(json).length) return { status: 400, text: 'invalid_blocks', json }
      return { status: 200, text: 'ok', json }
    }

    const api = (payload: Record<string, unknown>): { status: number; text: string; json?: unknown } => ({
      status: 200,
      text: JSON.stringify(payload),
      json,
    })
    if (url.pathname === '/api/chat.postMessage' || url.pathname === '/api/chat.update') {
      if (req.headers.authorization !== `Bearer ${botToken}`)
        return api({ ok: false, error: req.headers.authorization ? 'invalid_auth' : 'not_authed' })
      if (json === undefined || typeof json !== 'object' || json === null)
        return api({ ok: false, error: 'invalid_json' })
      const m = json as Record<string, unknown>
      if (typeof m.channel !== 'string' || m.channel === '') return api({ ok: false, error: 'channel_not_found' })
      if (m.text === undefined && m.blocks === undefined) return api({ ok: false, error: 'no_text' })
      if (validateBlocks(m).length) return api({ ok: false, error: 'invalid_blocks' })
      if (url.pathname === '/api/chat.postMessage') {
        const channel = channelId(m.channel)
        if (!channel) return api({ ok: false, error: 'channel_not_found' })
        const ts = `${clock++}.000100`
        messages.push({
          channel,
          ts,
          ...(typeof m.thread_ts === 'string' ? { threadTs: m.thread_ts } : {}),
          body: m,
          updates: 0,
        })
        return api({ ok: true, channel, ts, message: { text: m.text } })
      }
      // chat.update needs the channel ID (not a #name) and the ts of an existing message.
      if (!/^[CDG][A-Z0-9]{2,}$/.test(m.channel)) return api({ ok: false, error: 'channel_not_found' })
      const target = messages.find((x) => x.channel === m.channel && x.ts === m.ts)
      if (!target) return api({ ok: false, error: 'message_not_found' })
      target.body = m
      target.updates++
      return api({ ok: true, channel: target.channel, ts: target.ts, text: m.text })
    }
    if (url.pathname.startsWith('/api/')) return api({ ok: false, error: 'unknown_method' })
    return { status: 404, text: 'not_found', json }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const failure = failures.shift()
      if (failure && 'delayMs' in failure) {
        setTimeout(() => respond(req, res, body, undefined), failure.delayMs)
        return
      }
      respond(req, res, body, failure)
    })
  })
  const respond = (req: IncomingMessage, res: ServerResponse, body: string, failure: Failure | undefined): void => {
    const answer = handle(req, body, failure)
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: { ...req.headers },
      body,
      ...(answer.json !== undefined ? { json: answer.json } : {}),
      status: answer.status,
      response: answer.text,
    })
    if (res.destroyed) return // the client gave up (timeout)
    const isJson = answer.text.startsWith('{')
    res.writeHead(answer.status, {
      'content-type': isJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      ...answer.headers,
    })
    res.end(answer.text)
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`

  return {
    webhookUrl(path = DEFAULT_WEBHOOK_PATH) {
      const p = path.startsWith('/') ? path : `/${path}`
      hooks.add(p)
      return `${base}${p}`
    },
    apiUrl: `${base}/api`,
    botToken,
    requests,
    messages,
    failNext(count: number, failure: Failure) {
      for (let i = 0; i < count; i++) failures.push(failure)
    },
    clearFailures() {
      failures.length = 0
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    },
  }
}
