import { randomBytes, randomUUID, type KeyObject } from 'node:crypto'
import { formatWholeSecondTimestamp } from './encoding.js'
import { applyOverrides, encodeJwt } from './jwt.js'
import {
  agentKeyFromSeed,
  JWKS_KEY_ID,
  jwksSigningKey,
  untrustedSigningKey
} from './keys.js'

/** `iss` of current Agent Identity JWTs (SPEC 4.1). */
export const AGENT_IDENTITY_ISSUER =
  'https://chatgpt.com/codex-backend/agent-identity'
/** `aud` of current Agent Identity JWTs (SPEC 4.1). */
export const AGENT_IDENTITY_AUDIENCE = 'codex-app-server'

/**
 * Which response field task registration answers with. The first two are
 * sealed boxes, the last two plain text; the camelCase spellings exist
 * because clients must accept them too (SPEC 4.3).
 */
export type TaskIdDelivery =
  'encrypted_task_id' | 'encryptedTaskId' | 'task_id' | 'taskId'

/** Options of {@link mintAgentIdentity}; every field has a working default. */
export interface MintAgentIdentityOptions {
  runtimeId?: string
  accountId?: string
  chatgptUserId?: string
  /** `null` leaves the optional `email` claim out. */
  email?: string | null
  planType?: string
  fedramp?: boolean
  /** 32-byte Ed25519 seed; random when absent. */
  seed?: Uint8Array
  /** Form of `agent_private_key`: PKCS#8 v1 (48 bytes, default) or v2. */
  keyFormat?: 'pkcs8-v1' | 'pkcs8-v2'
  /** Replaces the `agent_private_key` claim text (e.g. base64url, PEM). */
  privateKeyText?: string
  /** `iat` in seconds; defaults to the backend clock. */
  issuedAt?: number
  /** Lifetime in seconds after `iat` (default 3600; negative = expired). */
  expiresIn?: number
  /** Absolute `exp` in seconds; wins over `expiresIn`. */
  expiresAt?: number
  /** `kid` header; defaults to the JWKS key's id. */
  kid?: string
  /**
   * Key that signs the JWT: the published one (default), one the JWKS never
   * lists, or any RSA private key object.
   */
  signingKey?: 'trusted' | 'untrusted' | KeyObject
  /** Literal third JWT part instead of a real signature (unsigned/tampered). */
  signature?: string
  /** Claim overrides applied last; `undefined` removes a claim. */
  claims?: Record<string, unknown>
  /** Header overrides applied last; `undefined` removes an entry. */
  header?: Record<string, unknown>
  /**
   * The seeds' old unsigned shape (`workspace_id`, `registered_at`, header
   * `alg: none`, signature part `c2ln` as in the seeds' tests) that current
   * Codex rejects.
   */
  legacy?: boolean
  /** How registration answers for this identity; the backend default else. */
  taskIdDelivery?: TaskIdDelivery
}

/** A minted identity: the JWT plus everything a test needs to check it. */
export interface MintedAgentIdentity {
  jwt: string
  runtimeId: string
  accountId: string
  chatgptUserId: string
  email: string | null
  planType: string
  fedramp: boolean
  /** The `agent_private_key` claim as written into the JWT. */
  privateKeyB64: string
  /** Standard base64 of the 48-byte PKCS#8 v1 DER. */
  privateKeyPkcs8V1B64: string
  /** Standard base64 of the 83-byte PKCS#8 v2 DER. */
  privateKeyPkcs8V2B64: string
  seed: Buffer
  privateKey: KeyObject
  publicKey: KeyObject
  /** The 32-byte raw Ed25519 public key. */
  publicKeyRaw: Buffer
  header: Record<string, unknown>
  claims: Record<string, unknown>
  legacy: boolean
  taskIdDelivery?: TaskIdDelivery
}

/**
 * Mints an Agent Identity JWT with a fresh (or given) Ed25519 agent key.
 * Pure apart from randomness: the backend remembers the key separately.
 */
