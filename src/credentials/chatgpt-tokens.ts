/**
 * ChatGPT login tokens from an auth.json (SPEC section 6): strict validation,
 * the identity claims, which account id is used where, when a refresh is due,
 * and how a refresh reply is merged. Pure: no IO, no clock of its own.
 *
 * Codex silently drops a file whose id_token is not a JWT and quietly sends no
 * Authorization without `last_refresh`; a CI step that did the same would fail
 * far from the cause, so every such problem is an error here.
 */
import { isJsonObject } from './fields.js'
import { decodeBase64Url } from '../crypto/base64.js'
import { ActionError } from '../errors.js'
import {
  chatgptAccountIdInvalid,
  chatgptClaimInvalid,
  chatgptIdTokenNotJwt,
  chatgptLastRefreshInvalid,
  chatgptLastRefreshMissing,
  chatgptTokenInvalid,
  chatgptTokensMissing,
  REFRESH_INVALID_ID_TOKEN
} from '../messages.js'
import type { AuthJson } from './types.js'

/** Claim namespace of ChatGPT account facts in the id_token. */
export const AUTH_CLAIM = 'https://api.openai.com/auth'

/** Claim namespace of the profile (email fallback) in the id_token. */
export const PROFILE_CLAIM = 'https://api.openai.com/profile'

/** A JWT access token this close to `exp` is refreshed first (Codex). */
export const PROACTIVE_REFRESH_WINDOW_MS = 300_000

/** An opaque access token is refreshed when last_refresh is older (Codex). */
export const SCHEDULED_REFRESH_AGE_MS = 8 * 24 * 60 * 60 * 1000

/** Codex's `refresh_reason` values. */
export type RefreshReason = 'proactive_expiry' | 'scheduled'

/** The three tokens plus the account id, as validated. */
export interface ChatgptTokens {
  idToken: string
  accessToken: string
  refreshToken: string
  /**
   * `tokens.account_id` when it is a non-empty string: the only source of
   * the `ChatGPT-Account-ID` header and the `account-id` output (as Codex).
   */
  accountId?: string
}

/** Identity facts read (not verified) from the id_token. */
export interface IdTokenClaims {
  email?: string
  chatgptAccountId?: string
  /** The raw plan claim; map it with `mapPlanType`. */
  chatgptPlanType?: string
  chatgptUserId?: string
  fedramp: boolean
}

/** A validated ChatGPT auth.json. */
export interface ChatgptAuth {
  /** The document as loaded (or as merged after a refresh). */
  doc: AuthJson
  tokens: ChatgptTokens
  claims: IdTokenClaims
  lastRefresh: Date
}

/** The fields of a token endpoint reply; each one only when it came back. */
export interface RefreshReply {
  id_token?: string
  access_token?: string
  refresh_token?: string
}

type JsonObject = Record<string, unknown>

// eslint-disable-next-line no-control-regex
const UNUSABLE_IN_TOKEN = /[\s\u0000-\u001f\u007f]/

/**
 * Whether a token value can be used: a non-empty string without whitespace
 * or control characters. A token goes into a header and into the runner's
 * masker, which matches line by line, so anything else is a mangled value.
 */
export function isUsableToken(v: unknown): v is string {
  return typeof v === 'string' && v !== '' && !UNUSABLE_IN_TOKEN.test(v)
}

/**
 * Decodes the payload of a JWT-shaped token: exactly three `.`-separated
 * parts, all non-empty (as Codex's id_token parser requires), the middle one
 * strict base64url without padding of a JSON object.
 *
 * @returns the payload, or undefined when the token is not JWT-shaped
 */
export function decodeJwtPayload(token: string): JsonObject | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined
  const bytes = decodeBase64Url(parts[1] ?? '')
  if (bytes === null) return undefined
  let payload: unknown
  try {
    payload = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    return undefined
  }
  return isJsonObject(payload) ? payload : undefined
}

/** True when `token` is JWT-shaped (see {@link decodeJwtPayload}). */
export function isJwtShaped(token: string): boolean {
  return decodeJwtPayload(token) !== undefined
}

