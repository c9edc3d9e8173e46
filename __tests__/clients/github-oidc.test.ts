/**
 * GitHub's OIDC token request: the request as core's getIDToken makes it,
 * retries through the shared client, reply validation, and error texts that
 * hold neither token; the claims shown in messages, escaped and capped.
 */
import nock from 'nock'
import {
  CLAIM_VALUE_LIMIT,
  OIDC_TOKEN_MAX,
  OidcRequestError,
  oidcClaimsForMessage,
  oidcRequestUrl,
  requestOidcToken
} from '../../src/clients/github-oidc.js'
import { createHttpClient, type HttpClient } from '../../src/clients/http.js'
import {
  OIDC_CLAIMS_UNREADABLE,
  OIDC_REPLY_INVALID,
  oidcTokenTooLong
} from '../../src/messages/workload-identity.js'
import {
  instantHttpDeps,
  TEST_ORIGINATOR,
  TEST_USER_AGENT
} from '../support/instant-http.js'
import { useNockOffline } from '../support/nock-offline.js'
import { fakeJwt, githubOidcToken } from '../support/oidc-tokens.js'
import { rejection } from '../support/rejection.js'

useNockOffline()

const ORIGIN = 'https://pipelines.actions.test'
const PATH = '/abc/_apis/distributedtask/hubs/Actions/plans/p/jobs/j/idtoken'
const REQUEST_URL = `${ORIGIN}${PATH}?api-version=2.0`
const REQUEST_TOKEN = 'eyJ0eXAiOiJKV1QifQ.eyJyZXF1ZXN0IjoidG9rZW4ifQ.cmVxdWVzdA'
const AUDIENCE = 'https://example.test/codex'

function fakeClient(): { http: HttpClient; sleeps: number[] } {
  const sleeps: number[] = []
  return {
    http: createHttpClient(instantHttpDeps(Date.UTC(2026, 11, 5), sleeps)),
    sleeps
  }
}

function request(
  http: HttpClient,
  overrides: { url?: string; audience?: string } = {}
): Promise<string> {
  return requestOidcToken({
    http,
    url: overrides.url ?? REQUEST_URL,
    requestToken: REQUEST_TOKEN,
    audience: overrides.audience ?? AUDIENCE
  })
}

/** Answers every token request with these replies in turn. */
function service(
  ...replies: Array<[number, unknown, Record<string, string>?]>
): { seen: Array<{ path: string; headers: Record<string, unknown> }> } {
  const seen: Array<{ path: string; headers: Record<string, unknown> }> = []
  const scope = nock(ORIGIN)
  for (const [status, body, headers] of replies) {
    scope
      .get(PATH)
      .query(true)
      .reply(function (path) {
        seen.push({ path, headers: { ...this.req.headers } })
        return [status, body as nock.Body, headers ?? {}]
      })
  }
  return { seen }
}

