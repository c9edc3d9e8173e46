import {
  errorResult,
  jsonResult,
  methodNotAllowed,
  type RouteContext,
  type RouteResult
} from '../http.js'
import type { BackendState } from '../state.js'

/** Path of the token request; the URL handed out adds `?api-version=2.0`. */
export const OIDC_TOKEN_PATH =
  '/_apis/distributedtask/hubs/Actions/plans/dev-plan/jobs/dev-job/idtoken'
/** Where the default issuer lives; its JWKS is under `/.well-known/`. */
export const OIDC_ISSUER_PATH = '/oidc'

const BEARER = 'Bearer '

/**
 * `GET {ACTIONS_ID_TOKEN_REQUEST_URL}&audience=…` as `@actions/core`
 * `getIDToken` sends it: the URL already carries `api-version`, the request
 * token is a Bearer. 401 without one, 403 with the wrong one.
 */
export function oidcToken(ctx: RouteContext, state: BackendState): RouteResult {
  if (ctx.method !== 'GET') return methodNotAllowed('GET')
  const authorization = ctx.headers.authorization
  if (authorization === undefined || !authorization.startsWith(BEARER)) {
    return errorResult(
      401,
      'unauthorized',
      'A Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN is required.'
    )
  }
  if (authorization.slice(BEARER.length) !== state.oidc.requestToken) {
    return errorResult(403, 'forbidden', 'The request token is not valid.')
  }
  // A client that replaced the query instead of appending to it loses this.
  if (ctx.query.getAll('api-version').join() !== '2.0') {
    return errorResult(
      400,
      'invalid_request',
      'api-version=2.0 is missing: append &audience= to the request URL.'
    )
  }
  const audiences = ctx.query.getAll('audience')
  if (audiences.length > 1 || audiences[0] === '') {
    return errorResult(
      400,
      'invalid_request',
      'Give audience at most once, non-empty.'
    )
  }
  const issued = state.oidc.mint(
    audiences[0] === undefined ? {} : { audience: audiences[0] },
    'request'
  )
  return jsonResult(200, { value: issued.jwt })
}

/** `GET /oidc/.well-known/jwks`: the OIDC service's signing key. */
export function oidcJwks(ctx: RouteContext, state: BackendState): RouteResult {
  if (ctx.method !== 'GET') return methodNotAllowed('GET')
  return jsonResult(200, state.oidc.jwks())
}

/**
 * `GET /oidc/.well-known/openid-configuration`, for completeness; `jwks_uri`
 * is where this backend serves the key even under a configured issuer.
 */
export function oidcConfiguration(
  ctx: RouteContext,
  state: BackendState
): RouteResult {
  if (ctx.method !== 'GET') return methodNotAllowed('GET')
  return jsonResult(200, {
    issuer: state.oidc.issuer,
    jwks_uri: state.oidc.jwksUrl,
    subject_types_supported: ['public', 'pairwise'],
    response_types_supported: ['id_token'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: [
      'sub',
      'aud',
      'exp',
      'iat',
      'iss',
      'jti',
      'nbf',
      'ref',
      'sha',
      'repository',
      'repository_owner',
      'run_id',
      'workflow',
      'event_name',
      'environment',
      'job_workflow_ref',
      'runner_environment'
    ]
  })
}