/**
 * Reads the identity claims of an id_token payload. Types are checked as
 * Codex's deserializer does (a wrong type makes Codex drop the file); null
 * counts as absent.
 *
 * @param source label of the credential source, for messages
 */
export function readIdTokenClaims(
  payload: JsonObject,
  source: string
): IdTokenClaims {
  const text = (value: unknown, claim: string): string | undefined => {
    if (value === undefined || value === null) return undefined
    if (typeof value !== 'string') {
      throw new ActionError(chatgptClaimInvalid(source, claim, 'a string'))
    }
    return value
  }
  const object = (value: unknown, claim: string): JsonObject => {
    if (value === undefined || value === null) return {}
    if (!isJsonObject(value)) {
      throw new ActionError(chatgptClaimInvalid(source, claim, 'an object'))
    }
    return value
  }
  const auth = object(payload[AUTH_CLAIM], AUTH_CLAIM)
  const profile = object(payload[PROFILE_CLAIM], PROFILE_CLAIM)
  const fedramp = auth['chatgpt_account_is_fedramp']
  if (
    fedramp !== undefined &&
    fedramp !== null &&
    typeof fedramp !== 'boolean'
  ) {
    throw new ActionError(
      chatgptClaimInvalid(
        source,
        `${AUTH_CLAIM}.chatgpt_account_is_fedramp`,
        'a boolean'
      )
    )
  }
  const claims: IdTokenClaims = { fedramp: fedramp === true }
  const email =
    text(payload['email'], 'email') ??
    text(profile['email'], `${PROFILE_CLAIM}.email`)
  const accountId = text(
    auth['chatgpt_account_id'],
    `${AUTH_CLAIM}.chatgpt_account_id`
  )
  const plan = text(
    auth['chatgpt_plan_type'],
    `${AUTH_CLAIM}.chatgpt_plan_type`
  )
  const userId =
    text(auth['chatgpt_user_id'], `${AUTH_CLAIM}.chatgpt_user_id`) ??
    text(auth['user_id'], `${AUTH_CLAIM}.user_id`)
  if (email !== undefined) claims.email = email
  if (accountId !== undefined) claims.chatgptAccountId = accountId
  if (plan !== undefined) claims.chatgptPlanType = plan
  if (userId !== undefined) claims.chatgptUserId = userId
  return claims
}

// RFC 3339 date-time; chrono (Codex) also accepts a space for the `T`.
const RFC3339 =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

/** Parses an RFC 3339 time; undefined when it is not one. */
export function parseRfc3339(value: string): Date | undefined {
  if (!RFC3339.test(value)) return undefined
  const ms = Date.parse(value.replace(/^(.{10})[t ]/, '$1T').toUpperCase())
  return Number.isNaN(ms) ? undefined : new Date(ms)
}

/**
 * Validates a chatgpt-mode auth.json strictly.
 *
 * @param doc the parsed auth.json
 * @param source where it came from, e.g. `input auth-json`
 * @throws ActionError naming the field at fault and the fix
 */
export function parseChatgptAuth(doc: AuthJson, source: string): ChatgptAuth {
  const raw = doc.tokens
  if (!isJsonObject(raw)) throw new ActionError(chatgptTokensMissing(source))
  for (const field of ['id_token', 'access_token', 'refresh_token']) {
    if (!isUsableToken(raw[field])) {
      throw new ActionError(chatgptTokenInvalid(source, field))
    }
  }
  const idToken = raw['id_token'] as string
  const payload = decodeJwtPayload(idToken)
  if (payload === undefined) throw new ActionError(chatgptIdTokenNotJwt(source))
  const accountId = raw['account_id']
  if (
    accountId !== undefined &&
    accountId !== null &&
    typeof accountId !== 'string'
  ) {
    throw new ActionError(chatgptAccountIdInvalid(source))
  }

  if (doc.last_refresh === undefined || doc.last_refresh === null) {
    throw new ActionError(chatgptLastRefreshMissing(source))
  }
  const lastRefresh =
    typeof doc.last_refresh === 'string'
      ? parseRfc3339(doc.last_refresh)
      : undefined
  if (lastRefresh === undefined) {
    throw new ActionError(chatgptLastRefreshInvalid(source))
  }

  const tokens: ChatgptTokens = {
    idToken,
    accessToken: raw['access_token'] as string,
    refreshToken: raw['refresh_token'] as string
  }
  if (typeof accountId === 'string' && accountId !== '') {
    tokens.accountId = accountId
  }
  return {
    doc,
    tokens,
    claims: readIdTokenClaims(payload, source),
    lastRefresh
  }
}

