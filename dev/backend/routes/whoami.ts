import {
  errorResult,
  jsonResult,
  methodNotAllowed,
  type RouteContext,
  type RouteResult
} from '../http.js'
import type { BackendState } from '../state.js'

/** `GET /api/accounts/v1/user-auth-credential/whoami` (SPEC 5). */
export function whoami(ctx: RouteContext, state: BackendState): RouteResult {
  if (ctx.method !== 'GET') return methodNotAllowed('GET')
  const authorization = ctx.headers.authorization ?? ''
  const token = authorization.startsWith('Bearer ')
    ? authorization.slice('Bearer '.length)
    : undefined
  if (token === undefined || !token.startsWith('at-')) {
    return errorResult(
      401,
      'invalid_token',
      'Expected Authorization: Bearer at-…'
    )
  }
  const reply = state.pats.whoami(token)
  if (!reply) {
    return errorResult(401, 'invalid_token', 'Unknown personal access token.')
  }
  return jsonResult(200, reply)
}
