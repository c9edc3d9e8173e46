/**
 * Every user-facing error and warning text, in one place.
 *
 * Texts marked "Codex" are byte-for-byte what the Codex CLI prints: users grep
 * their logs for them, so they must not be reworded. The others are ours; each
 * names what was wrong, where it came from and what to do. The troubleshooting
 * guide (docs/TROUBLESHOOTING.md) is checked against this module by a test.
 */

import { redactUrl } from './clients/redact.js'

/** `500 Internal Server Error`, or just `599` for a code with no phrase. */
const statusLine = (status: number, reason: string): string =>
  reason === '' ? String(status) : `${status} ${reason}`

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

// ---- Ours: the system policy (/etc/codex) ----------------------------------

export const systemPolicyInvalid = (path: string, why: string): string =>
  `The Codex system policy ${path} is not valid: ${why}. The runner's administrator must fix it; until then no credential is allowed.`

/** A forced login method from one source contradicts the system layer's. */
export const loginMethodConflictSystem = (
  method: string,
  from: string,
  managed: string,
  managedPath: string
): string =>
  `forced login method '${method}' (${from}) conflicts with forced_login_method = "${managed}" in ${managedPath}, which the runner's administrator set. Remove the workflow's setting or make it agree.`

export const loginMethodNotAllowed = (
  method: string,
  from: string,
  allowed: readonly string[],
  requirementsPath: string
): string =>
  allowed.length === 0
    ? `allowed_login_methods in ${requirementsPath} is empty: the runner's administrator allows no login method.`
    : `forced login method '${method}' (${from}) is not in allowed_login_methods (${allowed.join(', ')}) in ${requirementsPath}, which the runner's administrator set.`

/** One workspace list and where it came from, for the message below. */
export const workspaceListFrom = (
  ids: readonly string[],
  from: string
): string => `(${ids.join(', ') || 'none'}) from ${from}`

/** `lists` are {@link workspaceListFrom} texts. */
export const workspacePoliciesDisjoint = (lists: readonly string[]): string =>
  `The workspace lists ${lists.join(' and ')} have no workspace in common, so no credential could satisfy all of them. The runner's administrator's lists cannot be loosened: change the workflow's.`

/** Under a system workspace policy, only what can be checked counts. */
export const identityRecordUnverifiable = (from: string): string =>
  `The agent identity record from ${from} cannot satisfy the runner's workspace policy: its account_id is not signed, and a workflow can write any. Pass the identity as a JWT (input access-token), which is verified against the JWKS, or keep the record in the runner's own Codex home.`

export const systemPolicyForbidsEndpoint = (
  setting: string,
  path: string
): string =>
  `${setting} cannot be changed on this runner: its administrator set a Codex login policy in ${path}, and a workflow must not choose the server that vouches for its own credential. Remove ${setting}.`

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
/** Ours: a task id with whitespace or control characters is refused. */
export const TASK_ID_NOT_PRINTABLE =
  'agent task registration returned a task id with whitespace or control characters; refusing to use it. Check authapi-base-url points at the AuthAPI.'
export const registrationFailed = (
  status: number,
  reason: string,
  body: string
): string =>
  `agent task registration failed with status ${statusLine(status, reason)}${body === '' ? '' : `: ${body}`}`
export const RETRYABLE_REGISTRATION_PREFIX =
  'retryable agent identity registration failure: '
/** Codex: a 2xx registration answer that is not the expected JSON. */
export const REGISTRATION_RESPONSE_UNDECODABLE =
  'failed to decode agent task registration response'

/**
 * Ours: a server value longer than this action keeps or exports. Cutting it
 * would hand on a different value, and an unbounded one ends up in env vars
 * that make every later process fail to start (E2BIG).
 */
const serverValueTooLong = (
  reply: string,
  field: string,
  length: number,
  max: number,
  setting: string
): string =>
  `${reply}: ${field} is ${length} characters long, over the limit of ${max}; refusing to use it rather than cut it. Check ${setting}.`

/** Ours: a registered task id over its cap. */
export const taskIdTooLong = (length: number, max: number): string =>
  serverValueTooLong(
    'agent task registration',
    'task id',
    length,
    max,
    'authapi-base-url'
  )

// ---- Ours: Agent Identity --------------------------------------------------

