/**
 * The workload identity token exchange: a GitHub OIDC token for a
 * short-lived ChatGPT access token, through a federation rule. The request
 * is byte for byte Codex's, and the reply is held to what Codex accepts, so
 * a rule or reply that would fail a later Codex fails this step instead.
 *
 * A federation rule may refuse a `jti` it has seen, and a reply lost on the
 * way back may still have spent it: every attempt therefore sends an OIDC
 * token minted for it, never one sent before.
 */
import * as z from 'zod/mini'
import { isJwtShaped, isUsableToken } from '../credentials/chatgpt-tokens.js'
import { decodeJwtPayload } from '../credentials/jwt.js'
import { ActionError } from '../errors.js'
import {
  WORKLOAD_REPLY_PROBLEMS,
  workloadExchangeInvalid,
  workloadExchangeRefused,
  workloadExchangeUnavailable,
  workloadReplyValueTooLong
} from '../messages/workload-identity.js'
import { showControls } from '../runner/inert.js'
import type { EndpointCall } from './call.js'
import { oidcClaimsForMessage } from './github-oidc.js'
import { isRetryableStatus, type HttpResponse } from './http.js'
import { bodyForMessage, REDACTED, truncateBody } from './redact.js'
import {
  ACCOUNT_ID_MAX,
  capped,
  decodeJson,
  NOT_JSON,
  parseReply,
  PLAN_TYPE_MAX,
  TOKEN_MAX
} from './reply.js'

/** Per attempt, as Codex. */
export const EXCHANGE_TIMEOUT_MS = 30_000

/** Attempts in all for 429, 5xx and transport failures. */
export const EXCHANGE_MAX_ATTEMPTS = 3

/** The grant type of the exchange (RFC 7523). */
export const JWT_BEARER_GRANT_TYPE =
  'urn:ietf:params:oauth:grant-type:jwt-bearer'

/** `issued_token_type` of a usable reply. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'

/** The longest `scope` accepted; a real one is a few words. */
export const SCOPE_MAX = 1024

/** Where the access token carries its ChatGPT identity. */
const AUTH_CLAIM = 'https://api.openai.com/auth'

/** What a successful exchange yields. */
export interface WorkloadTokens {
  /** A JWT, sent as `Bearer`; mask it before anything else. */
  accessToken: string
  /** `chatgpt_account_id`: the workspace, sent as `chatgpt-account-id`. */
  accountId: string
  /** `chatgpt_account_user_id`. */
  accountUserId: string
  /** `user_id`, equal to the user id inside the access token. */
  userId: string
  /** Seconds, 1 to 3600. */
  expiresIn: number
  /** The raw `chatgpt_plan_type`, when the reply has a non-empty one. */
  planType?: string
  scope: string
}

/** Options of {@link exchangeWorkloadToken}. */
export interface WorkloadExchangeCall extends EndpointCall {
  /**
   * Mints an OIDC token that has never been sent; called once per attempt
   * (see `requestOidcToken`). What it throws ends the exchange.
   */
  mint: () => Promise<string>
  /** The federation rule (`idpm_…`). */
  federationRuleId: string
  /** Sent as `workload_identity_context` when set. */
  workloadIdentityContext?: string
}

/**
 * The request body, byte for byte as Codex sends it: `grant_type`,
 * `assertion`, `federation_rule_id`, then `workload_identity_context` when
 * set, each value form-encoded (space as `+`, everything but letters,
 * digits and `*-._` percent-encoded).
 */
export function exchangeRequestBody(
  assertion: string,
  federationRuleId: string,
  workloadIdentityContext?: string
): string {
  const form = new URLSearchParams()
  form.append('grant_type', JWT_BEARER_GRANT_TYPE)
  form.append('assertion', assertion)
  form.append('federation_rule_id', federationRuleId)
  if (workloadIdentityContext !== undefined) {
    form.append('workload_identity_context', workloadIdentityContext)
  }
  return form.toString()
}

const problem = (field: string): string =>
  workloadExchangeInvalid(WORKLOAD_REPLY_PROBLEMS[field] ?? field)

const tooLong =
  (field: string) =>
  (length: number, max: number): string =>
    workloadReplyValueTooLong(field, length, max)

/** A required non-empty string, capped. */
const text = (field: string, max: number): z.ZodMiniType<string> =>
  z
    .string({ error: problem(field) })
    .check(capped(max, tooLong(field)), z.minLength(1, problem(field)))

// eslint-disable-next-line no-control-regex -- a header value cannot hold one
const CONTROL = /[\u0000-\u001f\u007f]/

/** A reply Codex accepts (the user id match is checked after). */
const ExchangeReply = z.object({
  access_token: z.string({ error: problem('access_token') }).check(
    capped(TOKEN_MAX, tooLong('access_token')),
    z.refine((t) => isUsableToken(t) && isJwtShaped(t), problem('access_token'))
  ),
  chatgpt_account_id: text('chatgpt_account_id', ACCOUNT_ID_MAX).check(
    z.refine((id) => !CONTROL.test(id), problem('chatgpt_account_id'))
  ),
  chatgpt_account_user_id: text('chatgpt_account_user_id', ACCOUNT_ID_MAX),
  chatgpt_plan_type: z.nullish(
    z
      .string({ error: problem('chatgpt_plan_type') })
      .check(capped(PLAN_TYPE_MAX, tooLong('chatgpt_plan_type')))
  ),
  expires_in: z
    .number({ error: problem('expires_in') })
    .check(
      z.refine(
        (n) => Number.isInteger(n) && n >= 1 && n <= 3600,
        problem('expires_in')
      )
    ),
  issued_token_type: z.literal(ACCESS_TOKEN_TYPE, problem('issued_token_type')),
  scope: text('scope', SCOPE_MAX),
  // Any case, as Codex; ASCII only (no `i` flag mapping of other letters).
  token_type: z
    .string({ error: problem('token_type') })
    .check(z.refine((t) => /^bearer$/i.test(t), problem('token_type'))),
  user_id: text('user_id', ACCOUNT_ID_MAX)
})

