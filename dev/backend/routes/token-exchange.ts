import { JWT_BEARER_GRANT_TYPE } from '../federation.js'
import {
  jsonResult,
  methodNotAllowed,
  type RouteContext,
  type RouteResult
} from '../http.js'
import type { BackendState } from '../state.js'

/** Form fields of Codex's exchange body, in the order Codex sends them. */
const FIELDS = [
  'grant_type',
  'assertion',
  'federation_rule_id',
  'workload_identity_context'
]
const REQUIRED = FIELDS.slice(0, 3)

/** True when the Content-Type is a form body (parameters allowed). */
export function isFormContentType(value: string | undefined): boolean {
  return (
    (value ?? '').split(';')[0]?.trim().toLowerCase() ===
    'application/x-www-form-urlencoded'
  )
}

/**
 * The `jti` and rule id of an exchange body, read without verifying
 * anything, so the request log can show them even for refused or faulted
 * exchanges.
 */
export function exchangeLogFields(body: string): {
  jti?: string
  federationRuleId?: string
} {
  const form = new URLSearchParams(body)
  const ruleId = form.get('federation_rule_id') ?? undefined
  const payload = (form.get('assertion') ?? '').split('.')[1] ?? ''
  let jti: unknown
  try {
    jti = (
      JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        jti?: unknown
      }
    ).jti
  } catch {
    jti = undefined
  }
  return {
    ...(typeof jti === 'string' ? { jti } : {}),
    ...(ruleId === undefined ? {} : { federationRuleId: ruleId })
  }
}

/**
 * `POST /oauth/token` with a form body: the workload identity `jwt-bearer`
 * exchange (SPEC 12). Refusals are OAuth errors: 400 `invalid_request` for
 * a malformed form, 400 `unsupported_grant_type`, 400 `invalid_grant` for an
 * assertion that fails any check, 401 `invalid_client` for an unknown rule,
 * 403 `access_denied` for a disabled one.
 */
export function tokenExchange(
  ctx: RouteContext,
  state: BackendState
): RouteResult {
  if (ctx.method !== 'POST') return methodNotAllowed('POST')
  const form = new URLSearchParams(ctx.body)
  const keys = [...form.keys()]
  if (form.get('grant_type') !== JWT_BEARER_GRANT_TYPE) {
    return oauthError(
      400,
      'unsupported_grant_type',
      `grant_type must be ${JWT_BEARER_GRANT_TYPE}.`
    )
  }
  const expected = FIELDS.filter(
    (field) => REQUIRED.includes(field) || form.has(field)
  )
  if (keys.join() !== expected.join()) {
    return oauthError(
      400,
      'invalid_request',
      `Form fields are [${keys.join(', ')}]; expected [${expected.join(', ')}] in that order, each once.`
    )
  }
  const assertion = form.get('assertion') ?? ''
  const federationRuleId = form.get('federation_rule_id') ?? ''
  if (assertion === '' || federationRuleId === '') {
    return oauthError(
      400,
      'invalid_request',
      'assertion and federation_rule_id must not be empty.'
    )
  }
  const context = form.get('workload_identity_context')
  const outcome = state.federation.exchange({
    assertion,
    federationRuleId,
    ...(context === null ? {} : { workloadIdentityContext: context })
  })
  if (!outcome.ok) {
    return oauthError(outcome.status, outcome.error, outcome.description)
  }
  return jsonResult(200, outcome.reply, { 'cache-control': 'no-store' })
}

function oauthError(
  status: number,
  error: string,
  description: string
): RouteResult {
  return jsonResult(
    status,
    { error, error_description: description },
    { 'cache-control': 'no-store' }
  )
}
