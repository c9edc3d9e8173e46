/**
 * Texts of workload identity (keyless): Codex's own, then ours for the OIDC
 * token and the exchange (the settings' texts are in keyless-settings.ts).
 *
 * Texts marked "Codex" are byte-for-byte what the Codex CLI prints: users
 * grep their logs for them, so they must not be reworded. The others are
 * ours: each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

import { statusLine, sentence } from './shared.js'

// ---- Workload identity (Codex) ----------------------------------------------

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
