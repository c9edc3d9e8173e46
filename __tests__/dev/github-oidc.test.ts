import {
  createLocalJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet
} from 'jose'
import {
  GITHUB_OIDC_KEY_ID,
  startDevBackend,
  type DevBackend,
  type GithubOidcOptions
} from '../../dev/backend/index.js'
import { jwtPayload, send, type Reply } from './helpers.js'

type HeaderSet = Record<string, string>

const NOW = Date.parse('2026-06-01T12:00:00Z')
const NOW_S = NOW / 1000
let backend: DevBackend

beforeAll(async () => {
  backend = await startDevBackend({ now: () => NOW })
})
afterAll(() => backend.close())
beforeEach(() => backend.clearRequests())

/** The request `@actions/core` getIDToken sends. */
function requestToken(
  target: DevBackend,
  audience: string | undefined,
  headers: Record<string, string> = {
    authorization: `Bearer ${target.oidcRequestToken}`
  }
): Promise<Reply> {
  const url =
    audience === undefined
      ? target.oidcRequestUrl
      : `${target.oidcRequestUrl}&audience=${encodeURIComponent(audience)}`
  return send(url, { headers })
}

function tokenFrom(reply: Reply): string {
  expect(reply.status).toBe(200)
  const body = JSON.parse(reply.body) as Record<string, unknown>
  expect(Object.keys(body)).toEqual(['value'])
  return body.value as string
}

