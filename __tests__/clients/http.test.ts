import { execFileSync, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as https from 'node:https'
import * as net from 'node:net'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  ACTION_TIME_BUDGET_MS,
  BUDGET_EXHAUSTED,
  DEFAULT_ORIGINATOR,
  HttpTransportError,
  MAX_BODY_BYTES,
  createHttpClient,
  defaultHttpDeps,
  parseRetryAfter,
  type HttpDeps,
  type HttpResponse,
  type RequestSpec
} from '../../src/clients/http.js'
import { buildUserAgent } from '../../src/clients/user-agent.js'
import { ActionError } from '../../src/errors.js'
import { startTestProxy, type TestProxy } from '../support/test-proxy.js'
import { tempDir } from '../support/temp-dirs.js'

// ---- Fixtures ---------------------------------------------------------------

/** A whole second, so an HTTP-date round-trips exactly. */
const NOW = Date.UTC(2026, 7, 22, 5, 54, 43)

interface Fake {
  deps: HttpDeps
  sleeps: number[]
}

/** Deps whose sleep returns at once and records what was asked. */
function fake(overrides: Partial<HttpDeps> = {}): Fake {
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
function fakeWithClock(deadlineIn: number): Fake {
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

function spec(url: string, overrides: Partial<RequestSpec> = {}): RequestSpec {
  return {
    method: 'GET',
    url,
    timeoutMs: 5000,
    maxAttempts: 3,
    what: 'test call',
    ...overrides
  }
}

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: Buffer
}

type Handler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  n: number
) => void

interface TestServer {
  url: string
  port: number
  seen: Seen[]
  /** TCP connections accepted so far. */
  connections(): number
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function closer(
  server: net.Server,
  sockets: Set<net.Socket>
): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    })
}

function trackSockets(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>()
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return sockets
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as net.AddressInfo).port
}

/** A loopback HTTP server; the handler runs once the request body is in. */
async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = []
  const onRequest = (
    req: http.IncomingMessage,
    res: http.ServerResponse
  ): void => {
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
  }
  const server = http.createServer(onRequest)
  const sockets = trackSockets(server)
  let connections = 0
  server.on('connection', () => connections++)
  const port = await listen(server)
  cleanups.push(closer(server, sockets))
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    connections: () => connections
  }
}

/** The n-th request gets the n-th step; the last step repeats. */
function steps(...handlers: Handler[]): Handler {
  return (req, res, n) => {
    const step = handlers[Math.min(n, handlers.length) - 1]
    step?.(req, res, n)
  }
}

const reply =
  (status: number, body = '', headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, headers).end(body)
  }

const reset: Handler = (req) => {
  req.socket.destroy()
}

const hang: Handler = () => undefined

