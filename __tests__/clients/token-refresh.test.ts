/**
 * The refresh call: request bytes, Codex's failure classification and no
 * refresh storms: a permanent failure is one request.
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import nock from 'nock'
import {
  createHttpClient,
  type HttpClient,
  type HttpResponse
} from '../../src/clients/http.js'
import {
  CODEX_CLIENT_ID,
  TokenRefreshError,
  classifyRefreshFailure,
  parseRefreshReply,
  permanentReason,
  refreshErrorCode,
  refreshRequestBody,
  refreshTokens,
  type PermanentReason
} from '../../src/clients/token-refresh.js'
import {
  REFRESH_REPLY_INVALID,
  REFRESH_TOKEN_EXPIRED,
  REFRESH_TOKEN_INVALIDATED,
  REFRESH_TOKEN_REUSED,
  REFRESH_TOKEN_UNKNOWN_PERMANENT,
  refreshedTokenTooLong
} from '../../src/messages/chatgpt.js'
import { instantHttpDeps } from '../support/instant-http.js'
import { rejection } from '../support/rejection.js'

const ORIGIN = 'https://auth.example.test'
const URL_ = `${ORIGIN}/oauth/token`
const RT = 'rt-old-refresh-token-0123456789'

interface Fake {
  client: HttpClient
  sleeps: number[]
}

function fakeClient(): Fake {
  const sleeps: number[] = []
  const deps = instantHttpDeps(Date.UTC(2026, 7, 22), sleeps)
  return { client: createHttpClient(deps), sleeps }
}

const failure = (promise: Promise<unknown>): Promise<TokenRefreshError> =>
  rejection(promise, TokenRefreshError)

function response(status: number, body: string): HttpResponse {
  return {
    status,
    reason: http.STATUS_CODES[status] ?? '',
    headers: {},
    body,
    truncated: false
  }
}

describe('request', () => {
  it('body keys and values exactly as Codex sends them', () => {
    expect(refreshRequestBody('rt-x', 'proactive_expiry')).toBe(
      '{"client_id":"app_EMoamEEZ73f0CkXaXp7hrann","grant_type":"refresh_token","refresh_reason":"proactive_expiry","refresh_token":"rt-x"}'
    )
    expect(CODEX_CLIENT_ID).toBe('app_EMoamEEZ73f0CkXaXp7hrann')
  })

  it('sends those bytes as JSON POST to the URL exactly as given', async () => {
    const seen: {
      method?: string
      url?: string
      type?: string
      body: string
    }[] = []
    const server = http.createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => (body += c))
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          type: req.headers['content-type'],
          body
        })
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{"access_token":"new-access"}')
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    try {
      // Not a base: no path is appended and the trailing slash stays.
      const url = `http://127.0.0.1:${port}/custom/token/`
      const reply = await refreshTokens({
        http: fakeClient().client,
        url,
        refreshToken: RT,
        reason: 'scheduled'
      })
      expect(reply).toEqual({ access_token: 'new-access' })
      expect(seen).toEqual([
        {
          method: 'POST',
          url: '/custom/token/',
          type: 'application/json',
          body: `{"client_id":"app_EMoamEEZ73f0CkXaXp7hrann","grant_type":"refresh_token","refresh_reason":"scheduled","refresh_token":"${RT}"}`
        }
      ])
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})

describe('transport failures', () => {
  it('are retried, then reported as transient without secrets', async () => {
    let connections = 0
    // Drops every request without an answer: a reset on the client side.
    const server = http.createServer((req) => {
      connections++
      req.socket.destroy()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    try {
      const { client, sleeps } = fakeClient()
      const err = await failure(
        refreshTokens({
          http: client,
          url: `http://127.0.0.1:${port}/oauth/token`,
          refreshToken: RT,
          reason: 'proactive_expiry'
        })
      )
      expect(err.permanent).toBe(false)
      expect(err.message).toBe(
        `token refresh to http://127.0.0.1:${port}/oauth/token failed after 3 attempt(s): connection reset`
      )
      expect(connections).toBe(3)
      expect(sleeps).toHaveLength(2)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})

describe('with nock', () => {
  afterEach(() => {
    nock.cleanAll()
  })
  afterAll(() => {
    nock.restore()
  })

  /** Answers every refresh with the next reply; counts requests. */
  function script(...replies: ([number, string] | 'reset')[]): {
    count: () => number
  } {
    let count = 0
    const scope = nock(ORIGIN)
    for (const reply of replies) {
      scope.post('/oauth/token').reply(() => {
        count++
        return reply
      })
    }
    return { count: () => count }
  }

  const refresh = (client: HttpClient): Promise<unknown> =>
    refreshTokens({
      http: client,
      url: URL_,
      refreshToken: RT,
      reason: 'proactive_expiry'
    })

  describe('success', () => {
    it('returns only the fields that came back; null counts as absent', async () => {
      script([
        200,
        '{"id_token":null,"access_token":"new-access","refresh_token":"rt-new","scope":"x"}'
      ])
      await expect(refresh(fakeClient().client)).resolves.toEqual({
        access_token: 'new-access',
        refresh_token: 'rt-new'
      })
    })

    it.each([
      ['not JSON', 'oops'],
      ['a JSON array', '[]'],
      ['an object without access_token (RFC 6749 5.1)', '{}'],
      ['only a new refresh token', '{"refresh_token":"rt-new"}'],
      ['a token that is not a string', '{"access_token":5}'],
      ['an empty token', '{"access_token":""}'],
      ['a token with a space', '{"refresh_token":"rt a"}']
    ])(
      'a 200 with %s is a transient failure, never sent again',
      async (_name, body) => {
        const calls = script([200, body], [200, '{}'])
        const err = await failure(refresh(fakeClient().client))
        expect(err.message).toBe(REFRESH_REPLY_INVALID)
        expect(err.permanent).toBe(false)
        // The server may have rotated the token already: asking again
        // with the old one could only burn it.
        expect(calls.count()).toBe(1)
      }
    )
  })

  describe('permanent failures: one request, Codex message', () => {
    it.each<[string, number, string, PermanentReason, string]>([
      [
        'error.code expired',
        401,
        '{"error":{"code":"refresh_token_expired"}}',
        'expired',
        REFRESH_TOKEN_EXPIRED
      ],
      [
        'error string reused',
        401,
        '{"error":"refresh_token_reused"}',
        'reused',
        REFRESH_TOKEN_REUSED
      ],
      [
        'top-level code invalidated',
        401,
        '{"code":"refresh_token_invalidated"}',
        'invalidated',
        REFRESH_TOKEN_INVALIDATED
      ],
      [
        'upper-case code',
        401,
        '{"error":{"code":"REFRESH_TOKEN_REUSED","message":"x"}}',
        'reused',
        REFRESH_TOKEN_REUSED
      ],
      [
        'error.code not a string, top-level code used',
        401,
        '{"error":{"code":5},"code":"refresh_token_expired"}',
        'expired',
        REFRESH_TOKEN_EXPIRED
      ],
      [
        'unknown code',
        401,
        '{"error":{"code":"something_else"}}',
        'other',
        REFRESH_TOKEN_UNKNOWN_PERMANENT
      ],
      [
        '401 with an empty body',
        401,
        '',
        'other',
        REFRESH_TOKEN_UNKNOWN_PERMANENT
      ],
      [
        '401 with a text body',
        401,
        'Unauthorized',
        'other',
        REFRESH_TOKEN_UNKNOWN_PERMANENT
      ],
      [
        '400 invalid_grant',
        400,
        '{"error":"invalid_grant","error_description":"bad"}',
        'other',
        REFRESH_TOKEN_UNKNOWN_PERMANENT
      ],
      [
        '400 Invalid_Grant in error.code',
        400,
        '{"error":{"code":"Invalid_Grant"}}',
        'other',
        REFRESH_TOKEN_UNKNOWN_PERMANENT
      ],
      [
        'a 500 that says the token was revoked',
        500,
        '{"error":{"code":"refresh_token_invalidated"}}',
        'invalidated',
        REFRESH_TOKEN_INVALIDATED
      ],
      [
        'a 429 that says the token expired',
        429,
        '{"error":"refresh_token_expired"}',
        'expired',
        REFRESH_TOKEN_EXPIRED
      ]
    ])('%s', async (_name, status, body, reason, message) => {
      const calls = script([status, body], [200, '{"access_token":"a"}'])
      const { client, sleeps } = fakeClient()
      const err = await failure(refresh(client))
      expect(err.message).toBe(message)
      expect(err.permanent).toBe(true)
      expect(err.reason).toBe(reason)
      expect(calls.count()).toBe(1)
      expect(sleeps).toEqual([])
    })
  })

  describe('transient failures', () => {
    it('5xx is retried up to 3 attempts, then fails with Codex text', async () => {
      const calls = script(
        [500, '{"error":{"message":"upstream broke"}}'],
        [502, 'bad gateway'],
        [500, '{"error":{"message":"upstream broke"}}'],
        [200, '{}']
      )
      const { client, sleeps } = fakeClient()
      const err = await failure(refresh(client))
      expect(err.permanent).toBe(false)
      expect(err.message).toBe(
        'Failed to refresh token: 500 Internal Server Error: upstream broke'
      )
      expect(calls.count()).toBe(3)
      expect(sleeps).toEqual([500, 1000])
    })

    it('a retried 503 that then succeeds', async () => {
      const calls = script(
        [503, ''],
        [200, '{"access_token":"fresh","refresh_token":"rt-2"}']
      )
      await expect(refresh(fakeClient().client)).resolves.toEqual({
        access_token: 'fresh',
        refresh_token: 'rt-2'
      })
      expect(calls.count()).toBe(2)
    })

    it('another 4xx is transient and not retried', async () => {
      const calls = script([403, '{"error":{"message":"forbidden here"}}'])
      const err = await failure(refresh(fakeClient().client))
      expect(err.permanent).toBe(false)
      expect(err.message).toBe(
        'Failed to refresh token: 403 Forbidden: forbidden here'
      )
      expect(calls.count()).toBe(1)
    })
  })
})

