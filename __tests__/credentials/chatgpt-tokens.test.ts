import {
  AUTH_CLAIM,
  PROFILE_CLAIM,
  accessTokenExpiry,
  isAccessTokenExpired,
  isJwtShaped,
  isUsableToken,
  mergeRefreshReply,
  parseChatgptAuth,
  parseRfc3339,
  refreshReason,
  workspaceAccountId,
  type ChatgptAuth
} from '../../src/credentials/chatgpt-tokens.js'
import { decodeJwtPayload } from '../../src/credentials/jwt.js'
import type { AuthJson } from '../../src/credentials/types.js'
import { ActionError } from '../../src/errors.js'
import {
  REFRESH_INVALID_ID_TOKEN,
  chatgptAccountIdInvalid,
  chatgptClaimInvalid,
  chatgptIdTokenNotJwt,
  chatgptLastRefreshInvalid,
  chatgptLastRefreshMissing,
  chatgptTokenInvalid,
  chatgptTokensMissing
} from '../../src/messages/chatgpt.js'

const NOW = new Date('2026-08-22T05:54:43.000Z')
const SOURCE = 'input auth-json'
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

const b64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url')

/** An unsigned-looking JWT (Codex reads, never verifies, these). */
function jwt(payload: unknown): string {
  return `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(payload)}.c2ln`
}

const ID_CLAIMS = {
  email: 'user@example.com',
  [AUTH_CLAIM]: {
    chatgpt_account_id: 'acct-claim',
    chatgpt_plan_type: 'pro',
    chatgpt_user_id: 'user-1',
    chatgpt_account_is_fedramp: true
  }
}

function accessToken(expiresInMs: number): string {
  return jwt({ exp: Math.floor((NOW.getTime() + expiresInMs) / 1000) })
}

function doc(
  tokens: Record<string, unknown> = {},
  extra: Partial<AuthJson> = {}
): AuthJson {
  return {
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: {
      id_token: jwt(ID_CLAIMS),
      access_token: accessToken(60 * MINUTE),
      refresh_token: 'rt-refresh-token-0123456789',
      account_id: 'acct-tokens',
      ...tokens
    },
    last_refresh: '2026-08-22T05:00:00Z',
    ...extra
  }
}

function parse(d: AuthJson): ChatgptAuth {
  return parseChatgptAuth(d, SOURCE)
}

function errorOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ActionError)
    return (err as Error).message
  }
  throw new Error('expected an error')
}

describe('JWT shape', () => {
  const payload = b64url({ a: 1 })
  it.each([
    [
      'three non-empty parts with a JSON object payload',
      `h.${payload}.s`,
      true
    ],
    ['two parts', `h.${payload}`, false],
    ['four parts', `h.${payload}.s.x`, false],
    ['an empty signature', `h.${payload}.`, false],
    ['an empty header', `.${payload}.s`, false],
    [
      'a padded payload',
      `h.${Buffer.from('{"a":12}').toString('base64')}.s`,
      false
    ],
    [
      'a payload that is not JSON',
      `h.${Buffer.from('nope').toString('base64url')}.s`,
      false
    ],
    ['a JSON array payload', `h.${b64url([1])}.s`, false],
    ['an opaque token', 'oat-0123456789abcdef', false]
  ])('%s', (_name, token, shaped) => {
    expect(isJwtShaped(token)).toBe(shaped)
  })

  it('decodes the payload', () => {
    expect(decodeJwtPayload(jwt({ exp: 5 }))).toEqual({ exp: 5 })
  })
})

