/**
 * The two keyless clients against the dev backend's GitHub OIDC service and
 * federation rules (SPEC 12), over real HTTP on loopback: request, then
 * exchange; a retry after a lost reply mints a new token; a replayed jti is
 * refused with the claims in the message.
 */
import {
  startDevBackend,
  type DevBackend,
  type FederationRule
} from '../../dev/backend/index.js'
import {
  OidcRequestError,
  requestOidcToken
} from '../../src/clients/github-oidc.js'
import { createHttpClient, type HttpClient } from '../../src/clients/http.js'
import { exchangeWorkloadToken } from '../../src/clients/token-exchange.js'
import { instantHttpDeps } from '../support/instant-http.js'
import { rejection } from '../support/rejection.js'

const AUDIENCE = 'https://example.test/codex'

let backend: DevBackend
let rule: FederationRule
let http: HttpClient
let sleeps: number[]

beforeAll(async () => {
  backend = await startDevBackend({
    oidc: { repository: 'acme/app', environment: 'production' }
  })
  rule = backend.createFederationRule({
    audiences: [AUDIENCE],
    subject: 'repo:acme/app:environment:production',
    claims: { repository: 'acme/app' }
  })
})
afterAll(() => backend.close())
beforeEach(() => {
  sleeps = []
  http = createHttpClient(instantHttpDeps(Date.now(), sleeps))
  backend.clearFaults()
  backend.clearRequests()
})

function mint(): Promise<string> {
  return requestOidcToken({
    http,
    url: backend.oidcRequestUrl,
    requestToken: backend.oidcRequestToken,
    audience: AUDIENCE
  })
}

describe('keyless clients against the dev backend', () => {
  it('requests an OIDC token and exchanges it for the rule account', async () => {
    const tokens = await exchangeWorkloadToken({
      http,
      url: backend.refreshTokenUrl,
      mint,
      federationRuleId: rule.id,
      workloadIdentityContext: 'ci run 7'
    })
    expect(tokens).toMatchObject({
      accountId: rule.accountId,
      accountUserId: rule.accountUserId,
      userId: rule.userId,
      expiresIn: 3600,
      planType: 'enterprise',
      scope: 'openid profile email'
    })
    const issued = backend.workloadAccessTokens().at(-1)
    expect(issued?.token).toBe(tokens.accessToken)
    const [oidc] = backend.requestsFor('oidc-token')
    expect(oidc?.query).toEqual({ 'api-version': '2.0', audience: AUDIENCE })
    const [sent] = backend.requestsFor('token-exchange')
    expect(sent?.status).toBe(200)
    expect(sent?.jti).toBe(issued?.assertionJti)
    expect(sent?.headers['content-type']).toBe(
      'application/x-www-form-urlencoded'
    )
    expect(
      new URLSearchParams(sent?.body).get('workload_identity_context')
    ).toBe('ci run 7')
  })

  it('after a reply lost on the way back, retries with a new token the rule accepts', async () => {
    // The backend spends the jti, then answers 503: resending that token
    // would be refused as a replay.
    backend.inject('token-exchange', {
      kind: 'status',
      status: 503,
      times: 1,
      process: true
    })
    const tokens = await exchangeWorkloadToken({
      http,
      url: backend.refreshTokenUrl,
      mint,
      federationRuleId: rule.id
    })
    expect(tokens.accountId).toBe(rule.accountId)
    const exchanges = backend.requestsFor('token-exchange')
    expect(exchanges.map((r) => r.status)).toEqual([503, 200])
    const jtis = exchanges.map((r) => r.jti)
    expect(new Set(jtis).size).toBe(2)
    expect(sleeps).toEqual([500])
  })

  it('a replayed jti is refused, with the claims of the token in the message', async () => {
    const token = await mint()
    const once = (): Promise<string> => Promise.resolve(token)
    await exchangeWorkloadToken({
      http,
      url: backend.refreshTokenUrl,
      mint: once,
      federationRuleId: rule.id
    })
    const err = await rejection(
      exchangeWorkloadToken({
        http,
        url: backend.refreshTokenUrl,
        mint: once,
        federationRuleId: rule.id
      })
    )
    const jti = backend.requestsFor('token-exchange')[0]?.jti ?? '?'
    expect(err.message).toMatch(
      /^the workload identity token exchange was rejected with HTTP 400: invalid_grant: The assertion jti /
    )
    expect(err.message).toContain(`jti ${jti} was already used.`)
    expect(err.message).toContain('sub "repo:acme/app:environment:production"')
    expect(err.message).toContain(`aud "${AUDIENCE}"`)
    expect(err.message).toContain('environment "production"')
    expect(err.message).toContain(`iss "${backend.oidcIssuer}"`)
    expect(err.message).toContain(`Federation rule ${rule.id} must trust`)
    expect(err.message).not.toContain(token)
    expect(err.message).not.toContain(backend.oidcRequestToken)
    expect(backend.requestsFor('token-exchange')).toHaveLength(2)
  })

  it('a wrong request token is refused with status 403, once', async () => {
    const err = await rejection(
      requestOidcToken({
        http,
        url: backend.oidcRequestUrl,
        requestToken: 'not-the-request-token',
        audience: AUDIENCE
      }),
      OidcRequestError
    )
    expect(err.status).toBe(403)
    expect(err.message).not.toContain('not-the-request-token')
    expect(backend.requestsFor('oidc-token')).toHaveLength(1)
  })
})
