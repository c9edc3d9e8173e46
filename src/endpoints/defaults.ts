/**
 * Default endpoints, as in Codex. Endpoint resolution rules for each mode
 * live next to the mode; these constants are shared.
 */

/** Codex's default ChatGPT base URL (config `chatgpt_base_url`). */
export const DEFAULT_CHATGPT_BASE_URL = 'https://chatgpt.com/backend-api/'

/** Production AuthAPI base (task registration and whoami). */
export const DEFAULT_AUTHAPI_BASE_URL = 'https://auth.openai.com/api/accounts'

/** Staging AuthAPI base, used when the ChatGPT base is a staging URL. */
export const STAGING_AUTHAPI_BASE_URL =
  'https://auth.api.openai.org/api/accounts'

/** Production OAuth token endpoint for ChatGPT refresh. */
export const DEFAULT_REFRESH_TOKEN_URL = 'https://auth.openai.com/oauth/token'

/** Trims whitespace and every trailing `/` (URLs are joined as text). */
export function trimBase(url: string): string {
  return url.trim().replace(/\/+$/, '')
}

/** The endpoint settings that later Codex runs must see too. */
export interface EndpointSettings {
  registrationAuthapi?: { url: string }
  whoamiAuthapi?: { url: string }
  jwksBase?: { url: string }
  refreshTokenUrl?: { url: string }
}

/**
 * Env vars that point a later Codex at the endpoints this step used, for
 * every endpoint set by input or env to something other than Codex's
 * default. Step-level `env:` is not seen by later steps, so a value that came
 * from env is exported again.
 */
export function endpointOverrideEnv(
  settings: EndpointSettings
): Record<string, string> {
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