/**
 * The user id inside an access token: `chatgpt_user_id` of its
 * `https://api.openai.com/auth` claim, else `user_id`.
 */
function accessTokenUserId(accessToken: string): string | undefined {
  const auth = decodeJwtPayload(accessToken)?.[AUTH_CLAIM]
  if (typeof auth !== 'object' || auth === null) return undefined
  const { chatgpt_user_id: chatgptUserId, user_id: userId } = auth as Record<
    string,
    unknown
  >
  if (typeof chatgptUserId === 'string') return chatgptUserId
  return typeof userId === 'string' ? userId : undefined
}

/**
 * Parses a 2xx reply as Codex does: every field required but the plan
 * type, `expires_in` 1 to 3600, `token_type` bearer in any case, and the
 * access token a JWT whose user id is `user_id` (its signature is not
 * checked, as in Codex).
 *
 * @param res - the response
 * @returns the tokens
 * @throws {@link ActionError} starting with Codex's
 *   `WORKLOAD_EXCHANGE_INVALID`, then the reason; no reply value is quoted
 */
export function parseExchangeReply(res: HttpResponse): WorkloadTokens {
  const checked = parseReply(
    res.truncated ? '' : res.body,
    ExchangeReply,
    problem('body')
  )
  if (!checked.ok) throw new ActionError(checked.message)
  const reply = checked.value
  if (accessTokenUserId(reply.access_token) !== reply.user_id) {
    throw new ActionError(problem('user_mismatch'))
  }
  const tokens: WorkloadTokens = {
    accessToken: reply.access_token,
    accountId: reply.chatgpt_account_id,
    accountUserId: reply.chatgpt_account_user_id,
    userId: reply.user_id,
    expiresIn: reply.expires_in,
    scope: reply.scope
  }
  const plan = reply.chatgpt_plan_type
  if (plan !== undefined && plan !== null && plan !== '') {
    tokens.planType = plan
  }
  return tokens
}

/** An OAuth error body; anything else about it is ignored. */
const OAuthError = z.object({
  error: z.string(),
  error_description: z.catch(z.optional(z.string()), undefined)
})

/** Longest OAuth `error` code shown; real ones are a few words. */
const ERROR_CODE_LIMIT = 64

/**
 * What a refusal says, for a message: `error: error_description` of an
 * OAuth error body, else the body; redacted, cut and with control
 * characters escaped. `assertion` (the token sent) is removed by value in
 * case the server echoed it.
 */
export function refusalDetail(body: string, assertion: string): string {
  const scrub = (text: string): string =>
    assertion === '' ? text : text.split(assertion).join(REDACTED)
  const scrubbed = scrub(body)
  const decoded = decodeJson(scrubbed)
  const oauth =
    decoded === NOT_JSON ? undefined : OAuthError.safeParse(decoded).data
  if (oauth === undefined) return showControls(bodyForMessage(scrubbed))
  // Again once decoded: JSON may spell the echoed token with escapes.
  const code = bodyForMessage(scrub(oauth.error), ERROR_CODE_LIMIT)
  const description = oauth.error_description
  return showControls(
    description === undefined || description === ''
      ? code
      : `${code}: ${bodyForMessage(scrub(description))}`
  )
}

/** Longest rule id shown; a real one is `idpm_` and a few dozen characters. */
const RULE_ID_LIMIT = 128

/**
 * Exchanges an OIDC token for ChatGPT tokens. Each attempt (429, 5xx and
 * transport failures are retried with the shared client's backoff,
 * `Retry-After` and deadline) sends a token from `mint()`; a 4xx or 3xx
 * (redirects are not followed) is final after one request.
 *
 * The access token is returned unmasked: the caller must `maskSecret` it
 * (and `Bearer …`) before anything else, as the keyless mode does.
 *
 * @param call - the shared client, the exchange URL (see
 *   `endpoints/workload-identity.ts`), the minter, the rule and context
 * @returns the tokens, checked as Codex checks them
 * @throws {@link ActionError} starting with Codex's text: `…rejected with
 *   HTTP {status}` plus the OAuth error and the claims of the OIDC token
 *   sent, or `…returned an invalid response` plus the reason;
 *   `HttpTransportError` after the last transport failure; what `mint()`
 *   throws (`OidcRequestError`). No message holds a token.
 */
export async function exchangeWorkloadToken(
  call: WorkloadExchangeCall
): Promise<WorkloadTokens> {
  let sent = ''
  let attempts = 0
  const res = await call.http.request({
    method: 'POST',
    url: call.url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: '*/*'
    },
    bodyPerAttempt: async () => {
      sent = await call.mint()
      attempts++
      return exchangeRequestBody(
        sent,
        call.federationRuleId,
        call.workloadIdentityContext
      )
    },
    timeoutMs: call.timeoutMs ?? EXCHANGE_TIMEOUT_MS,
    maxAttempts: EXCHANGE_MAX_ATTEMPTS,
    what: 'workload identity token exchange'
  })
  if (res.status >= 200 && res.status <= 299) return parseExchangeReply(res)
  const detail = refusalDetail(res.body, sent)
  if (isRetryableStatus(res)) {
    throw new ActionError(
      workloadExchangeUnavailable(res.status, detail, attempts)
    )
  }
  throw new ActionError(
    workloadExchangeRefused(
      res.status,
      detail,
      showControls(truncateBody(call.federationRuleId, RULE_ID_LIMIT)),
      oidcClaimsForMessage(sent)
    )
  )
}
