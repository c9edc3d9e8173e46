/**
 * Texts of personal access tokens and the whoami lookup: ours.
 *
 * Each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

import { statusLine, serverValueTooLong } from './shared.js'

// ---- Ours: personal access tokens --------------------------------------------

/** Ours: whoami refused the personal access token (401/403). */
export const patRejected = (
  status: number,
  reason: string,
  target: string
): string =>
  `The personal access token was rejected by ${target} (status ${statusLine(status, reason)}). It may be expired, revoked or from another environment: create a new one and update the secret, or check authapi-base-url.`

/** Ours: whoami answered another non-2xx status. */
export const whoamiFailed = (
  status: number,
  reason: string,
  body: string
): string =>
  `personal access token lookup (whoami) failed with status ${statusLine(status, reason)}${body === '' ? '' : `: ${body}`}`

/** Ours: whoami answered 2xx with something that is not its JSON object. */
export const WHOAMI_REPLY_INVALID =
  'personal access token lookup (whoami) answered with a body that is not a JSON object with string fields email, chatgpt_user_id, chatgpt_account_id, chatgpt_plan_type and a boolean chatgpt_account_is_fedramp. Check authapi-base-url.'

/** Ours: a whoami value we keep (account id, plan type) over its cap. */
export const whoamiValueTooLong = (
  field: string,
  length: number,
  max: number
): string =>
  serverValueTooLong(
    'personal access token lookup (whoami)',
    field,
    length,
    max,
    'authapi-base-url'
  )

/** Ours: whoami named no account, so requests could not be routed. */
export const WHOAMI_NO_ACCOUNT =
  'personal access token lookup (whoami) named no ChatGPT account (chatgpt_account_id) for this token, so later Codex requests could not be routed to a workspace. Check authapi-base-url, or create the token in a ChatGPT workspace.'