/**
 * A Codex agent identity text plus where the credential came from, so a user
 * with several sources knows which secret to fix. The Codex text stays intact
 * at the start, for grep.
 */
export const identityFrom = (message: string, source: string): string =>
  `${message} (agent identity from ${source})`

/** Codex's verification text followed by our reason. */
export const jwtVerifyFailed = (reason: string): string =>
  `${JWT_VERIFY_FAILED}: ${reason}`

/** Reasons for {@link jwtVerifyFailed}; none of them quotes a claim value. */
export const JWT_REASON_SIGNATURE =
  'the signature does not match the trusted key'
export const jwtReasonAlgorithm = (alg: string): string =>
  `the header alg ${alg} is not RS256`
export const JWT_REASON_KEY_UNUSABLE =
  'the JWKS key with this kid cannot verify RS256 signatures'
export const jwtReasonExpired = (at: string): string =>
  `the token expired at ${at} (60 s leeway); ask for a fresh agent identity`
export const jwtReasonNotYetValid = (at: string): string =>
  `the token is not valid before ${at} (60 s leeway); check the runner clock`
export const jwtReasonClaim = (claim: string): string =>
  `claim ${claim} is missing or not the expected value`
export const JWT_REASON_MALFORMED = 'the token is malformed'

/** Ours: the older (April 2026) JWT shape, which current Codex no longer accepts. */
export const legacyIdentityNeedsVerifyOff = (source: string): string =>
  `The agent identity from ${source} has the older shape (claim workspace_id) that current Codex rejects. Use a current Agent Identity JWT, or set verify-identity: false to use it unverified (an unverified identity cannot satisfy forced-workspace-id).`

/** Ours: a runtime id that would change the registration URL's meaning. */
export const runtimeIdNotUrlSafe = (source: string): string =>
  `The agent identity from ${source} has an agent_runtime_id containing '/', '?', '#' or whitespace, which cannot be put into the task registration URL unchanged. Ask for a new agent identity.`

/** Ours: the JWKS endpoint answered with an error status. */
export const jwksRequestFailed = (
  target: string,
  status: number,
  reason: string,
  body: string
): string =>
  `agent identity JWKS endpoint returned an error: ${status} ${reason} from ${target}${body === '' ? '' : `: ${body}`}. Check chatgpt-base-url and jwks-base-url.`

/** Ours: the JWKS endpoint answered 2xx with something that is not a key set. */
export const jwksUndecodable = (target: string, why: string): string =>
  `failed to decode agent identity JWKS from ${target}: ${why}. Check chatgpt-base-url and jwks-base-url.`

/** Reasons for {@link jwksUndecodable}. */
export const JWKS_BODY_NOT_JSON = 'the body is not JSON'
export const JWKS_NOT_A_KEY_SET = 'it is not an object with a "keys" array'

/** Ours (warning): an exported AgentAssertion carries its creation time. */
export const assertionAges = (timestamp: string): string =>
  `The exported AgentAssertion header (authorization output, CODEX_AUTHORIZATION) was signed at ${timestamp} and ages: the backend's accepted clock skew and the task's lifetime are unknown, so use it soon. Codex itself signs a fresh one per request from the primed home.`

/** Ours (warning): verify-identity: false on a JWT. */
export const UNVERIFIED_IDENTITY_WARNING =
  "verify-identity is false: the agent identity JWT's signature was not checked, so its account, plan and FedRAMP claims are only what the token says."

/** Ours (warning): register-task: false leaves no task to sign for. */
export const NO_TASK_REGISTERED =
  'register-task is false, so no agent task was registered and no AgentAssertion header could be made: the authorization output and CODEX_AUTHORIZATION are empty. A later Codex registers its own task.'

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

/** Ours: the refreshed tokens could not be written back to the runner file. */
export const refreshWriteBackFailed = (path: string, err: string): string =>
  `The ChatGPT tokens were refreshed, but writing them back to ${path} failed: ${err}. The refresh token in that file is now used up; the valid copy is the primed auth.json (output auth-file). Copy it over ${path} before the job ends.`

/** A failure message ended as a sentence, for text that follows it. */
const sentence = (message: string): string =>
  /[.!?]$/.test(message) ? message : `${message}.`

