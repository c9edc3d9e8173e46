/**
 * The HTTP helper behind a proxy: http-client's rules (HTTP(S)_PROXY,
 * NO_PROXY, loopback direct), CONNECT tunnels through a real local proxy, and
 * the proxy settings that are refused rather than ignored.
 */
import * as http from 'node:http'
import * as net from 'node:net'
import { ActionError } from '../../../src/errors.js'
import { startTestProxy, type TestProxy } from '../../support/test-proxy.js'
import { createHttpClient } from '../../../src/clients/http.js'
import {
  afterThisTest,
  closedPort,
  fake,
  isolateClientEnv,
  listen,
  mapHostsToLoopback,
  reply,
  selfSignedCert,
  setClientEnv,
  spec,
  startServer,
  startTlsServer,
  transportError
} from '../../support/http-fixtures.js'

isolateClientEnv()

let tls: { key: string; cert: string }
beforeAll(() => {
  tls = selfSignedCert()
})

describe('proxy', () => {
  let proxy: TestProxy
  async function proxyTo(hosts: Record<string, number>): Promise<TestProxy> {
    proxy = await startTestProxy({ hosts })
    afterThisTest(() => proxy.close())
    return proxy
  }

  it.each(['HTTP_PROXY', 'http_proxy'] as const)(
    'reaches a backend by a name only the proxy knows, via %s',
    async (name) => {
      const server = await startServer(reply(200, 'via proxy'))
      await proxyTo({ 'backend.test': server.port })
      setClientEnv({ [name]: proxy.url })
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
      const server = await startTlsServer(tls)
      await proxyTo({ 'backend.test': server.port })
      setClientEnv({ [name]: proxy.url })
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
    setClientEnv({ HTTP_PROXY: `http://user:pa55word@${url.host}` })
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
    const server = await startServer(reply(200, 'direct'))
    await proxyTo({ 'backend.test': server.port })
    // The name resolves here without a resolver: reaching the server
    // directly proves the proxy was skipped.
    mapHostsToLoopback(['backend.test'])
    setClientEnv({ HTTP_PROXY: proxy.url, [name]: value })
    const { deps } = fake()
    const res = await createHttpClient(deps).request(
      spec(`http://backend.test:${server.port}/`, { maxAttempts: 1 })
    )
    expect(res.body).toBe('direct')
    expect(proxy.requests).toEqual([])
    expect(server.seen).toHaveLength(1)
  })

  it('uses the proxy when NO_PROXY names other hosts', async () => {
    const server = await startServer(reply(200))
    await proxyTo({ 'backend.test': server.port })
    setClientEnv({ HTTP_PROXY: proxy.url, NO_PROXY: 'other.test,example.com' })
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
    setClientEnv({ HTTP_PROXY: proxy.url })
    const { deps } = fake()
    await createHttpClient(deps).request(spec(server.url))
    expect(proxy.requests).toEqual([])
    expect(server.seen).toHaveLength(1)
  })

  it('fails with a transport error when the proxy is unreachable', async () => {
    const port = await closedPort()
    setClientEnv({ HTTP_PROXY: `http://127.0.0.1:${port}` })
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
    const port = await listen(server)
    setClientEnv({ HTTP_PROXY: `http://127.0.0.1:${port}` })
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
    const port = await listen(silent)
    setClientEnv({ HTTPS_PROXY: `http://127.0.0.1:${port}` })
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

describe('proxy settings that cannot be honoured', () => {
  const PASSWORD = 'pr0xy-sekrit'

  /** The error a request fails with, after checking nothing was sent. */
  async function refusal(url: string): Promise<ActionError> {
    const { deps } = fake()
    const err: unknown = await createHttpClient(deps)
      .request(spec(url, { maxAttempts: 1 }))
      .then(
        () => undefined,
        (e: unknown) => e
      )
    if (!(err instanceof ActionError)) {
      throw new Error(`expected ActionError, got ${String(err)}`)
    }
    return err
  }

  it.each([
    [
      'HTTPS_PROXY',
      'localhost:3128',
      "The proxy setting HTTPS_PROXY='localhost:3128' cannot be used: it does not start with http:// or https://."
    ],
    [
      'https_proxy',
      `http://user:${PASSWORD}%zz@127.0.0.1:3128`,
      "The proxy setting https_proxy='http://[redacted]@127.0.0.1:3128' cannot be used: its user name or password contains a malformed percent-escape."
    ],
    [
      'HTTPS_PROXY',
      `http://user:${PASSWORD}@proxy.test:99999/`,
      "The proxy setting HTTPS_PROXY='http://[redacted]@proxy.test:99999/' cannot be used: it is not a valid URL."
    ],
    [
      'HTTPS_PROXY',
      `http://proxy test:3128/?token=${PASSWORD}`,
      "The proxy setting HTTPS_PROXY='http://proxy test:3128/?[redacted]' cannot be used: it is not a valid URL."
    ]
  ] as const)(
    '%s=%s is an error naming the variable, not a direct connection',
    async (name, value, start) => {
      const server = await startServer(reply(200))
      mapHostsToLoopback(['backend.test'])
      setClientEnv({ [name]: value })
      const err = await refusal(`https://backend.test:${server.port}/jwks`)
      expect(err.message.startsWith(start)).toBe(true)
      expect(err.message).not.toContain(PASSWORD)
      expect(server.seen).toEqual([])
    }
  )

  it('checks the variable http-client would use: lower case first', async () => {
    setClientEnv({
      https_proxy: 'proxy.test:3128',
      HTTPS_PROXY: 'http://127.0.0.1:1'
    })
    const err = await refusal('https://backend.test/jwks')
    expect(err.message).toMatch(/^The proxy setting https_proxy=/)
  })

  it.each([
    ['the scheme has no proxy variable', { HTTPS_PROXY: 'localhost:3128' }],
    [
      'NO_PROXY names the host',
      { HTTP_PROXY: 'localhost:3128', NO_PROXY: 'backend.test' }
    ]
  ] as const)(
    'is not checked when no proxy applies: %s',
    async (_why, vars) => {
      const server = await startServer(reply(200, 'direct'))
      mapHostsToLoopback(['backend.test'])
      setClientEnv(vars)
      const { deps } = fake()
      const res = await createHttpClient(deps).request(
        spec(`http://backend.test:${server.port}/`, { maxAttempts: 1 })
      )
      expect(res.body).toBe('direct')
    }
  )

  it('is not checked for a loopback address, which never uses a proxy', async () => {
    const server = await startServer(reply(200))
    setClientEnv({ HTTP_PROXY: 'localhost:3128' })
    const { deps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.status).toBe(200)
  })
})

describe('hosts that look like loopback', () => {
  it.each(['127.evil.test', '127.0.0.1.evil.test', '127.example'])(
    'refuses %s, which the proxy rules would send direct',
    async (host) => {
      const proxy = await startTestProxy({ hosts: {} })
      afterThisTest(() => proxy.close())
      setClientEnv({ HTTP_PROXY: proxy.url })
      const { deps } = fake()
      const err: unknown = await createHttpClient(deps)
        .request(spec(`http://user:pw@${host}:8080/v1/x?k=sekrit`))
        .then(
          () => undefined,
          (e: unknown) => e
        )
      expect(err).toBeInstanceOf(ActionError)
      expect((err as Error).message).toBe(
        `test call to http://${host}:8080/v1/x refused: the host name starts with "127." but is not an IPv4 address, so the runner's proxy rules would send it past the proxy as if it were loopback. Use 127.0.0.1 for a local server, or the real host name.`
      )
      expect(proxy.requests).toEqual([])
    }
  )

  it('accepts an IPv4 loopback address in any form the URL parser normalises', async () => {
    const server = await startServer(reply(200))
    const { deps } = fake()
    const res = await createHttpClient(deps).request(
      spec(`http://127.1:${server.port}/`)
    )
    expect(res.status).toBe(200)
  })
})

describe('TLS through a tunnel', () => {
  it('verifies the certificate even with NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    const server = await startTlsServer(tls)
    const proxy = await startTestProxy({
      hosts: { 'backend.test': server.port }
    })
    afterThisTest(() => proxy.close())
    setClientEnv({ HTTPS_PROXY: proxy.url, NODE_TLS_REJECT_UNAUTHORIZED: '0' })
    const { deps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(spec('https://backend.test/jwks'))
    )
    expect(proxy.requests).toHaveLength(1)
    expect(err.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT')
  })
})
