import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import {
  CODEX_OAUTH_CLIENT_ID,
  DEFAULT_FEDERATION_AUDIENCE,
  ISSUED_ACCESS_TOKEN_TYPE,
  JWT_BEARER_GRANT_TYPE,
  startDevBackend,
  type DevBackend,
  type FederationRuleOptions,
  type MintOidcTokenOptions
} from '../../dev/backend/index.js'
import { jwtPayload, postJson, send, type Reply } from './helpers.js'

const START = Date.parse('2026-06-01T12:00:00Z')
const START_S = START / 1000
const AUDIENCE = 'https://example.test/codex'
const FORM = 'application/x-www-form-urlencoded'
let clock = START
let backend: DevBackend

beforeAll(async () => {
  backend = await startDevBackend({ now: () => clock })
})
afterAll(() => backend.close())
beforeEach(() => {
  clock = START
  backend.clearRequests()
})

/** Codex's exchange body (SPEC 12), form-encoded field by field. */
function exchangeBody(
  assertion: string,
  ruleId: string,
  context?: string
): string {
  const fields: [string, string][] = [
    ['grant_type', JWT_BEARER_GRANT_TYPE],
    ['assertion', assertion],
    ['federation_rule_id', ruleId],
    ...(context === undefined
      ? []
      : [['workload_identity_context', context] as [string, string]])
  ]
  return fields
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&')
}

function exchange(
  assertion: string,
  ruleId: string,
  context?: string
): Promise<Reply> {
  return send(backend.refreshTokenUrl, {
    method: 'POST',
    headers: { 'content-type': FORM, accept: '*/*' },
    body: exchangeBody(assertion, ruleId, context)
  })
}

/** An OIDC token fetched the way the runner's helper does it. */
async function oidcToken(audience = AUDIENCE): Promise<string> {
  const reply = await send(
    `${backend.oidcRequestUrl}&audience=${encodeURIComponent(audience)}`,
    { headers: { authorization: `Bearer ${backend.oidcRequestToken}` } }
  )
  return (JSON.parse(reply.body) as { value: string }).value
}

function rule(options: FederationRuleOptions = {}): string {
  return backend.createFederationRule({ audiences: [AUDIENCE], ...options }).id
}

function oauthError(reply: Reply): { error: string; description: string } {
  const body = JSON.parse(reply.body) as Record<string, string>
  expect(Object.keys(body)).toEqual(['error', 'error_description'])
  return { error: body.error ?? '', description: body.error_description ?? '' }
}

