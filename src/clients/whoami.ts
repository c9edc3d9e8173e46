/**
 * The whoami call that resolves a personal access token to its account
 * (SPEC section 5). A PAT carries no claims of its own: the workspace check
 * and the `ChatGPT-Account-ID` header both depend on this answer.
 */
import { ActionError } from '../errors.js'
import { patRejected, WHOAMI_REPLY_INVALID, whoamiFailed } from '../messages.js'
import { DEFAULT_AUTHAPI_BASE_URL, trimBase } from '../endpoints/defaults.js'
import { safeTarget, type HttpClient } from './http.js'
import { bodyForMessage } from './redact.js'

/** Path under the AuthAPI base. */
export const WHOAMI_PATH = '/v1/user-auth-credential/whoami'

/** Per attempt (SPEC 4.3, timeouts). */
export const WHOAMI_TIMEOUT_MS = 10_000

/** Attempts in all for 429, 5xx and transport failures. */
export const WHOAMI_MAX_ATTEMPTS = 3

/** What whoami says about a token; absent fields were null or missing. */
export interface WhoamiIdentity {
  email?: string
  chatgptUserId?: string
  chatgptAccountId?: string
  /** The raw plan; map it with `mapPlanType`. */
  chatgptPlanType?: string
  fedramp: boolean
}

/** The whoami URL for an AuthAPI base (default production), joined as text. */
export function whoamiUrl(base: string | undefined): string {
  return trimBase(base ?? DEFAULT_AUTHAPI_BASE_URL) + WHOAMI_PATH
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

/** Parses a 2xx whoami body; throws when it is not the documented shape. */
export function parseWhoami(body: string): WhoamiIdentity {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    throw new ActionError(WHOAMI_REPLY_INVALID)
  }
  if (!isObject(json)) throw new ActionError(WHOAMI_REPLY_INVALID)
  const text = (key: string): string | undefined => {
    const value = json[key]
    if (value === undefined || value === null) return undefined
    if (typeof value !== 'string') throw new ActionError(WHOAMI_REPLY_INVALID)
    return value === '' ? undefined : value
  }
  const fedramp = json['chatgpt_account_is_fedramp']
  if (
    fedramp !== undefined &&
    fedramp !== null &&
    typeof fedramp !== 'boolean'
  ) {
    throw new ActionError(WHOAMI_REPLY_INVALID)
  }
  const identity: WhoamiIdentity = { fedramp: fedramp === true }
  const email = text('email')
  const userId = text('chatgpt_user_id')
  const accountId = text('chatgpt_account_id')
  const plan = text('chatgpt_plan_type')
  if (email !== undefined) identity.email = email
  if (userId !== undefined) identity.chatgptUserId = userId
  if (accountId !== undefined) identity.chatgptAccountId = accountId
  if (plan !== undefined) identity.chatgptPlanType = plan
  return identity
}

/**
 * Asks whoami who a personal access token belongs to.
 *
 * @param http the shared client
 * @param base AuthAPI base URL; default production
 * @param token the `at-…` token; mask it (and `Bearer <token>`) first
 * @throws ActionError for 401/403 (token rejected), any other non-2xx, an
 *   unusable body, or transport failure after the last attempt
 */
export async function whoami(
  http: HttpClient,
  base: string | undefined,
  token: string
): Promise<WhoamiIdentity> {
  const url = whoamiUrl(base)
  const res = await http.request({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    timeoutMs: WHOAMI_TIMEOUT_MS,
    maxAttempts: WHOAMI_MAX_ATTEMPTS,
    what: 'personal access token lookup (whoami)'
  })
  if (res.status === 401 || res.status === 403) {
    throw new ActionError(patRejected(res.status, res.reason, safeTarget(url)))
  }
  if (res.status < 200 || res.status > 299) {
    throw new ActionError(
      whoamiFailed(res.status, res.reason, bodyForMessage(res.body))
    )
  }
  return parseWhoami(res.body)
}
