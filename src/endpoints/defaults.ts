/** Codex's default endpoints, and how a base URL is trimmed before use. */

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
