import { startDevBackend, type DevBackend } from '../../dev/backend/index.js'
import { registrationBody, send, wholeSeconds, postJson } from './helpers.js'

let backend: DevBackend

beforeAll(async () => {
  backend = await startDevBackend()
})
afterAll(() => backend.close())
beforeEach(() => {
  backend.clearFaults()
  backend.clearRequests()
})

const models = (): string => `${backend.chatgptBaseUrl}/codex/models`

describe('fault injection', () => {
  it('answers an injected status with body and Retry-After', async () => {
    backend.inject('models', {
      kind: 'status',
      status: 429,
      body: { error: { code: 'rate_limited' } },
      retryAfter: 2,
      headers: { 'x-extra': 'yes' }
    })
    const reply = await send(models())
    expect(reply.status).toBe(429)
    expect(reply.headers['retry-after']).toBe('2')
    expect(reply.headers['x-extra']).toBe('yes')
    expect(JSON.parse(reply.body)).toEqual({ error: { code: 'rate_limited' } })
  })

  it('takes a bare number as a status fault that lasts until cleared', async () => {
    backend.inject('models', 503)
    expect((await send(models())).status).toBe(503)
    expect((await send(models())).status).toBe(503)
    backend.clearFaults('models')
    expect((await send(models())).status).toBe(200)
  })

  it('fails the next N requests, then behaves, in injection order', async () => {
    backend.inject('models', { kind: 'status', status: 500, times: 2 })
    backend.inject('models', { kind: 'status', status: 429, times: 1 })
    const statuses: number[] = []
    for (let i = 0; i < 4; i += 1) statuses.push((await send(models())).status)
    expect(statuses).toEqual([500, 500, 429, 200])
  })

  it('applies * to every route after route-specific faults', async () => {
    backend.inject('*', { kind: 'status', status: 502, times: 2 })
    backend.inject('jwks', { kind: 'status', status: 500, times: 1 })
    expect((await send(backend.jwksUrl)).status).toBe(500)
    expect((await send(backend.jwksUrl)).status).toBe(502)
    expect((await send(models())).status).toBe(502)
    expect((await send(models())).status).toBe(200)
  })

  it('delays, then answers normally', async () => {
    backend.inject('models', { kind: 'delay', ms: 150, times: 1 })
    const started = Date.now()
    const reply = await send(models())
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(reply.status).toBe(200)
  })

  it('delays before another fault with delayMs', async () => {
    backend.inject('models', { kind: 'status', status: 504, delayMs: 100 })
    const started = Date.now()
    expect((await send(models())).status).toBe(504)
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
  })

  it('resets the connection', async () => {
    backend.inject('models', { kind: 'reset' })
    await expect(send(models())).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(backend.requests[0]).toMatchObject({ fault: 'reset' })
    expect(backend.requests[0]?.status).toBeUndefined()
  })

  it('truncates a body below its declared length', async () => {
    backend.inject('models', { kind: 'truncate' })
    await expect(send(models())).rejects.toThrow(/aborted|socket hang up/)
  })

  it('sends invalid JSON as application/json', async () => {
    backend.inject('jwks', { kind: 'invalid-json' })
    const reply = await send(backend.jwksUrl)
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('application/json')
    expect(() => JSON.parse(reply.body) as unknown).toThrow()
  })

  it.each([5, 1_000_000])(
    'sends a huge body of exactly %i bytes',
    async (n) => {
      backend.inject('jwks', { kind: 'huge', bytes: n })
      const reply = await send(backend.jwksUrl)
      expect(Buffer.byteLength(reply.body)).toBe(n)
      expect(reply.headers['content-length']).toBe(String(n))
      if (n >= 16) expect(JSON.parse(reply.body)).toHaveProperty('padding')
    }
  )

  it('hangs until the client gives up', async () => {
    backend.inject('whoami', { kind: 'hang' })
    await expect(
      send(`${backend.authapiBaseUrl}/v1/user-auth-credential/whoami`, {
        timeoutMs: 200
      })
    ).rejects.toThrow('client timeout')
    expect(backend.requests[0]).toMatchObject({
      route: 'whoami',
      fault: 'hang'
    })
  })

  it('does not run the handler unless process is set', async () => {
    const identity = backend.mintAgentIdentity()
    const url = `${backend.authapiBaseUrl}/v1/agent/${identity.runtimeId}/task/register`
    const body = (): string =>
      registrationBody(
        identity.runtimeId,
        identity.privateKeyB64,
        wholeSeconds(Date.now())
      )
    backend.inject('register', { kind: 'status', status: 500, times: 1 })
    expect((await postJson(url, body())).status).toBe(500)
    expect(backend.tasksFor(identity.runtimeId)).toHaveLength(0)

    // The server registered the task but the answer got lost.
    backend.inject('register', { kind: 'truncate', process: true, times: 1 })
    await expect(postJson(url, body())).rejects.toThrow()
    expect(backend.tasksFor(identity.runtimeId)).toHaveLength(1)
  })

  it('rejects unknown routes and bad fault settings', () => {
    expect(() => backend.inject('nope' as 'jwks', 500)).toThrow(
      /unknown route 'nope'/
    )
    expect(() =>
      backend.inject('jwks', { kind: 'status', status: 500, times: 0 })
    ).toThrow(/times/)
    expect(() => backend.inject('jwks', 99)).toThrow(/invalid status/)
  })
})

describe('close', () => {
  it('ends hung requests and resolves promptly', async () => {
    const own = await startDevBackend()
    own.inject('*', { kind: 'hang' })
    const pending = send(`${own.url}/anything`)
    await own.waitForRequest('not-found')
    const started = Date.now()
    await own.close()
    expect(Date.now() - started).toBeLessThan(1000)
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/)
  })

  it('cuts a pending delay short', async () => {
    const own = await startDevBackend()
    own.inject('models', { kind: 'delay', ms: 60_000 })
    const pending = send(`${own.chatgptBaseUrl}/codex/models`)
    await own.waitForRequest('models')
    await own.close()
    await expect(pending).rejects.toThrow()
  })
})