/** Ours: the step failed after a rotation; the new tokens went back to the runner file. */
export const rotatedTokensWrittenBack = (
  message: string,
  file: string
): string =>
  `${sentence(message)} The token endpoint had already rotated the refresh token; the new ChatGPT tokens were written back to ${file}.`

/** Ours: the step failed after a rotation; the new tokens are kept under RUNNER_TEMP. */
export const rotatedTokensKept = (
  message: string,
  from: string,
  file: string
): string =>
  `${sentence(message)} The token endpoint had already rotated the refresh token, so the one stored in ${from} is now used up. The new ChatGPT tokens are kept in ${file} until the job ends: save that file (for example in an \`if: failure()\` step) and store it in place of the old auth.json.`

/** Ours: the step failed after a rotation, and the new tokens could not be kept. */
export const rotatedTokensLost = (
  message: string,
  from: string,
  err: string
): string =>
  `${sentence(message)} The token endpoint had already rotated the refresh token, so the one stored in ${from} is now used up, and the new tokens could not be kept: ${err}. Sign in again with \`codex login\` and store the new auth.json.`

// ---- Ours: personal access tokens --------------------------------------------

/** Ours: whoami refused the personal access token (401/403). */
export const patRejected = (
  status: number,
  reason: string,
  target: string
): string =>
  `The personal access token was rejected by ${target} (status ${statusLine(status, reason)}). It may be expired, revoked or from another environment: create a new one and update the secret, or check authapi-base-url.`

/** Ours: whoami answered another non-2xx status. */
export const whoamiFailed = (
  status: number,
  reason: string,
  body: string
): string =>
  `personal access token lookup (whoami) failed with status ${statusLine(status, reason)}${body === '' ? '' : `: ${body}`}`

/** Ours: whoami answered 2xx with something that is not its JSON object. */
export const WHOAMI_REPLY_INVALID =
  'personal access token lookup (whoami) answered with a body that is not a JSON object with string fields email, chatgpt_user_id, chatgpt_account_id, chatgpt_plan_type and a boolean chatgpt_account_is_fedramp. Check authapi-base-url.'

/** Ours: a whoami value we keep (account id, plan type) over its cap. */
export const whoamiValueTooLong = (
  field: string,
  length: number,
  max: number
): string =>
  serverValueTooLong(
    'personal access token lookup (whoami)',
    field,
    length,
    max,
    'authapi-base-url'
  )

/** Ours: whoami named no account, so requests could not be routed. */
export const WHOAMI_NO_ACCOUNT =
  'personal access token lookup (whoami) named no ChatGPT account (chatgpt_account_id) for this token, so later Codex requests could not be routed to a workspace. Check authapi-base-url, or create the token in a ChatGPT workspace.'

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

/** The URL is shown without credentials or query, whether or not it parses. */
export const invalidUrl = (input: string, value: string, why: string): string =>
  `Invalid ${input} '${redactUrl(value)}': ${why}.`

/** Reasons for {@link invalidUrl}. */
export const URL_NOT_ABSOLUTE =
  'not an absolute URL (expected https://host/path)'
export const urlSchemeNotHttp = (scheme: string): string =>
  `scheme ${scheme} is not http or https`
export const URL_HAS_CREDENTIALS =
  'user names and passwords in URLs are not supported'
export const BASE_URL_HAS_QUERY = 'a base URL cannot carry a query or fragment'

/** Ours (warning): an endpoint that sends credentials over plain http. */
export const plainHttpEndpoint = (from: string, host: string): string =>
  `${from} uses plain http to ${host}: credentials would cross the network unencrypted. Use https unless this is a local test backend.`

/** Ours: a workspace list input that is not blank but names no id. */
export const workspaceListEmpty = (value: string): string =>
  `forced-workspace-id '${value}' names no workspace id`

/** Debug log: one resolved setting (never a secret value). */
export const settingResolved = (name: string, value: string): string =>
  `Setting ${name}: ${value}`

export const secretHasControlChars = (source: string): string =>
  `The credential from ${source} contains a line break or another control character. Store the bare value in the secret, without quotes or trailing lines.`

export const identityConflict =
  'The inputs access-token and agent-identity are both set, to different values. Set only one of them.'

export const unsupportedAuthMode = (mode: string, source: string): string =>
  `The auth.json from ${source} uses auth_mode '${mode}', which this action does not support. Supported: apikey, chatgpt, agentIdentity, personalAccessToken.`

