/**
 * The HTTP helper's time bounds: a timeout covering each whole attempt, and
 * the action-wide deadline that no attempt or wait runs past.
 */
import {
  BUDGET_EXHAUSTED,
  createHttpClient
} from '../../../src/clients/http.js'
import {
  closedPort,
  fake,
  fakeWithClock,
  hang,
  isolateClientEnv,
  NOW,
  reply,
  spec,
  startServer,
  steps,
  transportError
} from '../../support/http-fixtures.js'

isolateClientEnv()

describe('attempt timeout', () => {
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

  it('hangs up on a server that never answers, and opens a new connection for the next request', async () => {
    let serverSawClose!: () => void
    const closed = new Promise<void>((resolve) => (serverSawClose = resolve))
    const server = await startServer(
      steps(
        (req) => {
          req.socket.on('close', serverSawClose)
        },
        reply(200, 'ok')
      )
    )
    const { deps } = fake()
    const client = createHttpClient(deps)
    await transportError(
      client.request(spec(server.url, { timeoutMs: 50, maxAttempts: 1 }))
    )
    // Only resolves because the client closed the connection: a hung
    // request must not keep the action's process alive.
    await closed
    const res = await client.request(spec(server.url))
    expect(res.body).toBe('ok')
    expect(server.connections()).toBe(2)
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
})

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