async function closedPort(): Promise<number> {
  const server = net.createServer()
  const port = await listen(server)
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function transportError(
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

// A self-signed certificate, made once: no CA trusts it, which is the point.
let tls: { key: string; cert: string }
beforeAll(() => {
  const dir = tempDir('http-test-')
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
    tls = {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8')
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

async function startTlsServer(): Promise<{ port: number; url: string }> {
  const server = https.createServer(tls, (_req, res) => res.end('secret'))
  const sockets = trackSockets(server)
  const port = await listen(server)
  cleanups.push(closer(server, sockets))
  return { port, url: `https://127.0.0.1:${port}` }
}

// http-client reads the proxy variables from process.env. Start every test
// from none, whatever the machine running the suite has set.
const PROXY_VARS = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy'
] as const
type ProxyVar = (typeof PROXY_VARS)[number]
const savedEnv = new Map<ProxyVar, string | undefined>()

function clearProxyEnv(): void {
  for (const name of PROXY_VARS) delete process.env[name]
}

function setProxyEnv(vars: Partial<Record<ProxyVar, string>>): void {
  clearProxyEnv()
  Object.assign(process.env, vars)
}

beforeAll(() => {
  for (const name of PROXY_VARS) savedEnv.set(name, process.env[name])
  clearProxyEnv()
})
afterEach(clearProxyEnv)
afterAll(() => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

// ---- Responses ----------------------------------------------------------------

describe('responses', () => {
  it('returns status, canonical reason, lower-cased headers and the body', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(201, 'Made It Up', {
        'X-Thing': 'yes',
        'Content-Type': 'text/plain'
      })
      res.end('hello ☃')
    })
    const { deps } = fake()
    const res = await createHttpClient(deps).request(spec(`${server.url}/a`))
    expect(res).toEqual({
      status: 201,
      reason: 'Created',
      headers: expect.objectContaining({
        'x-thing': 'yes',
        'content-type': 'text/plain'
      }) as Record<string, string>,
      body: 'hello ☃',
      truncated: false
    })
  })

  it('reports the canonical reason, not the one the server sent', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(500, 'Everything Is Fine').end()
    })
    const { deps } = fake()
    const res = await createHttpClient(deps).request(
      spec(server.url, { maxAttempts: 1 })
    )
    expect([res.status, res.reason]).toEqual([500, 'Internal Server Error'])
  })

  it.each([500, 502, 503, 504, 429])(
    'retries %i and returns the success that follows',
    async (status) => {
      const server = await startServer(steps(reply(status), reply(200, 'ok')))
      const { deps, sleeps } = fake()
      const res = await createHttpClient(deps).request(spec(server.url))
      expect(res.status).toBe(200)
      expect(res.body).toBe('ok')
      expect(server.seen).toHaveLength(2)
      expect(sleeps).toEqual([500])
    }
  )

  it('returns the last retryable response once attempts run out', async () => {
    const server = await startServer(reply(503, 'busy'))
    const { deps, sleeps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect([res.status, res.body]).toEqual([503, 'busy'])
    expect(server.seen).toHaveLength(3)
    expect(sleeps).toEqual([500, 1000])
  })

  it.each([400, 401, 403, 404, 409, 422])(
    'returns %i at once, after one request',
    async (status) => {
      const server = await startServer(reply(status, 'no'))
      const { deps, sleeps } = fake()
      const res = await createHttpClient(deps).request(spec(server.url))
      expect(res.status).toBe(status)
      expect(server.seen).toHaveLength(1)
      expect(sleeps).toEqual([])
    }
  )

  it('does not retry when maxAttempts is 1', async () => {
    const server = await startServer(reply(500))
    const { deps, sleeps } = fake()
    const res = await createHttpClient(deps).request(
      spec(server.url, { maxAttempts: 1 })
    )
    expect(res.status).toBe(500)
    expect(server.seen).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('does not follow redirects: a 3xx is returned like any status', async () => {
    const server = await startServer(
      steps(reply(302, '', { Location: '/elsewhere' }), reply(200))
    )
    const { deps } = fake()
    const res = await createHttpClient(deps).request(
      spec(server.url, { method: 'POST', body: 'signed' })
    )
    expect(res.status).toBe(302)
    expect(res.headers['location']).toBe('/elsewhere')
    expect(server.seen).toHaveLength(1)
  })

  it('uses a custom retryable predicate', async () => {
    const server = await startServer(steps(reply(409), reply(500)))
    const { deps, sleeps } = fake()
    const res = await createHttpClient(deps).request(
      spec(server.url, { retryable: (r) => r.status === 409 })
    )
    // 409 retried; 500 is final because the predicate says so.
    expect(res.status).toBe(500)
    expect(server.seen).toHaveLength(2)
    expect(sleeps).toEqual([500])
  })
})

describe('backoff', () => {
  it.each([
    [0, [250, 500]],
    [0.5, [500, 1000]],
    [0.999, [750, 1499]]
  ])(
    'with random() = %p waits %p: 500 ms doubling, scaled by 0.5 + random',
    async (random, expected) => {
      const server = await startServer(reply(500))
      const { deps, sleeps } = fake({ random: () => random })
      await createHttpClient(deps).request(spec(server.url))
      expect(sleeps).toEqual(expected)
    }
  )

  it('caps the backoff at 10 s however many attempts there are', async () => {
    const server = await startServer(reply(500))
    const { deps, sleeps } = fake({ random: () => 0.999 })
    await createHttpClient(deps).request(spec(server.url, { maxAttempts: 8 }))
    expect(sleeps).toEqual([750, 1499, 2998, 5996, 10000, 10000, 10000])
  })

  it.each([
    ['3', 3000],
    ['0', 0],
    ['10', 10000],
    ['60', 10000],
    [new Date(NOW + 4000).toUTCString(), 4000],
    [new Date(NOW - 4000).toUTCString(), 0],
    [new Date(NOW + 3_600_000).toUTCString(), 10000],
    ['soon', 500],
    ['1.5', 500]
  ])('Retry-After %p makes it wait %p ms', async (header, expected) => {
    const server = await startServer(
      steps(reply(429, '', { 'Retry-After': header }), reply(200))
    )
    const { deps, sleeps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.status).toBe(200)
    expect(sleeps).toEqual([expected])
  })

  it('honours Retry-After on a 503 too', async () => {
    const server = await startServer(
      steps(reply(503, '', { 'Retry-After': '2' }), reply(200))
    )
    const { deps, sleeps } = fake()
    await createHttpClient(deps).request(spec(server.url))
    expect(sleeps).toEqual([2000])
  })

  it('parses the obsolete RFC 850 date form too', () => {
    expect(parseRetryAfter('Saturday, 22-Aug-26 05:54:45 GMT', NOW)).toBe(2000)
  })
})

// ---- What is sent ---------------------------------------------------------------

describe('request', () => {
  it('sends User-Agent, originator and the caller headers, and no Authorization', async () => {
    const server = await startServer(reply(200))
    const { deps } = fake()
    await createHttpClient(deps).request(
      spec(`${server.url}/jwks`, { headers: { Accept: 'application/json' } })
    )
    const headers = server.seen[0]?.headers
    expect(headers?.['user-agent']).toBe('test-agent/1.0')
    expect(headers?.['originator']).toBe('test_originator')
    expect(headers?.['accept']).toBe('application/json')
    expect(headers).not.toHaveProperty('authorization')
    expect(server.seen[0]?.url).toBe('/jwks')
  })

  it('sends Authorization only when the caller passes it, and keeps its own identification', async () => {
    const server = await startServer(reply(200))
    const { deps } = fake()
    await createHttpClient(deps).request(
      spec(server.url, {
        headers: {
          Authorization: 'Bearer at-token',
          'User-Agent': 'spoof',
          Originator: 'spoof'
        }
      })
    )
    const headers = server.seen[0]?.headers
    expect(headers?.['authorization']).toBe('Bearer at-token')
    expect(headers?.['user-agent']).toBe('test-agent/1.0')
    expect(headers?.['originator']).toBe('test_originator')
  })

  it('sends a POST body byte for byte, with its byte length', async () => {
    const server = await startServer(reply(200))
    const { deps } = fake()
    const body =
      '{"timestamp":"2026-01-01T00:00:00Z","signature":"ab+/=="," é☃🙂":1}'
    await createHttpClient(deps).request(
      spec(server.url, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json' }
      })
    )
    const seen = server.seen[0]
    expect(seen?.method).toBe('POST')
    expect(seen?.body.equals(Buffer.from(body, 'utf8'))).toBe(true)
    expect(seen?.headers['content-length']).toBe(
      String(Buffer.byteLength(body, 'utf8'))
    )
    expect(seen?.headers['content-type']).toBe('application/json')
  })

  it('resends the same body on every attempt', async () => {
    const server = await startServer(steps(reply(502), reply(200)))
    const { deps } = fake()
    await createHttpClient(deps).request(
      spec(server.url, { method: 'POST', body: '{"a":1}' })
    )
    expect(server.seen.map((s) => s.body.toString())).toEqual([
      '{"a":1}',
      '{"a":1}'
    ])
  })

  it('sends a GET without a body', async () => {
    const server = await startServer(reply(200))
    const { deps } = fake()
    await createHttpClient(deps).request(spec(server.url))
    expect(server.seen[0]?.body.length).toBe(0)
    expect(server.seen[0]?.headers).not.toHaveProperty('transfer-encoding')
  })

  it('refuses a URL that is not http(s), without quoting it', async () => {
    const { deps } = fake()
    const client = createHttpClient(deps)
    await expect(client.request(spec('ftp://x/?k=sekrit'))).rejects.toThrow(
      'test call: the request URL must be http or https'
    )
    await expect(client.request(spec('not a url sekrit'))).rejects.toThrow(
      /^test call: the request URL is not a valid URL$/
    )
  })
})

describe('defaultHttpDeps', () => {
  it.each([
    [{}, DEFAULT_ORIGINATOR],
    [{ CODEX_INTERNAL_ORIGINATOR_OVERRIDE: 'codex_exec' }, 'codex_exec'],
    [{ CODEX_INTERNAL_ORIGINATOR_OVERRIDE: '  ' }, DEFAULT_ORIGINATOR]
  ])('env %p gives originator %p', (env, expected) => {
    expect(defaultHttpDeps(env).originator).toBe(expected)
  })

  it('uses the action user agent, a real clock and a 120 s budget', () => {
    const deps = defaultHttpDeps({}, 1_000_000)
    expect(DEFAULT_ORIGINATOR).toBe('codex_github_action')
    expect(deps.userAgent).toBe(buildUserAgent())
    expect(deps.deadline).toBe(1_000_000 + ACTION_TIME_BUDGET_MS)
    expect(ACTION_TIME_BUDGET_MS).toBe(120_000)
    expect(Math.abs(deps.now() - Date.now())).toBeLessThan(60_000)
    const r = deps.random()
    expect(r >= 0 && r < 1).toBe(true)
  })

  it('puts the originator override on the wire', async () => {
    const server = await startServer(reply(200))
    const deps = defaultHttpDeps({
      CODEX_INTERNAL_ORIGINATOR_OVERRIDE: 'other'
    })
    await createHttpClient(deps).request(spec(server.url))
    expect(server.seen[0]?.headers['originator']).toBe('other')
    expect(server.seen[0]?.headers['user-agent']).toBe(buildUserAgent())
  })
})

// ---- Transport failures ---------------------------------------------------------

describe('transport failures', () => {
  it('retries a reset connection and returns the success that follows', async () => {
    const server = await startServer(steps(reset, reply(200, 'ok')))
    const { deps, sleeps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.body).toBe('ok')
    expect(server.seen).toHaveLength(2)
    expect(sleeps).toEqual([500])
  })

  it('throws after the last reset, naming the call and the URL', async () => {
    const server = await startServer(reset)
    const { deps, sleeps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(spec(`${server.url}/v1/x`))
    )
    expect(err).toBeInstanceOf(ActionError)
    expect(err.kind).toBe('transport')
    expect(err.attempts).toBe(3)
    expect(err.message).toBe(
      `test call to ${server.url}/v1/x failed after 3 attempt(s): connection reset`
    )
    expect(server.seen).toHaveLength(3)
    expect(sleeps).toEqual([500, 1000])
  })

  it('throws after the last refused connection', async () => {
    const port = await closedPort()
    const { deps, sleeps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(
        spec(`http://127.0.0.1:${port}/jwks`, { maxAttempts: 2 })
      )
    )
    expect([err.kind, err.attempts]).toEqual(['transport', 2])
    expect(err.message).toBe(
      `test call to http://127.0.0.1:${port}/jwks failed after 2 attempt(s): connection refused`
    )
    expect(sleeps).toEqual([500])
  })

  it('returns a response that follows earlier transport failures', async () => {
    const server = await startServer(steps(reset, reply(500, 'late')))
    const { deps } = fake()
    const res = await createHttpClient(deps).request(
      spec(server.url, { maxAttempts: 2 })
    )
    expect([res.status, res.body]).toEqual([500, 'late'])
  })

  it('times out an attempt that gets no answer', async () => {
    const server = await startServer(hang)
    const { deps, sleeps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(
        spec(server.url, { timeoutMs: 50, maxAttempts: 2 })
      )
    )
    expect([err.kind, err.attempts]).toEqual(['timeout', 2])
    expect(err.message).toMatch(/no complete response within 50 ms$/)
    expect(server.seen).toHaveLength(2)
    expect(sleeps).toEqual([500])
  })

  it('times out an attempt whose body stalls after the headers', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' })
      res.write('only part of it')
    })
    const { deps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(
        spec(server.url, { timeoutMs: 50, maxAttempts: 1 })
      )
    )
    expect([err.kind, err.attempts]).toEqual(['timeout', 1])
  })

  it('times out a body trickled slowly: the timeout covers the whole attempt', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' })
      const tick = setInterval(() => {
        if (res.destroyed) clearInterval(tick)
        else res.write('x')
      }, 10)
      res.on('close', () => clearInterval(tick))
    })
    const { deps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(
        spec(server.url, { timeoutMs: 100, maxAttempts: 1 })
      )
    )
    expect(err.kind).toBe('timeout')
  })

  it('treats a body cut short by the server as a transport failure and retries', async () => {
    const partial: Handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' })
      res.write('{"task_id":', () => res.socket?.destroy())
    }
    const server = await startServer(
      steps(partial, reply(200, '{"task_id":"t"}'))
    )
    const { deps, sleeps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.body).toBe('{"task_id":"t"}')
    expect(sleeps).toEqual([500])

    const broken = await startServer(partial)
    const err = await transportError(
      createHttpClient(deps).request(spec(broken.url, { maxAttempts: 2 }))
    )
    expect([err.kind, err.attempts]).toEqual(['transport', 2])
    expect(err.message).toMatch(
      /: the connection closed before the response was complete$/
    )
  })

  it('does not retry a rejected TLS certificate and says how to fix it', async () => {
    const server = await startTlsServer()
    const { deps, sleeps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(spec(`${server.url}/jwks`))
    )
    expect([err.kind, err.attempts]).toEqual(['transport', 1])
    expect(err.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT')
    expect(err.message).toContain('NODE_EXTRA_CA_CERTS')
    expect(sleeps).toEqual([])
  })

  it('does not retry a request Node refuses to build', async () => {
    const server = await startServer(reply(200))
    const { deps, sleeps } = fake({ originator: 'bad\nvalue' })
    const err = await transportError(
      createHttpClient(deps).request(spec(server.url))
    )
    expect(err.attempts).toBe(1)
    expect(err.message).toContain('the request could not be built')
    expect(err.message).toContain('originator')
    expect(err.message).not.toContain('bad')
    expect(server.seen).toHaveLength(0)
    expect(sleeps).toEqual([])
  })

  it('never puts the query string, credentials, headers or body in the message', async () => {
    const server = await startServer(reset)
    const { deps } = fake()
    const url = new URL(server.url)
    const err = await transportError(
      createHttpClient(deps).request(
        spec(`http://user:pa55word@${url.host}/v1/who?token=sekrit&x=1`, {
          method: 'POST',
          body: 'body-secret',
          headers: { Authorization: 'Bearer header-secret' },
          maxAttempts: 1
        })
      )
    )
    expect(err.message).toBe(
      `test call to ${server.url}/v1/who failed after 1 attempt(s): connection reset`
    )
    for (const secret of [
      'sekrit',
      'pa55word',
      'body-secret',
      'header-secret'
    ]) {
      expect(err.message).not.toContain(secret)
      expect(JSON.stringify(err)).not.toContain(secret)
    }
  })
})

