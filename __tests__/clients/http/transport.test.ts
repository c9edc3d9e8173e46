/**
 * The HTTP helper's transport: what is sent and returned, no redirects,
 * kept-alive connections, the real dependencies.
 */
import { spawn } from 'node:child_process'
import * as http from 'node:http'
import { fileURLToPath } from 'node:url'
import { buildUserAgent } from '../../../src/clients/user-agent.js'
import {
  ACTION_TIME_BUDGET_MS,
  createHttpClient,
  DEFAULT_ORIGINATOR,
  defaultHttpDeps
} from '../../../src/clients/http.js'
import {
  fake,
  isolateClientEnv,
  listen,
  reply,
  reset,
  setClientEnv,
  spec,
  startServer,
  steps,
  trackSockets
} from '../../support/http-fixtures.js'

isolateClientEnv()

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
})

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

  it('adds the orchestration id to the user agent, as http-client does on a runner', async () => {
    const server = await startServer(reply(200))
    setClientEnv({ ACTIONS_ORCHESTRATION_ID: 'run-1/job 2' })
    const { deps } = fake()
    await createHttpClient(deps).request(spec(server.url))
    expect(server.seen[0]?.headers['user-agent']).toBe(
      'test-agent/1.0 actions_orchestration_id/run-1_job_2'
    )
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

  it('sends a GET without a body', async () => {
    const server = await startServer(reply(200))
    const { deps } = fake()
    await createHttpClient(deps).request(spec(server.url))
    expect(server.seen[0]?.body.length).toBe(0)
    expect(server.seen[0]?.headers).not.toHaveProperty('transfer-encoding')
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

  it('lets the process end at once with the kept-alive connection still open', async () => {
    // The server would keep the connection for 30 s: a client socket
    // left holding the event loop would keep the action running that long.
    const server = http.createServer((_req, res) => res.end('ok'))
    server.keepAliveTimeout = 30_000
    const sockets = trackSockets(server)
    const port = await listen(server)

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('../../support/http-child.ts', import.meta.url)),
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

    expect(JSON.parse(line)).toEqual({ status: 200 })
    expect(openAfterResponse).toBe(1)
    expect(lingered).toBeLessThan(5_000)
  })
})
