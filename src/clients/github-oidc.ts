/**
 * GitHub's OIDC token service: the job's identity token, the workload
 * identity assertion of keyless CI.
 *
 * The request is the one `@actions/core`'s `getIDToken` makes (GET the
 * runner's `ACTIONS_ID_TOKEN_REQUEST_URL` with `&audience=…`, the request
 * token as Bearer, `{"value": jwt}` back), but through the shared HTTP
 * client: core's helper retries ten times with three-minute timeouts and no
 * injectable sleep, which would break the action's time bound and its tests.
 */
import * as z from 'zod/mini'
import { decodeJwtPayload } from '../credentials/jwt.js'
import { ActionError } from '../errors.js'
import {
  OIDC_CLAIMS_UNREADABLE,
  OIDC_REPLY_INVALID,
  oidcRequestFailed,
  oidcRequestRejected,
  oidcTokenTooLong
} from '../messages/workload-identity.js'
import { showControls } from '../runner/inert.js'
import type { EndpointCall } from './call.js'
import type { HttpResponse } from './http.js'
import { bodyForMessage, REDACTED, truncateBody } from './redact.js'
import { capped, parseReply, TOKEN_MAX } from './reply.js'

/** Per attempt: the service answers in well under a second. */
export const OIDC_TIMEOUT_MS = 10_000

/** Attempts in all for 429, 5xx and transport failures. */
export const OIDC_MAX_ATTEMPTS = 3

/**
 * The longest token accepted: Codex refuses a workload identity assertion
 * over 16 KiB, so a longer one could never be exchanged.
 */
export const OIDC_TOKEN_MAX = TOKEN_MAX

/**
 * A failed OIDC token request. `status` is the HTTP status of the service's
 * final answer, undefined when none came (transport failure) or the answer
 * was unusable; 401 and 403 mean the request token itself is refused, which
 * no retry can mend.
 */
export class OidcRequestError extends ActionError {
  /**
   * @param message safe to print: neither token is in it
   * @param status the service's HTTP status, when it answered with an error
   */
  constructor(
    message: string,
    readonly status?: number
  ) {
    super(message)
    this.name = 'OidcRequestError'
  }
}

/** Options of {@link requestOidcToken}. */
export interface OidcRequestCall extends EndpointCall {
  /** `ACTIONS_ID_TOKEN_REQUEST_URL`, with or without a query of its own. */
  url: string
  /** `ACTIONS_ID_TOKEN_REQUEST_TOKEN`; mask it before the call. */
  requestToken: string
  /** The `aud` claim asked for (the federation rule's audience). */
  audience: string
}

// Base64url parts only: the token goes into a form body and a token file
// unchanged, and length in characters is then length in bytes.
const COMPACT_JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/

/** The service's reply: `{"value": jwt}`, anything else in it ignored. */
const OidcReply = z.object({
  value: z.string().check(
    z.minLength(1),
    capped(OIDC_TOKEN_MAX, oidcTokenTooLong),
    z.refine(
      (token) =>
        COMPACT_JWT.test(token) && decodeJwtPayload(token) !== undefined
    )
  )
})

/**
 * The request URL: `{url}&audience={aud}`, or `?` when `url` has no query,
 * the audience percent-encoded as `encodeURIComponent` does (as core does).
 */
export function oidcRequestUrl(url: string, audience: string): string {
  const join = url.includes('?') ? '&' : '?'
  return `${url}${join}audience=${encodeURIComponent(audience)}`
}

/**
 * Asks GitHub's token service for a new OIDC token (each answer has its own
 * `jti`). Retries 429, 5xx and transport failures with the shared client's
 * backoff and deadline; 401/403 and other 4xx are final after one request.
 *
 * The token is returned unmasked: the caller must `maskSecret` it before
 * anything else is done with it (the keyless mode and the token source do).
 *
 * @param call - the shared client, the request URL and token, the audience
 * @returns the token, a JWT-shaped string of at most 16 KiB
 * @throws {@link OidcRequestError} with `status` for an error answer (401/403:
 *   the request token is refused), without it for an unusable reply or a
 *   transport failure after the last attempt; no message holds either token
 */
