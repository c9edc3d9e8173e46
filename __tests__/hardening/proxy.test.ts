/**
 * Proxies: the built action, run like a runner runs it, with its backend
 * addressed by a made-up host name (`backend.test`) that only the real local
 * test proxy can resolve. A request that reaches the dev backend therefore
 * went through the proxy. Where a test needs the action itself to reach the
 * backend directly (NO_PROXY), a preload maps the name to 127.0.0.1 inside
 * the action, so no test depends on the machine's resolver. Every call is
 * covered: the JWKS fetch and task registration (Agent Identity), whoami
 * (PAT) and the token refresh (ChatGPT), over plain HTTP (HTTP_PROXY) and over
 * TLS tunnels (HTTPS_PROXY, with a test CA for backend.test), upper and lower
 * case, and NO_PROXY; and what is refused rather than sent direct: proxy
 * settings that cannot be honoured, hosts that only look like loopback, and
 * TLS verification turned off by the job env.
 */
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as https from 'node:https'
import * as net from 'node:net'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { startDevBackend, type DevBackend } from '../../dev/backend/index.js'
import { describeFindings } from '../support/leak-scan.js'
import { startTestProxy, type TestProxy } from '../support/test-proxy.js'
import type { RunResult } from '../support/run-action.js'
import {
  compressedTime,
  expectCleanFailure,
  runScanned,
  scannedDirs
} from './support/harness.js'

const FIXTURES = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures'
)
const CA = path.join(FIXTURES, 'proxy-ca-cert.pem')
const HOST = 'backend.test'

/** Env that makes `names` resolve to 127.0.0.1 inside the action (see file). */
function loopbackHosts(...names: string[]): Record<string, string> {
  const preload = pathToFileURL(
    path.join(FIXTURES, '..', 'support', 'loopback-hosts.mjs')
  ).href
  return {
    NODE_OPTIONS: `--import=${preload}`,
    CODEX_TEST_LOOPBACK_HOSTS: names.join(',')
  }
}

let backend: DevBackend
let proxy: TestProxy
/** TLS for backend.test in front of the dev backend's plain listener. */
let tls: https.Server
let tlsPort = 0
const sockets = new Set<net.Socket>()

beforeAll(async () => {
  backend = await startDevBackend()
  tls = https.createServer(
    {
      key: fs.readFileSync(path.join(FIXTURES, 'proxy-server-key.pem')),
      cert: fs.readFileSync(path.join(FIXTURES, 'proxy-server-cert.pem'))
    },
    (req, res) => {
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: backend.port,
          method: req.method,
          path: req.url,
          headers: req.headers
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers)
          up.pipe(res)
        }
      )
      upstream.on('error', () => res.destroy())
      req.pipe(upstream)
    }
  )
  tls.on('connection', (s: net.Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve))
  tlsPort = (tls.address() as net.AddressInfo).port
  proxy = await startTestProxy({
    hosts: { [HOST]: backend.port, [`tls.${HOST}`]: tlsPort }
  })
})

afterAll(async () => {
  await proxy.close()
  for (const s of sockets) s.destroy()
  await new Promise<void>((resolve) => tls.close(() => resolve()))
  await backend.close()
  console.log(
    `proxy: ${counts.runs} runs through the proxy, ${counts.requests} backend requests all seen by it, ${counts.bypassed} bypass checks`
  )
})

afterEach(() => backend.clearFaults())

const counts = { runs: 0, requests: 0, bypassed: 0 }

type Scheme = 'http' | 'https'

/**
 * Endpoint inputs naming the made-up host: port 8080 (only the proxy knows
 * where it leads) unless `origin` gives another.
 */
function endpoints(
  scheme: Scheme,
  origin = scheme === 'http' ? `http://${HOST}:8080` : `https://tls.${HOST}`
): Record<string, string> {
  return {
    'chatgpt-base-url': `${origin}/backend-api`,
    'jwks-base-url': `${origin}/backend-api`,
    'authapi-base-url': `${origin}/api/accounts`,
    'refresh-token-url': `${origin}/oauth/token`
  }
}

interface ModeRun {
  mode: string
  /** Routes this mode calls, in order. */
  routes: string[]
  inputs(scheme: Scheme, origin?: string): Record<string, string>
}

const MODES: ModeRun[] = [
  {
    mode: 'agentIdentity',
    routes: ['jwks', 'register'],
    inputs: (scheme, origin) => ({
      'access-token': backend.mintAgentIdentity().jwt,
      ...endpoints(scheme, origin)
    })
  },
  {
    mode: 'personalAccessToken',
    routes: ['whoami'],
    inputs: (scheme, origin) => ({
      'access-token': backend.mintPersonalAccessToken().token,
      ...endpoints(scheme, origin)
    })
  },
  {
    mode: 'chatgpt',
    routes: ['refresh'],
    inputs: (scheme, origin) => ({
      'auth-json': JSON.stringify(
        backend.mintChatgptAuth({ accessTokenExpiresIn: -60 })
      ),
      ...endpoints(scheme, origin)
    })
  }
]

