/**
 * The whoami call that resolves a personal access token to its account. A
 * PAT carries no claims of its own: the workspace check and the
 * `ChatGPT-Account-ID` header both depend on this answer.
 */
import * as z from 'zod/mini'
import { ActionError } from '../errors.js'
import {
  patRejected,
  WHOAMI_REPLY_INVALID,
  whoamiFailed,
  whoamiValueTooLong
} from '../messages/pat.js'
import type { EndpointCall } from './call.js'
import { safeTarget } from './http.js'
import { bodyForMessage } from './redact.js'
import { ACCOUNT_ID_MAX, capped, parseReply, PLAN_TYPE_MAX } from './reply.js'

/** Per attempt. */
export const WHOAMI_TIMEOUT_MS = 10_000

/** Attempts in all for 429, 5xx and transport failures. */
export const WHOAMI_MAX_ATTEMPTS = 3

/** What whoami says about a token; absent fields were null, empty or missing. */
export interface WhoamiIdentity {
  email?: string
  chatgptUserId?: string
  chatgptAccountId?: string
  /** The raw plan; map it with `mapPlanType`. */
  chatgptPlanType?: string
  fedramp: boolean
}

const text = z.nullish(z.string())
const cappedText = (
  field: string,
  max: number
): z.ZodMiniType<string | null | undefined> =>
  z.nullish(
    z
      .string()
      .check(
        capped(max, (length, limit) => whoamiValueTooLong(field, length, limit))
      )
  )

/** whoami's reply; the values we keep are capped. */
const WhoamiReply = z.object({
  email: text,
  chatgpt_user_id: text,
  chatgpt_account_id: cappedText('chatgpt_account_id', ACCOUNT_ID_MAX),
  chatgpt_plan_type: cappedText('chatgpt_plan_type', PLAN_TYPE_MAX),
  chatgpt_account_is_fedramp: z.nullish(z.boolean())
})

/**
 * Parses a 2xx whoami body.
 *
 * @param body - the response body
 * @returns the identity; `null` and empty strings count as absent
 * @throws {@link ActionError} with `WHOAMI_REPLY_INVALID`, or
 *   `whoamiValueTooLong` for an account id or plan type over its cap
 */
export function parseWhoami(body: string): WhoamiIdentity {
  const reply = parseReply(body, WhoamiReply, WHOAMI_REPLY_INVALID)
  if (!reply.ok) throw new ActionError(reply.message)
  const fields = reply.value
  const identity: WhoamiIdentity = {
    fedramp: fields.chatgpt_account_is_fedramp === true
  }
  const put = (
    key: Exclude<keyof WhoamiIdentity, 'fedramp'>,
    value: string | null | undefined
  ): void => {
    if (value !== undefined && value !== null && value !== '') {
      identity[key] = value
    }
  }
  put('email', fields.email)
  put('chatgptUserId', fields.chatgpt_user_id)
  put('chatgptAccountId', fields.chatgpt_account_id)
  put('chatgptPlanType', fields.chatgpt_plan_type)
  return identity
}

/** Options of {@link whoami}. */
export interface WhoamiCall extends EndpointCall {
  /** The `at-…` token; mask it (and `Bearer <token>`) first. */
  token: string
}

/**
 * Asks whoami who a personal access token belongs to.
 *
 * @param call - the shared client, the whoami URL and the token
 * @returns what whoami says about the token
 * @throws {@link ActionError} for 401/403 (token rejected), any other
 *   non-2xx, an unusable body, or transport failure after the last attempt
 */
export async function whoami(call: WhoamiCall): Promise<WhoamiIdentity> {
  const res = await call.http.request({
    method: 'GET',
    url: call.url,
    headers: {
      authorization: `Bearer ${call.token}`,
      accept: 'application/json'
    },
    timeoutMs: call.timeoutMs ?? WHOAMI_TIMEOUT_MS,
    maxAttempts: WHOAMI_MAX_ATTEMPTS,
    what: 'personal access token lookup (whoami)'
  })
  if (res.status === 401 || res.status === 403) {
    throw new ActionError(
      patRejected(res.status, res.reason, safeTarget(call.url))
    )
  }
  if (res.status < 200 || res.status > 299) {
    throw new ActionError(
      whoamiFailed(res.status, res.reason, bodyForMessage(res.body))
    )
  }
  return parseWhoami(res.body)
}
