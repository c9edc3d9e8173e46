/**
 * Agent Identity: the load → restrict → verify → register pipeline Codex runs
 * for an identity, done once here so that later Codex steps start from a
 * primed record with a registered task and never bootstrap themselves.
 *
 * Order matters: everything that can fail without the network (format,
 * claims, restrictions, key, endpoints) runs first, so a wrong workspace or a
 * broken secret never reaches the JWKS or AuthAPI.
 */
import {
  taskRegistrationUrl,
  type AgentEndpoints
} from '../endpoints/agent-identity.js'
import { requireAgentEndpoints } from '../endpoints/resolve.js'
import {
  checkJwtHeader,
  fetchAgentIdentityJwks,
  verifyAgentIdentityJwt
} from '../clients/jwks.js'
import { registerAgentTask } from '../clients/task-registration.js'
import {
  decodeAgentIdentityJwt,
  decodeJwtHeader,
  identityFromClaims,
  identityFromRecord,
  primedIdentityRecord,
  type AgentIdentity
} from '../credentials/agent-identity.js'
import { mapPlanType } from '../credentials/plan-type.js'
import type { AgentIdentityCredential, Resolved } from '../credentials/types.js'
import {
  encodeAgentPrivateKey,
  parseAgentPrivateKey,
  type AgentKey
} from '../crypto/agent-key.js'
import { agentAssertionHeader, formatTimestamp } from '../crypto/assertion.js'
import { CryptoError } from '../crypto/errors.js'
import { ActionError } from '../errors.js'
import {
  assertionAges,
  identityFrom,
  JWT_INVALID_FORMAT,
  NO_TASK_REGISTERED,
  UNVERIFIED_IDENTITY_WARNING
} from '../messages/agent-identity.js'
import { identityRecordUnverifiable } from '../messages/system-policy.js'
import { loginMethodViolation, workspaceViolation } from '../policy/rules.js'
import { maskSecret, type Runner } from '../runner/port.js'
import { restrictionFailure, type ModeContext } from './context.js'

/** An identity as loaded, before any network call. */
interface Loaded {
  identity: AgentIdentity
  /** Set for JWT material: the token and its still-encoded header. */
  jwt?: { text: string; headerPart: string }
}

/**
 * Restricts, verifies and registers an Agent Identity, and resolves what
 * later steps need: the primed auth.json record with its task, an
 * `AgentAssertion` header, the account and the endpoint overrides.
 *
 * @param credential - the identity as the sources loaded it
 * @param ctx - runner, settings, policy, lazy HTTP client and clock
 * @returns the resolved credential
 * @throws {@link ActionError} with Codex's texts where Codex has one
 */
export async function resolveAgentIdentity(
  credential: AgentIdentityCredential,
  ctx: ModeContext
): Promise<Resolved> {
  const { runner, settings, policy } = ctx
  const from = credential.source.label
  const loaded = load(credential, settings.verifyIdentity, runner)
  let identity = loaded.identity

  // Restrictions, on the claims as given: nothing has touched the network.
  // Records are trusted local state (as in Codex); a JWT counts as verified
  // here only if it is going to be verified before anything uses it.
  const loginViolation = loginMethodViolation(policy, 'chatgpt')
  if (loginViolation) {
    throw restrictionFailure(loginViolation, credential.source)
  }
  // Under the runner's system policy a record handed in by the workflow
  // proves nothing: its account_id is whatever the workflow wrote.
  if (
    loaded.jwt === undefined &&
    policy.system !== undefined &&
    policy.workspaceRules.length > 0 &&
    credential.source.authFilePath === undefined
  ) {
    throw restrictionFailure(
      identityRecordUnverifiable(from),
      credential.source
    )
  }
  const trusted = loaded.jwt === undefined || settings.verifyIdentity
  const wsViolation = workspaceViolation(policy, identity.accountId, trusted)
  if (wsViolation) throw restrictionFailure(wsViolation, credential.source)

  const key = parseKey(identity.privateKey, from)
  const keyText = encodeAgentPrivateKey(key.seed)
  maskSecret(runner, keyText)

  const verify = loaded.jwt !== undefined && settings.verifyIdentity
  const register = identity.taskId === undefined && settings.registerTask
  // Without a stored task, a later Codex bootstraps with these endpoints
  // even when we do not, so the environment rule applies then too.
  const endpoints =
    verify || identity.taskId === undefined
      ? requireAgentEndpoints(ctx.endpoints)
      : undefined
  const registrationUrl =
    register && endpoints
      ? taskRegistrationUrl(endpoints.authapiBase, identity.runtimeId, from)
      : undefined
  const header =
    verify && loaded.jwt
      ? decodeJwtHeader(loaded.jwt.headerPart, from)
      : undefined
  if (header) checkJwtHeader(header, from)

  // ---- Network from here on -------------------------------------------------
  if (verify && loaded.jwt && header && endpoints) {
    const jwks = await fetchAgentIdentityJwks({
      http: await ctx.http(),
      url: endpoints.jwksUrl
    })
    const payload = await verifyAgentIdentityJwt({
      jwt: loaded.jwt.text,
      header,
      jwks,
      now: ctx.now(),
      from
    })
    identity = identityFromClaims(payload, from, false)
    // The same token, so the same account; checked again now that it is
    // proven rather than claimed.
    const verifiedViolation = workspaceViolation(policy, identity.accountId)
    if (verifiedViolation) {
      throw restrictionFailure(verifiedViolation, credential.source)
    }
    runner.info(`Verified the agent identity against ${endpoints.jwksUrl}.`)
  }

  let taskId = identity.taskId
  if (registrationUrl) {
    taskId = await registerAgentTask({
      http: await ctx.http(),
      url: registrationUrl,
      runtimeId: identity.runtimeId,
      key,
      now: ctx.now()
    })
    runner.info(`Registered agent task ${taskId}.`)
  }

  const timestamp = formatTimestamp(ctx.now())
  const authorization =
    taskId === undefined
      ? ''
      : agentAssertionHeader({
          runtimeId: identity.runtimeId,
          taskId,
          timestamp,
          key
        })
  maskSecret(runner, authorization)

  // A current JWT left unregistered is primed as it is: Codex verifies and
  // registers it itself. Everything else becomes the trusted record.
  const primeJwt =
    loaded.jwt !== undefined && identity.shape === 'jwt' && taskId === undefined
  const agentIdentity = primeJwt
    ? loaded.jwt?.text
    : primedIdentityRecord(identity, keyText, taskId)

  const secrets = [identity.privateKey, keyText]
  if (loaded.jwt) secrets.push(loaded.jwt.text)
  if (authorization !== '') secrets.push(authorization)

  return {
    mode: 'agentIdentity',
    source: credential.source,
    secrets,
    authorization,
    ...(identity.accountId === '' ? {} : { accountId: identity.accountId }),
    planType: mapPlanType(identity.planType),
    fedramp: identity.fedramp,
    agentRuntimeId: identity.runtimeId,
    ...(taskId === undefined ? {} : { taskId }),
    authJson: {
      auth_mode: 'agentIdentity',
      OPENAI_API_KEY: null,
      agent_identity: agentIdentity
    },
    // Endpoint overrides for later steps are exported for every mode by
    // export.ts.
    env: {},
    // chatgpt_base_url reaches the primed config.toml through main (input)
    // or the carried-over table (config.toml); nothing to add here.
    config: {},
    warnings: warnings(loaded, settings.verifyIdentity, taskId, timestamp),
    facts: facts({
      loaded,
      identity,
      verified: verify,
      registered: registrationUrl !== undefined,
      endpoints,
      from,
      taskId,
      timestamp
    })
  }
}

