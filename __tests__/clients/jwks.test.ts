import nock from 'nock'
import { mintAgentIdentity } from '../../dev/backend/identity.js'
import { jwksDocument } from '../../dev/backend/routes/jwks.js'
import { createHttpClient, type HttpDeps } from '../../src/clients/http.js'
import {
  checkJwtHeader,
  fetchAgentIdentityJwks,
  verifyAgentIdentityJwt,
  type AgentIdentityJwks
} from '../../src/clients/jwks.js'
import { decodeJwtHeader } from '../../src/credentials/agent-identity.js'
import { instantHttpDeps } from '../support/instant-http.js'
import { rejection } from '../support/rejection.js'
import { useNockOffline } from '../support/nock-offline.js'

const NOW_MS = Date.UTC(2026, 0, 1, 0, 0, 0)
const NOW = new Date(NOW_MS)
const ORIGIN = 'https://chatgpt.example.test'
const JWKS_PATH = '/backend-api/wham/agent-identities/jwks'
const JWKS_URL = ORIGIN + JWKS_PATH
const FROM = 'env CODEX_ACCESS_TOKEN'
const suffix = ` (agent identity from ${FROM})`

function deps(sleeps: number[] = []): HttpDeps {
  return instantHttpDeps(NOW_MS, sleeps)
}

useNockOffline()

describe('fetchAgentIdentityJwks', () => {
  it('GETs the key set without Authorization, identifying the client', async () => {
    const scope = nock(ORIGIN, {
      reqheaders: { originator: 'test_originator' },
      badheaders: ['authorization']
    })
      .get(JWKS_PATH)
      .reply(200, jwksDocument())
    const jwks = await fetchAgentIdentityJwks({
      http: createHttpClient(deps()),
      url: JWKS_URL
    })
    expect(jwks).toEqual(jwksDocument())
    scope.done()
  })

  it('retries a 503 and a transport error, then succeeds', async () => {
    const sleeps: number[] = []
    const scope = nock(ORIGIN)
      .get(JWKS_PATH)
      .reply(503, 'busy')
      .get(JWKS_PATH)
      .replyWithError('socket hang up')
      .get(JWKS_PATH)
      .reply(200, jwksDocument())
    await fetchAgentIdentityJwks({
      http: createHttpClient(deps(sleeps)),
      url: JWKS_URL
    })
    expect(sleeps).toHaveLength(2)
    scope.done()
  })

  it('stops after 3 attempts and reports the status, body redacted', async () => {
    const scope = nock(ORIGIN)
      .get(JWKS_PATH)
      .times(3)
      .reply(500, 'boom sk-proj-abcdefghijklmnop')
    const err = await rejection(
      fetchAgentIdentityJwks({ http: createHttpClient(deps()), url: JWKS_URL })
    )
    expect(err.message).toBe(
      `agent identity JWKS endpoint returned an error: 500 Internal Server Error from ${JWKS_URL}: boom [redacted]. Check chatgpt-base-url and jwks-base-url.`
    )
    scope.done()
  })

  it('does not retry a 404', async () => {
    const scope = nock(ORIGIN).get(JWKS_PATH).once().reply(404, '')
    const err = await rejection(
      fetchAgentIdentityJwks({ http: createHttpClient(deps()), url: JWKS_URL })
    )
    expect(err.message).toBe(
      `agent identity JWKS endpoint returned an error: 404 Not Found from ${JWKS_URL}. Check chatgpt-base-url and jwks-base-url.`
    )
    scope.done()
  })

  it.each([
    ['not JSON', '<html>', 'the body is not JSON'],
    ['no keys', '{"jwks":[]}', 'it is not an object with a "keys" array'],
    [
      'keys not objects',
      '{"keys":[1]}',
      'it is not an object with a "keys" array'
    ]
  ])('rejects a body that is %s', async (_name, body, why) => {
    nock(ORIGIN).get(JWKS_PATH).reply(200, body)
    const err = await rejection(
      fetchAgentIdentityJwks({ http: createHttpClient(deps()), url: JWKS_URL })
    )
    expect(err.message).toBe(
      `failed to decode agent identity JWKS from ${JWKS_URL}: ${why}. Check chatgpt-base-url and jwks-base-url.`
    )
  })

  it('reports a transport failure after 3 attempts, URL without query', async () => {
    nock(ORIGIN)
      .get(JWKS_PATH)
      .query(true)
      .times(3)
      .replyWithError(
        Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })
      )
    const err = await rejection(
      fetchAgentIdentityJwks({
        http: createHttpClient(deps()),
        url: `${JWKS_URL}?x=secret`
      })
    )
    expect(err.message).toBe(
      `agent identity JWKS request to ${JWKS_URL} failed after 3 attempt(s): connection refused`
    )
  })

  it('times out each attempt, 3 attempts in all', async () => {
    const sleeps: number[] = []
    const scope = nock(ORIGIN)
      .get(JWKS_PATH)
      .times(3)
      .delay(5000)
      .reply(200, jwksDocument())
    const err = await rejection(
      fetchAgentIdentityJwks({
        http: createHttpClient(deps(sleeps)),
        url: JWKS_URL,
        timeoutMs: 40
      })
    )
    expect(err.message).toBe(
      `agent identity JWKS request to ${JWKS_URL} failed after 3 attempt(s): no complete response within 40 ms`
    )
    expect(sleeps).toHaveLength(2)
    scope.done()
  })

  it('defaults to Codex’s 10 s per attempt', async () => {
    nock(ORIGIN).get(JWKS_PATH).delay(5000).reply(200, jwksDocument())
    // The action-wide budget cuts the attempt short, and the message names
    // the budget it had, which shows the 10 s default was not smaller.
    const err = await rejection(
      fetchAgentIdentityJwks({
        http: createHttpClient({ ...deps(), deadline: NOW_MS + 30 }),
        url: JWKS_URL
      })
    )
    expect(err.message).toMatch(/no complete response within 30 ms$/)
  })
})

