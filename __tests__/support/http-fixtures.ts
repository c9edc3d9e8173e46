/**
 * Fixtures of the HTTP helper's tests (__tests__/clients/http/): injected
 * clocks and sleeps, loopback servers that answer step by step, a
 * self-signed certificate, proxy variables reset around every test, and
 * host names mapped to 127.0.0.1 without any resolver.
 */
import { execFileSync } from 'node:child_process'
import dns from 'node:dns'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as https from 'node:https'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  HttpTransportError,
  type HttpDeps,
  type HttpResponse,
  type RequestSpec
} from '../../src/clients/http.js'

/** A whole second, so an HTTP-date round-trips exactly. */
export const NOW = Date.UTC(2026, 7, 22, 5, 54, 43)

export interface Fake {
  deps: HttpDeps
  sleeps: number[]
}

/** Deps whose sleep returns at once and records what was asked. */
export function fake(overrides: Partial<HttpDeps> = {}): Fake {
  const sleeps: number[] = []
  const deps: HttpDeps = {
    sleep: (ms) => {
      sleeps.push(ms)
      return Promise.resolve()
    },
    random: () => 0.5,
    now: () => NOW,
    userAgent: 'test-agent/1.0',
    originator: 'test_originator',
    ...overrides
  }
  return { deps, sleeps }
}

/** Deps with a clock that only moves when the helper sleeps. */
export function fakeWithClock(deadlineIn: number): Fake {
  let clock = NOW
  const result = fake({
    now: () => clock,
    deadline: NOW + deadlineIn
  })
  const record = result.deps.sleep
  result.deps.sleep = async (ms) => {
    clock += ms
    await record(ms)
  }
  return result
}

/** A GET of `url`: 5 s per attempt, 3 attempts. */
export function spec(
  url: string,
  overrides: Partial<RequestSpec> = {}
): RequestSpec {
  return {
    method: 'GET',
    url,
    timeoutMs: 5000,
    maxAttempts: 3,
    what: 'test call',
    ...overrides
  }
}

/** One request a test server received. */
export interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: Buffer
}

export type Handler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  n: number
) => void

export interface TestServer {
  url: string
  port: number
  seen: Seen[]
  /** TCP connections accepted so far. */
  connections(): number
}

const cleanups: Array<() => Promise<void>> = []

/** Runs `cleanup` after the current test, last registered first. */
export function afterThisTest(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup)
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Open sockets of `server`, so closing it does not wait for keep-alive. */
export function trackSockets(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>()
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return sockets
}

/** Listens on an ephemeral port of 127.0.0.1; closed after the test. */
export async function listen(server: net.Server): Promise<number> {
  const sockets = trackSockets(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  afterThisTest(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  )
  return (server.address() as net.AddressInfo).port
}

/** A loopback HTTP server; the handler runs once the request body is in. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks)
      })
      handler(req, res, seen.length)
    })
  })
  let connections = 0
  server.on('connection', () => connections++)
  const port = await listen(server)
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    connections: () => connections
  }
}

/** The n-th request gets the n-th step; the last step repeats. */
export function steps(...handlers: Handler[]): Handler {
  return (req, res, n) => {
    const step = handlers[Math.min(n, handlers.length) - 1]
    step?.(req, res, n)
  }
}

export const reply =
  (status: number, body = '', headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, headers).end(body)
  }

export const reset: Handler = (req) => {
  req.socket.destroy()
}

export const hang: Handler = () => undefined

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** The HttpTransportError `promise` rejects with; fails on anything else. */
export async function transportError(
  promise: Promise<HttpResponse>
): Promise<HttpTransportError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  if (!(err instanceof HttpTransportError)) {
    throw new Error(`expected HttpTransportError, got ${String(err)}`)
  }
  return err
}

/** A certificate for backend.test that no CA trusts, which is the point. */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-test-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=backend.test',
        '-days',
        '1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem')
      ],
      { stdio: 'ignore' }
    )
    return {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8')
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** An HTTPS server with `tls` on 127.0.0.1 that answers `secret`. */
export async function startTlsServer(tls: {
  key: string
  cert: string
}): Promise<{ port: number; url: string }> {
  const server = https.createServer(tls, (_req, res) => res.end('secret'))
  const port = await listen(server)
  return { port, url: `https://127.0.0.1:${port}` }
}

// http-client reads these from process.env, and adds the orchestration id
// to the user agent.
const CLIENT_ENV = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy',
  'ACTIONS_ORCHESTRATION_ID',
  'NODE_TLS_REJECT_UNAUTHORIZED'
] as const
export type ClientEnvVar = (typeof CLIENT_ENV)[number]

function clearClientEnv(): void {
  for (const name of CLIENT_ENV) delete process.env[name]
}

/**
 * Starts every test of the file from none of the variables http-client
 * reads, whatever the machine running the suite has set, and puts them back
 * afterwards.
 */
export function isolateClientEnv(): void {
  const saved = new Map<ClientEnvVar, string | undefined>()
  beforeAll(() => {
    for (const name of CLIENT_ENV) saved.set(name, process.env[name])
    clearClientEnv()
  })
  afterEach(clearClientEnv)
  afterAll(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })
}

/** Sets exactly `vars` of the client's variables for the current test. */
export function setClientEnv(
  vars: Partial<Record<ClientEnvVar, string>>
): void {
  clearClientEnv()
  Object.assign(process.env, vars)
}

type Lookup = typeof dns.lookup

/**
 * Resolves `names` to 127.0.0.1 for the current test without asking any
 * resolver (a machine may have none); every other name fails as unknown.
 * Sockets look a name up through `dns.lookup` on node's own module object,
 * which is what is replaced here.
 */
export function mapHostsToLoopback(names: readonly string[]): void {
  const original = dns.lookup
  const fakeLookup = (
    hostname: string,
    options: unknown,
    callback?: unknown
  ): void => {
    const done = (typeof options === 'function' ? options : callback) as (
      err: NodeJS.ErrnoException | null,
      address?: string | dns.LookupAddress[],
      family?: number
    ) => void
    const all =
      typeof options === 'object' &&
      options !== null &&
      'all' in options &&
      options.all === true
    process.nextTick(() => {
      if (!names.includes(hostname.toLowerCase())) {
        const err: NodeJS.ErrnoException = new Error(
          `getaddrinfo ENOTFOUND ${hostname}`
        )
        err.code = 'ENOTFOUND'
        done(err)
      } else if (all) {
        done(null, [{ address: '127.0.0.1', family: 4 }])
      } else {
        done(null, '127.0.0.1', 4)
      }
    })
  }
  dns.lookup = fakeLookup as unknown as Lookup
  afterThisTest(() => {
    dns.lookup = original
    return Promise.resolve()
  })
}
