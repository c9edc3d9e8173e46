/**
 * Agent Identity material: decoding the JWT, validating its claims (the
 * current shape, and the seeds' older one), reading auth.json records, and
 * building the record a primed Codex home stores. Pure: no IO, no
 * signature checks (those live in `backend/jwks.ts`).
 *
 * No message built here quotes a claim value: `agent_private_key` is a
 * secret, and the others are not worth the risk of a mistake.
 */
import { decodeBase64Url } from '../crypto/base64.js'
import { ActionError } from '../errors.js'
import {
  authJsonInvalid,
  identityFrom,
  JWT_HEADER_UNDECODABLE,
  JWT_INVALID_FORMAT,
  jwtClaimsUndecodable,
  legacyIdentityNeedsVerifyOff
} from '../messages.js'
import {
  checkFields,
  field,
  isJsonObject,
  type Checked,
  type FieldRules
} from './fields.js'
import { mapPlanType } from './plan-type.js'

/** `iss` of a current Agent Identity JWT. */
export const AGENT_IDENTITY_ISSUER =
  'https://chatgpt.com/codex-backend/agent-identity'

/** `aud` of a current Agent Identity JWT. */
export const AGENT_IDENTITY_AUDIENCE = 'codex-app-server'

/** Which form the identity arrived in; decides verification and priming. */
export type IdentityShape =
  /** A JWT with the current claims (SPEC 4.1). */
  | 'jwt'
  /** A JWT with the seeds' claims; only accepted unverified. */
  | 'legacy-jwt'
  /** An auth.json record in Codex's current form: trusted local state. */
  | 'record'
  /** An auth.json record in the seeds' form: trusted local state. */
  | 'seed-record'

/** An identity, whatever form it came in, mapped to Codex's current names. */
export interface AgentIdentity {
  shape: IdentityShape
  runtimeId: string
  /** `agent_private_key` exactly as given (a secret). */
  privateKey: string
  /** `account_id` (the seeds' `workspace_id`); may be empty. */
  accountId: string
  /** `''` when the source has none. */
  chatgptUserId: string
  /** `''` when the source has none. */
  email: string
  /** The raw plan claim; map it with `mapPlanType`. */
  planType: string | undefined
  fedramp: boolean
  /** A task a record already carries (records only); never empty. */
  taskId?: string
}

/** The parts of a JWT after the format check. */
export interface DecodedJwt {
  /** The first part, still encoded (decoded only when verifying). */
  headerPart: string
  /** The decoded payload: a JSON object, not yet validated. */
  payload: Record<string, unknown>
  /** The third part; `''` only for an unsigned token. */
  signaturePart: string
}

/**
 * Codex's format check: three `.`-separated parts, the first two non-empty,
 * the middle one base64url (no padding) of a JSON object. The signature part
 * must be non-empty unless `allowUnsigned` (the seeds' unsigned identities,
 * accepted only with `verify-identity: false`).
 *
 * @param jwt - the token, trimmed
 * @param from - the source label, for the message
 * @param allowUnsigned - accept an empty signature part
 * @throws {@link ActionError} with `JWT_INVALID_FORMAT`
 */
export function decodeAgentIdentityJwt(
  jwt: string,
  from: string,
  allowUnsigned: boolean
): DecodedJwt {
  const invalid = (): ActionError =>
    new ActionError(identityFrom(JWT_INVALID_FORMAT, from))
  const parts = jwt.split('.')
  if (parts.length !== 3) throw invalid()
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts
  if (headerPart === '' || payloadPart === '') throw invalid()
  if (signaturePart === '' && !allowUnsigned) throw invalid()
  const payload = decodeJsonObject(payloadPart)
  if (payload === undefined) throw invalid()
  return { headerPart, payload, signaturePart }
}

/**
 * Decodes the JWT header for verification.
 *
 * @param headerPart - the first JWT part
 * @param from - the source label, for the message
 * @returns the header object
 * @throws {@link ActionError} with `JWT_HEADER_UNDECODABLE`
 */
export function decodeJwtHeader(
  headerPart: string,
  from: string
): Record<string, unknown> {
  const header = decodeJsonObject(headerPart)
  if (header === undefined) {
    throw new ActionError(identityFrom(JWT_HEADER_UNDECODABLE, from))
  }
  return header
}

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64Url(part)
  if (bytes === null) return undefined
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    return undefined
  }
  return isJsonObject(value) ? value : undefined
}

// ---- Claim rules -----------------------------------------------------------

/**
 * Current claims (SPEC 4.1). `iss`, `aud` and `exp` are optional here because
 * jose enforces their presence and values when verifying; `aud` must be a
 * string when present, since Codex cannot parse an array.
 */
export const currentClaimsRules = {
  iss: field.string('optional'),
  aud: field.string('optional'),
  iat: field.number('optional'),
  exp: field.number('optional'),
  nbf: field.number('optional'),
  agent_runtime_id: field.nonEmptyString(),
  agent_private_key: field.string(),
  account_id: field.string(),
  chatgpt_user_id: field.string(),
  email: field.string('nullish'),
  plan_type: field.string(),
  chatgpt_account_is_fedramp: field.boolean()
} as const

/** The seeds' unsigned claims (`workspace_id` is the account). */
export const legacyClaimsRules = {
  workspace_id: field.string(),
  agent_runtime_id: field.nonEmptyString(),
  agent_private_key: field.string(),
  chatgpt_user_id: field.string('nullish'),
  registered_at: field.string('nullish')
} as const

/** Codex's current auth.json record; missing optional fields get defaults. */
export const currentRecordRules = {
  agent_runtime_id: field.nonEmptyString(),
  agent_private_key: field.string(),
  account_id: field.string(),
  chatgpt_user_id: field.string('nullish'),
  email: field.string('nullish'),
  plan_type: field.string('nullish'),
  chatgpt_account_is_fedramp: field.boolean('nullish'),
  task_id: field.string('nullish')
} as const

