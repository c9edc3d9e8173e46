import { createPublicKey, type JsonWebKey } from 'node:crypto'
import {
  jsonResult,
  methodNotAllowed,
  type RouteContext,
  type RouteResult
} from '../http.js'
import { JWKS_KEY_ID, jwksSigningKey } from '../keys.js'

/** A JSON Web Key Set. */
export interface JsonWebKeySet {
  keys: JsonWebKey[]
}

/** The key set the backend publishes: its one fixture RSA key. */
export function jwksDocument(): JsonWebKeySet {
  const jwk = createPublicKey(jwksSigningKey()).export({ format: 'jwk' })
  return { keys: [{ ...jwk, kid: JWKS_KEY_ID, alg: 'RS256', use: 'sig' }] }
}

/** `GET …/agent-identities/jwks` (SPEC 4.1). */
export function serveJwks(ctx: RouteContext): RouteResult {
  if (ctx.method !== 'GET') return methodNotAllowed('GET')
  return jsonResult(200, jwksDocument(), { 'cache-control': 'no-store' })
}
