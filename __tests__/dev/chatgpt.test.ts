import {
  CODEX_OAUTH_CLIENT_ID,
  startDevBackend,
  type DevBackend
} from '../../dev/backend/index.js'
import { jwtPayload, postJson, send, type Reply } from './helpers.js'

const NOW = Date.parse('2026-06-01T12:00:00Z')
let backend: DevBackend

beforeAll(async () => {
  backend = await startDevBackend({ now: () => NOW })
})
afterAll(() => backend.close())

function refresh(
  refreshToken: string,
  reason = 'proactive_expiry'
): Promise<Reply> {
  return postJson(
    backend.refreshTokenUrl,
    JSON.stringify({
      client_id: CODEX_OAUTH_CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_reason: reason,
      refresh_token: refreshToken
    })
  )
}

function error(reply: Reply): { code: string; message: string } {
  return (
    JSON.parse(reply.body) as { error: { code: string; message: string } }
  ).error
}

describe('mintChatgptAuth', () => {
  it('returns an auth.json in Codex order with the identity claims', () => {
    const auth = backend.mintChatgptAuth({
      accountId: 'acct-42',
      email: 'dev@example.test',
      planType: 'team',
      fedramp: true,
      accessTokenExpiresIn: 120
    })
    expect(Object.keys(auth)).toEqual([
      'auth_mode',
      'OPENAI_API_KEY',
      'tokens',
      'last_refresh'
    ])
    expect(Object.keys(auth.tokens)).toEqual([
      'id_token',
      'access_token',
      'refresh_token',
      'account_id'
    ])
    expect(auth).toMatchObject({
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      last_refresh: '2026-06-01T12:00:00Z'
    })
    expect(auth.tokens.account_id).toBe('acct-42')
    expect(auth.tokens.refresh_token).toMatch(/^rt-/)
    const idClaims = jwtPayload(auth.tokens.id_token)
    expect(idClaims.email).toBe('dev@example.test')
    expect(idClaims['https://api.openai.com/auth']).toMatchObject({
      chatgpt_account_id: 'acct-42',
      chatgpt_plan_type: 'team',
      chatgpt_account_is_fedramp: true
    })
    expect(jwtPayload(auth.tokens.access_token).exp).toBe(NOW / 1000 + 120)
  })

  it('mints opaque access tokens and a null account_id on request', () => {
    const auth = backend.mintChatgptAuth({
      opaqueAccessToken: true,
      tokensAccountId: null
    })
    expect(auth.tokens.access_token.split('.')).toHaveLength(1)
    expect(auth.tokens.account_id).toBeNull()
  })
})