export function mintAgentIdentity(
  options: MintAgentIdentityOptions = {},
  nowMs: number = Date.now()
): MintedAgentIdentity {
  const key = agentKeyFromSeed(options.seed ?? randomBytes(32))
  const runtimeId =
    options.runtimeId ?? `agent-runtime-${randomBytes(6).toString('hex')}`
  const accountId = options.accountId ?? randomUUID()
  const chatgptUserId =
    options.chatgptUserId ?? `user-${randomBytes(8).toString('hex')}`
  const email =
    options.email === undefined ? 'agent@dev-backend.test' : options.email
  const planType = options.planType ?? 'plus'
  const fedramp = options.fedramp ?? false
  const pkcs8V1B64 = key.pkcs8V1.toString('base64')
  const pkcs8V2B64 = key.pkcs8V2.toString('base64')
  const privateKeyB64 =
    options.privateKeyText ??
    (options.keyFormat === 'pkcs8-v2' ? pkcs8V2B64 : pkcs8V1B64)
  const iat = options.issuedAt ?? Math.floor(nowMs / 1000)
  const exp = options.expiresAt ?? iat + (options.expiresIn ?? 3600)

  const legacy = options.legacy === true
  const baseClaims: Record<string, unknown> = legacy
    ? {
        workspace_id: accountId,
        chatgpt_user_id: chatgptUserId,
        agent_runtime_id: runtimeId,
        agent_private_key: privateKeyB64,
        registered_at: formatWholeSecondTimestamp(iat * 1000)
      }
    : {
        iss: AGENT_IDENTITY_ISSUER,
        aud: AGENT_IDENTITY_AUDIENCE,
        iat,
        exp,
        agent_runtime_id: runtimeId,
        agent_private_key: privateKeyB64,
        account_id: accountId,
        chatgpt_user_id: chatgptUserId,
        ...(email === null ? {} : { email }),
        plan_type: planType,
        chatgpt_account_is_fedramp: fedramp
      }
  const baseHeader: Record<string, unknown> = legacy
    ? { alg: 'none', typ: 'JWT' }
    : { alg: 'RS256', kid: options.kid ?? JWKS_KEY_ID, typ: 'JWT' }
  const claims = applyOverrides(baseClaims, options.claims)
  const header = applyOverrides(baseHeader, options.header)

  const signature = options.signature ?? (legacy ? 'c2ln' : undefined)
  const jwt = encodeJwt(
    header,
    claims,
    signature === undefined
      ? { key: resolveSigningKey(options.signingKey) }
      : { signature }
  )
  return {
    jwt,
    runtimeId,
    accountId,
    chatgptUserId,
    email,
    planType,
    fedramp,
    privateKeyB64,
    privateKeyPkcs8V1B64: pkcs8V1B64,
    privateKeyPkcs8V2B64: pkcs8V2B64,
    seed: key.seed,
    privateKey: key.privateKey,
    publicKey: key.publicKey,
    publicKeyRaw: key.publicKeyRaw,
    header,
    claims,
    legacy,
    ...(options.taskIdDelivery
      ? { taskIdDelivery: options.taskIdDelivery }
      : {})
  }
}

function resolveSigningKey(
  choice: MintAgentIdentityOptions['signingKey']
): KeyObject {
  if (choice === undefined || choice === 'trusted') return jwksSigningKey()
  if (choice === 'untrusted') return untrustedSigningKey()
  return choice
}

/** What the backend knows about one agent runtime. */
export interface KnownAgent {
  runtimeId: string
  accountId: string
  publicKeyRaw: Buffer
  taskIdDelivery?: TaskIdDelivery
  /** Task ids registered so far, oldest first. */
  tasks: string[]
}

/**
 * Agent runtimes the backend accepts registrations for (runtime id → public
 * key), and the tasks registered for each.
 */
export class AgentRegistry {
  private readonly agents = new Map<string, KnownAgent>()

  /** Trusts a runtime's key; replaces an earlier key for the same id. */
  remember(
    runtimeId: string,
    accountId: string,
    publicKeyRaw: Uint8Array,
    taskIdDelivery?: TaskIdDelivery
  ): KnownAgent {
    const agent: KnownAgent = {
      runtimeId,
      accountId,
      publicKeyRaw: Buffer.from(publicKeyRaw),
      tasks: this.agents.get(runtimeId)?.tasks ?? [],
      ...(taskIdDelivery ? { taskIdDelivery } : {})
    }
    this.agents.set(runtimeId, agent)
    return agent
  }

  /** The runtime's key and tasks, if it was ever remembered. */
  get(runtimeId: string): KnownAgent | undefined {
    return this.agents.get(runtimeId)
  }

  /** Account ids of every known runtime, in minting order. */
  accountIds(): string[] {
    return [...this.agents.values()].map((agent) => agent.accountId)
  }
}
