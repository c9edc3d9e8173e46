import { errorResult, type RouteContext, type RouteResult } from './http.js'
import type { BackendState } from './state.js'

const BEARER = 'Bearer '

/**
 * Checks a workload identity access token on a model route the way ChatGPT
 * tokens are used (SPEC 12): an expired one gets 401 (Codex exchanges again
 * once after a 401), one sent without its own `chatgpt-account-id` gets 403.
 * Any other credential passes untouched; undefined means go on.
 */
export function refuseWorkloadBearer(
  ctx: RouteContext,
  state: BackendState
): RouteResult | undefined {
  const authorization = ctx.headers.authorization ?? ''
  if (!authorization.startsWith(BEARER)) return undefined
  const issued = state.federation.lookup(authorization.slice(BEARER.length))
  if (!issued) return undefined
  if (issued.expiresAt <= Math.floor(state.now() / 1000)) {
    return errorResult(
      401,
      'token_expired',
      'The workload identity access token has expired.'
    )
  }
  if (ctx.headers['chatgpt-account-id'] !== issued.accountId) {
    return errorResult(
      403,
      'account_mismatch',
      'chatgpt-account-id must name the account the token was issued for.'
    )
  }
  return undefined
}
