/**
 * Agent Identity material: decoding the JWT, validating its claims (the
 * current shape, and the older one with `workspace_id`), reading auth.json
 * records, and building the record a primed Codex home stores. Pure: no IO,
 * no signature checks (those live in `clients/jwks.ts`).
 *
 * No message built here quotes a claim value: `agent_private_key` is a
 * secret, and the others are not worth the risk of a mistake.
 */
import * as z from 'zod/mini'
import { ActionError } from '../errors.js'
import {
  identityFrom,
  JWT_HEADER_UNDECODABLE,
  JWT_INVALID_FORMAT,
  jwtClaimsUndecodable,
  legacyIdentityNeedsVerifyOff
} from '../messages/agent-identity.js'
import {
  authJsonInvalid,
  IDENTITY_NEITHER_JWT_NOR_OBJECT,
  identityRecordInvalid
} from '../messages/inputs.js'
import { decodeJwtHeaderPart, decodeJwtParts, type DecodedJwt } from './jwt.js'
import { mapPlanType } from './plan-type.js'
import {
  accountIdField,
  capExceeded,
  check,
  issuesText,
  planTypeField,
  taskIdField,
  type Issue
} from './schema.js'

/** `iss` of a current Agent Identity JWT. */
export const AGENT_IDENTITY_ISSUER =
  'https://chatgpt.com/codex-backend/agent-identity'

/** `aud` of a current Agent Identity JWT. */
export const AGENT_IDENTITY_AUDIENCE = 'codex-app-server'

/** Which form the identity arrived in; decides verification and priming. */
export type IdentityShape =
  /** A JWT with the current claims. */
  | 'jwt'
  /** A JWT with the older claims (`workspace_id`); only accepted unverified. */
  | 'legacy-jwt'
  /** An auth.json record in Codex's current form: trusted local state. */
  | 'record'
  /** An auth.json record in the older form: trusted local state. */
  | 'legacy-record'