// ---- Connections -------------------------------------------------------------------

describe('connections', () => {
  it('reuses one kept-alive connection for the requests and retries of a client', async () => {
    const server = await startServer(
      steps(reply(500), reply(200, 'first'), reply(200, 'second'))
    )
    const { deps } = fake()
    const client = createHttpClient(deps)
    const first = await client.request(spec(`${server.url}/jwks`))
    const second = await client.request(
      spec(`${server.url}/register`, { method: 'POST', body: '{}' })
    )
    expect([first.body, second.body]).toEqual(['first', 'second'])
    expect(server.seen.map((s) => s.url)).toEqual([
      '/jwks',
      '/jwks',
      '/register'
    ])
    expect(server.connections()).toBe(1)
  })

  it('opens a new connection after the server hangs up on one', async () => {
    const server = await startServer(steps(reset, reply(200, 'ok')))
    const { deps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.body).toBe('ok')
    expect(server.connections()).toBe(2)
  })

  it('lets the process end at once with the kept-alive connection still open, loading no TLS code for http', async () => {
    // The server would keep the connection for 30 s: a client socket
    // left holding the event loop would keep the action running that long.
    const server = http.createServer((_req, res) => res.end('ok'))
    server.keepAliveTimeout = 30_000
    const sockets = trackSockets(server)
    const port = await listen(server)
    cleanups.push(closer(server, sockets))

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('../support/http-child.ts', import.meta.url)),
        `http://127.0.0.1:${port}/`
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, NODE_OPTIONS: '' }
      }
    )
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code))
    )
    const line = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk
        if (out.includes('\n')) resolve(out.trim())
      })
      child.on('exit', () => reject(new Error(`child exited: ${out}`)))
    })
    const answeredAt = Date.now()
    // The response is complete, and the connection is still open.
    const openAfterResponse = sockets.size
    expect(await exited).toBe(0)
    const lingered = Date.now() - answeredAt

    expect(JSON.parse(line)).toEqual({ status: 200, tls: [] })
    expect(openAfterResponse).toBe(1)
    expect(lingered).toBeLessThan(5_000)
  })
})