/**
 * The account id the workspace rule checks: `tokens.account_id`, falling
 * back to the id_token's `chatgpt_account_id` only when that is absent
 * (null, empty or missing). The fallback never reaches a header or output.
 */
export function workspaceAccountId(auth: ChatgptAuth): string | undefined {
  if (auth.tokens.accountId !== undefined) return auth.tokens.accountId
  const claimed = auth.claims.chatgptAccountId
  return claimed === undefined || claimed === '' ? undefined : claimed
}

/**
 * The access token's `exp` in epoch milliseconds, when it is a JWT with a
 * numeric `exp`; undefined for an opaque token. Read only for timing.
 */
export function accessTokenExpiry(accessToken: string): number | undefined {
  const exp = decodeJwtPayload(accessToken)?.['exp']
  return typeof exp === 'number' && Number.isFinite(exp)
    ? exp * 1000
    : undefined
}

/**
 * Whether the access token is known to have expired. An opaque token has no
 * expiry we can read, so it is not known to be expired.
 */
export function isAccessTokenExpired(auth: ChatgptAuth, now: Date): boolean {
  const expiry = accessTokenExpiry(auth.tokens.accessToken)
  return expiry !== undefined && expiry <= now.getTime()
}

/**
 * Codex's refresh rule: a JWT access token with a numeric `exp` is refreshed
 * when it expires within 5 minutes (`proactive_expiry`) and otherwise not at
 * all; any other access token when last_refresh is more than 8 days old
 * (`scheduled`).
 *
 * @returns the refresh_reason, or undefined when no refresh is due
 */
export function refreshReason(
  auth: ChatgptAuth,
  now: Date
): RefreshReason | undefined {
  const expiry = accessTokenExpiry(auth.tokens.accessToken)
  if (expiry !== undefined) {
    return expiry <= now.getTime() + PROACTIVE_REFRESH_WINDOW_MS
      ? 'proactive_expiry'
      : undefined
  }
  return auth.lastRefresh.getTime() < now.getTime() - SCHEDULED_REFRESH_AGE_MS
    ? 'scheduled'
    : undefined
}

/**
 * Merges a refresh reply as Codex does: only the tokens that came back are
 * replaced, `last_refresh` becomes `now`, everything else in the document
 * (account_id included) is kept.
 *
 * @throws ActionError `Failed to refresh token: invalid ID token format` when
 *   a returned id_token is not JWT-shaped
 */
export function mergeRefreshReply(
  auth: ChatgptAuth,
  reply: RefreshReply,
  now: Date
): ChatgptAuth {
  let claims = auth.claims
  if (reply.id_token !== undefined) {
    const payload = decodeJwtPayload(reply.id_token)
    if (payload === undefined) throw new ActionError(REFRESH_INVALID_ID_TOKEN)
    try {
      claims = readIdTokenClaims(payload, 'the token endpoint')
    } catch {
      // Codex fails to parse such an id_token the same way as a non-JWT one.
      throw new ActionError(REFRESH_INVALID_ID_TOKEN)
    }
  }
  const tokens: ChatgptTokens = {
    ...auth.tokens,
    ...(reply.id_token !== undefined && { idToken: reply.id_token }),
    ...(reply.access_token !== undefined && {
      accessToken: reply.access_token
    }),
    ...(reply.refresh_token !== undefined && {
      refreshToken: reply.refresh_token
    })
  }
  const rawTokens = isJsonObject(auth.doc.tokens) ? auth.doc.tokens : {}
  const doc: AuthJson = {
    ...auth.doc,
    tokens: {
      ...rawTokens,
      id_token: tokens.idToken,
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken
    },
    last_refresh: now.toISOString()
  }
  return { doc, tokens, claims, lastRefresh: now }
}