describe('requestOidcToken', () => {
  it('GETs {url}&audience=… with the request token as Bearer, as core does', async () => {
    const token = githubOidcToken()
    const { seen } = service([200, { value: token, count: 1 }])
    const { http } = fakeClient()
    await expect(request(http)).resolves.toBe(token)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.path).toBe(
      `${PATH}?api-version=2.0&audience=https%3A%2F%2Fexample.test%2Fcodex`
    )
    expect(seen[0]!.headers).toMatchObject({
      authorization: `Bearer ${REQUEST_TOKEN}`,
      accept: 'application/json',
      'user-agent': TEST_USER_AGENT,
      originator: TEST_ORIGINATOR
    })
  })

  it.each([
    [
      'https://h.test/t?api-version=2.0',
      'a b&c=d',
      'https://h.test/t?api-version=2.0&audience=a%20b%26c%3Dd'
    ],
    [
      'https://h.test/t',
      'sts.amazonaws.com',
      'https://h.test/t?audience=sts.amazonaws.com'
    ]
  ])('builds %s + audience %p as %s', (url, audience, expected) => {
    expect(oidcRequestUrl(url, audience)).toBe(expected)
  })

  it('retries a reset connection', async () => {
    const token = githubOidcToken()
    nock(ORIGIN)
      .get(PATH)
      .query(true)
      .replyWithError(
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      )
      .get(PATH)
      .query(true)
      .reply(200, { value: token })
    const { http, sleeps } = fakeClient()
    await expect(request(http)).resolves.toBe(token)
    expect(sleeps).toEqual([500])
  })

  it('retries 5xx and 429 with the layer backoff, Retry-After honoured', async () => {
    const token = githubOidcToken()
    service(
      [503, 'busy'],
      [429, '', { 'retry-after': '2' }],
      [200, { value: token }]
    )
    const { http, sleeps } = fakeClient()
    await expect(request(http)).resolves.toBe(token)
    expect(sleeps).toEqual([500, 2000])
  })

  it('gives up after 3 attempts with the status and the fix', async () => {
    const { seen } = service([502, 'a'], [502, 'b'], [502, 'c'], [200, {}])
    const { http } = fakeClient()
    const err = await rejection(request(http), OidcRequestError)
    expect(seen).toHaveLength(3)
    expect(err.status).toBe(502)
    expect(err.message).toBe(
      "GitHub's OIDC token service answered with status 502 Bad Gateway: c. A 4xx usually means an oidc-audience GitHub cannot put into a token; a 429 or 5xx means the service kept failing after retries: re-run the job later."
    )
  })

  it('a transport failure on every attempt is an OidcRequestError without status', async () => {
    nock(ORIGIN)
      .get(PATH)
      .query(true)
      .times(3)
      .replyWithError(
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      )
    const { http, sleeps } = fakeClient()
    const err = await rejection(request(http), OidcRequestError)
    expect(err.status).toBeUndefined()
    expect(err.message).toBe(
      `GitHub OIDC token request to ${ORIGIN}${PATH} failed after 3 attempt(s): connection reset`
    )
    expect(sleeps).toEqual([500, 1000])
  })

  it.each([
    [401, 'Unauthorized'],
    [403, 'Forbidden']
  ])(
    '%i refuses the request token: one request, status kept',
    async (status, reason) => {
      const { seen } = service([
        status,
        { message: `bad token ${REQUEST_TOKEN}` }
      ])
      const { http, sleeps } = fakeClient()
      const err = await rejection(request(http), OidcRequestError)
      expect(seen).toHaveLength(1)
      expect(sleeps).toEqual([])
      expect(err.status).toBe(status)
      expect(err.message).toContain(
        `GitHub's OIDC token service refused the job's request token (status ${status} ${reason}).`
      )
      expect(err.message).toContain('`permissions: id-token: write`')
      expect(err.message).not.toContain(REQUEST_TOKEN)
    }
  )

  it('400 is final after one request; the body is shown without the request token', async () => {
    const { seen } = service([
      400,
      `audience rejected for ${REQUEST_TOKEN} raw-${REQUEST_TOKEN.slice(0, 20)}`
    ])
    const { http } = fakeClient()
    const err = await rejection(request(http), OidcRequestError)
    expect(seen).toHaveLength(1)
    expect(err.status).toBe(400)
    expect(err.message).toContain(
      'status 400 Bad Request: audience rejected for [redacted]'
    )
    expect(err.message).not.toContain(REQUEST_TOKEN)
  })

  it('a request token that is not JWT-shaped is removed from the body by value', async () => {
    service(
      [500, 'echo: plain-request-token-value'],
      [500, 'x'],
      [500, 'echo: plain-request-token-value']
    )
    const { http } = fakeClient()
    const err = await rejection(
      requestOidcToken({
        http,
        url: REQUEST_URL,
        requestToken: 'plain-request-token-value',
        audience: AUDIENCE
      }),
      OidcRequestError
    )
    expect(err.message).toContain('echo: [redacted]')
    expect(err.message).not.toContain('plain-request-token-value')
  })

  it('server text is escaped and capped in the message', async () => {
    const body = `line one\nline two\u202e ${'x '.repeat(1000)}`
    service([404, body])
    const { http } = fakeClient()
    const err = await rejection(request(http), OidcRequestError)
    expect(err.message).toContain('line one\\u000aline two\\u202e x')
    expect(err.message).not.toMatch(/[\n\u202e]/)
    expect(err.message).toContain('x x...')
    expect(err.message).not.toContain('x '.repeat(300))
  })

  const valid = githubOidcToken()
  it.each<[string, unknown]>([
    ['no value', { token: valid }],
    ['an empty value', { value: '' }],
    ['a number', { value: 42 }],
    ['two parts', { value: valid.split('.').slice(0, 2).join('.') }],
    ['an empty signature', { value: valid.replace(/\.[^.]+$/, '.') }],
    ['a payload that is not JSON', { value: 'eyJhIjoxfQ.bm90IGpzb24.c2ln' }],
    ['whitespace inside', { value: valid.replace('.', ' .') }],
    ['a line break at the end', { value: `${valid}\n` }],
    ['padding', { value: `${valid}=` }],
    ['an array', [valid]],
    ['not JSON', 'value=abc']
  ])('a reply with %s is refused', async (_, body) => {
    service([200, body])
    const { http } = fakeClient()
    const err = await rejection(request(http), OidcRequestError)
    expect(err.message).toBe(OIDC_REPLY_INVALID)
    expect(err.status).toBeUndefined()
    expect(err.message).not.toContain(valid)
  })

  it('a token over 16 KiB is refused with its length, not its value', async () => {
    const long = fakeJwt({ sub: 'x'.repeat(OIDC_TOKEN_MAX) })
    service([200, { value: long }])
    const { http } = fakeClient()
    const err = await rejection(request(http), OidcRequestError)
    expect(err.message).toBe(oidcTokenTooLong(long.length, 16 * 1024))
  })

  it('a token of exactly 16 KiB is accepted', async () => {
    const base = fakeJwt({ sub: '' })
    let token = fakeJwt({ sub: 'x'.repeat(OIDC_TOKEN_MAX - base.length) })
    // Base64 grows in steps of four; trim the claim until it fits exactly.
    for (
      let n = OIDC_TOKEN_MAX - base.length;
      token.length > OIDC_TOKEN_MAX;
      n--
    ) {
      token = fakeJwt({ sub: 'x'.repeat(n) })
    }
    service([200, { value: token }])
    const { http } = fakeClient()
    await expect(request(http)).resolves.toBe(token)
  })

  it('a URL the HTTP layer refuses is an OidcRequestError, not a crash', async () => {
    const { http } = fakeClient()
    for (const url of [
      'not a url',
      'ftp://h.test/t',
      'https://127.evil.test/t'
    ]) {
      const err = await rejection(request(http, { url }), OidcRequestError)
      expect(err.message).toMatch(/^GitHub OIDC token request/)
    }
  })
})