describe('parseChatgptAuth', () => {
  it('reads tokens, claims and last_refresh', () => {
    const auth = parse(doc())
    expect(auth.tokens).toEqual({
      idToken: jwt(ID_CLAIMS),
      accessToken: accessToken(60 * MINUTE),
      refreshToken: 'rt-refresh-token-0123456789',
      accountId: 'acct-tokens'
    })
    expect(auth.claims).toEqual({
      email: 'user@example.com',
      chatgptAccountId: 'acct-claim',
      chatgptPlanType: 'pro',
      chatgptUserId: 'user-1',
      fedramp: true
    })
    expect(auth.lastRefresh.toISOString()).toBe('2026-08-22T05:00:00.000Z')
  })

  it.each([
    ['no tokens', doc({}, { tokens: undefined }), chatgptTokensMissing(SOURCE)],
    ['tokens null', doc({}, { tokens: null }), chatgptTokensMissing(SOURCE)],
    ['tokens an array', doc({}, { tokens: [] }), chatgptTokensMissing(SOURCE)],
    [
      'id_token missing',
      doc({ id_token: undefined }),
      chatgptTokenInvalid(SOURCE, 'id_token')
    ],
    [
      'access_token empty',
      doc({ access_token: '' }),
      chatgptTokenInvalid(SOURCE, 'access_token')
    ],
    [
      'refresh_token a number',
      doc({ refresh_token: 42 }),
      chatgptTokenInvalid(SOURCE, 'refresh_token')
    ],
    [
      'access_token with a line break',
      doc({ access_token: 'abc\ndef' }),
      chatgptTokenInvalid(SOURCE, 'access_token')
    ],
    [
      'id_token not JWT-shaped',
      doc({ id_token: 'stale.header.payload' }),
      chatgptIdTokenNotJwt(SOURCE)
    ],
    [
      'account_id a number',
      doc({ account_id: 7 }),
      chatgptAccountIdInvalid(SOURCE)
    ],
    [
      'last_refresh missing',
      doc({}, { last_refresh: undefined }),
      chatgptLastRefreshMissing(SOURCE)
    ],
    [
      'last_refresh not a time',
      doc({}, { last_refresh: 'yesterday' }),
      chatgptLastRefreshInvalid(SOURCE)
    ],
    [
      'last_refresh a number',
      doc({}, { last_refresh: 1700000000 }),
      chatgptLastRefreshInvalid(SOURCE)
    ],
    [
      'a plan claim that is not a string',
      doc({ id_token: jwt({ [AUTH_CLAIM]: { chatgpt_plan_type: 3 } }) }),
      chatgptClaimInvalid(SOURCE, `${AUTH_CLAIM}.chatgpt_plan_type`, 'a string')
    ],
    [
      'an auth claim that is not an object',
      doc({ id_token: jwt({ [AUTH_CLAIM]: 'x' }) }),
      chatgptClaimInvalid(SOURCE, AUTH_CLAIM, 'an object')
    ],
    [
      'a fedramp claim that is not a boolean',
      doc({
        id_token: jwt({ [AUTH_CLAIM]: { chatgpt_account_is_fedramp: 'yes' } })
      }),
      chatgptClaimInvalid(
        SOURCE,
        `${AUTH_CLAIM}.chatgpt_account_is_fedramp`,
        'a boolean'
      )
    ]
  ])('rejects %s with a message naming the field', (_name, d, message) => {
    expect(errorOf(() => parse(d))).toBe(message)
  })

  it('never puts a token value in a message', () => {
    const secret = 'rt-secret value-with-space'
    expect(errorOf(() => parse(doc({ refresh_token: secret })))).not.toContain(
      secret
    )
  })

  it('takes email from the profile claim and user id from user_id as fallbacks', () => {
    const auth = parse(
      doc({
        id_token: jwt({
          [PROFILE_CLAIM]: { email: 'profile@example.com' },
          [AUTH_CLAIM]: { user_id: 'user-fallback' }
        })
      })
    )
    expect(auth.claims).toEqual({
      email: 'profile@example.com',
      chatgptUserId: 'user-fallback',
      fedramp: false
    })
  })

  it('treats null claims as absent', () => {
    const auth = parse(
      doc({
        id_token: jwt({
          email: null,
          [AUTH_CLAIM]: {
            chatgpt_account_id: null,
            chatgpt_account_is_fedramp: null
          }
        })
      })
    )
    expect(auth.claims).toEqual({ fedramp: false })
  })
})