describe('jwt-bearer exchange', () => {
  it("returns Codex's reply shape with a JWT access token", async () => {
    const created = backend.createFederationRule({
      audiences: [AUDIENCE],
      accountId: 'acct-wif',
      userId: 'user-wif',
      planType: 'business'
    })
    expect(created.id).toMatch(/^idpm_[0-9a-f]{24}$/)
    const reply = await exchange(await oidcToken(), created.id)
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('application/json')
    expect(reply.headers['cache-control']).toBe('no-store')
    const body = JSON.parse(reply.body) as Record<string, unknown>
    expect(Object.keys(body)).toEqual([
      'access_token',
      'chatgpt_account_id',
      'chatgpt_account_user_id',
      'chatgpt_plan_type',
      'expires_in',
      'issued_token_type',
      'scope',
      'token_type',
      'user_id'
    ])
    expect(body).toMatchObject({
      chatgpt_account_id: 'acct-wif',
      chatgpt_account_user_id: 'user-wif__acct-wif',
      chatgpt_plan_type: 'business',
      expires_in: 3600,
      issued_token_type: ISSUED_ACCESS_TOKEN_TYPE,
      token_type: 'bearer',
      user_id: 'user-wif'
    })
    expect(body.scope).toMatch(/\S/)
    // The checks Codex applies to the access token (SPEC 12).
    const access = jwtPayload(body.access_token as string)
    expect(access['https://api.openai.com/auth']).toEqual({
      chatgpt_account_id: 'acct-wif',
      chatgpt_account_user_id: 'user-wif__acct-wif',
      chatgpt_plan_type: 'business',
      chatgpt_user_id: 'user-wif',
      user_id: 'user-wif'
    })
    expect(access.exp).toBe(START_S + 3600)
    // And it is a real signature of the backend's published key.
    const jwks = JSON.parse((await send(backend.jwksUrl)).body) as JSONWebKeySet
    await jwtVerify(body.access_token as string, createLocalJWKSet(jwks), {
      currentDate: new Date(START)
    })
  })

  it('leaves chatgpt_plan_type out when the rule has none', async () => {
    const reply = await exchange(await oidcToken(), rule({ planType: null }))
    const body = JSON.parse(reply.body) as Record<string, unknown>
    expect(body).not.toHaveProperty('chatgpt_plan_type')
    expect(
      jwtPayload(body.access_token as string)['https://api.openai.com/auth']
    ).not.toHaveProperty('chatgpt_plan_type')
  })

  it('logs the assertion jti, the rule and the context of every exchange', async () => {
    const id = rule()
    const tokens = [await oidcToken(), await oidcToken(), await oidcToken()]
    for (const token of tokens) {
      expect((await exchange(token, id, 'ctx-1')).status).toBe(200)
    }
    const logged = backend.requestsFor('token-exchange')
    expect(logged.map((entry) => entry.jti)).toEqual(
      tokens.map((token) => jwtPayload(token).jti)
    )
    expect(new Set(logged.map((entry) => entry.jti)).size).toBe(3)
    expect(logged.every((entry) => entry.federationRuleId === id)).toBe(true)
    expect(logged[0]?.body).toContain('workload_identity_context=ctx-1')
    expect(
      backend
        .workloadAccessTokens()
        .slice(-3)
        .map((issued) => [issued.ruleId, issued.assertionJti])
    ).toEqual(logged.map((entry) => [id, entry.jti]))
  })

  it('logs the jti of an exchange that a fault answered', async () => {
    const id = rule()
    const token = await oidcToken()
    backend.inject('token-exchange', { kind: 'status', status: 503, times: 1 })
    expect((await exchange(token, id)).status).toBe(503)
    expect(backend.requestsFor('token-exchange')[0]?.jti).toBe(
      jwtPayload(token).jti
    )
  })
})

describe('subject and claim patterns that match', () => {
  it.each([
    [
      'an exact sub',
      { subject: 'repo:octo-org/octo-repo:ref:refs/heads/main' }
    ],
    [
      'a trailing-* sub on the repository',
      { subject: 'repo:octo-org/octo-repo:*' }
    ],
    ['a trailing-* sub on the owner', { subject: 'repo:octo-org/*' }],
    ['the default sub (repo:{repository}:*)', {}],
    ['a repository claim', { claims: { repository: 'octo-org/octo-repo' } }],
    ['a trailing-* ref claim', { claims: { ref: 'refs/heads/*' } }],
    [
      'one of several audiences',
      { audiences: ['https://other.test', AUDIENCE] }
    ],
    ['replay protection off', { replayProtection: false }]
  ])('accepts %s', async (_name, options: FederationRuleOptions) => {
    const reply = await exchange(await oidcToken(), rule(options))
    expect(reply.status).toBe(200)
  })

  it('accepts the environment form of sub', async () => {
    backend.configureOidc({ environment: 'production' })
    try {
      const id = rule({
        subject: 'repo:octo-org/octo-repo:environment:production',
        claims: { environment: 'production' }
      })
      expect((await exchange(await oidcToken(), id)).status).toBe(200)
    } finally {
      backend.configureOidc({ environment: undefined })
    }
  })

  it('accepts the same token twice when replay protection is off', async () => {
    const id = rule({ replayProtection: false })
    const token = await oidcToken()
    expect((await exchange(token, id)).status).toBe(200)
    expect((await exchange(token, id)).status).toBe(200)
  })

  it("defaults a rule to the backend's issuer and audience", async () => {
    const created = backend.createFederationRule()
    expect(created).toMatchObject({
      issuer: backend.oidcIssuer,
      audiences: [DEFAULT_FEDERATION_AUDIENCE],
      replayProtection: true,
      expiresIn: 3600
    })
    const token = await oidcToken(DEFAULT_FEDERATION_AUDIENCE)
    expect((await exchange(token, created.id)).status).toBe(200)
  })
})

