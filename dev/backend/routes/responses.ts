import {
  errorResult,
  methodNotAllowed,
  type RouteContext,
  type RouteResult
} from '../http.js'
import { responsesStream } from '../sse.js'
import type { BackendState } from '../state.js'
import { refuseWorkloadBearer } from '../workload-bearer.js'

/**
 * `POST …/responses`: always one short assistant turn. The body is not
 * parsed: Codex compresses it with zstd in ChatGPT-family modes and Node 20
 * cannot decode that; the request log keeps the raw bytes instead.
 */
export function responses(ctx: RouteContext, state: BackendState): RouteResult {
  if (ctx.method !== 'POST') return methodNotAllowed('POST')
  const refused = refuseWorkloadBearer(ctx, state)
  if (refused) return refused
  return {
    status: 200,
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache'
    },
    body: responsesStream(state.settings.responseText),
    chunked: true
  }
}

/**
 * A websocket upgrade on `…/responses`: refused with a plain status so
 * Codex falls back to HTTP streaming.
 */
export function refuseWebsocket(
  _ctx: RouteContext,
  state: BackendState
): RouteResult {
  const refusal = errorResult(
    state.settings.websocketStatus,
    'websocket_unsupported',
    'The dev backend serves Responses over HTTP only.'
  )
  return {
    ...refusal,
    headers: { ...refusal.headers, connection: 'close' }
  }
}
