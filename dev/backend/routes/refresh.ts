import { CODEX_OAUTH_CLIENT_ID } from '../chatgpt.js'
import {
  errorResult,
  isJsonContentType,
  jsonResult,
  methodNotAllowed,
  type RouteContext,
  type RouteResult
} from '../http.js'
import type { BackendState } from '../state.js'

const BODY_KEYS = ['client_id', 'grant_type', 'refresh_reason', 'refresh_token']

/**
 * `POST /oauth/token` with Codex's JSON refresh body (SPEC 6). Refresh-token
 * failures answer 401 with the codes Codex maps to its permanent messages.
 */
export function refreshToken(
  ctx: RouteContext,
  state: BackendState
): RouteResult {
  if (ctx.method !== 'POST') return methodNotAllowed('POST')
  if (!isJsonContentType(ctx.headers['content-type'])) {
    return errorResult(
      400,
      'invalid_request',
      `Content-Type must be application/json, got ${ctx.headers['content-type'] ?? 'none'}.`
    )
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(ctx.body)
  } catch {
    return errorResult(400, 'invalid_request', 'Body is not JSON.')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return errorResult(400, 'invalid_request', 'Body must be a JSON object.')
  }
  const keys = Object.keys(parsed)
  if (keys.join() !== BODY_KEYS.join()) {
    return errorResult(
      400,
      'invalid_request',
      `Body keys are [${keys.join(', ')}]; expected [${BODY_KEYS.join(', ')}] in that order.`
    )
  }
  const body = parsed as Record<string, unknown>
  if (body.client_id !== CODEX_OAUTH_CLIENT_ID) {
    return errorResult(401, 'invalid_client', 'Unknown client_id.')
  }
  if (body.grant_type !== 'refresh_token') {
    return errorResult(
      400,
      'unsupported_grant_type',
      'grant_type must be refresh_token.'
    )
  }
  const reason = body.refresh_reason
  const token = body.refresh_token
  if (typeof reason !== 'string' || reason === '') {
    return errorResult(
      400,
      'invalid_request',
      'refresh_reason must be a string.'
    )
  }
  if (typeof token !== 'string' || token === '') {
    return errorResult(400, 'invalid_request', 'refresh_token is missing.')
  }
  const outcome = state.chatgpt.refresh(token, reason)
  if (!outcome.ok) return errorResult(401, outcome.code, outcome.message)
  return jsonResult(200, outcome.reply, { 'cache-control': 'no-store' })
}