interface RefusalCase {
  name: string
  /** Rule options (audience AUDIENCE unless set). */
  rule?: FederationRuleOptions
  /** A hand-minted assertion instead of one from the token route. */
  mint?: MintOidcTokenOptions
  /** Turns the assertion into something else. */
  tamper?: (jwt: string) => string
  status: number
  error: string
  description: RegExp
}

const refusals: RefusalCase[] = [
  {
    name: 'a signature by a key the issuer never published',
    mint: { audience: AUDIENCE, signingKey: 'untrusted' },
    status: 400,
    error: 'invalid_grant',
    description: /signature does not verify/
  },
  {
    name: 'a payload changed after signing',
    tamper: (jwt): string => {
      const [header, payload, signature] = jwt.split('.')
      const claims = JSON.parse(
        Buffer.from(payload ?? '', 'base64url').toString()
      ) as Record<string, unknown>
      claims.repository = 'evil/repo'
      const forged = Buffer.from(JSON.stringify(claims)).toString('base64url')
      return `${header}.${forged}.${signature}`
    },
    status: 400,
    error: 'invalid_grant',
    description: /signature does not verify/
  },
  {
    name: 'an unknown kid',
    mint: { audience: AUDIENCE, header: { kid: 'someone-else' } },
    status: 400,
    error: 'invalid_grant',
    description: /kid someone-else/
  },
  {
    name: 'alg none',
    tamper: (jwt): string => {
      const [, payload] = jwt.split('.')
      const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString(
        'base64url'
      )
      return `${header}.${payload}.`
    },
    status: 400,
    error: 'invalid_grant',
    description: /not a compact JWS|alg must be RS256/
  },
  {
    name: 'something that is not a JWT',
    tamper: (): string => 'not-a-jwt',
    status: 400,
    error: 'invalid_grant',
    description: /not a compact JWS/
  },
  {
    name: 'a wrong issuer',
    mint: {
      audience: AUDIENCE,
      claims: { iss: 'https://token.actions.githubusercontent.com' }
    },
    status: 400,
    error: 'invalid_grant',
    description: /iss .* is not the rule's issuer/
  },
  {
    name: 'a rule trusting another issuer',
    rule: { issuer: 'https://token.actions.githubusercontent.com' },
    status: 400,
    error: 'invalid_grant',
    description: /is not the rule's issuer/
  },
  {
    name: 'an audience the rule does not list',
    mint: { audience: 'https://github.com/octo-org' },
    status: 400,
    error: 'invalid_grant',
    description: /aud "https:\/\/github.com\/octo-org" is not an audience/
  },
  {
    name: 'an expired token',
    mint: { audience: AUDIENCE, issuedAt: START_S - 301 },
    status: 400,
    error: 'invalid_grant',
    description: /has expired/
  },
  {
    name: 'a token at its exp second',
    mint: { audience: AUDIENCE, issuedAt: START_S - 300 },
    status: 400,
    error: 'invalid_grant',
    description: /has expired/
  },
  {
    name: 'a token without exp',
    mint: { audience: AUDIENCE, claims: { exp: undefined } },
    status: 400,
    error: 'invalid_grant',
    description: /no exp/
  },
  {
    name: 'a token not valid yet',
    mint: { audience: AUDIENCE, claims: { nbf: START_S + 60 } },
    status: 400,
    error: 'invalid_grant',
    description: /not valid yet/
  },
  {
    name: 'an exact sub that does not match',
    rule: { subject: 'repo:octo-org/octo-repo:ref:refs/heads/release' },
    status: 400,
    error: 'invalid_grant',
    description:
      /sub repo:octo-org\/octo-repo:ref:refs\/heads\/main does not match/
  },
  {
    name: 'a wildcard sub for another repository',
    rule: { subject: 'repo:octo-org/other-repo:*' },
    status: 400,
    error: 'invalid_grant',
    description: /does not match the rule/
  },
  {
    name: 'a * inside a sub (only a trailing * is a wildcard)',
    rule: { subject: 'repo:*:ref:refs/heads/main' },
    status: 400,
    error: 'invalid_grant',
    description: /does not match the rule/
  },
  {
    name: 'a claim that does not match',
    rule: { claims: { repository: 'octo-org/other-repo' } },
    status: 400,
    error: 'invalid_grant',
    description: /claim repository does not match/
  },
  {
    name: 'a claim the token lacks',
    rule: { claims: { environment: 'production' } },
    status: 400,
    error: 'invalid_grant',
    description: /claim environment does not match/
  },
  {
    name: 'a token without jti under replay protection',
    mint: { audience: AUDIENCE, claims: { jti: undefined } },
    status: 400,
    error: 'invalid_grant',
    description: /no jti/
  },
  {
    name: 'a disabled rule',
    rule: { disabled: true },
    status: 403,
    error: 'access_denied',
    description: /is disabled/
  }
]

