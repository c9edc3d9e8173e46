/**
 * Texts of the HTTP layer: transport failures and their causes, request
 * specs, proxy settings. Ours.
 *
 * Each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

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