export const authJsonInvalid = (source: string, why: string): string =>
  `The auth.json from ${source} is not valid: ${why}.`

/** Reasons for {@link authJsonInvalid}; none of them quotes the document. */
export const AUTH_JSON_NOT_JSON = 'it is not valid JSON'
export const AUTH_JSON_TOO_DEEP =
  'it nests objects or lists more than 32 levels deep'
export const AUTH_JSON_NOT_OBJECT = 'it is not a JSON object'
export const AUTH_JSON_NOT_ENCODED =
  'it is neither JSON (starting with "{") nor base64 of JSON'
export const AUTH_JSON_BASE64_NOT_OBJECT =
  'it decodes from base64, but not to a JSON object'
export const AUTH_MODE_NOT_STRING = 'auth_mode must be a string'
export const IDENTITY_NEITHER_JWT_NOR_OBJECT =
  'agent_identity is neither a JWT nor an object'
export const identityRecordInvalid = (issues: string): string =>
  `agent_identity: ${issues}`

/**
 * One schema issue of a credential document: the expected and the received
 * type and where, never the value (claims and records carry secrets).
 */
export const fieldTypeInvalid = (
  expected: string,
  received: string,
  path: string
): string =>
  `Invalid input: expected ${expected}, received ${received} → at ${path}`

/** A schema issue: a string that must not be empty. */
export const fieldEmpty = (path: string): string =>
  `Too small: expected string to have >=1 characters → at ${path}`

/** A schema issue of any other kind (a value outside the expected set). */
export const fieldInvalid = (path: string): string =>
  `Invalid input → at ${path}`

/**
 * Ours: a credential value longer than anything real. Refused, never cut
 * short: a huge value would reach every later step's environment (E2BIG).
 */
export const valueTooLong = (
  field: string,
  source: string,
  length: number,
  max: number
): string =>
  `${field} in the credential from ${source} is ${length} characters long, more than the ${max} this action accepts. Store the credential exactly as issued.`

export const configTomlInvalid = (path: string, why: string): string =>
  `The Codex config ${path} is not valid: ${why}.`

/** A reason for {@link configTomlInvalid}: the parser said nothing. */
export const TOML_PARSE_ERROR = 'parse error'

/** A reason for {@link configTomlInvalid}. */
export const forcedLoginMethodInvalid = (found: string): string =>
  `forced_login_method must be "chatgpt" or "api", found ${found}`

/** A reason for {@link configTomlInvalid}. */
export const WORKSPACE_IDS_NOT_STRINGS =
  'forced_chatgpt_workspace_id must be a string or a list of strings'

/** A reason for {@link configTomlInvalid}. */
export const CHATGPT_BASE_URL_NOT_STRING =
  'chatgpt_base_url must be a non-empty string'

export const workspaceIdWithComma = (path: string): string =>
  `forced_chatgpt_workspace_id in ${path} is a single string containing a comma. Write a TOML list instead: forced_chatgpt_workspace_id = ["a", "b"].`

// ---- Ours: files -------------------------------------------------------------

export const runnerTempInWorkspace = (
  temp: string,
  workspace: string
): string =>
  `RUNNER_TEMP (${temp}) is inside GITHUB_WORKSPACE (${workspace}); the primed Codex home holds credentials and must not be written into the workspace, which may be uploaded or cached. Point RUNNER_TEMP elsewhere.`

export const primeFailed = (path: string, why: string): string =>
  `Could not write the primed Codex home at ${path}: ${why}. Check that RUNNER_TEMP is writable.`

/** Ours: a command file the runner named cannot be appended to. */
export const commandFileUnwritable = (
  name: string,
  file: string,
  why: string
): string =>
  `${name} (${file}) cannot be written: ${why}. The runner could not receive this step's results, so the step stopped before any request.`

export const UNEXPECTED_ERROR_PREFIX =
  'Unexpected error (please report it, with this message): '

// ---- Ours: the runner --------------------------------------------------------

// Without its command file, @actions/core would print the value on stdout.
export const GITHUB_ENV_UNSET =
  'GITHUB_ENV is not set: this runner cannot receive exported variables safely'
export const GITHUB_OUTPUT_UNSET =
  'GITHUB_OUTPUT is not set: this runner cannot receive outputs safely'