describe('refusals', () => {
  it.each(refusals.map((c) => [c.name, c] as const))(
    'refuses %s',
    async (_name, c) => {
      const id = rule(c.rule)
      const issued = c.mint
        ? backend.mintOidcToken(c.mint).jwt
        : await oidcToken()
      const assertion = c.tamper ? c.tamper(issued) : issued
      const issuedBefore = backend.workloadAccessTokens().length
      const reply = await exchange(assertion, id)
      expect(reply.status).toBe(c.status)
      const { error, description } = oauthError(reply)
      expect(error).toBe(c.error)
      expect(description).toMatch(c.description)
      expect(backend.requests.at(-1)).toMatchObject({
        route: 'token-exchange',
        status: c.status
      })
      expect(backend.workloadAccessTokens()).toHaveLength(issuedBefore)
    }
  )

  it('refuses a replayed jti, even across rules of the same issuer', async () => {
    const id = rule()
    const token = await oidcToken()
    expect((await exchange(token, id)).status).toBe(200)
    const again = await exchange(token, id)
    expect(again.status).toBe(400)
    expect(oauthError(again)).toEqual({
      error: 'invalid_grant',
      description: `The assertion jti ${String(jwtPayload(token).jti)} was already used.`
    })
    expect((await exchange(token, rule())).status).toBe(400)
  })

  it('does not spend a jti on a refused exchange', async () => {
    const strict = rule({ claims: { repository: 'octo-org/other-repo' } })
    const token = await oidcToken()
    expect((await exchange(token, strict)).status).toBe(400)
    expect((await exchange(token, rule())).status).toBe(200)
  })

  it('refuses an unknown rule with 401 invalid_client', async () => {
    const reply = await exchange(await oidcToken(), 'idpm_unknown')
    expect(reply.status).toBe(401)
    expect(oauthError(reply).error).toBe('invalid_client')
  })

  it('refuses a token that expired while the clock moved', async () => {
    const id = rule()
    const token = await oidcToken()
    clock = START + 300_000
    const reply = await exchange(token, id)
    expect(oauthError(reply).description).toMatch(/has expired/)
  })

  const token = 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln'
  it.each([
    [
      'another grant type',
      `grant_type=refresh_token&assertion=${token}&federation_rule_id=idpm_x`,
      'unsupported_grant_type'
    ],
    [
      'no grant type',
      `assertion=${token}&federation_rule_id=idpm_x`,
      'unsupported_grant_type'
    ],
    [
      'fields out of order',
      `grant_type=${encodeURIComponent(JWT_BEARER_GRANT_TYPE)}&federation_rule_id=idpm_x&assertion=${token}`,
      'invalid_request'
    ],
    [
      'a duplicated field',
      `grant_type=${encodeURIComponent(JWT_BEARER_GRANT_TYPE)}&assertion=${token}&assertion=${token}&federation_rule_id=idpm_x`,
      'invalid_request'
    ],
    [
      'an unknown field',
      `grant_type=${encodeURIComponent(JWT_BEARER_GRANT_TYPE)}&assertion=${token}&federation_rule_id=idpm_x&client_id=x`,
      'invalid_request'
    ],
    [
      'a missing rule id',
      `grant_type=${encodeURIComponent(JWT_BEARER_GRANT_TYPE)}&assertion=${token}`,
      'invalid_request'
    ],
    [
      'an empty assertion',
      `grant_type=${encodeURIComponent(JWT_BEARER_GRANT_TYPE)}&assertion=&federation_rule_id=idpm_x`,
      'invalid_request'
    ]
  ])('refuses a form with %s', async (_name, body, error) => {
    const reply = await send(backend.refreshTokenUrl, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body
    })
    expect(reply.status).toBe(400)
    expect(oauthError(reply).error).toBe(error)
    expect(backend.requests.at(-1)?.route).toBe('token-exchange')
  })

  it.each([
    ['JSON', 'application/json'],
    ['text/plain', 'text/plain'],
    ['no content type', undefined]
  ])(
    'leaves a jwt-bearer body sent as %s to the refresh route, which refuses it',
    async (_name, contentType) => {
      const id = rule()
      const assertion = await oidcToken()
      const reply = await send(backend.refreshTokenUrl, {
        method: 'POST',
        headers:
          contentType === undefined ? {} : { 'content-type': contentType },
        body: exchangeBody(assertion, id)
      })
      expect(reply.status).toBe(400)
      expect(backend.requests.at(-1)?.route).toBe('refresh')
      expect(backend.requestsFor('token-exchange')).toEqual([])
      // Not spent: the same token still exchanges properly.
      expect((await exchange(assertion, id)).status).toBe(200)
    }
  )
})

