/**
 * The ChatGPT token refresh call (SPEC section 6, seeds 001 and 002).
 *
 * A refresh token works once. A permanent failure (revoked, expired, already
 * used) is final after exactly one request: asking again cannot succeed and
 * only adds load (seed 002's "refresh storm"). Transient failures (429, 5xx,
 * transport) are retried a bounded number of times by the shared helper.
 */
import { isJsonObject } from '../credentials/fields.js'
import {
  isUsableToken,
  type RefreshReason,
  type RefreshReply
} from '../credentials/chatgpt-tokens.js'
import { ActionError } from '../errors.js'
import {
  REFRESH_REPLY_INVALID,
  REFRESH_TOKEN_EXPIRED,
  REFRESH_TOKEN_INVALIDATED,
  REFRESH_TOKEN_REUSED,
  REFRESH_TOKEN_UNKNOWN_PERMANENT,
  refreshTransient
} from '../messages.js'
import {
  HttpTransportError,
  isRetryableStatus,
  type HttpClient,
  type HttpResponse
} from './http.js'
import { bodyForMessage } from './redact.js'

/** The OAuth client id Codex refreshes with. */
export const CODEX_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann'

/** Per attempt (SPEC 4.3, timeouts). */
export const REFRESH_TIMEOUT_MS = 30_000

/** Attempts in all for transient failures; a permanent one stops at one. */
export const REFRESH_MAX_ATTEMPTS = 3

/** Why a permanent failure happened, as Codex classifies it. */
export type PermanentReason = 'expired' | 'reused' | 'invalidated' | 'other'

/**
 * A failed refresh. `permanent` failures must never be retried and the stale
 * access token must not be used; transient ones may fall back to it.
 */
export class TokenRefreshError extends ActionError {
  /**
   * @param message Codex's text (permanent) or the transient detail
   * @param permanent true when asking again cannot help
   * @param reason the permanent class, when permanent
   */
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly reason?: PermanentReason
  ) {
    super(message)
    this.name = 'TokenRefreshError'
  }
}

/** What to refresh, and where. */
export interface RefreshRequest {
  /** The token endpoint, used exactly as given (Codex does not join it). */
  url: string
  refreshToken: string
  reason: RefreshReason
}

/**
 * The request body, byte for byte as Codex sends it: compact JSON with the
 * keys in this order.
 */
export function refreshRequestBody(
  refreshToken: string,
  reason: RefreshReason
): string {
  return JSON.stringify({
    client_id: CODEX_CLIENT_ID,
    grant_type: 'refresh_token',
    refresh_reason: reason,
    refresh_token: refreshToken
  })
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}

/**
 * The error code of a failure body, as Codex extracts it: `error.code` when
 * `error` is an object, `error` when it is a string, else top-level `code`.
 */
export function refreshErrorCode(body: string): string | undefined {
  if (body.trim() === '') return undefined
  const json = parseJson(body)
  if (!isJsonObject(json)) return undefined
  const error = json['error']
  if (isJsonObject(error) && typeof error['code'] === 'string') {
    return error['code']
  }
  if (typeof error === 'string') return error
  const code = json['code']
  return typeof code === 'string' ? code : undefined
}

const PERMANENT_CODES: Readonly<Record<string, PermanentReason>> = {
  refresh_token_expired: 'expired',
  refresh_token_reused: 'reused',
  refresh_token_invalidated: 'invalidated'
}

const PERMANENT_MESSAGES: Readonly<Record<PermanentReason, string>> = {
  expired: REFRESH_TOKEN_EXPIRED,
  reused: REFRESH_TOKEN_REUSED,
  invalidated: REFRESH_TOKEN_INVALIDATED,
  other: REFRESH_TOKEN_UNKNOWN_PERMANENT
}

/**
 * The permanent class of a non-2xx reply, or undefined when it is
 * transient: HTTP 401, one of the three refresh-token codes (any status), or
 * 400 with `invalid_grant`. Codes compare case-insensitively.
 */
export function permanentReason(
  status: number,
  body: string
): PermanentReason | undefined {
  const code = refreshErrorCode(body)?.toLowerCase()
  const known = code === undefined ? undefined : PERMANENT_CODES[code]
  if (known !== undefined) return known
  if (status === 401) return 'other'
  if (status === 400 && code === 'invalid_grant') return 'other'
  return undefined
}

/**
 * Codex's message for a failure reply: the permanent text, or
 * `Failed to refresh token: {status}: {message}` where message is
 * `error.message` of a JSON body, else the body, else `Unknown error`.
 * Server text is redacted and cut before it reaches the message.
 */
export function classifyRefreshFailure(res: HttpResponse): TokenRefreshError {
  const reason = permanentReason(res.status, res.body)
  if (reason !== undefined) {
    return new TokenRefreshError(PERMANENT_MESSAGES[reason], true, reason)
  }
  const json = parseJson(res.body)
  const error = isJsonObject(json) ? json['error'] : undefined
  const detail =
    isJsonObject(error) && typeof error['message'] === 'string'
      ? error['message']
      : res.body
  const message = detail === '' ? 'Unknown error' : bodyForMessage(detail)
  const status = `${res.status} ${res.reason}`.trim()
  return new TokenRefreshError(refreshTransient(status, message), false)
}

/**
 * Parses a 2xx reply. Each field may be absent or null (Codex: only what
 * came back is replaced); a present one must be a usable token.
 */
export function parseRefreshReply(res: HttpResponse): RefreshReply {
  const json = res.truncated ? undefined : parseJson(res.body)
  if (!isJsonObject(json))
    throw new TokenRefreshError(REFRESH_REPLY_INVALID, false)
  const reply: RefreshReply = {}
  for (const key of ['id_token', 'access_token', 'refresh_token'] as const) {
    const value = json[key]
    if (value === undefined || value === null) continue
    if (!isUsableToken(value)) {
      throw new TokenRefreshError(REFRESH_REPLY_INVALID, false)
    }
    reply[key] = value
  }
  // RFC 6749 5.1 makes access_token required; a reply without one would
  // leave the expired token in place while looking like a success.
  if (reply.access_token === undefined) {
    throw new TokenRefreshError(REFRESH_REPLY_INVALID, false)
  }
  return reply
}

/**
 * Redeems a refresh token once (transient failures retried by the helper).
 *
 * @returns the reply's tokens; mask them before anything else
 * @throws TokenRefreshError `permanent` after exactly one request for a
 *   permanent failure; not permanent when transient failures ran out of
 *   attempts or the reply was unusable
 */
export async function refreshTokens(
  http: HttpClient,
  request: RefreshRequest
): Promise<RefreshReply> {
  let res: HttpResponse
  try {
    res = await http.request({
      method: 'POST',
      url: request.url,
      headers: { 'content-type': 'application/json' },
      body: refreshRequestBody(request.refreshToken, request.reason),
      timeoutMs: REFRESH_TIMEOUT_MS,
      maxAttempts: REFRESH_MAX_ATTEMPTS,
      what: 'token refresh',
      // Never retried after a permanent answer, whatever its status: the
      // refresh token cannot recover (seed 002).
      retryable: (r) =>
        isRetryableStatus(r) && permanentReason(r.status, r.body) === undefined
    })
  } catch (err) {
    if (err instanceof HttpTransportError) {
      throw new TokenRefreshError(err.message, false)
    }
    throw err
  }
  if (res.status < 200 || res.status > 299) throw classifyRefreshFailure(res)
  return parseRefreshReply(res)
}