describe('POST /oauth/token', () => {
  it('rotates every token once, then reports reuse', async () => {
    const auth = backend.mintChatgptAuth({ accountId: 'acct-rotate' })
    const first = await refresh(auth.tokens.refresh_token, 'scheduled')
    expect(first.status).toBe(200)
    const rotated = JSON.parse(first.body) as Record<string, string>
    expect(Object.keys(rotated).sort()).toEqual([
      'access_token',
      'id_token',
      'refresh_token'
    ])
    expect(rotated.refresh_token).not.toBe(auth.tokens.refresh_token)
    expect(rotated.access_token).not.toBe(auth.tokens.access_token)
    expect(backend.chatgptTokens('acct-rotate')).toMatchObject({
      accessToken: rotated.access_token,
      refreshToken: rotated.refresh_token,
      refreshCount: 1,
      refreshReasons: ['scheduled']
    })
    expect(backend.refreshTokenState(auth.tokens.refresh_token)).toBe('used')

    const reused = await refresh(auth.tokens.refresh_token)
    expect(reused.status).toBe(401)
    expect(error(reused).code).toBe('refresh_token_reused')

    const second = await refresh(rotated.refresh_token ?? '')
    expect(second.status).toBe(200)
    expect(backend.chatgptTokens('acct-rotate')?.refreshCount).toBe(2)
  })

  it.each([
    ['expired', 'refresh_token_expired'],
    ['revoked', 'refresh_token_invalidated']
  ] as const)('answers 401 for an %s token', async (state, code) => {
    const auth = backend.mintChatgptAuth({ refreshTokenState: state })
    const reply = await refresh(auth.tokens.refresh_token)
    expect(reply.status).toBe(401)
    expect(error(reply).code).toBe(code)
  })

  it('marks a token revoked after minting', async () => {
    const auth = backend.mintChatgptAuth()
    backend.setRefreshTokenState(auth.tokens.refresh_token, 'revoked')
    expect(error(await refresh(auth.tokens.refresh_token)).code).toBe(
      'refresh_token_invalidated'
    )
  })

  it('answers 401 invalid_grant for an unknown token', async () => {
    const reply = await refresh('rt-never-issued')
    expect(reply.status).toBe(401)
    expect(error(reply).code).toBe('invalid_grant')
  })

  it('rejects a wrong client id, key order or content type', async () => {
    const auth = backend.mintChatgptAuth()
    const token = auth.tokens.refresh_token
    const wrongClient = await postJson(
      backend.refreshTokenUrl,
      JSON.stringify({
        client_id: 'app_other',
        grant_type: 'refresh_token',
        refresh_reason: 'scheduled',
        refresh_token: token
      })
    )
    expect(wrongClient.status).toBe(401)
    const reordered = await postJson(
      backend.refreshTokenUrl,
      JSON.stringify({
        grant_type: 'refresh_token',
        client_id: CODEX_OAUTH_CLIENT_ID,
        refresh_reason: 'scheduled',
        refresh_token: token
      })
    )
    expect(reordered.status).toBe(400)
    const form = await send(backend.refreshTokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=refresh_token&refresh_token=${token}`
    })
    expect(form.status).toBe(400)
    // None of these spent the token.
    expect((await refresh(token)).status).toBe(200)
  })

  it('keeps the refresh token when rotation is off', async () => {
    const auth = backend.mintChatgptAuth({
      rotateRefreshToken: false,
      omitIdTokenOnRefresh: true
    })
    const reply = await refresh(auth.tokens.refresh_token)
    expect(Object.keys(JSON.parse(reply.body) as object)).toEqual([
      'access_token'
    ])
    expect((await refresh(auth.tokens.refresh_token)).status).toBe(200)
  })
})

describe('PAT whoami', () => {
  const whoamiUrl = (): string =>
    `${backend.authapiBaseUrl}/v1/user-auth-credential/whoami`

  it('answers the account of a known PAT', async () => {
    const pat = backend.mintPersonalAccessToken({
      accountId: 'acct-pat',
      email: 'pat@example.test',
      planType: 'enterprise',
      fedramp: true
    })
    const reply = await send(whoamiUrl(), {
      headers: { authorization: `Bearer ${pat.token}` }
    })
    expect(reply.status).toBe(200)
    expect(reply.body).toBe(
      JSON.stringify({
        email: 'pat@example.test',
        chatgpt_user_id: pat.userId,
        chatgpt_account_id: 'acct-pat',
        chatgpt_plan_type: 'enterprise',
        chatgpt_account_is_fedramp: true
      })
    )
  })

  it.each([
    ['an unknown token', { authorization: 'Bearer at-unknown' }],
    ['no Authorization', {}],
    ['a non-PAT bearer', { authorization: 'Bearer sk-test' }]
  ])('answers 401 for %s', async (_name, headers) => {
    const reply = await send(whoamiUrl(), { headers })
    expect(reply.status).toBe(401)
  })

  it('answers 401 once a PAT is revoked', async () => {
    const pat = backend.mintPersonalAccessToken()
    backend.revokePersonalAccessToken(pat.token)
    const reply = await send(whoamiUrl(), {
      headers: { authorization: `Bearer ${pat.token}` }
    })
    expect(reply.status).toBe(401)
  })
})

describe('describeAuthorization', () => {
  it('tells current, superseded and foreign tokens apart', async () => {
    const auth = backend.mintChatgptAuth({ accountId: 'acct-describe' })
    const old = auth.tokens.access_token
    await refresh(auth.tokens.refresh_token)
    const current = backend.chatgptTokens('acct-describe')?.accessToken ?? ''
    expect(backend.describeAuthorization(`Bearer ${current}`)).toEqual({
      kind: 'chatgptAccessToken',
      accountId: 'acct-describe',
      current: true
    })
    expect(backend.describeAuthorization(`Bearer ${old}`)).toMatchObject({
      current: false
    })
    const pat = backend.mintPersonalAccessToken({ accountId: 'acct-p' })
    expect(backend.describeAuthorization(`Bearer ${pat.token}`)).toEqual({
      kind: 'personalAccessToken',
      accountId: 'acct-p',
      known: true
    })
    expect(backend.describeAuthorization('Bearer sk-x')).toEqual({
      kind: 'bearer',
      token: 'sk-x'
    })
    expect(backend.describeAuthorization(undefined)).toEqual({ kind: 'none' })
  })
})