describe('the issued access token on the model routes', () => {
  async function issue(
    options: FederationRuleOptions = {}
  ): Promise<{ token: string; accountId: string }> {
    const reply = await exchange(await oidcToken(), rule(options))
    const body = JSON.parse(reply.body) as Record<string, string>
    return {
      token: body.access_token ?? '',
      accountId: body.chatgpt_account_id ?? ''
    }
  }

  // Every row has all three fields: jest treats a missing one as `done`.
  const routes: [string, (b: DevBackend) => string, 'GET' | 'POST'][] = [
    [
      'models',
      (b) => `${b.chatgptBaseUrl}/codex/models?client_version=0.171.0`,
      'GET'
    ],
    ['accounts-check', (b) => `${b.chatgptBaseUrl}/wham/accounts/check`, 'GET'],
    ['config-bundle', (b) => `${b.chatgptBaseUrl}/wham/config/bundle`, 'GET'],
    ['responses', (b) => `${b.chatgptBaseUrl}/codex/responses`, 'POST']
  ]

  it.each(routes)(
    'is accepted by %s as a ChatGPT bearer with chatgpt-account-id',
    async (route, url, method) => {
      const { token, accountId } = await issue()
      const headers = {
        authorization: `Bearer ${token}`,
        'chatgpt-account-id': accountId
      }
      const reply = await send(url(backend), {
        method,
        headers,
        ...(method === 'POST' ? { body: '{}' } : {})
      })
      expect(reply.status).toBe(200)
      const logged = backend.requests.at(-1)
      expect(logged?.route).toBe(route)
      expect(
        backend.describeAuthorization(logged?.headers.authorization)
      ).toEqual({
        kind: 'workloadAccessToken',
        accountId,
        ruleId: backend.workloadAccessTokens().at(-1)?.ruleId,
        expired: false
      })
    }
  )

  it.each(routes)(
    'is refused by %s once expired (401) or for another account (403)',
    async (_route, url, method) => {
      const { token, accountId } = await issue({ expiresIn: 3 })
      const call = (account: string): Promise<Reply> =>
        send(url(backend), {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            'chatgpt-account-id': account
          },
          ...(method === 'POST' ? { body: '{}' } : {})
        })
      expect((await call('acct-someone-else')).status).toBe(403)
      clock = START + 2_000
      expect((await call(accountId)).status).toBe(200)
      clock = START + 3_000
      expect((await call(accountId)).status).toBe(401)
    }
  )

  it('lists the rule account in accounts/check', async () => {
    const { token, accountId } = await issue({ accountId: 'acct-listed' })
    const reply = await send(`${backend.chatgptBaseUrl}/wham/accounts/check`, {
      headers: {
        authorization: `Bearer ${token}`,
        'chatgpt-account-id': accountId
      }
    })
    const { accounts } = JSON.parse(reply.body) as {
      accounts: { id: string }[]
    }
    expect(accounts[0]?.id).toBe('acct-listed')
  })

  it('issues a token with the lifetime the rule sets', async () => {
    const reply = await exchange(await oidcToken(), rule({ expiresIn: 5 }))
    const body = JSON.parse(reply.body) as Record<string, unknown>
    expect(body.expires_in).toBe(5)
    expect(jwtPayload(body.access_token as string).exp).toBe(START_S + 5)
  })

  it('lets a rule change its reply for client validation tests', async () => {
    const reply = await exchange(
      await oidcToken(),
      rule({ reply: { token_type: 'Bearer', scope: undefined } })
    )
    const body = JSON.parse(reply.body) as Record<string, unknown>
    expect(body.token_type).toBe('Bearer')
    expect(body).not.toHaveProperty('scope')
  })
})

