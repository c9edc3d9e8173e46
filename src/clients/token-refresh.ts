/**
 * The ChatGPT token refresh call.
 *
 * A refresh token works once. A permanent failure (revoked, expired, already
 * used) is final after exactly one request: asking again cannot succeed and
 * only adds load (a "refresh storm"). Transient failures (429, 5xx,
 * transport) are retried a bounded number of times by the shared helper.
 */
import * as z from 'zod/mini'
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
  refreshedTokenTooLong,
  refreshTransient
} from '../messages/chatgpt.js'
import type { EndpointCall } from './call.js'
import {
  HttpTransportError,
  isRetryableStatus,
  type HttpResponse
} from './http.js'
import { bodyForMessage } from './redact.js'
import { capped, checkReply, decodeJson, TOKEN_MAX } from './reply.js'

/** The OAuth client id Codex refreshes with. */
export const CODEX_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann'

/** Per attempt. */
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

/**
 * Options of {@link refreshTokens}; `url` is the token endpoint, used exactly
 * as given (Codex does not join it).
 */
export interface RefreshCall extends EndpointCall {
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

/** A string field, or undefined when absent or of another type. */
const loose = z.catch(z.optional(z.string()), undefined)

/**
 * A failure body as Codex reads it: `error` is an object with `code` and
 * `message`, or a string; `code` may also sit at the top. Anything else in
 * it is ignored, and a body that is not a JSON object has none of them.
 */
const FailureBody = z.catch(
  z.object({
    error: z.catch(
      z.optional(
        z.union([z.string(), z.object({ code: loose, message: loose })])
      ),
      undefined
    ),
    code: loose
  }),
  {}
)

type Failure = z.infer<typeof FailureBody>

function failureBody(body: string): Failure {
  return FailureBody.parse(decodeJson(body))
}

/**
 * The error code of a failure body, as Codex extracts it: `error.code` when
 * `error` is an object, `error` when it is a string, else top-level `code`.
 */
export function refreshErrorCode(body: string): string | undefined {
  if (body.trim() === '') return undefined
  const { error, code } = failureBody(body)
  if (typeof error === 'object' && error.code !== undefined) return error.code
  if (typeof error === 'string') return error
  return code
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
  const { error } = failureBody(res.body)
  const detail =
    typeof error === 'object' && error.message !== undefined
      ? error.message
      : res.body
  const message = detail === '' ? 'Unknown error' : bodyForMessage(detail)
  const status = `${res.status} ${res.reason}`.trim()
  return new TokenRefreshError(refreshTransient(status, message), false)
}

/**
 * A token in a reply: usable (non-empty, no whitespace or control
 * characters) and at most {@link TOKEN_MAX} long.
 */
const token = (field: string): z.ZodMiniType<string> =>
  z.string().check(
    capped(TOKEN_MAX, (length, max) =>
      refreshedTokenTooLong(field, length, max)
    ),
    z.refine(isUsableToken)
  )

/**
 * A 2xx reply. Each token may be absent or null (Codex: only what came back
 * is replaced), except `access_token`: RFC 6749 5.1 makes it required, and a
 * reply without one would leave the expired token in place while looking
 * like a success.
 */
const RefreshReplySchema = z.object({
  id_token: z.nullish(token('id_token')),
  access_token: token('access_token'),
  refresh_token: z.nullish(token('refresh_token'))
})

/**
 * Parses a 2xx reply.
 *
 * @param res - the response
 * @returns the tokens that came back
 * @throws {@link TokenRefreshError}, not permanent: `REFRESH_REPLY_INVALID`,
 *   or `refreshedTokenTooLong` for a token over {@link TOKEN_MAX}
 */
export function parseRefreshReply(res: HttpResponse): RefreshReply {
  const checked = checkReply(
    RefreshReplySchema,
    res.truncated ? undefined : decodeJson(res.body),
    REFRESH_REPLY_INVALID
  )
  if (!checked.ok) throw new TokenRefreshError(checked.message, false)
  const reply: RefreshReply = {}
  for (const key of ['id_token', 'access_token', 'refresh_token'] as const) {
    const value = checked.value[key]
    if (value !== undefined && value !== null) reply[key] = value
  }
  return reply
}

/**
 * Redeems a refresh token once (transient failures retried by the helper).
 *
 * @param call - the shared client, the token endpoint, the refresh token and
 *   why it is refreshed
 * @returns the reply's tokens; mask them before anything else
 * @throws TokenRefreshError `permanent` after exactly one request for a
 *   permanent failure; not permanent when transient failures ran out of
 *   attempts or the reply was unusable
 */
export async function refreshTokens(call: RefreshCall): Promise<RefreshReply> {
  let res: HttpResponse
  try {
    res = await call.http.request({
      method: 'POST',
      url: call.url,
      headers: { 'content-type': 'application/json' },
      body: refreshRequestBody(call.refreshToken, call.reason),
      timeoutMs: call.timeoutMs ?? REFRESH_TIMEOUT_MS,
      maxAttempts: REFRESH_MAX_ATTEMPTS,
      what: 'token refresh',
      // Never retried after a permanent answer, whatever its status: the
      // refresh token cannot recover.
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