// ---- Deadline ---------------------------------------------------------------------

describe('deadline', () => {
  it('sends nothing when the budget is already spent', async () => {
    const server = await startServer(reply(200))
    const { deps } = fake({ deadline: NOW })
    const err = await transportError(
      createHttpClient(deps).request(spec(server.url))
    )
    expect([err.kind, err.attempts]).toEqual(['timeout', 0])
    expect(err.message).toContain(BUDGET_EXHAUSTED)
    expect(server.seen).toHaveLength(0)
  })

  it('returns the response it has rather than wait past the deadline', async () => {
    const server = await startServer(reply(503, '', { 'Retry-After': '5' }))
    const { deps, sleeps } = fake({ deadline: NOW + 4000 })
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.status).toBe(503)
    expect(server.seen).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('stops retrying when the next wait would reach the deadline', async () => {
    const server = await startServer(reply(500))
    const { deps, sleeps } = fakeWithClock(600)
    const res = await createHttpClient(deps).request(
      spec(server.url, { maxAttempts: 3 })
    )
    // 500 ms fits in 600; the next 1000 ms does not.
    expect(res.status).toBe(500)
    expect(server.seen).toHaveLength(2)
    expect(sleeps).toEqual([500])
  })

  it('shrinks an attempt timeout to what is left of the budget', async () => {
    const server = await startServer(hang)
    const { deps, sleeps } = fake({ deadline: NOW + 40 })
    const err = await transportError(
      createHttpClient(deps).request(spec(server.url, { timeoutMs: 30_000 }))
    )
    expect([err.kind, err.attempts]).toEqual(['timeout', 1])
    expect(err.message).toMatch(/no complete response within 40 ms$/)
    expect(sleeps).toEqual([])
  })

  it('throws the transport error it has when no retry fits', async () => {
    const port = await closedPort()
    const { deps, sleeps } = fakeWithClock(300)
    const err = await transportError(
      createHttpClient(deps).request(spec(`http://127.0.0.1:${port}/`))
    )
    expect([err.kind, err.attempts]).toEqual(['transport', 1])
    expect(sleeps).toEqual([])
  })
})

// ---- Body cap ---------------------------------------------------------------------

describe('body cap', () => {
  it('reads a body of exactly the cap in full', async () => {
    const body = 'a'.repeat(MAX_BODY_BYTES)
    const server = await startServer(reply(200, body))
    const { deps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.truncated).toBe(false)
    expect(res.body.length).toBe(MAX_BODY_BYTES)
    expect(MAX_BODY_BYTES).toBe(1024 * 1024)
  })

  it('stops reading an endless body at the cap and hangs up', async () => {
    let serverSawClose!: () => void
    const closed = new Promise<void>((resolve) => (serverSawClose = resolve))
    const server = await startServer((_req, res) => {
      res.writeHead(200)
      const chunk = Buffer.alloc(64 * 1024, 'b')
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) {
          // keep writing until the socket pushes back
        }
      }
      res.on('drain', pump)
      res.on('close', serverSawClose)
      pump()
    })
    const { deps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.truncated).toBe(true)
    expect(res.body).toBe('b'.repeat(MAX_BODY_BYTES))
    // Only resolves because the client closed the connection.
    await closed
  })

  it('does not turn a character cut at the cap into a replacement character', async () => {
    const body = 'a'.repeat(MAX_BODY_BYTES - 1) + '€' + 'tail'
    const server = await startServer(reply(200, body))
    const { deps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.truncated).toBe(true)
    expect(res.body).toBe('a'.repeat(MAX_BODY_BYTES - 1))
  })

  it('caps the body of an error response too', async () => {
    const server = await startServer(
      reply(404, 'x'.repeat(MAX_BODY_BYTES + 10))
    )
    const { deps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect([res.status, res.truncated, res.body.length]).toEqual([
      404,
      true,
      MAX_BODY_BYTES
    ])
  })
})

