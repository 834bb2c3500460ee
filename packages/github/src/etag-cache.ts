/**
 * Conditional GETs for an Octokit: each GET's ETag is remembered and sent as If-None-Match next time;
 * a 304 (which GitHub does not count against the rate limit) is answered from the cache.
 */
import type { GitHubClient } from './client.js'
import { stringOption } from './request-options.js'

interface CachedResponse {
  etag: string
  response: { status: number; url: string; headers: Record<string, unknown>; data: unknown }
}

const ETAG_CACHE_SIZE = 500

export function addEtagCache(client: GitHubClient): void {
  const cache = new Map<string, CachedResponse>()
  type Request = (options: Record<string, unknown>) => Promise<CachedResponse['response']>
  // eslint-disable-next-line @typescript-eslint/unbound-method -- before-after-hook binds wrap to its hook
  const wrap = client.hook.wrap as unknown as (
    name: 'request',
    hook: (request: Request, options: Record<string, unknown>) => Promise<unknown>,
  ) => void
  wrap('request', async (request, options) => {
    if (stringOption(options, 'method', 'GET').toUpperCase() !== 'GET') return request(options)
    let key: string
    try {
      const parsed = client.request.endpoint.parse(options as never) as {
        url: string
        headers: Record<string, unknown>
      }
      key = `${parsed.url} ${stringOption(parsed.headers, 'accept', '')}`
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
        if (cache.size > ETAG_CACHE_SIZE) cache.delete(cache.keys().next().value!)
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
