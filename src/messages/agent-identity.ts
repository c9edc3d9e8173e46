/**
 * Texts of Agent Identity: the JWT, its key, the JWKS and task registration
 * (Codex's own, then ours).
 *
 * Texts marked "Codex" are byte-for-byte what the Codex CLI prints: users
 * grep their logs for them, so they must not be reworded. The others are
 * ours: each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

import { statusLine, serverValueTooLong } from './shared.js'

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
