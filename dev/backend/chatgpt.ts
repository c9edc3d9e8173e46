import { randomBytes, randomUUID } from 'node:crypto'
import { formatWholeSecondTimestamp } from './encoding.js'
import { applyOverrides, encodeJwt } from './jwt.js'
import { JWKS_KEY_ID, jwksSigningKey } from './keys.js'

/** The OAuth client id Codex refreshes with (SPEC 6). */
export const CODEX_OAUTH_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann'
const AUTH_CLAIM = 'https://api.openai.com/auth'
const PROFILE_CLAIM = 'https://api.openai.com/profile'
const TOKEN_ISSUER = 'https://auth.openai.com'

/** auth.json in ChatGPT mode, keys in Codex's order (SPEC 6 and 7). */
export interface ChatgptAuthJson {
  auth_mode: 'chatgpt'
  OPENAI_API_KEY: null
  tokens: {
    id_token: string
    access_token: string
    refresh_token: string
    account_id: string | null
  }
  last_refresh: string
}

/** State of a refresh token as the token endpoint sees it. */
export type RefreshTokenState = 'valid' | 'used' | 'expired' | 'revoked'

/** Options of `mintChatgptAuth`; every field has a working default. */
export interface MintChatgptAuthOptions {
  accountId?: string
  userId?: string
  email?: string
  planType?: string
  fedramp?: boolean
  /** Access token lifetime in seconds (default 3600; ≤ 0 = expired). */
  accessTokenExpiresIn?: number
  /** An opaque access token (no JWT, no `exp`) instead of a JWT. */
  opaqueAccessToken?: boolean
  /** Lifetime of access tokens issued by later refreshes (default 3600). */
  refreshedAccessTokenExpiresIn?: number
  /** `tokens.account_id`; defaults to `accountId`, `null` to test fallback. */
  tokensAccountId?: string | null
  /** `last_refresh`; defaults to the backend clock. */
  lastRefresh?: Date | string
  /** Initial state of the refresh token (default valid). */
  refreshTokenState?: 'valid' | 'expired' | 'revoked'
  /** Claim overrides for the id_token; `undefined` removes a claim. */
  idTokenClaims?: Record<string, unknown>
  /** When false, refreshes keep the refresh token and omit it from replies. */
  rotateRefreshToken?: boolean
  /** When true, refresh replies leave `id_token` out. */
  omitIdTokenOnRefresh?: boolean
}

/** Current tokens of one login (a family of rotated tokens). */
export interface ChatgptTokens {
  accountId: string
  idToken: string
  accessToken: string
  refreshToken: string
  /** Successful refreshes so far. */
  refreshCount: number
  /** `refresh_reason` of each successful refresh, in order. */
  refreshReasons: string[]
}

interface Family extends ChatgptTokens {
  userId: string
  email: string
  planType: string
  fedramp: boolean
  opaque: boolean
  refreshedLifetime: number
  rotate: boolean
  omitIdToken: boolean
  idTokenClaims?: Record<string, unknown>
  /** Access tokens this family issued before the current one. */
  oldAccessTokens: string[]
}

/** Outcome of a refresh attempt, before it becomes HTTP. */
export type RefreshOutcome =
  | {
      ok: true
      reply: { id_token?: string; access_token: string; refresh_token?: string }
    }
  | { ok: false; code: string; message: string }

/** Where a bearer token came from, if this backend issued it. */
export interface AccessTokenOwner {
  accountId: string
  /** False once a refresh replaced it. */
  current: boolean
}

/**
 * ChatGPT logins with real refresh-token rotation: a refresh token works
 * once, and each refresh issues new access, id and refresh tokens.
 */
export class ChatgptAccounts {
  private readonly families: Family[] = []
  private readonly refreshTokens = new Map<
    string,
    { family: Family; state: RefreshTokenState }
  >()

  constructor(private readonly now: () => number) {}

  /** Creates a login and returns its auth.json. */
  mint(options: MintChatgptAuthOptions = {}): ChatgptAuthJson {
    const accountId = options.accountId ?? randomUUID()
    const family: Family = {
      accountId,
      userId: options.userId ?? `user-${randomBytes(8).toString('hex')}`,
      email: options.email ?? 'chatgpt-user@dev-backend.test',
      planType: options.planType ?? 'plus',
      fedramp: options.fedramp ?? false,
      opaque: options.opaqueAccessToken ?? false,
      refreshedLifetime: options.refreshedAccessTokenExpiresIn ?? 3600,
      rotate: options.rotateRefreshToken ?? true,
      omitIdToken: options.omitIdTokenOnRefresh ?? false,
      ...(options.idTokenClaims
        ? { idTokenClaims: options.idTokenClaims }
        : {}),
      idToken: '',
      accessToken: '',
      refreshToken: '',
      refreshCount: 0,
      refreshReasons: [],
      oldAccessTokens: []
    }
    family.idToken = this.idToken(family)
    family.accessToken = this.accessToken(
      family,
      options.accessTokenExpiresIn ?? 3600
    )
    family.refreshToken = this.newRefreshToken(
      family,
      options.refreshTokenState ?? 'valid'
    )
    this.families.push(family)
    const lastRefresh =
      options.lastRefresh === undefined
        ? formatWholeSecondTimestamp(this.now())
        : typeof options.lastRefresh === 'string'
          ? options.lastRefresh
          : options.lastRefresh.toISOString()
    return {
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: {
        id_token: family.idToken,
        access_token: family.accessToken,
        refresh_token: family.refreshToken,
        account_id:
          options.tokensAccountId === undefined
            ? accountId
            : options.tokensAccountId
      },
      last_refresh: lastRefresh
    }
  }

