/**
 * Corporate proxies: every request the actions make (GitHub, Slack, ticket APIs, S3, DynamoDB) goes
 * through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY exempts its host. The decision is
 * @actions/http-client's, per target URL (either case of the variables, `*`, suffixes, ports; loopback
 * never proxied), so ours matches the toolkit's own requests (artifacts, OIDC) exactly.
 */
import type { Agent } from 'node:http'
import { HttpClient, getProxyUrl } from '@actions/http-client'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { fetch as undiciFetch } from 'undici'

function urlOf(input: string | URL | Request): string {
  if (typeof input === 'string') return input
  if (input instanceof URL) return input.href
  return input.url
}

/**
 * fetch through the proxy that applies to the URL, if any. Node's own fetch ignores the proxy variables;
 * the toolkit's dispatcher belongs to the undici package, so a proxied request uses that package's fetch.
 */
export const proxyFetch: typeof fetch = async (input, init) => {
  const dispatcher = new HttpClient('terraform-pipeline-actions').getAgentDispatcher(urlOf(input))
  if (!dispatcher) return fetch(input, init)
  return (await undiciFetch(urlOf(input), { ...(init as object), dispatcher })) as unknown as Response
}

/**
 * Agents for an AWS SDK request handler talking to `endpoint`: CONNECT-tunnelling agents when a proxy
 * applies, nothing otherwise (the SDK keeps its own keep-alive agents). https-proxy-agent, not the
 * toolkit's tunnel agents: the SDK's handler takes only real http.Agent instances and silently replaces
 * anything else with a direct one.
 */
export function proxyAgentsFor(endpoint: string): { httpAgent?: Agent; httpsAgent?: Agent } {
  const agents: { httpAgent?: Agent; httpsAgent?: Agent } = {}
  for (const protocol of ['http:', 'https:'] as const) {
    const url = new URL(endpoint)
    url.protocol = protocol
    const proxy = getProxyUrl(url.href)
    if (proxy)
      agents[protocol === 'http:' ? 'httpAgent' : 'httpsAgent'] = new HttpsProxyAgent(proxy, { keepAlive: true })
  }
  return agents
}
