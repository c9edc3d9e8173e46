import {
  jsonResult,
  methodNotAllowed,
  type RouteContext,
  type RouteResult
} from '../http.js'
import type { BackendState } from '../state.js'
import { refuseWorkloadBearer } from '../workload-bearer.js'

/** `GET /backend-api/codex/models`: an empty list is enough for Codex. */
export function models(ctx: RouteContext, state: BackendState): RouteResult {
  if (ctx.method !== 'GET') return methodNotAllowed('GET')
  return refuseWorkloadBearer(ctx, state) ?? jsonResult(200, { models: [] })
}

/** `GET /backend-api/wham/config/bundle`: 200 `{}` satisfies Codex. */
export function configBundle(
  ctx: RouteContext,
  state: BackendState
): RouteResult {
  if (ctx.method !== 'GET') return methodNotAllowed('GET')
  return refuseWorkloadBearer(ctx, state) ?? jsonResult(200, {})
}

/**
 * `GET /backend-api/wham/accounts/check`: every account the backend knows,
 * the requesting one (`chatgpt-account-id`) first, each routed to the https
 * origin where Codex then sends its model calls.
 */
export function accountsCheck(
  ctx: RouteContext,
  state: BackendState
): RouteResult {
  if (ctx.method !== 'GET') return methodNotAllowed('GET')
  const refused = refuseWorkloadBearer(ctx, state)
  if (refused) return refused
  const requested = ctx.headers['chatgpt-account-id']
  const ids = [
    ...(requested ? [requested] : []),
    ...state.chatgpt.accountIds(),
    ...state.pats.accountIds(),
    ...state.agents.accountIds(),
    ...state.federation.accountIds()
  ]
  const accounts = [...new Set(ids)].map((id) => ({
    id,
    workspace_backend_origin: state.settings.workspaceBackendOrigin,
    account_routing_override: 'NO_CONSTRAINT'
  }))
  return jsonResult(200, { accounts })
}
