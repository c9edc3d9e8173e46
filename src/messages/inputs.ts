/**
 * Texts of the inputs and the credential sources (auth.json documents,
 * config.toml): ours.
 *
 * Each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

import { redactUrl } from '../clients/redact.js'

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
