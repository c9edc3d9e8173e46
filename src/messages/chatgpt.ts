/**
 * Texts of a ChatGPT auth.json and its token refresh (Codex's own, then
 * ours), and of rotated tokens kept or written back.
 *
 * Texts marked "Codex" are byte-for-byte what the Codex CLI prints: users
 * grep their logs for them, so they must not be reworded. The others are
 * ours: each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

import { serverValueTooLong } from './shared.js'

// ---- ChatGPT token refresh (Codex) ----------------------------------------

export const REFRESH_TOKEN_EXPIRED =
  'Your access token could not be refreshed because your refresh token has expired. Please log out and sign in again.'
export const REFRESH_TOKEN_REUSED =
  'Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.'
export const REFRESH_TOKEN_INVALIDATED =
  'Your access token could not be refreshed because your refresh token was revoked. Please log out and sign in again.'
export const REFRESH_TOKEN_UNKNOWN_PERMANENT =
  'Your access token could not be refreshed. Please log out and sign in again.'
export const refreshTransient = (status: string, message: string): string =>
  `Failed to refresh token: ${status}: ${message}`
export const REFRESH_INVALID_ID_TOKEN =
  'Failed to refresh token: invalid ID token format'

/** Ours: the source named when a refresh reply carries a value over its cap. */
export const TOKEN_ENDPOINT_SOURCE = 'the token endpoint'

// ---- Ours: ChatGPT auth.json and token refresh ------------------------------

const CHATGPT_RELOGIN =
  'Sign in again with `codex login` and store the whole auth.json it writes (~/.codex/auth.json), unchanged.'

/** Ours: a chatgpt-mode auth.json without a `tokens` object. */
export const chatgptTokensMissing = (source: string): string =>
  `The ChatGPT auth.json from ${source} has no "tokens" object. ${CHATGPT_RELOGIN}`

/** Ours: id_token, access_token or refresh_token is absent or unusable. */
export const chatgptTokenInvalid = (source: string, field: string): string =>
  `The ChatGPT auth.json from ${source} has no usable tokens.${field}: it must be a non-empty string without spaces or line breaks. ${CHATGPT_RELOGIN}`

/** Ours: Codex silently ignores a file whose id_token is not a JWT. */
export const chatgptIdTokenNotJwt = (source: string): string =>
  `tokens.id_token in the ChatGPT auth.json from ${source} is not a JWT (three non-empty base64url parts, the middle one a JSON object), so Codex would silently ignore the whole file. ${CHATGPT_RELOGIN}`

/** Ours: an id_token claim of the wrong type makes Codex drop the file. */
export const chatgptClaimInvalid = (
  source: string,
  claim: string,
  expected: string
): string =>
  `The id_token in the ChatGPT auth.json from ${source} has a claim ${claim} that is not ${expected}, so Codex would reject the file. ${CHATGPT_RELOGIN}`

/** Ours: tokens.account_id of the wrong type. */
export const chatgptAccountIdInvalid = (source: string): string =>
  `tokens.account_id in the ChatGPT auth.json from ${source} must be a string or null. ${CHATGPT_RELOGIN}`

/** Ours: without last_refresh Codex sends no Authorization header at all. */
export const chatgptLastRefreshMissing = (source: string): string =>
  `The ChatGPT auth.json from ${source} has no last_refresh, so Codex would send no Authorization header at all. Store the whole auth.json that \`codex login\` wrote, including last_refresh.`

/** Ours: last_refresh that is not an RFC 3339 time. */
export const chatgptLastRefreshInvalid = (source: string): string =>
  `last_refresh in the ChatGPT auth.json from ${source} is not an RFC 3339 time (like 2026-01-01T00:00:00Z), so Codex would reject the file. Store the whole auth.json that \`codex login\` wrote, unchanged.`

/** Ours: a 2xx refresh reply that is not a token response. */
export const REFRESH_REPLY_INVALID =
  'Failed to refresh token: the token endpoint answered with a body that is not a token response'

/** Ours: a token in a refresh reply over its cap. */
export const refreshedTokenTooLong = (
  field: string,
  length: number,
  max: number
): string =>
  serverValueTooLong(
    'Failed to refresh token',
    field,
    length,
    max,
    'refresh-token-url'
  )

/** Ours: the refresh failed for now and the current access token is expired. */
export const refreshFailedTokenExpired = (detail: string): string =>
  `${detail.replace(/\.$/, '')}. The ChatGPT access token has already expired, so it cannot be used instead. Re-run the job later; if this keeps failing, sign in again with \`codex login\` and update the stored auth.json.`

/** Ours: the refresh failed for now; the current token still works. */
export const refreshFailedUsingCurrent = (
  detail: string,
  expiresAt: string | undefined
): string =>
  `${detail.replace(/\.$/, '')}. Using the current ChatGPT access token, which has not expired yet${expiresAt === undefined ? '' : ` (it expires at ${expiresAt})`}; a later Codex will try the refresh again.`

/** Ours: a refresh used up the refresh token stored in the auth-json secret. */
export const REFRESHED_INPUT_SECRET_STALE =
  'The ChatGPT tokens from input auth-json were refreshed, so the refresh token stored in that secret is now used up: the next run with it will fail with "refresh token was already used". The only valid copy is the primed auth.json (output auth-file). Persist it before the job ends, for example in a later step with `env: { AUTH_FILE: ${{ steps.<id>.outputs.auth-file }}, GH_TOKEN: <a token allowed to write secrets> }` and `run: gh secret set CODEX_AUTH_JSON < "$AUTH_FILE"`.'