describe('account id rules', () => {
  it('tokens.account_id wins for the header and the workspace', () => {
    const auth = parse(doc())
    expect(auth.tokens.accountId).toBe('acct-tokens')
    expect(workspaceAccountId(auth)).toBe('acct-tokens')
  })

  it.each([
    ['null', null],
    ['empty', ''],
    ['missing', undefined]
  ])(
    'account_id %s: no header account, the id_token claim for the workspace only',
    (_name, accountId) => {
      const auth = parse(doc({ account_id: accountId }))
      expect(auth.tokens.accountId).toBeUndefined()
      expect(workspaceAccountId(auth)).toBe('acct-claim')
    }
  )

  it('no account anywhere', () => {
    const auth = parse(doc({ account_id: null, id_token: jwt({}) }))
    expect(workspaceAccountId(auth)).toBeUndefined()
  })
})

describe('refresh decision (Codex: 5-minute exp window, 8 days for opaque)', () => {
  const withAccess = (access: string, lastRefreshAgoMs = 0): ChatgptAuth =>
    parse(
      doc(
        { access_token: access },
        {
          last_refresh: new Date(NOW.getTime() - lastRefreshAgoMs).toISOString()
        }
      )
    )

  it.each([
    ['expires in 4 minutes', 4 * MINUTE, 'proactive_expiry'],
    ['expires in exactly 5 minutes', 5 * MINUTE, 'proactive_expiry'],
    ['expires in 5 minutes and a second', 5 * MINUTE + 1000, undefined],
    ['expires in 6 minutes', 6 * MINUTE, undefined],
    ['expired an hour ago', -60 * MINUTE, 'proactive_expiry']
  ])('JWT access token that %s', (_name, expiresIn, expected) => {
    expect(refreshReason(withAccess(accessToken(expiresIn)), NOW)).toBe(
      expected
    )
  })

  it('a JWT access token with a numeric exp ignores an old last_refresh', () => {
    expect(
      refreshReason(withAccess(accessToken(60 * MINUTE), 30 * DAY), NOW)
    ).toBeUndefined()
  })

  it.each([
    ['7 days', 7 * DAY, undefined],
    ['8 days less a second', 8 * DAY - 1000, undefined],
    ['9 days', 9 * DAY, 'scheduled']
  ])('opaque access token refreshed %s ago', (_name, ago, expected) => {
    expect(refreshReason(withAccess('oat-opaque-token', ago), NOW)).toBe(
      expected
    )
  })

  it.each([
    ['no exp', jwt({ sub: 'x' })],
    ['a string exp', jwt({ exp: '1893456000' })]
  ])('a JWT access token with %s follows the last_refresh rule', (_n, at) => {
    expect(refreshReason(withAccess(at, 7 * DAY), NOW)).toBeUndefined()
    expect(refreshReason(withAccess(at, 9 * DAY), NOW)).toBe('scheduled')
  })

  it('expiry is known only for JWTs with a numeric exp', () => {
    expect(accessTokenExpiry(accessToken(0))).toBe(NOW.getTime())
    expect(accessTokenExpiry('oat-opaque')).toBeUndefined()
    expect(isAccessTokenExpired(withAccess(accessToken(-1000)), NOW)).toBe(true)
    expect(isAccessTokenExpired(withAccess(accessToken(1000)), NOW)).toBe(false)
    expect(isAccessTokenExpired(withAccess('oat-opaque', 30 * DAY), NOW)).toBe(
      false
    )
  })
})

describe('mergeRefreshReply', () => {
  const later = new Date('2026-08-22T06:00:00.123Z')

  it('replaces only what came back and sets last_refresh', () => {
    const auth = parse(doc({}, { agent_identity: 'kept-as-is' }))
    const merged = mergeRefreshReply(
      auth,
      { access_token: 'new-access', refresh_token: 'new-refresh' },
      later
    )
    expect(merged.tokens).toEqual({
      ...auth.tokens,
      accessToken: 'new-access',
      refreshToken: 'new-refresh'
    })
    expect(merged.doc).toEqual({
      ...auth.doc,
      tokens: {
        id_token: auth.tokens.idToken,
        access_token: 'new-access',
        refresh_token: 'new-refresh',
        account_id: 'acct-tokens'
      },
      last_refresh: '2026-08-22T06:00:00.123Z'
    })
    expect(merged.lastRefresh).toBe(later)
    expect(merged.claims).toEqual(auth.claims)
    // The loaded document is not modified.
    expect((auth.doc.tokens as Record<string, unknown>)['access_token']).toBe(
      auth.tokens.accessToken
    )
  })

  it('a new id_token brings new claims', () => {
    const idToken = jwt({ [AUTH_CLAIM]: { chatgpt_plan_type: 'team' } })
    const merged = mergeRefreshReply(parse(doc()), { id_token: idToken }, later)
    expect(merged.tokens.idToken).toBe(idToken)
    expect(merged.claims).toEqual({ chatgptPlanType: 'team', fedramp: false })
  })

  it.each([
    ['not JWT-shaped', 'not-a-jwt'],
    ['with a claim of the wrong type', jwt({ email: 5 })]
  ])('an id_token %s fails with Codex text', (_name, idToken) => {
    expect(
      errorOf(() =>
        mergeRefreshReply(parse(doc()), { id_token: idToken }, later)
      )
    ).toBe(REFRESH_INVALID_ID_TOKEN)
  })
})