export const GITHUB_STATE_UNSET =
  'GITHUB_STATE is not set: the post step would not run'

export const summaryWriteFailed = (err: string): string =>
  `Could not write the job summary: ${err}`

// ---- Ours: the post step -------------------------------------------------------

export const cleanupFailed = (what: string, err: string): string =>
  `Codex auth cleanup: could not ${what}: ${err}`
export const cleanupRemove = (path: string): string => `remove ${path}`
export const cleanupWriteBack = (path: string): string =>
  `write the rotated auth.json back to ${path}`
export const primedHomeGone = (path: string): string =>
  `Primed Codex home ${path} is already gone.`
export const primedHomeUnmarked = (path: string): string =>
  `Codex auth cleanup: ${path} has no marker of a primed Codex home; left in place.`
export const primedHomeRemoved = (path: string): string =>
  `Removed the primed Codex home ${path}.`
export const postStepWroteBack = (path: string): string =>
  `Wrote the rotated ChatGPT tokens back to ${path}.`

/** The post step copies only what the main step primed, where it came from. */
export const writeBackRefused = (target: string, why: string): string =>
  `Codex auth cleanup: nothing written back to ${target}: ${why}.`
export const WRITE_BACK_SOURCE_NOT_PRIMED =
  'the file to copy is not the auth.json of a Codex home this action primed'
export const WRITE_BACK_TARGET_NOT_SOURCE =
  'it is not the auth.json the primed Codex home was made from'
export const WRITE_BACK_NOT_CHATGPT =
  'the primed auth.json is no longer a valid ChatGPT auth.json'

// ---- Ours: network ---------------------------------------------------------

/** Message text of HttpTransportError (src/clients/http/errors.ts). */
export const httpTransportFailed = (
  what: string,
  target: string,
  attempts: number,
  detail: string
): string =>
  `${what} to ${target} failed after ${attempts} attempt(s): ${detail}`

/** Cause when the action's time budget was spent before the first attempt. */
export const BUDGET_EXHAUSTED =
  "the action's time budget ran out before the request could be sent"

/** Cause when a TLS certificate is refused: the usual fix is a CA, not a retry. */
export const tlsCertificateRejected = (code: string): string =>
  `the TLS certificate was rejected (${code}); if a proxy inspects TLS, trust its CA with NODE_EXTRA_CA_CERTS`

/** Cause when an attempt ran out of its time. */
export const noCompleteResponse = (timeoutMs: number): string =>
  `no complete response within ${timeoutMs} ms`

/** Cause when the body stopped before its end. */
export const INCOMPLETE_BODY =
  'the connection closed before the response was complete'

/** Cause when Node refuses to build the request (its text names the header). */
export const requestNotBuildable = (nodeText: string): string =>
  `the request could not be built: ${nodeText}`

/** Cause when the proxy answered CONNECT with something other than 200. */
export const proxyRefusedTunnel = (status: string, reason: string): string =>
  `the proxy refused the tunnel with status ${status} ${reason}`.trim()

/** Cause when the proxy itself could not be reached. */
export const proxyUnreachable = (cause: string): string =>
  `could not reach the proxy: ${cause}`

/** Cause when the proxy sent bytes after its CONNECT reply. */
export const PROXY_CONNECT_BODY =
  'the proxy answered CONNECT with an unexpected body'

/** Cause when a failure carried no text at all. */
export const UNKNOWN_TRANSPORT_ERROR = 'unknown error'

/** Short causes for the socket error codes a user can act on. */
export const TRANSPORT_CODE_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPROTO: 'TLS handshake failed'
}

/** Programming error: a request spec with no usable attempt count. */
export const badMaxAttempts = (what: string): string =>
  `${what}: maxAttempts must be a whole number >= 1`

/** Programming error: a request spec with no usable timeout. */
export const badTimeout = (what: string): string =>
  `${what}: timeoutMs must be > 0`

/** The request URL does not parse (not quoted: it may carry a secret). */
export const requestUrlInvalid = (what: string): string =>
  `${what}: the request URL is not a valid URL`

/** The request URL is neither http nor https. */
export const requestUrlNotHttp = (what: string): string =>
  `${what}: the request URL must be http or https`

/**
 * A host such as `127.example.com`: a runner's proxy rules send every
 * `127.*` host direct as if it were loopback, so it would skip the proxy.
 */
