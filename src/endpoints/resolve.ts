/**
 * Every endpoint of a run, resolved once from the settings and config.toml:
 * each one is its input, else its env var (both read by `inputs.ts`), else
 * config.toml where Codex reads one there, else Codex's default. The modes
 * call what is resolved here, and export hands the overrides on.
 *
 * Pure: no IO. URLs are joined as text, because `new URL(path, base)` drops
 * the base's own path.
 */
import type { Settings } from '../inputs.js'
import type { CodexConfig } from '../sources/codex-config.js'
import { ActionError } from '../errors.js'
import { UNSUPPORTED_ENVIRONMENT } from '../messages/endpoints.js'
import { resolveAgentEndpoints, type AgentEndpoints } from './agent-identity.js'
import {
  DEFAULT_AUTHAPI_BASE_URL,
  DEFAULT_CHATGPT_BASE_URL,
  DEFAULT_REFRESH_TOKEN_URL,
  trimBase
} from './defaults.js'

/** whoami's path under the AuthAPI base. */
export const WHOAMI_PATH = '/v1/user-auth-credential/whoami'

/** The endpoint settings read from inputs and env. */
export type EndpointSettings = Pick<
  Settings,
  | 'chatgptBaseUrl'
  | 'registrationAuthapi'
  | 'whoamiAuthapi'
  | 'jwksBase'
  | 'refreshTokenUrl'
>

/** Where every request of this run goes, and what later steps must see. */
export interface Endpoints {
  /**
   * The ChatGPT base URL in force: input chatgpt-base-url, else config.toml
   * chatgpt_base_url, else Codex's default.
   */
  chatgptBaseUrl: string
  /**
   * `chatgpt_base_url` for the primed config.toml: the input's value when
   * it is not Codex's default. A value from config.toml is carried over
   * with the rest of its table.
   */
  primedChatgptBaseUrl?: string
  /**
   * The JWKS and task registration endpoints; undefined where Codex refuses
   * Agent Identity (see {@link requireAgentEndpoints}).
   */
  agentIdentity?: AgentEndpoints
  /** The AuthAPI base whoami is asked at, trimmed. */
  whoamiBase: string
  /** The full whoami URL. */
  whoamiUrl: string
  /** The token endpoint, exactly as given. */
  refreshTokenUrl: string
  /**
   * Env vars that point a later Codex at the endpoints this step used: one
   * for every endpoint set by input or env to something other than Codex's
   * default. Step-level `env:` is not seen by later steps, so a value that
   * came from env is exported again.
   */
  overrideEnv: Readonly<Record<string, string>>
}

/**
 * Resolves every endpoint of the run.
 *
 * @param settings - the endpoint inputs and env vars, validated
 * @param config - the source home's config.toml (`chatgpt_base_url`)
 * @returns the endpoints; never throws (a mode that cannot use them fails
 *   when it needs them)
 */
export function resolveEndpoints(
  settings: EndpointSettings,
  config: Pick<CodexConfig, 'chatgptBaseUrl'>
): Endpoints {
  const inputBase = settings.chatgptBaseUrl?.url
  const chatgptBaseUrl =
    inputBase ?? config.chatgptBaseUrl ?? DEFAULT_CHATGPT_BASE_URL
  const whoamiBase = trimBase(
    settings.whoamiAuthapi?.url ?? DEFAULT_AUTHAPI_BASE_URL
  )
  const endpoints: Endpoints = {
    chatgptBaseUrl,
    whoamiBase,
    whoamiUrl: whoamiBase + WHOAMI_PATH,
    refreshTokenUrl: settings.refreshTokenUrl?.url ?? DEFAULT_REFRESH_TOKEN_URL,
    overrideEnv: overrideEnv(settings)
  }
  if (inputBase !== undefined && inputBase !== DEFAULT_CHATGPT_BASE_URL) {
    endpoints.primedChatgptBaseUrl = inputBase
  }
  const agentIdentity = resolveAgentEndpoints({
    chatgptBaseUrl,
    jwksBaseUrl: settings.jwksBase?.url,
    authapiBaseUrl: settings.registrationAuthapi?.url
  })
  if (agentIdentity !== undefined) endpoints.agentIdentity = agentIdentity
  return endpoints
}

/**
 * The Agent Identity endpoints, for a mode about to use them (or to prime a
 * home that a later Codex bootstraps from).
 *
 * @param endpoints - the run's endpoints
 * @returns the JWKS and registration endpoints
 * @throws {@link ActionError} with Codex's `UNSUPPORTED_ENVIRONMENT` text
 */
export function requireAgentEndpoints(endpoints: Endpoints): AgentEndpoints {
  if (endpoints.agentIdentity === undefined) {
    throw new ActionError(UNSUPPORTED_ENVIRONMENT)
  }
  return endpoints.agentIdentity
}

function overrideEnv(settings: EndpointSettings): Record<string, string> {
  const env: Record<string, string> = {}
  const put = (
    name: string,
    url: string | undefined,
    fallback?: string
  ): void => {
    if (url === undefined) return
    if (fallback !== undefined && trimBase(url) === trimBase(fallback)) return
    env[name] = url
  }
  put(
    'CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL',
    settings.registrationAuthapi?.url,
    DEFAULT_AUTHAPI_BASE_URL
  )
  // The JWKS default follows the ChatGPT base, so any explicit value counts.
  put('CODEX_AGENT_IDENTITY_JWKS_BASE_URL', settings.jwksBase?.url)
  put(
    'CODEX_AUTHAPI_BASE_URL',
    settings.whoamiAuthapi?.url,
    DEFAULT_AUTHAPI_BASE_URL
  )
  put(
    'CODEX_REFRESH_TOKEN_URL_OVERRIDE',
    settings.refreshTokenUrl?.url,
    DEFAULT_REFRESH_TOKEN_URL
  )
  return env
}
