/**
 * Every user-facing error and warning text, in one place.
 *
 * Texts marked "Codex" are byte-for-byte what the Codex CLI prints: users grep
 * their logs for them, so they must not be reworded. The others are ours; each
 * names what was wrong, where it came from and what to do. The troubleshooting
 * guide (docs/TROUBLESHOOTING.md) is checked against this module by a test.
 */

// ---- Restrictions (Codex) -------------------------------------------------

/** Codex: forced `api`, ChatGPT-family credential. */
export const API_LOGIN_REQUIRED =
  'API key login is required, but ChatGPT is currently being used. Logging out.'

/** Codex: forced `chatgpt`, API key. */
export const CHATGPT_LOGIN_REQUIRED =
  'ChatGPT login is required, but an API key is currently being used. Logging out.'

/** Codex: the credential's workspace is not in the forced list. */
export const workspaceMismatch = (
  ids: readonly string[],
  actual: string
): string =>
  `Login is restricted to workspace(s) ${ids.join(', ')}, but current credentials belong to ${actual}. Logging out.`

/** Codex: the credential carries no workspace at all. */
export const workspaceMissing = (ids: readonly string[]): string =>
  `Login is restricted to workspace(s) ${ids.join(', ')}, but current credentials lack a workspace identifier. Logging out.`

/** Codex: logging out could not delete the auth.json it loaded. */
export const logoutFailed = (message: string, err: string): string =>
  `${message}. Failed to remove auth.json: ${err}`

/** Ours: an unverified JWT never proves workspace membership. */
export const UNVERIFIED_IDENTITY_WORKSPACE =
  'An unverified agent identity cannot satisfy forced-workspace-id; remove verify-identity: false'

/** Ours: input policy and config.toml policy name different login methods. */
export const loginMethodConflict = (
  input: string,
  config: string,
  configPath: string
): string =>
  `forced-login-method '${input}' conflicts with forced_login_method = "${config}" in ${configPath}. Make them agree or remove one.`

/** Ours: the two workspace lists share no id, so nothing could ever pass. */
export const workspaceListsDisjoint = (
  input: readonly string[],
  config: readonly string[],
  configPath: string
): string =>
  `forced-workspace-id (${input.join(', ')}) and forced_chatgpt_workspace_id (${config.join(', ')}) in ${configPath} have no workspace in common, so no credential could satisfy both. Make them overlap or remove one.`

// ---- auth.json (Codex) ----------------------------------------------------

export const API_KEY_AUTH_MISSING_KEY = 'API key auth is missing a key.'
export const AGENT_IDENTITY_AUTH_MISSING =
  'agent identity auth is missing agent identity auth material.'
export const PAT_AUTH_MISSING =
  'personal access token auth is missing a personal access token.'

// ---- Agent Identity (Codex) -----------------------------------------------

export const JWT_INVALID_FORMAT = 'invalid agent identity JWT format'
export const JWT_MISSING_KID =
  'agent identity JWT header does not include a kid'
export const jwtKidNotTrusted = (kid: string): string =>
  `agent identity JWT kid ${kid} is not trusted`
export const JWT_VERIFY_FAILED = 'failed to verify agent identity JWT'
export const JWT_HEADER_UNDECODABLE =
  'failed to decode agent identity JWT header'
export const jwtClaimsUndecodable = (detail: string): string =>
  `failed to decode agent identity JWT: invalid credential JSON (${detail})`
export const UNSUPPORTED_ENVIRONMENT =
  'Agent Identity only supports production and staging ChatGPT environments'
export const KEY_NOT_BASE64 =
  'stored agent identity private key is not valid base64'
export const KEY_NOT_PKCS8 =
  'stored agent identity private key is not valid PKCS#8'
export const TASK_ID_OMITTED =
  'agent task registration response omitted task id'
export const ENCRYPTED_TASK_ID_NOT_BASE64 =
  'encrypted task id is not valid base64'
export const TASK_ID_DECRYPT_FAILED = 'failed to decrypt encrypted task id'
export const registrationFailed = (
  status: number,
  reason: string,
  body: string
): string =>
  `agent task registration failed with status ${status} ${reason}${body === '' ? '' : `: ${body}`}`
export const RETRYABLE_REGISTRATION_PREFIX =
  'retryable agent identity registration failure: '

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

// ---- Ours: inputs and sources ----------------------------------------------

export const NO_CREDENTIAL =
  'No Codex credential found. Set one of the inputs api-key, access-token, agent-identity or auth-json (usually from a secret), or the env var CODEX_API_KEY or CODEX_ACCESS_TOKEN, or put an auth.json in the Codex home (codex-home input, $CODEX_HOME or ~/.codex). If this run comes from a fork, repository secrets are empty: see docs/SECURITY.md.'

export const invalidChoice = (
  input: string,
  value: string,
  expected: readonly string[]
): string =>
  `Invalid ${input} '${value}'. Expected ${expected.map((e) => `'${e}'`).join(' or ')}.`

export const invalidBoolean = (input: string, value: string): string =>
  `Invalid ${input} '${value}'. Expected 'true' or 'false'.`

export const invalidUrl = (input: string, value: string, why: string): string =>
  `Invalid ${input} '${value}': ${why}.`

export const secretHasControlChars = (source: string): string =>
  `The credential from ${source} contains a line break or another control character. Store the bare value in the secret, without quotes or trailing lines.`

export const identityConflict =
  'The inputs access-token and agent-identity are both set, to different values. Set only one of them.'

export const unsupportedAuthMode = (mode: string, source: string): string =>
  `The auth.json from ${source} uses auth_mode '${mode}', which this action does not support. Supported: apikey, chatgpt, agentIdentity, personalAccessToken.`

export const authJsonInvalid = (source: string, why: string): string =>
  `The auth.json from ${source} is not valid: ${why}.`

export const configTomlInvalid = (path: string, why: string): string =>
  `The Codex config ${path} is not valid: ${why}.`

export const workspaceIdWithComma = (path: string): string =>
  `forced_chatgpt_workspace_id in ${path} is a single string containing a comma. Write a TOML list instead: forced_chatgpt_workspace_id = ["a", "b"].`

export const notSupportedYet = (what: string): string =>
  `${what} is not supported by this version of the action yet.`

// ---- Ours: files -------------------------------------------------------------

export const primeFailed = (path: string, why: string): string =>
  `Could not write the primed Codex home at ${path}: ${why}. Check that RUNNER_TEMP is writable.`

export const UNEXPECTED_ERROR_PREFIX =
  'Unexpected error (please report it, with this message): '