/** The seeds' auth.json record (`background_task_id` is the task). */
export const seedRecordRules = {
  workspace_id: field.string(),
  chatgpt_user_id: field.string('nullish'),
  agent_runtime_id: field.nonEmptyString(),
  agent_private_key: field.string(),
  registered_at: field.string('nullish'),
  background_task_id: field.string('nullish')
} as const

/** True when an object uses the seeds' account name instead of Codex's. */
function isSeedShape(value: Record<string, unknown>): boolean {
  return !('account_id' in value) && 'workspace_id' in value
}

/**
 * Validates JWT claims and maps them to an identity. The seeds' shape is
 * accepted only when `allowLegacy` (verification turned off).
 *
 * @param payload - the decoded payload
 * @param from - the source label, for messages
 * @param allowLegacy - whether the seeds' shape is acceptable
 * @throws {@link ActionError} naming the failing claims, never their values
 */
export function identityFromClaims(
  payload: Record<string, unknown>,
  from: string,
  allowLegacy: boolean
): AgentIdentity {
  if (isSeedShape(payload)) {
    if (!allowLegacy) throw new ActionError(legacyIdentityNeedsVerifyOff(from))
    const claims = parseClaims(legacyClaimsRules, payload, from)
    return {
      shape: 'legacy-jwt',
      runtimeId: claims.agent_runtime_id,
      privateKey: claims.agent_private_key,
      accountId: claims.workspace_id,
      chatgptUserId: claims.chatgpt_user_id ?? '',
      email: '',
      planType: undefined,
      fedramp: false
    }
  }
  const claims = parseClaims(currentClaimsRules, payload, from)
  return {
    shape: 'jwt',
    runtimeId: claims.agent_runtime_id,
    privateKey: claims.agent_private_key,
    accountId: claims.account_id,
    chatgptUserId: claims.chatgpt_user_id,
    email: claims.email ?? '',
    planType: claims.plan_type,
    fedramp: claims.chatgpt_account_is_fedramp
  }
}

function parseClaims<S extends FieldRules>(
  rules: S,
  payload: Record<string, unknown>,
  from: string
): Checked<S> {
  const result = checkFields(payload, rules)
  if (!result.ok) {
    throw new ActionError(
      identityFrom(jwtClaimsUndecodable(result.issues), from)
    )
  }
  return result.value
}

/**
 * Reads an auth.json `agent_identity` object: Codex's current record or the
 * seeds' one. Records are trusted local state, as in Codex.
 *
 * @param record - the `agent_identity` value
 * @param from - the auth.json's source label, for messages
 * @throws {@link ActionError} (`authJsonInvalid`) naming the failing fields
 */
export function identityFromRecord(
  record: unknown,
  from: string
): AgentIdentity {
  if (!isJsonObject(record)) {
    throw new ActionError(
      authJsonInvalid(from, 'agent_identity is neither a JWT nor an object')
    )
  }
  const invalid = (issues: string): ActionError =>
    new ActionError(authJsonInvalid(from, `agent_identity: ${issues}`))
  if (isSeedShape(record)) {
    const result = checkFields(record, seedRecordRules)
    if (!result.ok) throw invalid(result.issues)
    const r = result.value
    return {
      shape: 'seed-record',
      runtimeId: r.agent_runtime_id,
      privateKey: r.agent_private_key,
      accountId: r.workspace_id,
      chatgptUserId: r.chatgpt_user_id ?? '',
      email: '',
      planType: undefined,
      fedramp: false,
      ...taskField(r.background_task_id)
    }
  }
  const result = checkFields(record, currentRecordRules)
  if (!result.ok) throw invalid(result.issues)
  const r = result.value
  return {
    shape: 'record',
    runtimeId: r.agent_runtime_id,
    privateKey: r.agent_private_key,
    accountId: r.account_id,
    chatgptUserId: r.chatgpt_user_id ?? '',
    email: r.email ?? '',
    planType: r.plan_type ?? undefined,
    fedramp: r.chatgpt_account_is_fedramp ?? false,
    ...taskField(r.task_id)
  }
}

// Codex registers a new task when the stored one is missing or blank.
function taskField(taskId: string | null | undefined): { taskId?: string } {
  return taskId === undefined || taskId === null || taskId.trim() === ''
    ? {}
    : { taskId }
}

/** The record form a primed Codex home stores (SPEC 7), in Codex's key order. */
export interface PrimedIdentityRecord {
  agent_runtime_id: string
  agent_private_key: string
  account_id: string
  chatgpt_user_id: string
  email: string
  plan_type: string
  chatgpt_account_is_fedramp: boolean
  task_id?: string
}

/**
 * Builds the record a later Codex trusts as it is: with a `task_id` it makes
 * no JWKS call and no registration of its own.
 *
 * @param identity - the identity
 * @param privateKey - the key re-encoded as standard padded base64
 *   (`encodeAgentPrivateKey`), the one form every Codex reads back
 * @param taskId - the registered task; left out when there is none
 * @returns the record, keys in Codex's order
 */
export function primedIdentityRecord(
  identity: AgentIdentity,
  privateKey: string,
  taskId: string | undefined
): PrimedIdentityRecord {
  return {
    agent_runtime_id: identity.runtimeId,
    agent_private_key: privateKey,
    account_id: identity.accountId,
    chatgpt_user_id: identity.chatgptUserId,
    email: identity.email,
    plan_type: mapPlanType(identity.planType),
    chatgpt_account_is_fedramp: identity.fedramp,
    ...(taskId === undefined ? {} : { task_id: taskId })
  }
}
