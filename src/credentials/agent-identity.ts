/**
 * Agent Identity material: decoding the JWT, validating its claims (the
 * current shape, and the seeds' older one), reading auth.json records, and
 * building the record a primed Codex home stores. Pure: no IO, no
 * signature checks (those live in `backend/jwks.ts`).
 *
 * No message built here quotes a claim value: `agent_private_key` is a
 * secret, and the others are not worth the risk of a mistake.
 */
import * as z from 'zod/mini'
import en from 'zod/v4/locales/en.js'
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
  return isObject(value) ? value : undefined
}

// ---- Claim schemas ---------------------------------------------------------

// zod/mini: the same validator as zod's default API at a fraction of the
// load time (this runs on the Agent Identity start-up path). Unlike the
// default API it ships no message texts; the English ones give the exact
// texts users see (and the tests pin) in every message built below.
z.config(en())

// zod 4 numbers are finite already: Infinity and NaN are rejected.
const numericDate = z.number()

/**
 * Current claims (SPEC 4.1). `iss`, `aud` and `exp` are optional here because
 * jose enforces their presence and values when verifying; `aud` must be a
 * string when present, since Codex cannot parse an array.
 */
export const currentClaimsSchema = z.object({
  iss: z.optional(z.string()),
  aud: z.optional(z.string()),
  iat: z.optional(numericDate),
  exp: z.optional(numericDate),
  nbf: z.optional(numericDate),
  agent_runtime_id: z.string().check(z.minLength(1)),
  agent_private_key: z.string(),
  account_id: z.string(),
  chatgpt_user_id: z.string(),
  email: z.nullish(z.string()),
  plan_type: z.string(),
  chatgpt_account_is_fedramp: z.boolean()
})

/** The seeds' unsigned claims (`workspace_id` is the account). */
export const legacyClaimsSchema = z.object({
  workspace_id: z.string(),
  agent_runtime_id: z.string().check(z.minLength(1)),
  agent_private_key: z.string(),
  chatgpt_user_id: z.nullish(z.string()),
  registered_at: z.nullish(z.string())
})

/** Codex's current auth.json record; missing optional fields get defaults. */
export const currentRecordSchema = z.object({
  agent_runtime_id: z.string().check(z.minLength(1)),
  agent_private_key: z.string(),
  account_id: z.string(),
  chatgpt_user_id: z.nullish(z.string()),
  email: z.nullish(z.string()),
  plan_type: z.nullish(z.string()),
  chatgpt_account_is_fedramp: z.nullish(z.boolean()),
  task_id: z.nullish(z.string())
})

/** The seeds' auth.json record (`background_task_id` is the task). */
export const seedRecordSchema = z.object({
  workspace_id: z.string(),
  chatgpt_user_id: z.nullish(z.string()),
  agent_runtime_id: z.string().check(z.minLength(1)),
  agent_private_key: z.string(),
  registered_at: z.nullish(z.string()),
  background_task_id: z.nullish(z.string())
})

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
    const claims = parseClaims(legacyClaimsSchema, payload, from)
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
  const claims = parseClaims(currentClaimsSchema, payload, from)
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

function parseClaims<T extends z.ZodMiniType>(
  schema: T,
  payload: Record<string, unknown>,
  from: string
): z.infer<T> {
  const result = schema.safeParse(payload)
  if (!result.success) {
    throw new ActionError(
      identityFrom(jwtClaimsUndecodable(zodDetail(result.error)), from)
    )
  }
  return result.data
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
  if (!isObject(record)) {
    throw new ActionError(
      authJsonInvalid(from, 'agent_identity is neither a JWT nor an object')
    )
  }
  const invalid = (error: z.core.$ZodError): ActionError =>
    new ActionError(
      authJsonInvalid(from, `agent_identity: ${zodDetail(error)}`)
    )
  if (isSeedShape(record)) {
    const result = seedRecordSchema.safeParse(record)
    if (!result.success) throw invalid(result.error)
    const r = result.data
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
  const result = currentRecordSchema.safeParse(record)
  if (!result.success) throw invalid(result.error)
  const r = result.data
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

/**
 * zod's readable error on one line (the action fails with a single line).
 * zod's issue texts name types and paths, not the values it rejected.
 */
function zodDetail(error: z.core.$ZodError): string {
  return z
    .prettifyError(error)
    .replace(/\n\s*→/g, ' →')
    .split('\n')
    .map((line) => line.replace(/^✖\s*/, '').trim())
    .filter((line) => line !== '')
    .join('; ')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
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