async function runThrough(
  inputs: Record<string, string>,
  env: Record<string, string>,
  { trustTestCa = true } = {}
): Promise<RunResult> {
  backend.clearRequests()
  proxy.requests.length = 0
  const ca: Record<string, string> = trustTestCa
    ? { NODE_EXTRA_CA_CERTS: CA }
    : {}
  const run = await runScanned(
    scannedDirs(),
    { inputs, env: { ...ca, ...env } },
    []
  )
  expect(describeFindings(run.findings)).toEqual([])
  return run.main
}

const VARIANTS: [Scheme, string][] = [
  ['http', 'HTTP_PROXY'],
  ['http', 'http_proxy'],
  ['https', 'HTTPS_PROXY'],
  ['https', 'https_proxy']
]

describe.each(VARIANTS)('%s backend through %s', (scheme, variable) => {
  it.each(MODES.map((m) => [m.mode, m] as const))(
    '%s: every request goes through the proxy',
    async (_name, mode) => {
      const result = await runThrough(mode.inputs(scheme), {
        [variable]: proxy.url
      })
      expect({ code: result.code, error: result.error }).toEqual({
        code: 0,
        error: undefined
      })
      expect(backend.requests.map((r) => r.route)).toEqual(mode.routes)
      // One proxied request (or CONNECT tunnel) per backend request.
      expect(proxy.requests).toHaveLength(mode.routes.length)
      for (const seen of proxy.requests) {
        // http-client tunnels plain http through CONNECT as well.
        expect(['CONNECT', 'GET', 'POST']).toContain(seen.method)
        expect(seen.host).toBe(
          scheme === 'http' ? `${HOST}:8080` : `tls.${HOST}:443`
        )
      }
      counts.runs++
      counts.requests += backend.requests.length
    }
  )
})

describe('NO_PROXY', () => {
  it.each(['NO_PROXY', 'no_proxy'])(
    '%s naming the host: the action goes direct, past the proxy',
    async (variable) => {
      const mode = MODES[0]!
      const result = await runThrough(
        mode.inputs('http', `http://${HOST}:${backend.port}`),
        {
          ...loopbackHosts(HOST),
          HTTP_PROXY: proxy.url,
          [variable]: `example.org,${HOST}`
        }
      )
      expect({ code: result.code, error: result.error }).toEqual({
        code: 0,
        error: undefined
      })
      expect(backend.requests.map((r) => r.route)).toEqual(mode.routes)
      expect(proxy.requests).toEqual([])
      counts.bypassed++
    }
  )

  it('naming other hosts only: the proxy is still used', async () => {
    const mode = MODES[1]!
    const result = await runThrough(mode.inputs('https'), {
      HTTPS_PROXY: proxy.url,
      NO_PROXY: 'example.org,.internal,backend.tes'
    })
    expect(result.code).toBe(0)
    expect(proxy.requests.map((r) => r.method)).toEqual(['CONNECT'])
    counts.bypassed++
  })
})

describe('an authenticated proxy', () => {
  const PASSWORD = 'proxy-pa55word-123'

  it('gets the credentials from the proxy URL; nothing prints them', async () => {
    const result = await runThrough(MODES[1]!.inputs('https'), {
      HTTPS_PROXY: `http://proxyuser:${PASSWORD}@${proxy.url.slice('http://'.length)}`
    })
    expect(result.code).toBe(0)
    expect(proxy.requests.map((r) => r.proxyAuthorization)).toEqual([
      `Basic ${Buffer.from(`proxyuser:${PASSWORD}`).toString('base64')}`
    ])
    // The backend never sees the proxy's credentials.
    expect(JSON.stringify(backend.requests[0]?.headers)).not.toMatch(
      /proxy-authorization/i
    )
    expect(result.stdout).not.toContain(PASSWORD)
    expect(result.stderr).not.toContain(PASSWORD)
  })

  // The tunnel package under http-client encodes proxy credentials with the
  // deprecated `new Buffer()`; bundled, Node would print DEP0005 on stderr.
  it('prints nothing to stderr', async () => {
    const result = await runThrough(MODES[1]!.inputs('https'), {
      HTTPS_PROXY: `http://proxyuser:${PASSWORD}@${proxy.url.slice('http://'.length)}`
    })
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
  })
})