// ---- Proxies ------------------------------------------------------------------------

describe('proxy', () => {
  let proxy: TestProxy
  async function proxyTo(hosts: Record<string, number>): Promise<TestProxy> {
    proxy = await startTestProxy({ hosts })
    cleanups.push(() => proxy.close())
    return proxy
  }

  it.each(['HTTP_PROXY', 'http_proxy'] as const)(
    'reaches a backend by a name only the proxy knows, via %s',
    async (name) => {
      const server = await startServer(reply(200, 'via proxy'))
      await proxyTo({ 'backend.test': server.port })
      setProxyEnv({ [name]: proxy.url })
      const { deps } = fake()
      const res = await createHttpClient(deps).request(
        spec('http://backend.test/v1/whoami?x=1')
      )
      expect(res.body).toBe('via proxy')
      expect(proxy.requests).toEqual([
        { method: 'CONNECT', host: 'backend.test:80' }
      ])
      expect(server.seen[0]?.url).toBe('/v1/whoami?x=1')
      expect(server.seen[0]?.headers['originator']).toBe('test_originator')
    }
  )

  it.each(['HTTPS_PROXY', 'https_proxy'] as const)(
    'tunnels https through %s and still verifies the certificate',
    async (name) => {
      const server = await startTlsServer()
      await proxyTo({ 'backend.test': server.port })
      setProxyEnv({ [name]: proxy.url })
      const { deps } = fake()
      const err = await transportError(
        createHttpClient(deps).request(spec('https://backend.test/jwks'))
      )
      expect(proxy.requests).toEqual([
        { method: 'CONNECT', host: 'backend.test:443' }
      ])
      // The handshake reached the mapped server, whose self-signed
      // certificate was refused: the tunnel does not weaken TLS.
      expect(err.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT')
    }
  )

  it('passes proxy credentials from the proxy URL to the proxy only', async () => {
    const server = await startServer(reply(200))
    await proxyTo({ 'backend.test': server.port })
    const url = new URL(proxy.url)
    setProxyEnv({ HTTP_PROXY: `http://user:pa55word@${url.host}` })
    const { deps } = fake()
    await createHttpClient(deps).request(spec('http://backend.test/'))
    expect(proxy.requests[0]?.proxyAuthorization).toBe(
      `Basic ${Buffer.from('user:pa55word').toString('base64')}`
    )
    expect(server.seen[0]?.headers).not.toHaveProperty('proxy-authorization')
  })

  it.each([
    ['NO_PROXY', 'backend.test'],
    ['no_proxy', 'other.test,backend.test'],
    ['NO_PROXY', '.test'],
    ['NO_PROXY', '*']
  ] as const)('skips the proxy when %s=%s', async (name, value) => {
    const server = await startServer(reply(200))
    await proxyTo({ 'backend.test': server.port })
    setProxyEnv({ HTTP_PROXY: proxy.url, [name]: value })
    const { deps } = fake()
    // Without the proxy nothing can resolve the made-up name.
    await transportError(
      createHttpClient(deps).request(
        spec(`http://backend.test:${server.port}/`, {
          maxAttempts: 1,
          timeoutMs: 3000
        })
      )
    )
    expect(proxy.requests).toEqual([])
    expect(server.seen).toEqual([])
  })

  it('uses the proxy when NO_PROXY names other hosts', async () => {
    const server = await startServer(reply(200))
    await proxyTo({ 'backend.test': server.port })
    setProxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: 'other.test,example.com' })
    const { deps } = fake()
    const res = await createHttpClient(deps).request(
      spec('http://backend.test/')
    )
    expect(res.status).toBe(200)
    expect(proxy.requests).toHaveLength(1)
  })

  it('always goes direct to a loopback address (runner convention)', async () => {
    const server = await startServer(reply(200))
    await proxyTo({})
    setProxyEnv({ HTTP_PROXY: proxy.url })
    const { deps } = fake()
    await createHttpClient(deps).request(spec(server.url))
    expect(proxy.requests).toEqual([])
    expect(server.seen).toHaveLength(1)
  })

  it('fails with a transport error when the proxy is unreachable', async () => {
    const port = await closedPort()
    setProxyEnv({ HTTP_PROXY: `http://127.0.0.1:${port}` })
    const { deps, sleeps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(
        spec('http://backend.test/v1/x?k=sekrit', {
          maxAttempts: 2,
          timeoutMs: 2000
        })
      )
    )
    expect([err.kind, err.attempts]).toEqual(['transport', 2])
    expect(err.message).toBe(
      'test call to http://backend.test/v1/x failed after 2 attempt(s): could not reach the proxy: connection refused'
    )
    expect(sleeps).toEqual([500])
  })

  it('reports a proxy that refuses the tunnel', async () => {
    const server = http.createServer()
    server.on('connect', (_req: http.IncomingMessage, socket: net.Socket) => {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n')
    })
    const sockets = trackSockets(server)
    const port = await listen(server)
    cleanups.push(closer(server, sockets))
    setProxyEnv({ HTTP_PROXY: `http://127.0.0.1:${port}` })
    const { deps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(
        spec('http://backend.test/', { maxAttempts: 1 })
      )
    )
    expect(err.message).toMatch(
      /: the proxy refused the tunnel with status 407 Proxy Authentication Required$/
    )
  })

  it('times out a proxy that never answers, and hangs up on it', async () => {
    let proxySawClose!: () => void
    const closed = new Promise<void>((resolve) => (proxySawClose = resolve))
    const silent = net.createServer((socket) => {
      socket.on('error', () => undefined)
      socket.on('close', proxySawClose)
      // Read (and ignore) the CONNECT, so the hang-up is noticed.
      socket.resume()
    })
    const sockets = trackSockets(silent)
    const port = await listen(silent)
    cleanups.push(closer(silent, sockets))
    setProxyEnv({ HTTPS_PROXY: `http://127.0.0.1:${port}` })
    const { deps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(
        spec('https://backend.test/jwks', { timeoutMs: 50, maxAttempts: 1 })
      )
    )
    expect([err.kind, err.attempts]).toEqual(['timeout', 1])
    // Only resolves because the client closed its CONNECT socket: a hung
    // proxy must not keep the action's process alive.
    await closed
  })

  describe('the test proxy itself', () => {
    function viaProxy(
      target: string
    ): Promise<{ status: number; body: string }> {
      const proxyUrl = new URL(proxy.url)
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: proxyUrl.hostname,
            port: proxyUrl.port,
            path: target,
            method: 'GET'
          },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString()
              })
            )
          }
        )
        req.on('error', reject)
        req.end()
      })
    }

    it('forwards an absolute-URI request to the mapped port', async () => {
      const server = await startServer(reply(200, 'plain'))
      await proxyTo({ 'backend.test': server.port })
      const res = await viaProxy('http://backend.test/p?q=1')
      expect(res).toEqual({ status: 200, body: 'plain' })
      expect(proxy.requests).toEqual([{ method: 'GET', host: 'backend.test' }])
      expect(server.seen[0]?.url).toBe('/p?q=1')
    })

    it('answers 502 for a host it does not know', async () => {
      await proxyTo({})
      const res = await viaProxy('http://nowhere.test/')
      expect(res.status).toBe(502)
    })
  })
})