  /** Redeems a refresh token: rotates on success, explains on failure. */
  refresh(refreshToken: string, reason: string): RefreshOutcome {
    const entry = this.refreshTokens.get(refreshToken)
    if (!entry) {
      return {
        ok: false,
        code: 'invalid_grant',
        message: 'Unknown refresh token.'
      }
    }
    switch (entry.state) {
      case 'used':
        return {
          ok: false,
          code: 'refresh_token_reused',
          message: 'Your refresh token has already been used.'
        }
      case 'expired':
        return {
          ok: false,
          code: 'refresh_token_expired',
          message: 'Your refresh token has expired.'
        }
      case 'revoked':
        return {
          ok: false,
          code: 'refresh_token_invalidated',
          message: 'Your refresh token has been invalidated.'
        }
      case 'valid':
        break
    }
    const family = entry.family
    family.oldAccessTokens.push(family.accessToken)
    family.accessToken = this.accessToken(family, family.refreshedLifetime)
    family.idToken = this.idToken(family)
    if (family.rotate) {
      entry.state = 'used'
      family.refreshToken = this.newRefreshToken(family, 'valid')
    }
    family.refreshCount += 1
    family.refreshReasons.push(reason)
    return {
      ok: true,
      reply: {
        ...(family.omitIdToken ? {} : { id_token: family.idToken }),
        access_token: family.accessToken,
        ...(family.rotate ? { refresh_token: family.refreshToken } : {})
      }
    }
  }

  /** Current tokens of the newest login for an account. */
  tokens(accountId: string): ChatgptTokens | undefined {
    const family = this.families.findLast((f) => f.accountId === accountId)
    if (!family) return undefined
    return {
      accountId: family.accountId,
      idToken: family.idToken,
      accessToken: family.accessToken,
      refreshToken: family.refreshToken,
      refreshCount: family.refreshCount,
      refreshReasons: [...family.refreshReasons]
    }
  }

  /** Marks a refresh token expired, revoked, used or valid again. */
  setRefreshTokenState(refreshToken: string, state: RefreshTokenState): void {
    const entry = this.refreshTokens.get(refreshToken)
    if (!entry) throw new Error('setRefreshTokenState: unknown refresh token')
    entry.state = state
  }

  /** State of a refresh token, or undefined when never issued here. */
  refreshTokenState(refreshToken: string): RefreshTokenState | undefined {
    return this.refreshTokens.get(refreshToken)?.state
  }

  /** Which login issued an access token, if any. */
  accessTokenOwner(token: string): AccessTokenOwner | undefined {
    for (const family of this.families) {
      if (family.accessToken === token) {
        return { accountId: family.accountId, current: true }
      }
      if (family.oldAccessTokens.includes(token)) {
        return { accountId: family.accountId, current: false }
      }
    }
    return undefined
  }

  /** Account ids of every login, in minting order. */
  accountIds(): string[] {
    return this.families.map((family) => family.accountId)
  }

  private newRefreshToken(family: Family, state: RefreshTokenState): string {
    const token = `rt-${randomBytes(24).toString('base64url')}`
    this.refreshTokens.set(token, { family, state })
    return token
  }

  private accessToken(family: Family, lifetimeSeconds: number): string {
    if (family.opaque) return `oat-${randomBytes(24).toString('base64url')}`
    const iat = Math.floor(this.now() / 1000)
    return encodeJwt(
      { alg: 'RS256', kid: JWKS_KEY_ID, typ: 'JWT' },
      {
        iss: TOKEN_ISSUER,
        aud: ['https://api.openai.com/v1'],
        sub: family.userId,
        iat,
        exp: iat + lifetimeSeconds,
        jti: randomUUID(),
        [AUTH_CLAIM]: {
          chatgpt_account_id: family.accountId,
          chatgpt_plan_type: family.planType,
          chatgpt_user_id: family.userId,
          user_id: family.userId
        },
        [PROFILE_CLAIM]: { email: family.email }
      },
      { key: jwksSigningKey() }
    )
  }

  private idToken(family: Family): string {
    const iat = Math.floor(this.now() / 1000)
    const claims = applyOverrides(
      {
        iss: TOKEN_ISSUER,
        aud: CODEX_OAUTH_CLIENT_ID,
        sub: family.userId,
        email: family.email,
        iat,
        exp: iat + 3600,
        // Unique per issue, so a rotated id_token differs even on a fixed clock.
        jti: randomUUID(),
        [AUTH_CLAIM]: {
          chatgpt_account_id: family.accountId,
          chatgpt_plan_type: family.planType,
          chatgpt_user_id: family.userId,
          user_id: family.userId,
          chatgpt_account_is_fedramp: family.fedramp
        }
      },
      family.idTokenClaims
    )
    return encodeJwt({ alg: 'RS256', kid: JWKS_KEY_ID, typ: 'JWT' }, claims, {
      key: jwksSigningKey()
    })
  }
}