export const loopbackLookalikeHost = (what: string, target: string): string =>
  `${what} to ${target} refused: the host name starts with "127." but is not an IPv4 address, so the runner's proxy rules would send it past the proxy as if it were loopback. Use 127.0.0.1 for a local server, or the real host name.`

/** A proxy variable the action cannot honour (the value shown has no password). */
export const proxySettingInvalid = (
  variable: string,
  shown: string,
  why: string
): string =>
  `The proxy setting ${variable}='${shown}' cannot be used: ${why}. Write it as http://host:port (or https://), with any user name and password percent-encoded, or unset it; the action does not fall back to a direct connection.`

/** Why a proxy URL is refused: {@link proxySettingInvalid}'s `why`. */
export const PROXY_NOT_A_URL = 'it is not a valid URL'
export const PROXY_NO_SCHEME = 'it does not start with http:// or https://'
export const PROXY_NO_HOST = 'it names no host'
export const PROXY_BAD_ESCAPE =
  'its user name or password contains a malformed percent-escape'

// ---- Workload identity (Codex) ----------------------------------------------

/** Codex: workload identity with a chatgpt_base_url it does not trust. */
export const WORKLOAD_ROUTING_UNTRUSTED =
  'workload identity auth supports only trusted production and staging app routing'

/** Codex: the exchange answered 2xx with a reply Codex would not use. */
export const WORKLOAD_EXCHANGE_INVALID =
  'the workload identity token exchange returned an invalid response'

/**
 * Codex's text for a refused exchange, then `: detail` when there is one,
 * ended as a sentence: the start of ours below.
 */
const workloadExchangeRejected = (status: number, detail: string): string =>
  sentence(
    `the workload identity token exchange was rejected with HTTP ${status}${detail === '' ? '' : `: ${detail}`}`
  )

// ---- Ours: workload identity --------------------------------------------------

/** Ours: GitHub's OIDC token service refused the request token (401/403). */
export const oidcRequestRejected = (status: number, reason: string): string =>
  `GitHub's OIDC token service refused the job's request token (status ${statusLine(status, reason)}). ACTIONS_ID_TOKEN_REQUEST_TOKEN is valid only in the job it was issued to, while that job runs: run the action in the job that has \`permissions: id-token: write\`, and do not set ACTIONS_ID_TOKEN_REQUEST_URL or ACTIONS_ID_TOKEN_REQUEST_TOKEN yourself.`

/** Ours: GitHub's OIDC token service answered another non-2xx status. */
export const oidcRequestFailed = (
  status: number,
  reason: string,
  body: string
): string =>
  `${sentence(`GitHub's OIDC token service answered with status ${statusLine(status, reason)}${body === '' ? '' : `: ${body}`}`)} A 4xx usually means an oidc-audience GitHub cannot put into a token; a 429 or 5xx means the service kept failing after retries: re-run the job later.`

/** Ours: GitHub's OIDC token service answered 2xx without a token in it. */
export const OIDC_REPLY_INVALID =
  'GitHub\'s OIDC token service answered with a body that is not a JSON object whose "value" is a JWT. The runner sets ACTIONS_ID_TOKEN_REQUEST_URL: check that no step or env: block replaces it.'

/** Ours: an OIDC token over the size Codex accepts for an assertion. */
export const oidcTokenTooLong = (length: number, max: number): string =>
  `GitHub's OIDC token service answered with a token of ${length} characters, over the limit of ${max} that Codex accepts for a workload identity assertion. Check that no step or env: block replaces ACTIONS_ID_TOKEN_REQUEST_URL.`

/** Ours: what is said of an OIDC token whose claims cannot be read. */
export const OIDC_CLAIMS_UNREADABLE = 'no readable claims (it is not a JWT)'

/**
 * Ours after Codex's text: the exchange was refused (a 4xx, or a 3xx, which
 * is not followed). `claims` is what `oidcClaimsForMessage` says of the OIDC
 * token that was sent.
 */
export const workloadExchangeRefused = (
  status: number,
  detail: string,
  ruleId: string,
  claims: string
): string =>
  `${workloadExchangeRejected(status, detail)} The GitHub OIDC token sent had ${claims}. Federation rule ${ruleId} must trust that issuer and accept that subject, that audience (input oidc-audience) and those claims: compare them with the rule's settings. invalid_client means no rule has that id: check federation-rule-id. A refused jti means the rule allows each token once.`

