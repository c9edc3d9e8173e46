/**
 * Where Agent Identity talks to: the JWKS URL, the AuthAPI base and URL for
 * task registration, and Codex's rule about which ChatGPT environments Agent
 * Identity may be used with.
 *
 * Pure: no IO. URLs are joined as text, because `new URL(path, base)` drops
 * the base's own path (`…/backend-api` would be lost).
 */
import {
  DEFAULT_AUTHAPI_BASE_URL,
  STAGING_AUTHAPI_BASE_URL,
  trimBase
} from './defaults.js'
import { ActionError } from '../errors.js'
import { runtimeIdNotUrlSafe } from '../messages/endpoints.js'

/** The ChatGPT environments Codex knows by URL. */
export type ChatgptEnvironment = 'production' | 'staging'

const ORIGINS: Readonly<Record<string, ChatgptEnvironment>> = {
  'https://chatgpt.com': 'production',
  'https://chat.openai.com': 'production',
  'https://chatgpt-staging.com': 'staging'
}

const KNOWN_PATHS = ['', '/backend-api', '/codex', '/backend-api/codex']

/**
 * Codex's known-environment table: the exact bases (after trimming
 * whitespace and trailing `/`) that Codex maps to production or staging.
 * Comparison is exact text, as in Codex: `https://ChatGPT.com` is not known.
 *
 * @param chatgptBaseUrl - the ChatGPT base URL in force
 * @returns the environment, or undefined for any other base
 */
export function knownEnvironment(
  chatgptBaseUrl: string
): ChatgptEnvironment | undefined {
  const base = trimBase(chatgptBaseUrl)
  for (const [origin, environment] of Object.entries(ORIGINS)) {
    if (KNOWN_PATHS.some((p) => base === origin + p)) return environment
  }
  return undefined
}

/**
 * The JWKS URL for a base: `/wham/agent-identities/jwks` under a base that
 * contains `/backend-api`, else `/agent-identities/jwks`.
 *
 * @param jwksBase - the JWKS base (jwks-base-url, else the ChatGPT base)
 * @returns the URL to GET
 */
export function agentIdentityJwksUrl(jwksBase: string): string {
  const base = trimBase(jwksBase)
  return base.includes('/backend-api')
    ? `${base}/wham/agent-identities/jwks`
    : `${base}/agent-identities/jwks`
}

/** Inputs of {@link resolveAgentEndpoints}. */
export interface AgentEndpointSettings {
  /** The ChatGPT base URL in force (input, config.toml, or the default). */
  chatgptBaseUrl: string
  /** `jwks-base-url` / `CODEX_AGENT_IDENTITY_JWKS_BASE_URL`, when set. */
  jwksBaseUrl?: string
  /** `authapi-base-url` / `CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL`, when set. */
  authapiBaseUrl?: string
}

/** Where Agent Identity requests go. */
export interface AgentEndpoints {
  /** `custom` for a base Codex does not know, accepted via both overrides. */
  environment: ChatgptEnvironment | 'custom'
  /** The JWKS base, trimmed. */
  jwksBase: string
  /** The full JWKS URL. */
  jwksUrl: string
  /** The AuthAPI base for task registration, trimmed. */
  authapiBase: string
}

/**
 * Resolves the JWKS and AuthAPI endpoints exactly as Codex does. A known
 * ChatGPT base takes either override as given. Any other base is accepted
 * only when the JWKS base equals it and an AuthAPI base is set: a later
 * Codex would otherwise refuse the identity, or (JWKS base differing) run
 * silently unauthenticated.
 *
 * @param settings - the ChatGPT base and the two optional overrides
 * @returns the endpoints to use, or undefined where Codex refuses Agent
 *   Identity (the mode then fails with Codex's `UNSUPPORTED_ENVIRONMENT`)
 */
export function resolveAgentEndpoints(
  settings: AgentEndpointSettings
): AgentEndpoints | undefined {
  const chatgptBase = trimBase(settings.chatgptBaseUrl)
  const jwksOverride = nonEmpty(settings.jwksBaseUrl)
  const authapiOverride = nonEmpty(settings.authapiBaseUrl)
  const environment = knownEnvironment(chatgptBase)

  if (environment === undefined) {
    if (jwksOverride !== chatgptBase || authapiOverride === undefined) {
      return undefined
    }
    return {
      environment: 'custom',
      jwksBase: jwksOverride,
      jwksUrl: agentIdentityJwksUrl(jwksOverride),
      authapiBase: authapiOverride
    }
  }
  const jwksBase = jwksOverride ?? chatgptBase
  return {
    environment,
    jwksBase,
    jwksUrl: agentIdentityJwksUrl(jwksBase),
    authapiBase:
      authapiOverride ??
      (environment === 'staging'
        ? STAGING_AUTHAPI_BASE_URL
        : DEFAULT_AUTHAPI_BASE_URL)
  }
}

/**
 * The registration URL: the AuthAPI base with whitespace and every trailing
 * `/` trimmed, then `/v1/agent/{runtimeId}/task/register`, joined as text.
 *
 * Codex inserts the runtime id verbatim; one containing `/`, `?`, `#` or
 * whitespace would address a different resource, so it is refused instead.
 *
 * @param authapiBase - the AuthAPI base
 * @param runtimeId - the identity's `agent_runtime_id`
 * @param from - the credential's source label, for the message
 * @returns the URL
 * @throws {@link ActionError} for an unsafe runtime id
 */
export function taskRegistrationUrl(
  authapiBase: string,
  runtimeId: string,
  from: string
): string {
  if (runtimeId === '' || /[/?#\s]/.test(runtimeId)) {
    throw new ActionError(runtimeIdNotUrlSafe(from))
  }
  return `${trimBase(authapiBase)}/v1/agent/${runtimeId}/task/register`
}

function nonEmpty(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  const trimmed = trimBase(url)
  return trimmed === '' ? undefined : trimmed
}