describe('a proxy that does not work', () => {
  it('unreachable: fails clearly after 3 attempts, well within the timeout', async () => {
    const closed = net.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as net.AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))

    const started = Date.now()
    const result = await runThrough(MODES[0]!.inputs('https'), {
      HTTPS_PROXY: `http://127.0.0.1:${port}`
    })
    const elapsed = Date.now() - started
    expectCleanFailure(
      result,
      /^agent identity JWKS request to https:\/\/tls\.backend\.test\/backend-api\/wham\/agent-identities\/jwks failed after 3 attempt\(s\): could not reach the proxy: connection refused$/
    )
    // Two jittered waits (at most 0.75 s and 1.5 s) and three refusals:
    // far inside the 10 s per-attempt timeout.
    expect(elapsed).toBeLessThan(10_000)
  })

  it('accepting but never answering: times out within the per-call timeouts', async () => {
    const held = new Set<net.Socket>()
    const opened: number[] = []
    const closed: number[] = []
    const blackhole = net.createServer((s) => {
      held.add(s)
      opened.push(Date.now())
      s.on('close', () => closed.push(Date.now()))
      s.on('error', () => undefined)
      // Read (and ignore) the CONNECT, so the hang-up is noticed.
      s.resume()
    })
    await new Promise<void>((resolve) =>
      blackhole.listen(0, '127.0.0.1', resolve)
    )
    const port = (blackhole.address() as net.AddressInfo).port
    try {
      const scale = 50
      const result = await runThrough(MODES[1]!.inputs('https'), {
        ...compressedTime(scale),
        HTTPS_PROXY: `http://127.0.0.1:${port}`
      })
      expectCleanFailure(
        result,
        /^personal access token lookup \(whoami\) to https:\/\/tls\.backend\.test\/api\/accounts\/v1\/user-auth-credential\/whoami failed after 3 attempt\(s\): no complete response within 10000 ms$/
      )
      // Three CONNECTs, each hung up on by the action when its attempt ran
      // out: from the first CONNECT to the last hang-up, 3 × 10 s timeouts
      // and 2 waits of at most 10 s each, in compressed time (process
      // start-up is not counted).
      expect(held.size).toBe(3)
      expect(closed).toHaveLength(3)
      const virtual = (Math.max(...closed) - Math.min(...opened)) * scale
      expect(virtual).toBeLessThan(3 * 10_000 + 2 * 10_000)
    } finally {
      for (const s of held) s.destroy()
      await new Promise<void>((resolve) => blackhole.close(() => resolve()))
    }
  })
})

describe('proxy settings that cannot be honoured', () => {
  const PASSWORD = 'proxy-pa55word-456'
  const proxyHost = (): string => proxy.url.slice('http://'.length)
  const VALUES: Record<string, () => string> = {
    // http-client reads `localhost:<port>` as a URL with no host: direct.
    schemeless: () => proxyHost().replace('127.0.0.1', 'localhost'),
    'a malformed percent-escape in the password': () =>
      `http://user:${PASSWORD}%zz@${proxyHost()}`,
    unparseable: () => `http://user:${PASSWORD}@127.0.0.1:99999`
  }

  it.each([
    ['schemeless', 'HTTP_PROXY'],
    ['a malformed percent-escape in the password', 'http_proxy'],
    ['unparseable', 'HTTP_PROXY']
  ])(
    '%s (%s): a clear error naming the variable, not a direct connection',
    async (what, variable) => {
      // The backend is reachable directly: going around the proxy would
      // succeed, which is exactly what must not happen.
      const result = await runThrough(
        MODES[1]!.inputs('http', `http://${HOST}:${backend.port}`),
        { ...loopbackHosts(HOST), [variable]: VALUES[what]!() }
      )
      expectCleanFailure(
        result,
        new RegExp(`^The proxy setting ${variable}='[^']*' cannot be used: `)
      )
      expect(result.stdout).not.toContain(PASSWORD)
      expect(backend.requests).toEqual([])
      expect(proxy.requests).toEqual([])
    }
  )
})

describe('a host that only looks like loopback', () => {
  it('is refused, not sent past the proxy', async () => {
    const result = await runThrough(
      MODES[1]!.inputs('http', `http://127.${HOST}:${backend.port}`),
      { ...loopbackHosts(`127.${HOST}`), HTTP_PROXY: proxy.url }
    )
    expectCleanFailure(
      result,
      /^personal access token lookup \(whoami\) to http:\/\/127\.backend\.test:\d+\/api\/accounts\/v1\/user-auth-credential\/whoami refused: the host name starts with "127\." but is not an IPv4 address/
    )
    expect(backend.requests).toEqual([])
    expect(proxy.requests).toEqual([])
  })
})

describe('NODE_TLS_REJECT_UNAUTHORIZED=0 in the job env', () => {
  it.each(['direct', 'through the proxy'])(
    '%s: an untrusted certificate is still refused',
    async (how) => {
      const direct = how === 'direct'
      const origin = direct
        ? `https://127.0.0.1:${tlsPort}`
        : `https://tls.${HOST}`
      const result = await runThrough(
        MODES[1]!.inputs('https', origin),
        {
          NODE_TLS_REJECT_UNAUTHORIZED: '0',
          ...(direct ? {} : { HTTPS_PROXY: proxy.url })
        },
        { trustTestCa: false }
      )
      expect(result.code).toBe(1)
      expect(result.error).toMatch(
        /failed after 1 attempt\(s\): the TLS certificate was rejected \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/
      )
      expect(backend.requests).toEqual([])
    }
  )
})