/** Ours after Codex's text: 429 or 5xx on every attempt. */
export const workloadExchangeUnavailable = (
  status: number,
  detail: string,
  attempts: number
): string =>
  `${workloadExchangeRejected(status, detail)} OpenAI's token endpoint kept failing (${attempts} attempts, each with a new OIDC token): re-run the job later.`

/** Ours after Codex's text: why a 2xx reply is unusable. */
export const workloadExchangeInvalid = (reason: string): string =>
  `${WORKLOAD_EXCHANGE_INVALID}: ${reason}. OpenAI's endpoint always answers with a complete token response: if refresh-token-url is set, check that it points at a workload identity token endpoint.`

/** Reasons for {@link workloadExchangeInvalid}; none quotes a reply value. */
export const WORKLOAD_REPLY_PROBLEMS: Readonly<Record<string, string>> = {
  body: 'the body is not a JSON object',
  access_token: 'access_token is missing or not a JWT',
  chatgpt_account_id:
    'chatgpt_account_id is missing, empty or holds a control character',
  chatgpt_account_user_id: 'chatgpt_account_user_id is missing or empty',
  chatgpt_plan_type: 'chatgpt_plan_type is not a string',
  expires_in: 'expires_in is not a whole number from 1 to 3600',
  issued_token_type:
    'issued_token_type is not urn:ietf:params:oauth:token-type:access_token',
  scope: 'scope is missing or empty',
  token_type: 'token_type is not bearer',
  user_id: 'user_id is missing or empty',
  user_mismatch:
    'the user id inside access_token (https://api.openai.com/auth) is not user_id'
}

/** Reason for {@link workloadExchangeInvalid}: a value over its cap. */
export const workloadReplyValueTooLong = (
  field: string,
  length: number,
  max: number
): string =>
  workloadExchangeInvalid(
    `${field} is ${length} characters long, over the limit of ${max}`
  )

/**
 * Ours (warning): refresh-token-url also moved the preflight exchange, which
 * Codex never does for workload identity.
 */
export const workloadExchangeUrlOverridden = (
  target: string,
  codexUrl: string
): string =>
  `refresh-token-url is set, so this step exchanged the OIDC token at ${target}. Codex ignores refresh-token-url for workload identity and always exchanges at ${codexUrl}: use the override only with a test backend.`
// ---- Workload identity (action) ---------------------------------------------

/** Codex: workload identity with an `openai_base_url` override. */
export const WORKLOAD_DEFAULT_RESPONSES_ENDPOINT =
  'workload identity requires the default OpenAI Responses endpoint'

/** Ours: Codex's routing text, plus which setting and what to do. */
export const workloadRoutingUntrusted = (url: string, from: string): string =>
  `${WORKLOAD_ROUTING_UNTRUSTED}: chatgpt-base-url '${redactUrl(url)}' (${from}) is not https://chatgpt.com, https://chat.openai.com or https://chatgpt-staging.com (each optionally with /backend-api, /codex or /backend-api/codex). Remove it; a local test backend takes the exchange through refresh-token-url instead.`

/** Ours: Codex's endpoint text, plus where the override is. */
export const workloadOpenaiBaseUrl = (configPath: string): string =>
  `${WORKLOAD_DEFAULT_RESPONSES_ENDPOINT}: openai_base_url in ${configPath} would be carried into the primed config.toml, and Codex refuses workload identity with it. Remove openai_base_url from that file for keyless runs.`

/** Ours: a rule id without the audience its tokens must carry. */
export const oidcAudienceRequired = (ruleFrom: string): string =>
  `A federation rule id is set (${ruleFrom}) but oidc-audience is not. Set oidc-audience to the audience configured in the federation rule: OpenAI documents no default, and a token with another audience is refused by the exchange.`

/** Ours (warning): a keyless input that selects nothing on its own. */
export const keylessInputWithoutRule = (input: string): string =>
  `${input} is set but no federation rule id is (input federation-rule-id or env OPENAI_FEDERATION_RULE_ID), so it is ignored and workload identity is not used.`