describe('GitHub OIDC token request', () => {
  it.each([
    ['no Authorization header', (): HeaderSet => ({}), 401],
    ['a Basic scheme', (): HeaderSet => ({ authorization: 'Basic eDp5' }), 401],
    [
      'a lower-case bearer scheme',
      (token: string): HeaderSet => ({ authorization: `bearer ${token}` }),
      401
    ],
    ['an empty bearer', (): HeaderSet => ({ authorization: 'Bearer ' }), 401],
    [
      'the wrong request token',
      (): HeaderSet => ({ authorization: 'Bearer not-it' }),
      403
    ],
    [
      'the token with a suffix',
      (token: string): HeaderSet => ({ authorization: `Bearer ${token}x` }),
      403
    ]
  ])('refuses %s', async (_name, headers, status) => {
    const reply = await requestToken(
      backend,
      'aud',
      headers(backend.oidcRequestToken)
    )
    expect(reply.status).toBe(status)
    expect(reply.body).not.toContain('"value"')
    expect(backend.requests.at(-1)).toMatchObject({
      route: 'oidc-token',
      status
    })
    expect(backend.oidcTokens().filter((t) => t.source === 'request')).toEqual(
      []
    )
  })

  it.each([
    [
      'a query replaced instead of appended to',
      (b: DevBackend): string =>
        `${b.oidcRequestUrl.split('?')[0] ?? ''}?audience=aud`
    ],
    [
      'an audience given twice',
      (b: DevBackend): string => `${b.oidcRequestUrl}&audience=a&audience=b`
    ],
    [
      'an empty audience',
      (b: DevBackend): string => `${b.oidcRequestUrl}&audience=`
    ]
  ])('answers 400 to %s', async (_name, url) => {
    const reply = await send(url(backend), {
      headers: { authorization: `Bearer ${backend.oidcRequestToken}` }
    })
    expect(reply.status).toBe(400)
  })

  it('answers 405 to a POST', async () => {
    const reply = await send(backend.oidcRequestUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${backend.oidcRequestToken}` }
    })
    expect(reply.status).toBe(405)
  })

  it("issues an RS256 JWT with GitHub's claims that verifies against its JWKS", async () => {
    const jwt = tokenFrom(
      await requestToken(backend, 'https://example.test/codex')
    )
    expect(decodeProtectedHeader(jwt)).toEqual({
      typ: 'JWT',
      alg: 'RS256',
      kid: GITHUB_OIDC_KEY_ID
    })
    const jwksReply = await send(backend.oidcJwksUrl)
    expect(backend.requests.at(-1)?.route).toBe('oidc-jwks')
    const jwks = JSON.parse(jwksReply.body) as JSONWebKeySet
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      issuer: backend.oidcIssuer,
      audience: 'https://example.test/codex',
      currentDate: new Date(NOW)
    })
    expect(backend.oidcIssuer).toBe(`${backend.url}/oidc`)
    expect(payload).toEqual({
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      aud: 'https://example.test/codex',
      ref: 'refs/heads/main',
      sha: expect.stringMatching(/^[0-9a-f]{40}$/) as unknown,
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      run_id: expect.any(String) as unknown,
      run_number: expect.any(String) as unknown,
      run_attempt: '1',
      actor: 'octocat',
      workflow: 'CI',
      event_name: 'push',
      job_workflow_ref:
        'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
      runner_environment: 'github-hosted',
      iss: backend.oidcIssuer,
      nbf: NOW_S,
      exp: NOW_S + 300,
      iat: NOW_S
    })
    const issued = backend.oidcTokens().at(-1)
    expect(issued).toMatchObject({ jwt, source: 'request', jti: payload.jti })
  })

  it("defaults the audience to the owner's GitHub URL, as GitHub does", async () => {
    const jwt = tokenFrom(await requestToken(backend, undefined))
    expect(jwtPayload(jwt).aud).toBe('https://github.com/octo-org')
  })

  it('gives every token its own jti', async () => {
    const jtis = await Promise.all(
      Array.from(
        { length: 6 },
        async () =>
          jwtPayload(tokenFrom(await requestToken(backend, 'aud'))).jti
      )
    )
    expect(new Set(jtis).size).toBe(6)
  })

  it('serves an openid-configuration naming its issuer and JWKS', async () => {
    const reply = await send(
      `${backend.oidcIssuer}/.well-known/openid-configuration`
    )
    expect(JSON.parse(reply.body)).toMatchObject({
      issuer: backend.oidcIssuer,
      jwks_uri: backend.oidcJwksUrl
    })
    expect(backend.requests.at(-1)?.route).toBe('oidc-configuration')
  })
})

describe('GitHub OIDC claims per instance', () => {
  const cases: [
    string,
    GithubOidcOptions,
    Record<string, unknown>,
    absent: string[]
  ][] = [
    [
      'a branch push',
      { repository: 'acme/app', ref: 'refs/heads/dev' },
      { sub: 'repo:acme/app:ref:refs/heads/dev', repository_owner: 'acme' },
      ['environment']
    ],
    [
      'a deployment environment',
      { repository: 'acme/app', environment: 'production' },
      {
        sub: 'repo:acme/app:environment:production',
        environment: 'production'
      },
      []
    ],
    [
      'a pull request',
      { repository: 'acme/app', eventName: 'pull_request' },
      { sub: 'repo:acme/app:pull_request', event_name: 'pull_request' },
      ['environment']
    ],
    [
      'a forced ref subject despite an environment',
      { repository: 'acme/app', environment: 'prod', subject: 'ref' },
      { sub: 'repo:acme/app:ref:refs/heads/main', environment: 'prod' },
      []
    ],
    [
      'a custom issuer, lifetime and claim override',
      {
        issuer: 'https://token.actions.githubusercontent.com',
        lifetimeSeconds: 60,
        runnerEnvironment: 'self-hosted',
        claims: { actor: undefined, repository_visibility: 'private' }
      },
      {
        iss: 'https://token.actions.githubusercontent.com',
        exp: NOW_S + 60,
        runner_environment: 'self-hosted',
        repository_visibility: 'private'
      },
      ['actor']
    ]
  ]

  it.each(cases)(
    'mints the claims of %s',
    async (_name, oidc, expected, absent) => {
      const custom = await startDevBackend({
        now: () => NOW,
        oidc: { requestToken: 'fixed-request-token', ...oidc }
      })
      try {
        expect(custom.oidcRequestToken).toBe('fixed-request-token')
        const claims = jwtPayload(tokenFrom(await requestToken(custom, 'aud')))
        expect(claims).toMatchObject(expected)
        expect(absent.filter((name) => name in claims)).toEqual([])
      } finally {
        await custom.close()
      }
    }
  )

  it('changes the claims of later tokens with configureOidc', async () => {
    const custom = await startDevBackend({ now: () => NOW })
    try {
      custom.configureOidc({ ref: 'refs/tags/v1' })
      const claims = jwtPayload(tokenFrom(await requestToken(custom, 'aud')))
      expect(claims.sub).toBe('repo:octo-org/octo-repo:ref:refs/tags/v1')
    } finally {
      await custom.close()
    }
  })
})