/** An identity, whatever form it came in, mapped to Codex's current names. */
export interface AgentIdentity {
  shape: IdentityShape
  runtimeId: string
  /** `agent_private_key` exactly as given (a secret). */
  privateKey: string
  /** `account_id` (the older shapes' `workspace_id`); may be empty. */
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

/**
 * Codex's format check: three `.`-separated parts, the first two non-empty,
 * the middle one base64url (no padding) of a JSON object. The signature part
 * must be non-empty unless `allowUnsigned` (the older, unsigned identities,
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
  const decoded = decodeJwtParts(jwt, allowUnsigned)
  if (decoded === undefined) {
    throw new ActionError(identityFrom(JWT_INVALID_FORMAT, from))
  }
  return decoded
}

/**
 * Decodes the JWT header for verification. Its fields (`alg`, `kid`) are
 * checked by the verifier, which has a text for each.
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
  const header = decodeJwtHeaderPart(headerPart)
  if (header === undefined) {
    throw new ActionError(identityFrom(JWT_HEADER_UNDECODABLE, from))
  }
  return header
}

// ---- Claim schemas ---------------------------------------------------------

const runtimeIdField = z.string().check(z.minLength(1))

/**
 * Current claims. `iss`, `aud` and `exp` are optional here because jose
 * enforces their presence and values when verifying; `aud` must be a string
 * when present, since Codex cannot parse an array.
 */
const currentClaimsSchema = z.object({
  iss: z.optional(z.string()),
  aud: z.optional(z.string()),
  iat: z.optional(z.number()),
  exp: z.optional(z.number()),
  nbf: z.optional(z.number()),
  agent_runtime_id: runtimeIdField,
  agent_private_key: z.string(),
  account_id: accountIdField,
  chatgpt_user_id: z.string(),
  email: z.nullish(z.string()),
  plan_type: planTypeField,
  chatgpt_account_is_fedramp: z.boolean()
})

/** The older unsigned claims (`workspace_id` is the account). */
const legacyClaimsSchema = z.object({
  workspace_id: accountIdField,
  agent_runtime_id: runtimeIdField,
  agent_private_key: z.string(),
  chatgpt_user_id: z.nullish(z.string()),
  registered_at: z.nullish(z.string())
})

/** Codex's current auth.json record; missing optional fields get defaults. */
const currentRecordSchema = z.object({
  agent_runtime_id: runtimeIdField,
  agent_private_key: z.string(),
  account_id: accountIdField,
  chatgpt_user_id: z.nullish(z.string()),
  email: z.nullish(z.string()),
  plan_type: z.nullish(planTypeField),
  chatgpt_account_is_fedramp: z.nullish(z.boolean()),
  task_id: z.nullish(taskIdField)
})

/** The older auth.json record (`background_task_id` is the task). */
const olderRecordSchema = z.object({
  workspace_id: accountIdField,
  chatgpt_user_id: z.nullish(z.string()),
  agent_runtime_id: runtimeIdField,
  agent_private_key: z.string(),
  registered_at: z.nullish(z.string()),
  background_task_id: z.nullish(taskIdField)
})

/** True when an object uses the older account name instead of Codex's. */
function isSeedShape(value: Record<string, unknown>): boolean {
  return !('account_id' in value) && 'workspace_id' in value
}

/**
 * Validates JWT claims and maps them to an identity. The older shape is
 * accepted only when `allowLegacy` (verification turned off).
 *
 * @param payload - the decoded payload
 * @param from - the source label, for messages
 * @param allowLegacy - whether the older shape is acceptable
 * @throws {@link ActionError} naming the failing claims, never their values
 */
export function identityFromClaims(
  payload: Record<string, unknown>,
  from: string,
  allowLegacy: boolean
): AgentIdentity {
  const invalid = (issues: Issue[]): ActionError =>
    new ActionError(
      capExceeded(issues, from) ??
        identityFrom(jwtClaimsUndecodable(issuesText(issues)), from)
    )
  if (isSeedShape(payload)) {
    if (!allowLegacy) throw new ActionError(legacyIdentityNeedsVerifyOff(from))
    const claims = check(legacyClaimsSchema, payload)
    if (!claims.ok) throw invalid(claims.issues)
    const c = claims.value
    return {
      shape: 'legacy-jwt',
      runtimeId: c.agent_runtime_id,
      privateKey: c.agent_private_key,
      accountId: c.workspace_id,
      chatgptUserId: c.chatgpt_user_id ?? '',
      email: '',
      planType: undefined,
      fedramp: false
    }
  }
  const claims = check(currentClaimsSchema, payload)
  if (!claims.ok) throw invalid(claims.issues)
  const c = claims.value
  return {
    shape: 'jwt',
    runtimeId: c.agent_runtime_id,
    privateKey: c.agent_private_key,
    accountId: c.account_id,
    chatgptUserId: c.chatgpt_user_id,
    email: c.email ?? '',
    planType: c.plan_type,
    fedramp: c.chatgpt_account_is_fedramp
  }
}

/**
 * Reads an auth.json `agent_identity` object: Codex's current record or the
 * older one (`workspace_id`). Records are trusted local state, as in Codex.
 *
 * @param record - the `agent_identity` value
 * @param from - the auth.json's source label, for messages
 * @throws {@link ActionError} (`authJsonInvalid`) naming the failing fields
 */
export function identityFromRecord(
  record: unknown,
  from: string
): AgentIdentity {
  if (!isRecordObject(record)) {
    throw new ActionError(
      authJsonInvalid(from, IDENTITY_NEITHER_JWT_NOR_OBJECT)
    )
  }
  const invalid = (issues: Issue[]): ActionError =>
    new ActionError(
      capExceeded(issues, from, 'agent_identity.') ??
        authJsonInvalid(from, identityRecordInvalid(issuesText(issues)))
    )
  if (isSeedShape(record)) {
    const result = check(olderRecordSchema, record)
    if (!result.ok) throw invalid(result.issues)
    const r = result.value
    return {
      shape: 'legacy-record',
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
  const result = check(currentRecordSchema, record)
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

const jsonObject = z.looseObject({})

/** A JSON object (not null, not an array), as a record must be. */
function isRecordObject(value: unknown): value is Record<string, unknown> {
  return jsonObject.safeParse(value).success
}

// Codex registers a new task when the stored one is missing or blank.
function taskField(taskId: string | null | undefined): { taskId?: string } {
  return taskId === undefined || taskId === null || taskId.trim() === ''
    ? {}
    : { taskId }
}

/** The record form a primed Codex home stores, in Codex's key order. */
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