/** Ours: a keyless setting with a line break or control character. */
export const keylessValueHasControlChars = (from: string): string =>
  `The value of ${from} contains a line break or another control character. Set it to the bare value, on one line.`

/** Ours: a keyless setting over its cap (the value is not shown). */
export const keylessValueTooLong = (
  from: string,
  length: number,
  max: number
): string =>
  `The value of ${from} is ${length} characters long, more than the ${max} this action accepts. Check that it holds only the value it names.`

/** Ours: `fifo` asked for where the OS has none. */
export const IDENTITY_TOKEN_FIFO_UNAVAILABLE =
  "Invalid identity-token-file-mode 'fifo': this runner's OS (Windows) has no FIFOs. Use 'file', or leave the input empty."

/** Ours: the job cannot ask GitHub for an OIDC token. */
export const oidcPermissionMissing = (variable: string): string =>
  `Workload identity needs the job's GitHub OIDC token, but ${variable} is not set: the job lacks the id-token permission. Add "permissions: { id-token: write }" to the workflow or the job (the block form is logged above). Listing permissions sets every unlisted one to none: add contents: read too when the job checks out the repository.`

/**
 * Ours: the YAML to add, logged line by line before
 * {@link oidcPermissionMissing} (an error is one line in the log).
 */
export const OIDC_PERMISSION_YAML = 'permissions:\n  id-token: write'

/** Ours: appended to {@link oidcPermissionMissing} for a fork's pull request. */
export const OIDC_PERMISSION_FORK =
  "This run is a pull request from a fork, and GitHub never gives a fork's pull request the id-token permission, whatever the workflow says. Run keyless jobs on pushes or on pull requests from this repository's own branches."

// Token source (workload identity): the background helper that serves
// GitHub OIDC tokens at OPENAI_IDENTITY_TOKEN_FILE.

/** The helper could not be started or did not serve; `reason` says why. */
export const tokenSourceFailed = (reason: string): string =>
  `Could not start the identity token source for Codex: ${reason}. Nothing was exported and no helper process was left running.`

/** The token directory could not be made. */
export const tokenSourceDirFailed = (runnerTemp: string, err: string): string =>
  tokenSourceFailed(
    `could not create its directory under RUNNER_TEMP (${runnerTemp}): ${err}`
  )

/** {@link tokenSourceFailed}'s reason: the process did not start at all. */
export const tokenSourceNotStarted = (err: string): string =>
  `the helper process did not start: ${err}`

/** {@link tokenSourceFailed}'s reason: the helper ended before serving. */
export const tokenSourceExited = (how: string): string =>
  `the helper process ended (${how}) before it served a token`

/** {@link tokenSourceFailed}'s reason: no word from the helper in time. */
export const tokenSourceNotReady = (seconds: number): string =>
  `the helper did not serve a token within ${seconds} s`

/** {@link tokenSourceFailed}'s reason: no FIFO could be made. */
export const tokenSourceNoFifo = (detail: string): string =>
  `could not make the FIFO (${detail}); set identity-token-file-mode: file`

/** {@link tokenSourceFailed}'s reason: GitHub gave the helper no token. */
export const tokenSourceFirstMintFailed = (err: string): string =>
  `its first OIDC token request failed: ${err}`

/**
 * {@link tokenSourceFailed}'s reason: the helper did not get the first token
 * the main step mints for it (the main step ended or sent something else).
 */
export const TOKEN_SOURCE_NO_FIRST_TOKEN = 'it was handed no first OIDC token'

/** Post step: what could not be done (see {@link cleanupFailed}). */
export const cleanupStopTokenSource = (pid: number): string =>
  `stop the identity token source (pid ${pid})`

/** Post step: the helper was stopped and its directory removed. */
export const tokenSourceStopped = (pid: number, dir: string): string =>
  `Stopped the identity token source (pid ${pid}) and removed ${dir}.`

/**
 * Post step: no process with the saved pid, start time and nonce runs any
 * more (it ended, or the pid now belongs to another process, left alone).
 */
export const tokenSourceGone = (pid: number, dir: string): string =>
  `The identity token source (pid ${pid}) had already ended; removed ${dir}.`

/** Post step: not even SIGKILL ended it in time. */
export const tokenSourceSurvived = (pid: number): string =>
  `Codex auth cleanup: the identity token source (pid ${pid}) did not end after SIGTERM and SIGKILL.`