export async function requestOidcToken(call: OidcRequestCall): Promise<string> {
  let res: HttpResponse
  try {
    res = await call.http.request({
      method: 'GET',
      url: oidcRequestUrl(call.url, call.audience),
      headers: {
        authorization: `Bearer ${call.requestToken}`,
        accept: 'application/json'
      },
      timeoutMs: call.timeoutMs ?? OIDC_TIMEOUT_MS,
      maxAttempts: OIDC_MAX_ATTEMPTS,
      what: 'GitHub OIDC token request'
    })
  } catch (err) {
    // A transport failure after the last attempt, or a URL the HTTP layer
    // refuses to send to (the runner's variable, not one we resolved).
    if (err instanceof ActionError || err instanceof TypeError) {
      throw new OidcRequestError(err.message)
    }
    throw err
  }
  if (res.status === 401 || res.status === 403) {
    throw new OidcRequestError(
      oidcRequestRejected(res.status, res.reason),
      res.status
    )
  }
  if (res.status < 200 || res.status > 299) {
    // The service could echo the request token; it is removed by value, not
    // only by its JWT shape.
    const body = bodyForMessage(without(res.body, call.requestToken))
    throw new OidcRequestError(
      oidcRequestFailed(res.status, res.reason, showControls(body)),
      res.status
    )
  }
  const reply = parseReply(
    res.truncated ? '' : res.body,
    OidcReply,
    OIDC_REPLY_INVALID
  )
  if (!reply.ok) throw new OidcRequestError(reply.message)
  return reply.value.value
}

/** `text` with every occurrence of `secret` replaced by `[redacted]`. */
function without(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join(REDACTED)
}

/** The claims {@link oidcClaimsForMessage} shows, in this order. */
export const MESSAGE_CLAIMS = [
  'iss',
  'sub',
  'aud',
  'repository',
  'ref',
  'environment',
  'job_workflow_ref'
] as const

/** Longest claim value shown, in characters (before escaping). */
export const CLAIM_VALUE_LIMIT = 200

/**
 * The non-secret claims of an OIDC token as message text, e.g. `iss
 * "https://token.actions.githubusercontent.com", sub "repo:o/r:ref:…", …`:
 * what a user compares with a federation rule. Absent claims are left out.
 *
 * Values come from the workflow (branch and environment names are chosen by
 * whoever pushes), so each is cut to {@link CLAIM_VALUE_LIMIT} characters
 * and quoted as a JSON string with every control character escaped: a value
 * can neither end the quote nor start a new line. The signature is not
 * checked; `jti`, `exp` and the rest are not shown.
 *
 * @param token - an OIDC token (never shown itself)
 * @returns the claims, or {@link OIDC_CLAIMS_UNREADABLE}
 */
export function oidcClaimsForMessage(token: string): string {
  const payload = decodeJwtPayload(token)
  if (payload === undefined) return OIDC_CLAIMS_UNREADABLE
  const shown = MESSAGE_CLAIMS.flatMap((name) => {
    const value = payload[name]
    if (value === undefined) return []
    return [`${name} ${quoteClaim(value)}`]
  })
  return shown.length === 0 ? OIDC_CLAIMS_UNREADABLE : shown.join(', ')
}

/** One claim value, capped and quoted; an `aud` array as its first items. */
function quoteClaim(value: unknown): string {
  if (!Array.isArray(value)) return quoteValue(value)
  const items = value.slice(0, 5).map(quoteValue)
  if (value.length > 5) items.push('...')
  return `[${items.join(', ')}]`
}

function quoteValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  // JSON.stringify escapes quotes, backslashes and C0 controls; showControls
  // the rest (DEL, C1, line separators, bidi overrides).
  return showControls(JSON.stringify(truncateBody(text, CLAIM_VALUE_LIMIT)))
}
