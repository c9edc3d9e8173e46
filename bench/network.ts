/**
 * What one run asked of the network: the requests (from the dev backend's
 * log), duplicates among them, and the TCP connections they used (through a
 * counting relay, in separate probe runs so timed runs go direct).
 */
import * as net from 'node:net'
import type { LoggedRequest } from '../dev/backend/index.js'

/** `route` names of requests, in arrival order. */
export function routesOf(requests: readonly LoggedRequest[]): string[] {
  return requests.map((r) => r.route)
}

/**
 * Requests sent more than once in one run (same method and path): each is
 * a wasted round trip, or a second registration / refresh. A route the run
 * is expected to make several times (`expected`, e.g. keyless CI's two
 * OIDC tokens: one exchanged, one kept ready) counts beyond that number.
 */
export function duplicatesOf(
  requests: readonly LoggedRequest[],
  expected: readonly string[] = []
): string[] {
  const seen = new Map<string, { route: string; n: number }>()
  for (const r of requests) {
    const key = `${r.method} ${r.route}`
    const entry = seen.get(key) ?? { route: r.route, n: 0 }
    entry.n++
    seen.set(key, entry)
  }
  return [...seen.entries()]
    .filter(
      ([, { route, n }]) =>
        n > Math.max(1, expected.filter((e) => e === route).length)
    )
    .map(([key, { n }]) => `${n}× ${key}`)
}

/** A loopback TCP relay that counts the connections made through it. */
export interface ConnectionCounter {
  readonly url: string
  readonly connections: number
  reset(): void
  close(): Promise<void>
}

export async function startConnectionCounter(
  targetPort: number
): Promise<ConnectionCounter> {
  let connections = 0
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    connections++
    const upstream = net.connect(targetPort, '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
      s.on('close', () => sockets.delete(s))
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve())
  )
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    get connections(): number {
      return connections
    },
    reset: () => {
      connections = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}
