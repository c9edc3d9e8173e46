/**
 * The Agent Identity JWKS: fetching the key set through the shared HTTP
 * client (so proxies, timeouts and retries apply, and nothing is cached), and
 * verifying a JWT against it with jose.
 *
 * Only the Agent Identity mode imports this module, and the modes are loaded
 * on demand, so runs that never verify an identity never load jose. The
 * named imports let the bundler keep just the verification half of jose.
 */
import { createLocalJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose'
import * as z from 'zod/mini'
import { ActionError } from '../errors.js'
import {
  identityFrom,
  JWT_HEADER_UNDECODABLE,
  JWT_MISSING_KID,
  JWT_REASON_KEY_UNUSABLE,
  JWT_REASON_MALFORMED,
  JWT_REASON_SIGNATURE,
  JWT_VERIFY_FAILED,
  JWKS_BODY_NOT_JSON,
  JWKS_NOT_A_KEY_SET,
  jwksRequestFailed,
  jwksUndecodable,
  jwtKidNotTrusted,
  jwtReasonAlgorithm,
  jwtReasonClaim,
  jwtReasonExpired,
  jwtReasonNotYetValid,
  jwtVerifyFailed
} from '../messages/agent-identity.js'
import {
  AGENT_IDENTITY_AUDIENCE,
  AGENT_IDENTITY_ISSUER
} from '../credentials/agent-identity.js'
import type { EndpointCall } from './call.js'
import { safeTarget } from './http.js'
import { bodyForMessage, redactSecrets } from './redact.js'
import { checkReply, decodeJson, NOT_JSON } from './reply.js'

/** Per attempt, as in Codex. */
export const JWKS_TIMEOUT_MS = 10_000

/** Attempts in all; transport failures, 429 and 5xx are retried. */
export const JWKS_MAX_ATTEMPTS = 3

/** Accepted clock difference for `exp` and `nbf`, in seconds (Codex: 60). */
export const JWT_CLOCK_TOLERANCE_S = 60

/**
 * A JSON Web Key Set as fetched: an object with a `keys` array of objects.
 * Only this shape is checked here, and every field is kept; jose checks each
 * key in detail.
 */
const KeySet = z.looseObject({
  keys: z.array(z.record(z.string(), z.unknown()))
})

/** A JSON Web Key Set as fetched. */
export interface AgentIdentityJwks {
  keys: Record<string, unknown>[]
}

/**
 * GETs the JWKS (no Authorization: it is public).
 *
 * @param call - the shared client and the full JWKS URL
 *   (`agentIdentityJwksUrl`)
 * @returns the key set
 * @throws {@link ActionError} for a non-2xx answer or a body that is not a
 *   key set; `HttpTransportError` when every attempt failed in transport
 */
export async function fetchAgentIdentityJwks(
  call: EndpointCall
): Promise<AgentIdentityJwks> {
  const target = safeTarget(call.url)
  const res = await call.http.request({
    method: 'GET',
    url: call.url,
    headers: { accept: 'application/json' },
    timeoutMs: call.timeoutMs ?? JWKS_TIMEOUT_MS,
    maxAttempts: JWKS_MAX_ATTEMPTS,
    what: 'agent identity JWKS request'
  })
  if (res.status < 200 || res.status >= 300) {
    throw new ActionError(
      jwksRequestFailed(
        target,
        res.status,
        res.reason,
        bodyForMessage(res.body)
      )
    )
  }
  const value = decodeJson(res.body)
  const why = value === NOT_JSON ? JWKS_BODY_NOT_JSON : JWKS_NOT_A_KEY_SET
  const keySet = checkReply(KeySet, value, why)
  if (!keySet.ok) throw new ActionError(jwksUndecodable(target, why))
  return keySet.value
}

/** Inputs of {@link verifyAgentIdentityJwt}. */
export interface VerifyJwtInput {
  /** The compact JWT. */
  jwt: string
  /** Its decoded header (`decodeJwtHeader`). */
  header: Record<string, unknown>
  jwks: AgentIdentityJwks
  /** The action's clock. */
  now: Date
  /** The credential's source label, for messages. */
  from: string
}

/**
 * Verifies an Agent Identity JWT as Codex does: the key picked by `kid`, the
 * algorithm pinned to RS256, issuer, audience and `exp` required, 60 s
 * leeway. Stricter than Codex on purpose: `nbf` is checked when present.
 *
 * The payload returned is only signature-checked; validate its shape with
 * `identityFromClaims` afterwards (jose accepts an array `aud`, Codex not).
 *
 * @param input - the token, its header, the key set, the clock, the source
 * @returns the verified payload
 * @throws {@link ActionError} with Codex's texts: `JWT_HEADER_UNDECODABLE`,
 *   `JWT_MISSING_KID`, `jwtKidNotTrusted(kid)`, or `JWT_VERIFY_FAILED` with
 *   our reason
 */
export async function verifyAgentIdentityJwt(
  input: VerifyJwtInput
): Promise<Record<string, unknown>> {
  const { from } = input
  const fail = (message: string): ActionError =>
    new ActionError(identityFrom(message, from))
  const { alg, kid } = checkJwtHeader(input.header, from)
  if (!input.jwks.keys.some((key) => key['kid'] === kid)) {
    throw fail(jwtKidNotTrusted(printable(kid)))
  }
  if (alg !== 'RS256') {
    throw fail(jwtVerifyFailed(jwtReasonAlgorithm(printable(alg))))
  }

  let keySet: JWTVerifyGetKey
  try {
    keySet = createLocalJWKSet(input.jwks)
  } catch {
    throw fail(jwtVerifyFailed(JWT_REASON_KEY_UNUSABLE))
  }
  try {
    const { payload } = await jwtVerify(input.jwt, keySet, {
      algorithms: ['RS256'],
      issuer: AGENT_IDENTITY_ISSUER,
      audience: AGENT_IDENTITY_AUDIENCE,
      requiredClaims: ['iss', 'aud', 'exp'],
      clockTolerance: JWT_CLOCK_TOLERANCE_S,
      currentDate: input.now
    })
    return payload
  } catch (err) {
    throw fail(verifyFailure(err))
  }
}

/**
 * The header fields verification needs: Codex cannot decode a header whose
 * `alg` is missing or `none`, and needs a `kid` to pick the key.
 */
const JwtHeader = z.object({
  alg: z.string().check(z.refine((alg) => alg !== 'none')),
  kid: z.nullish(z.string())
})

/**
 * The header checks that need no key set, so a token that can never verify
 * fails before any request: Codex cannot decode a header whose `alg` is
 * missing or `none`, and needs a `kid` to pick the key.
 *
 * @param header - the decoded JWT header
 * @param from - the credential's source label, for messages
 * @returns the header's `alg` and `kid`
 * @throws {@link ActionError} with `JWT_HEADER_UNDECODABLE` or `JWT_MISSING_KID`
 */
export function checkJwtHeader(
  header: Record<string, unknown>,
  from: string
): { alg: string; kid: string } {
  const checked = JwtHeader.safeParse(header)
  if (!checked.success) {
    throw new ActionError(identityFrom(JWT_HEADER_UNDECODABLE, from))
  }
  const { alg, kid } = checked.data
  if (kid === undefined || kid === null) {
    throw new ActionError(identityFrom(JWT_MISSING_KID, from))
  }
  return { alg, kid }
}

/** Our reason for a jose failure; jose's own text is never passed on. */
function verifyFailure(err: unknown): string {
  const code = errorField(err, 'code')
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return jwtVerifyFailed(JWT_REASON_SIGNATURE)
    case 'ERR_JWT_EXPIRED':
      return jwtVerifyFailed(jwtReasonExpired(dateClaim(err, 'exp')))
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = errorField(err, 'claim') ?? 'unknown'
      return jwtVerifyFailed(
        claim === 'nbf'
          ? jwtReasonNotYetValid(dateClaim(err, 'nbf'))
          : jwtReasonClaim(printable(claim))
      )
    }
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
    case 'ERR_JWKS_INVALID':
    case 'ERR_JWK_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return jwtVerifyFailed(JWT_REASON_KEY_UNUSABLE)
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return jwtVerifyFailed(JWT_REASON_MALFORMED)
    default:
      return JWT_VERIFY_FAILED
  }
}

function errorField(err: unknown, name: string): string | undefined {
  if (typeof err !== 'object' || err === null || !(name in err)) {
    return undefined
  }
  const value = (err as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : undefined
}

/** A NumericDate claim of a jose claim error's payload, as RFC 3339. */
function dateClaim(err: unknown, claim: string): string {
  const payload =
    typeof err === 'object' && err !== null && 'payload' in err
      ? err.payload
      : undefined
  const value =
    typeof payload === 'object' && payload !== null
      ? (payload as Record<string, unknown>)[claim]
      : undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'unknown'
  const date = new Date(value * 1000)
  return Number.isNaN(date.getTime())
    ? 'unknown'
    : date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * Header text made safe for a one-line message: short, printable, and with
 * anything secret-looking redacted (a header is attacker-controlled text).
 */
function printable(text: string): string {
  const clean = redactSecrets(text)
  if (/^[\x21-\x7e]{1,64}$/.test(clean)) return clean
  return JSON.stringify(clean.slice(0, 64)) + (clean.length > 64 ? '...' : '')
}
