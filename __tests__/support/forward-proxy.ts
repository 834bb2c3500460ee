/**
 * A corporate forward proxy for tests: the only way to reach the host names it is given (names under
 * the reserved `.test` domain, RFC 6761, or without a dot: they resolve nowhere), each of which it maps
 * to the same port on 127.0.0.1. It tunnels
 * CONNECT (what undici's ProxyAgent and the toolkit's tunnel agents send, for http and https targets)
 * and forwards absolute-URI requests (plain HTTP proxying); anything else is answered 502.
 * Records every target it was asked for, so tests can tell proxied requests from direct ones.
 */
import { createServer, request as httpRequest } from 'node:http'
import { connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface ForwardProxy {
  /** `http://127.0.0.1:<port>`, for HTTPS_PROXY / HTTP_PROXY. */
  url: string
  /** `host:port` of every request, in order. */
  targets: string[]
  close(): Promise<void>
}

export async function startForwardProxy(options: { hosts: string[] }): Promise<ForwardProxy> {
  // A known host keeps its port and becomes 127.0.0.1; any other is unreachable.
  const localPort = (host: string, port: number): number | undefined =>
    options.hosts.includes(host) && port > 0 ? port : undefined
  const targets: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    let target: URL
    try {
      target = new URL(req.url ?? '')
    } catch {
      res.writeHead(400).end('absolute URI required')
      return
    }
    targets.push(target.host)
    const port = localPort(target.hostname, Number(target.port || 80))
    if (port === undefined) {
      res.writeHead(502).end(`proxy: ${target.hostname} is not reachable`)
      return
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.writeHead(502).end('proxy: upstream failed'))
    req.pipe(upstream)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const authority = req.url ?? ''
    targets.push(authority)
    const colon = authority.lastIndexOf(':')
    const port = localPort(authority.slice(0, colon), Number(authority.slice(colon + 1)))
    if (port === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
      return
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