describe('the refresh route beside the exchange', () => {
  it('still refreshes a ChatGPT login with the JSON body', async () => {
    const auth = backend.mintChatgptAuth()
    const reply = await postJson(
      backend.refreshTokenUrl,
      JSON.stringify({
        client_id: CODEX_OAUTH_CLIENT_ID,
        grant_type: 'refresh_token',
        refresh_reason: 'scheduled',
        refresh_token: auth.tokens.refresh_token
      })
    )
    expect(reply.status).toBe(200)
    expect(backend.requests.at(-1)?.route).toBe('refresh')
    expect(backend.requests.at(-1)).not.toHaveProperty('jti')
  })
})

describe('keyless over the https listener', () => {
  it('exchanges and serves the model route on the TLS origin', async () => {
    const tls = await startDevBackend({ https: true })
    try {
      const id = tls.createFederationRule({ audiences: [AUDIENCE] }).id
      const oidc = await send(
        `${tls.oidcRequestUrl}&audience=${encodeURIComponent(AUDIENCE)}`,
        { headers: { authorization: `Bearer ${tls.oidcRequestToken}` } }
      )
      const { value } = JSON.parse(oidc.body) as { value: string }
      const reply = await send(`${tls.httpsUrl ?? ''}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': FORM, host: 'auth.openai.com' },
        body: exchangeBody(value, id),
        ca: tls.caCertPem ?? ''
      })
      expect(reply.status).toBe(200)
      const body = JSON.parse(reply.body) as Record<string, string>
      const model = await send(
        `${tls.httpsUrl ?? ''}/backend-api/codex/responses`,
        {
          method: 'POST',
          headers: {
            host: 'chatgpt.com',
            authorization: `Bearer ${body.access_token ?? ''}`,
            'chatgpt-account-id': body.chatgpt_account_id ?? ''
          },
          body: '{}',
          ca: tls.caCertPem ?? ''
        }
      )
      expect(model.status).toBe(200)
      expect(
        tls.requests.map((entry) => [entry.route, entry.listener])
      ).toEqual([
        ['oidc-token', 'http'],
        ['token-exchange', 'https'],
        ['responses', 'https']
      ])
    } finally {
      await tls.close()
    }
  })
})
