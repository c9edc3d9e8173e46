/**
 * ChatGPT login tokens from an auth.json: strict validation, the identity
 * claims, which account id is used where, when a refresh is due, and how a
 * refresh reply is merged. Pure: no IO, no clock of its own.
 *
 * Codex silently drops a file whose id_token is not a JWT and quietly sends no
 * Authorization without `last_refresh`; a CI step that did the same would fail
 * far from the cause, so every such problem is an error here.
 */
import * as z from 'zod/mini'
import { ActionError } from '../errors.js'
import {
  chatgptAccountIdInvalid,
  chatgptClaimInvalid,
  chatgptIdTokenNotJwt,
  chatgptLastRefreshInvalid,
  chatgptLastRefreshMissing,
  chatgptTokenInvalid,
  chatgptTokensMissing,
  REFRESH_INVALID_ID_TOKEN,
  TOKEN_ENDPOINT_SOURCE
} from '../messages/chatgpt.js'
import { decodeJwtPayload } from './jwt.js'
import {
  accountIdField,
  capExceeded,
  check,
  pathText,
  planTypeField,
  TOKEN_MAX,
  tokenField,
  type Issue
} from './schema.js'
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

/** True when `token` is JWT-shaped (see `decodeJwtParts`). */
export function isJwtShaped(token: string): boolean {
  return decodeJwtPayload(token) !== undefined
}

/** A usable token (see {@link isUsableToken}), at most 16 KiB. */
const tokenSchema = z.string().check(
  z.minLength(1),
  z.refine((token) => !UNUSABLE_IN_TOKEN.test(token)),
  z.maxLength(TOKEN_MAX)
)

/** The three tokens of a chatgpt-mode auth.json. */
const tokensSchema = z.object({
  tokens: z.object({
    id_token: tokenSchema,
    access_token: tokenSchema,
    refresh_token: tokenSchema
  })
})

/** The rest of a chatgpt-mode auth.json, checked once the tokens are. */
const accountSchema = z.object({
  tokens: z.object({ account_id: z.nullish(accountIdField) }),
  last_refresh: z.string().check(z.refine((v) => parseRfc3339(v) !== undefined))
})

/** The tokens of a refresh reply; the client checked they are usable. */
const replySchema = z.object({
  id_token: z.optional(tokenField),
  access_token: z.optional(tokenField),
  refresh_token: z.optional(tokenField)
})

/**
 * The id_token claims the action reads, typed as Codex's deserializer types
 * them (a wrong type makes Codex drop the file); null counts as absent.
 */
const idTokenClaimsSchema = z.object({
  email: z.nullish(z.string()),
  [PROFILE_CLAIM]: z.nullish(z.object({ email: z.nullish(z.string()) })),
  [AUTH_CLAIM]: z.nullish(
    z.object({
      chatgpt_account_id: z.nullish(accountIdField),
      chatgpt_plan_type: z.nullish(planTypeField),
      chatgpt_user_id: z.nullish(z.string()),
      user_id: z.nullish(z.string()),
      chatgpt_account_is_fedramp: z.nullish(z.boolean())
    })
  )
})

/**
 * Reads the identity claims of an id_token payload. Types are checked as
 * Codex's deserializer does (a wrong type makes Codex drop the file); null
 * counts as absent.
 *
 * @param payload - the decoded id_token payload
 * @param source - label of the credential source, for messages
 * @throws ActionError naming the claim at fault, or the one over its cap
 */
export function readIdTokenClaims(
  payload: Record<string, unknown>,
  source: string
): IdTokenClaims {
  const result = check(idTokenClaimsSchema, payload)
  if (!result.ok) {
    const [issue] = result.issues as [Issue]
    throw new ActionError(
      capExceeded(result.issues, source) ??
        chatgptClaimInvalid(source, pathText(issue), expectedText(issue))
    )
  }
  return claimsOf(result.value)
}

function claimsOf(value: z.infer<typeof idTokenClaimsSchema>): IdTokenClaims {
  const { email, [AUTH_CLAIM]: auth, [PROFILE_CLAIM]: profile } = value
  const claims: IdTokenClaims = {
    fedramp: auth?.chatgpt_account_is_fedramp === true
  }
  const mail = email ?? profile?.email
  const userId = auth?.chatgpt_user_id ?? auth?.user_id
  if (mail != null) claims.email = mail
  if (auth?.chatgpt_account_id != null) {
    claims.chatgptAccountId = auth.chatgpt_account_id
  }
  if (auth?.chatgpt_plan_type != null) {
    claims.chatgptPlanType = auth.chatgpt_plan_type
  }
  if (userId != null) claims.chatgptUserId = userId
  return claims
}

/** The type a claim issue expected, as the message says it. */
function expectedText(issue: Issue): string {
  const expected = issue.code === 'invalid_type' ? issue.expected : 'string'
  return `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`
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
 * @param doc - the parsed auth.json
 * @param source - where it came from, e.g. `input auth-json`
 * @throws ActionError naming the field at fault and the fix
 */
export function parseChatgptAuth(doc: AuthJson, source: string): ChatgptAuth {
  const invalid = (issues: Issue[]): ActionError =>
    new ActionError(
      capExceeded(issues, source) ?? docProblem(issues[0] as Issue, source)
    )
  // Reported in this order: the tokens, the id_token's shape, the rest.
  const tokens = check(tokensSchema, doc)
  if (!tokens.ok) throw invalid(tokens.issues)
  const { id_token, access_token, refresh_token } = tokens.value.tokens
  const payload = decodeJwtPayload(id_token)
  if (payload === undefined) throw new ActionError(chatgptIdTokenNotJwt(source))
  const rest = check(accountSchema, doc)
  if (!rest.ok) throw invalid(rest.issues)
  const accountId = rest.value.tokens.account_id
  return {
    doc,
    tokens: {
      idToken: id_token,
      accessToken: access_token,
      refreshToken: refresh_token,
      ...(accountId != null && accountId !== '' && { accountId })
    },
    claims: readIdTokenClaims(payload, source),
    lastRefresh: parseRfc3339(rest.value.last_refresh) as Date
  }
}

/** The message for the first problem of a chatgpt-mode auth.json. */
function docProblem(issue: Issue, source: string): string {
  const [top, field] = issue.path
  if (top === 'last_refresh') {
    return issue.input === undefined || issue.input === null
      ? chatgptLastRefreshMissing(source)
      : chatgptLastRefreshInvalid(source)
  }
  if (field === undefined) return chatgptTokensMissing(source)
  if (field === 'account_id') return chatgptAccountIdInvalid(source)
  return chatgptTokenInvalid(source, String(field))
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
  const replyTokens = check(replySchema, reply)
  if (!replyTokens.ok) {
    throw new ActionError(
      capExceeded(replyTokens.issues, TOKEN_ENDPOINT_SOURCE) ??
        REFRESH_INVALID_ID_TOKEN
    )
  }
  let claims = auth.claims
  if (reply.id_token !== undefined) {
    const payload = decodeJwtPayload(reply.id_token)
    if (payload === undefined) throw new ActionError(REFRESH_INVALID_ID_TOKEN)
    const result = check(idTokenClaimsSchema, payload)
    if (!result.ok) {
      // Codex fails to parse such an id_token the same way as a non-JWT one.
      throw new ActionError(
        capExceeded(result.issues, TOKEN_ENDPOINT_SOURCE) ??
          REFRESH_INVALID_ID_TOKEN
      )
    }
    claims = claimsOf(result.value)
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
  // parseChatgptAuth made sure `tokens` is an object.
  const rawTokens = auth.doc.tokens as Record<string, unknown>
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
