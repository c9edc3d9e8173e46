/**
 * The HTTP helper's retries: which responses and failures are tried again,
 * how long it waits (jittered backoff, `Retry-After`) and what it resends.
 */
import { createHttpClient, parseRetryAfter } from '../../../src/clients/http.js'
import {
  fake,
  isolateClientEnv,
  NOW,
  reply,
  reset,
  spec,
  startServer,
  steps
} from '../../support/http-fixtures.js'

isolateClientEnv()

describe('retries', () => {
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

  it('retries a reset connection and returns the success that follows', async () => {
    const server = await startServer(steps(reset, reply(200, 'ok')))
    const { deps, sleeps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.body).toBe('ok')
    expect(server.seen).toHaveLength(2)
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
})

describe('a body made per attempt (bodyPerAttempt)', () => {
  it('sends a newly made body on every attempt, in place of body', async () => {
    const server = await startServer(steps(reply(503), reset, reply(200)))
    const { deps } = fake()
    let made = 0
    await createHttpClient(deps).request(
      spec(server.url, {
        method: 'POST',
        body: 'never sent',
        bodyPerAttempt: () => Promise.resolve(`body-${++made}`)
      })
    )
    expect(server.seen.map((s) => s.body.toString())).toEqual([
      'body-1',
      'body-2',
      'body-3'
    ])
  })

  it('makes no body for an attempt that is not sent', async () => {
    const server = await startServer(reply(400))
    const { deps } = fake()
    let made = 0
    await createHttpClient(deps).request(
      spec(server.url, {
        method: 'POST',
        bodyPerAttempt: () => Promise.resolve(`body-${++made}`)
      })
    )
    expect(made).toBe(1)
  })

  it('ends the request with what making the body threw', async () => {
    const server = await startServer(steps(reply(502), reply(200)))
    const { deps, sleeps } = fake()
    let made = 0
    const failure = new Error('could not mint')
    const sending = createHttpClient(deps).request(
      spec(server.url, {
        method: 'POST',
        bodyPerAttempt: () =>
          ++made === 1 ? Promise.resolve('first') : Promise.reject(failure)
      })
    )
    await expect(sending).rejects.toBe(failure)
    expect(server.seen).toHaveLength(1)
    expect(sleeps).toEqual([500])
  })

  it('sends nothing when making the body used up the budget', async () => {
    const server = await startServer(reply(200))
    let clock = NOW
    const { deps } = fake({ now: () => clock, deadline: NOW + 1000 })
    const sending = createHttpClient(deps).request(
      spec(server.url, {
        method: 'POST',
        bodyPerAttempt: () => {
          clock += 1000
          return Promise.resolve('late')
        }
      })
    )
    await expect(sending).rejects.toThrow(
      "the action's time budget ran out before the request could be sent"
    )
    expect(server.seen).toHaveLength(0)
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