describe('oidcClaimsForMessage', () => {
  it('shows the non-secret claims in a fixed order, quoted', () => {
    const token = githubOidcToken({ environment: 'production' })
    expect(oidcClaimsForMessage(token)).toBe(
      'iss "https://token.actions.githubusercontent.com", ' +
        'sub "repo:octo-org/octo-repo:ref:refs/heads/main", ' +
        'aud "https://example.test/codex", ' +
        'repository "octo-org/octo-repo", ' +
        'ref "refs/heads/main", ' +
        'environment "production", ' +
        'job_workflow_ref "octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main"'
    )
  })

  it('never shows jti, sha, exp or the token', () => {
    const token = githubOidcToken({ jti: 'the-jti-value' })
    const text = oidcClaimsForMessage(token)
    for (const hidden of ['the-jti-value', 'a1b2c3d4', '1790000300', token]) {
      expect(text).not.toContain(hidden)
    }
  })

  it('leaves out absent claims and shows an aud array', () => {
    expect(oidcClaimsForMessage(fakeJwt({ sub: 's', aud: ['a', 'b'] }))).toBe(
      'sub "s", aud ["a", "b"]'
    )
    expect(
      oidcClaimsForMessage(
        fakeJwt({ aud: ['1', '2', '3', '4', '5', '6', '7'] })
      )
    ).toBe('aud ["1", "2", "3", "4", "5", ...]')
  })

  it('escapes what a branch or environment name can carry', () => {
    const token = githubOidcToken({
      ref: 'refs/heads/a"b\\c\nd\u0085e\u2028f\u202eg',
      environment: '::error::x ##[group] `*_[x](y)`'
    })
    const text = oidcClaimsForMessage(token)
    expect(text).toContain(
      'ref "refs/heads/a\\"b\\\\c\\nd\\u0085e\\u2028f\\u202eg"'
    )
    expect(text).toContain('environment "::error::x ##[group] `*_[x](y)`"')
    // No control character survives.
    expect(text).not.toMatch(
      // eslint-disable-next-line no-control-regex -- looking for them
      /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/
    )
  })

  it(`cuts a long value to ${CLAIM_VALUE_LIMIT} characters`, () => {
    const text = oidcClaimsForMessage(
      fakeJwt({ sub: `${'s'.repeat(CLAIM_VALUE_LIMIT)}TAIL`, ref: 'r' })
    )
    expect(text).toBe(`sub "${'s'.repeat(CLAIM_VALUE_LIMIT)}...", ref "r"`)
  })

  it('shows non-string values as JSON', () => {
    expect(oidcClaimsForMessage(fakeJwt({ sub: 7, ref: { a: 1 } }))).toBe(
      'sub "7", ref "{\\"a\\":1}"'
    )
  })

  it.each([
    '',
    'abc',
    'a.b',
    'eyJhIjoxfQ.eyJzdWIiOiJ4In0.',
    fakeJwt({ jti: 'j' })
  ])('says so when %p has no readable claims', (token) => {
    expect(oidcClaimsForMessage(token)).toBe(OIDC_CLAIMS_UNREADABLE)
  })
})