/**
 * Decodes the material and masks the private key it carries before anything
 * else can run (the JWT itself was masked by the sources).
 */
function load(
  credential: AgentIdentityCredential,
  verifyIdentity: boolean,
  runner: Runner
): Loaded {
  const from = credential.source.label
  const material = credential.material
  if (material.kind === 'record') {
    const record = material.record as Record<string, unknown> | null
    maskClaim(runner, record?.['agent_private_key'])
    return { identity: identityFromRecord(material.record, from) }
  }
  maskSecret(runner, material.jwt)
  // Unsigned tokens only exist in the older shape (claim workspace_id),
  // accepted unverified.
  const decoded = decodeAgentIdentityJwt(material.jwt, from, !verifyIdentity)
  maskClaim(runner, decoded.payload['agent_private_key'])
  const identity = identityFromClaims(decoded.payload, from, !verifyIdentity)
  if (decoded.signaturePart === '' && identity.shape !== 'legacy-jwt') {
    throw new ActionError(identityFrom(JWT_INVALID_FORMAT, from))
  }
  return {
    identity,
    jwt: { text: material.jwt, headerPart: decoded.headerPart }
  }
}

function maskClaim(runner: Runner, value: unknown): void {
  if (typeof value === 'string') maskSecret(runner, value)
}

function parseKey(text: string, from: string): AgentKey {
  try {
    return parseAgentPrivateKey(text)
  } catch (err) {
    if (err instanceof CryptoError) {
      throw new ActionError(identityFrom(err.message, from))
    }
    throw err
  }
}

function warnings(
  loaded: Loaded,
  verifyIdentity: boolean,
  taskId: string | undefined,
  timestamp: string
): string[] {
  const list: string[] = []
  if (loaded.jwt && !verifyIdentity) list.push(UNVERIFIED_IDENTITY_WARNING)
  list.push(
    taskId === undefined ? NO_TASK_REGISTERED : assertionAges(timestamp)
  )
  return list
}

interface FactsInput {
  loaded: Loaded
  identity: AgentIdentity
  verified: boolean
  registered: boolean
  endpoints: AgentEndpoints | undefined
  from: string
  taskId: string | undefined
  timestamp: string
}

/** Non-secret rows for the job summary. */
function facts(input: FactsInput): [string, string][] {
  const { loaded, identity, endpoints } = input
  const rows: [string, string][] = []
  rows.push([
    'Identity',
    input.verified && endpoints
      ? `JWT verified (RS256) against ${endpoints.jwksUrl}`
      : loaded.jwt
        ? `JWT not verified (verify-identity: false)${identity.shape === 'legacy-jwt' ? ', older shape' : ''}`
        : `trusted auth.json record from ${input.from}`
  ])
  rows.push([
    'Task origin',
    input.registered && endpoints
      ? `registered now at ${endpoints.authapiBase}`
      : input.taskId !== undefined
        ? `reused from ${input.from}`
        : 'none (register-task: false); a later Codex registers its own'
  ])
  if (input.taskId !== undefined) {
    rows.push([
      'AgentAssertion signed at',
      `${input.timestamp} (it ages; Codex signs fresh ones from the primed home)`
    ])
  }
  if (identity.fedramp) {
    rows.push(['FedRAMP header', 'X-OpenAI-Fedramp: true on every request'])
  }
  return rows
}