describe('classification (pure)', () => {
  it.each([
    ['{"error":{"code":"a"}}', 'a'],
    ['{"error":"b"}', 'b'],
    ['{"code":"c"}', 'c'],
    ['{"error":{"message":"m"},"code":"d"}', 'd'],
    ['{"error":7}', undefined],
    ['{"error":{"code":7},"code":"e"}', 'e'],
    ['{"error":[],"code":"f"}', 'f'],
    ['[]', undefined],
    ['', undefined],
    ['   ', undefined],
    ['not json', undefined]
  ])('code of %j', (body, code) => {
    expect(refreshErrorCode(body)).toBe(code)
  })

  it('invalid_grant is permanent only with 400', () => {
    expect(permanentReason(400, '{"error":"invalid_grant"}')).toBe('other')
    expect(permanentReason(403, '{"error":"invalid_grant"}')).toBeUndefined()
    expect(permanentReason(400, '{"error":"invalid_request"}')).toBeUndefined()
  })

  it.each([
    [500, '{"error":{"message":"boom"}}', '500 Internal Server Error: boom'],
    [500, 'plain text', '500 Internal Server Error: plain text'],
    [429, '', '429 Too Many Requests: Unknown error'],
    [
      503,
      '{"error":{"code":"x"}}',
      '503 Service Unavailable: {"error":{"code":"x"}}'
    ]
  ])('transient %i %j', (status, body, text) => {
    const err = classifyRefreshFailure(response(status, body))
    expect(err.permanent).toBe(false)
    expect(err.message).toBe(`Failed to refresh token: ${text}`)
  })

  it('server text is redacted and cut before it reaches the message', () => {
    const echoed = `rt-${'s'.repeat(40)}`
    const err = classifyRefreshFailure(
      response(
        500,
        `{"error":{"message":"bad token ${echoed} ${'word '.repeat(200)}"}}`
      )
    )
    expect(err.message).not.toContain(echoed)
    expect(err.message).toContain('[redacted]')
    expect(err.message.endsWith('...')).toBe(true)
  })
})

describe('caps on refreshed tokens', () => {
  const MAX = 16 * 1024
  const reply = (field: string, length: number): HttpResponse =>
    response(
      200,
      JSON.stringify({
        access_token: 'new-access',
        [field]: 'x'.repeat(length)
      })
    )

  it.each(['id_token', 'access_token', 'refresh_token'])(
    '%s: 16 KiB passes, one more character fails naming field and length',
    (field) => {
      expect(parseRefreshReply(reply(field, MAX))[field as 'id_token']).toBe(
        'x'.repeat(MAX)
      )
      let caught: unknown
      try {
        parseRefreshReply(reply(field, MAX + 1))
      } catch (err) {
        caught = err
      }
      expect(caught).toBeInstanceOf(TokenRefreshError)
      expect((caught as TokenRefreshError).permanent).toBe(false)
      expect((caught as TokenRefreshError).message).toBe(
        refreshedTokenTooLong(field, MAX + 1, MAX)
      )
    }
  )

  it('says which field, how long, and the limit', () => {
    expect(refreshedTokenTooLong('refresh_token', 20000, MAX)).toBe(
      'Failed to refresh token: refresh_token is 20000 characters long, over the limit of 16384; refusing to use it rather than cut it. Check refresh-token-url.'
    )
  })
})