describe('verifyAgentIdentityJwt', () => {
  const jwks: AgentIdentityJwks = jwksDocument()
  const verify = (
    jwt: string,
    now: Date = NOW
  ): Promise<Record<string, unknown>> =>
    verifyAgentIdentityJwt({
      jwt,
      header: decodeJwtHeader(jwt.split('.')[0]!, FROM),
      jwks,
      now,
      from: FROM
    })

  it('returns the claims of a token signed by the published key', async () => {
    const minted = mintAgentIdentity({}, NOW_MS)
    expect(await verify(minted.jwt)).toEqual(minted.claims)
  })

  it('accepts a token expired less than 60 s ago (Codex leeway)', async () => {
    const minted = mintAgentIdentity({ expiresAt: NOW_MS / 1000 - 30 }, NOW_MS)
    await expect(verify(minted.jwt)).resolves.toBeDefined()
  })

  it.each<[string, Parameters<typeof mintAgentIdentity>[0], string]>([
    [
      'a signature by another key',
      { signingKey: 'untrusted' },
      'failed to verify agent identity JWT: the signature does not match the trusted key'
    ],
    [
      'a tampered signature',
      { signature: 'AAAA' },
      'failed to verify agent identity JWT: the signature does not match the trusted key'
    ],
    [
      'an expired token',
      { expiresAt: NOW_MS / 1000 - 61 },
      'failed to verify agent identity JWT: the token expired at 2025-12-31T23:58:59Z (60 s leeway); ask for a fresh agent identity'
    ],
    [
      'a token not valid yet (stricter than Codex)',
      { claims: { nbf: NOW_MS / 1000 + 120 } },
      'failed to verify agent identity JWT: the token is not valid before 2026-01-01T00:02:00Z (60 s leeway); check the runner clock'
    ],
    [
      'another issuer',
      { claims: { iss: 'https://evil.example.test' } },
      'failed to verify agent identity JWT: claim iss is missing or not the expected value'
    ],
    [
      'another audience',
      { claims: { aud: 'someone-else' } },
      'failed to verify agent identity JWT: claim aud is missing or not the expected value'
    ],
    [
      'no exp',
      { claims: { exp: undefined } },
      'failed to verify agent identity JWT: claim exp is missing or not the expected value'
    ],
    [
      'no iss',
      { claims: { iss: undefined } },
      'failed to verify agent identity JWT: claim iss is missing or not the expected value'
    ],
    [
      'no kid',
      { header: { kid: undefined } },
      'agent identity JWT header does not include a kid'
    ],
    [
      'a kid the JWKS does not list',
      { kid: 'rotated-away' },
      'agent identity JWT kid rotated-away is not trusted'
    ],
    [
      'alg none (Codex cannot decode such a header)',
      { header: { alg: 'none' } },
      'failed to decode agent identity JWT header'
    ],
    [
      'alg HS256 (algorithm pinned)',
      { header: { alg: 'HS256' } },
      'failed to verify agent identity JWT: the header alg HS256 is not RS256'
    ],
    [
      'a numeric kid',
      { header: { kid: 7 } },
      'failed to decode agent identity JWT header'
    ]
  ])('rejects %s', async (_name, options, message) => {
    const minted = mintAgentIdentity(options, NOW_MS)
    expect((await rejection(verify(minted.jwt))).message).toBe(message + suffix)
  })

  it('quotes a strange kid safely', async () => {
    const minted = mintAgentIdentity({ kid: 'a b\nc' }, NOW_MS)
    expect((await rejection(verify(minted.jwt))).message).toBe(
      `agent identity JWT kid "a b\\nc" is not trusted${suffix}`
    )
  })

  it('a kid that is listed for a non-RSA key cannot verify', async () => {
    const minted = mintAgentIdentity({}, NOW_MS)
    const ecOnly = {
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          kid: minted.header['kid'],
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0'
        }
      ]
    }
    const err = await rejection(
      verifyAgentIdentityJwt({
        jwt: minted.jwt,
        header: minted.header,
        jwks: ecOnly,
        now: NOW,
        from: FROM
      })
    )
    expect(err.message).toBe(
      `failed to verify agent identity JWT: the JWKS key with this kid cannot verify RS256 signatures${suffix}`
    )
  })
})

describe('checkJwtHeader', () => {
  it('returns alg and kid', () => {
    expect(checkJwtHeader({ alg: 'RS256', kid: 'k' }, FROM)).toEqual({
      alg: 'RS256',
      kid: 'k'
    })
  })

  it.each([[{ kid: 'k' }], [{ alg: 7, kid: 'k' }]])(
    'a header without a usable alg (%j) cannot be decoded',
    (header) => {
      expect(() => checkJwtHeader(header, FROM)).toThrow(
        `failed to decode agent identity JWT header${suffix}`
      )
    }
  )
})
