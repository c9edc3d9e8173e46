/**
 * A real forward proxy on 127.0.0.1 for tests.
 *
 * The client under test cannot be pointed at a loopback backend through a
 * proxy directly: @actions/http-client always bypasses the proxy for
 * localhost and 127.*. So tests address the backend by a made-up name
 * (`backend.test`) that only this proxy can resolve: a request that arrives
 * proves it went through the proxy.
 *
 * Handles plain-HTTP absolute-URI requests (`GET http://host/path`) and
 * CONNECT tunnels, the two ways clients use an HTTP proxy.
 */
import * as http from 'node:http'
import * as net from 'node:net'

/** One request the proxy received. */
export interface ProxiedRequest {
  /** `CONNECT` for a tunnel, else the forwarded method. */
  method: string
  /** The target as the client asked for it, `host:port`. */
  host: string
  /** The `Proxy-Authorization` header, when the client sent one. */
  proxyAuthorization?: string
}

/** A running proxy. */
export interface TestProxy {
  /** `http://127.0.0.1:<port>`, the value for HTTP(S)_PROXY. */
  url: string
  /** Every request received, in order. */
  requests: ProxiedRequest[]
  /** Stops listening and cuts every open connection. */
  close(): Promise<void>
}

/** Where made-up host names lead. */
export interface TestProxyOptions {
  /** Host name → a port on 127.0.0.1. The port the client asked for is ignored. */
  hosts: Record<string, number>
}

/** Starts a proxy on an ephemeral port of 127.0.0.1. */
export async function startTestProxy(
  options: TestProxyOptions
): Promise<TestProxy> {
  const requests: ProxiedRequest[] = []
  const sockets = new Set<net.Socket>()
  const portFor = (hostname: string): number | undefined => {
    const name = hostname.toLowerCase()
    return Object.hasOwn(options.hosts, name) ? options.hosts[name] : undefined
  }

  const record = (req: http.IncomingMessage, host: string): void => {
    const auth = req.headers['proxy-authorization']
    requests.push({
      method: req.method ?? '',
      host,
      ...(auth === undefined ? {} : { proxyAuthorization: auth })
    })
  }

  const server = http.createServer((req, res) => {
    let target: URL
    try {
      target = new URL(req.url ?? '')
    } catch {
      // A proxy only ever gets absolute URIs; a path means a misdirected client.
      res.writeHead(400).end('absolute URI expected')
      return
    }
    record(req, target.host)
    const port = portFor(target.hostname)
    if (port === undefined) {
      res.writeHead(502).end(`unknown host ${target.hostname}`)
      return
    }
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: target.pathname + target.search,
        headers
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
        upstreamRes.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })

  server.on(
    'connect',
    (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      const target = req.url ?? ''
      record(req, target)
      const hostname = target.replace(/:\d+$/, '')
      const port = portFor(hostname)
      client.on('error', () => client.destroy())
      if (port === undefined) {
        client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
        return
      }
      const upstream = net.connect(port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        if (head.length > 0) upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      sockets.add(upstream)
      upstream.on('close', () => sockets.delete(upstream))
      upstream.on('error', () => client.destroy())
      client.on('close', () => upstream.destroy())
    }
  )

  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
