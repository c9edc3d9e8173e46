/**
 * Texts of the login restrictions (forced login method, forced workspaces):
 * Codex's own, and ours where the action's and config.toml's policies meet.
 *
 * Texts marked "Codex" are byte-for-byte what the Codex CLI prints: users
 * grep their logs for them, so they must not be reworded. The others are
 * ours: each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
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