describe('caps on values kept or exported', () => {
  const tooLong = (field: string, length: number, max: number): string =>
    `${field} in the credential from ${SOURCE} is ${length} characters long, more than the ${max} this action accepts. Store the credential exactly as issued.`

  it.each([
    ['access_token', 'a'.repeat(16 * 1024 + 1)],
    ['refresh_token', 'r'.repeat(16 * 1024 + 1)],
    ['id_token', jwt({ ...ID_CLAIMS, pad: 'x'.repeat(16 * 1024) })]
  ])('tokens.%s over 16 KiB', (field, token) => {
    expect(errorOf(() => parse(doc({ [field]: token })))).toBe(
      tooLong(`tokens.${field}`, token.length, 16 * 1024)
    )
  })

  it('a token of exactly 16 KiB passes', () => {
    const token = 'a'.repeat(16 * 1024)
    expect(parse(doc({ refresh_token: token })).tokens.refreshToken).toBe(token)
  })

  it('tokens.account_id over 256 characters', () => {
    expect(errorOf(() => parse(doc({ account_id: 'a'.repeat(257) })))).toBe(
      tooLong('tokens.account_id', 257, 256)
    )
  })

  it.each([
    ['chatgpt_account_id', 256],
    ['chatgpt_plan_type', 64]
  ])('the id_token claim %s over %i characters', (claim, max) => {
    const idToken = jwt({ [AUTH_CLAIM]: { [claim]: 'v'.repeat(max + 1) } })
    expect(errorOf(() => parse(doc({ id_token: idToken })))).toBe(
      tooLong(`${AUTH_CLAIM}.${claim}`, max + 1, max)
    )
  })

  it('a refresh reply over a cap names the field, not an invalid id_token', () => {
    const later = new Date('2026-08-22T06:00:00.123Z')
    const big = 'n'.repeat(16 * 1024 + 1)
    expect(
      errorOf(() =>
        mergeRefreshReply(parse(doc()), { access_token: big }, later)
      )
    ).toBe(
      `access_token in the credential from the token endpoint is ${big.length} characters long, more than the 16384 this action accepts. Store the credential exactly as issued.`
    )
    const idToken = jwt({ [AUTH_CLAIM]: { chatgpt_plan_type: 'p'.repeat(65) } })
    expect(
      errorOf(() =>
        mergeRefreshReply(parse(doc()), { id_token: idToken }, later)
      )
    ).toContain(
      'https://api.openai.com/auth.chatgpt_plan_type in the credential from the token endpoint is 65 characters long'
    )
  })
})

describe('helpers', () => {
  it.each([
    ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00.123456789Z', '2026-01-01T00:00:00.123Z'],
    ['2026-01-01t02:00:00+02:00', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01 00:00:00z', '2026-01-01T00:00:00.000Z']
  ])('parses RFC 3339 %s', (text, iso) => {
    expect(parseRfc3339(text)?.toISOString()).toBe(iso)
  })

  it.each(['2026-01-01', '2026-01-01T00:00:00', 'Tue, 01 Jan 2026', ''])(
    'rejects %j',
    (text) => {
      expect(parseRfc3339(text)).toBeUndefined()
    }
  )

  it('usable tokens', () => {
    expect(isUsableToken('abc')).toBe(true)
    for (const bad of ['', ' abc', 'a b', 'a\tb', 5, null]) {
      expect(isUsableToken(bad)).toBe(false)
    }
  })
})