// ---- nock -------------------------------------------------------------------------

// Last, and loaded lazily: the endpoint clients' tests use nock, so the helper
// must work under it, but its interceptor must not wrap the real-socket tests
// above.
describe('under nock', () => {
  let nock: typeof import('nock')
  beforeAll(async () => {
    nock = (await import('nock')).default
  })
  afterEach(() => {
    nock.cleanAll()
  })
  afterAll(() => {
    nock.restore()
  })

  it('is intercepted, headers and body included', async () => {
    const scope = nock('https://auth.example.test', {
      reqheaders: {
        originator: 'test_originator',
        'user-agent': 'test-agent/1.0'
      }
    })
      .post('/v1/agent/a/task/register', '{"timestamp":"t","signature":"s"}')
      .reply(200, { task_id: 'task-1' })
    const { deps } = fake()
    const res = await createHttpClient(deps).request(
      spec('https://auth.example.test/v1/agent/a/task/register', {
        method: 'POST',
        body: '{"timestamp":"t","signature":"s"}',
        headers: { 'content-type': 'application/json' }
      })
    )
    expect(JSON.parse(res.body)).toEqual({ task_id: 'task-1' })
    scope.done()
  })

  it('retries an intercepted connection error', async () => {
    const scope = nock('https://auth.example.test')
      .get('/jwks')
      .replyWithError('socket hang up')
      .get('/jwks')
      .reply(429, '', { 'Retry-After': '1' })
      .get('/jwks')
      .reply(200, '{}')
    const { deps, sleeps } = fake()
    const res = await createHttpClient(deps).request(
      spec('https://auth.example.test/jwks', { timeoutMs: 1000 })
    )
    expect(res.status).toBe(200)
    expect(sleeps).toEqual([500, 1000])
    scope.done()
  })

  it('reports an intercepted error that ends the last attempt', async () => {
    nock('https://auth.example.test').get('/jwks').replyWithError('boom')
    const { deps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(
        spec('https://auth.example.test/jwks', {
          maxAttempts: 1,
          timeoutMs: 1000
        })
      )
    )
    expect([err.kind, err.message]).toEqual([
      'transport',
      'test call to https://auth.example.test/jwks failed after 1 attempt(s): boom'
    ])
  })
})
