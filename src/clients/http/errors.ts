/**
 * Failure text: what an attempt that produced no response is reported as.
 * A message names the call, its URL without query string or credentials, and
 * a short cause; never a header or a body.
 */
import { ActionError } from '../../errors.js'
import {
  httpTransportFailed,
  INCOMPLETE_BODY,
  noCompleteResponse,
  PROXY_CONNECT_BODY,
  proxyRefusedTunnel,
  proxyUnreachable,
  requestNotBuildable,
  tlsCertificateRejected,
  TRANSPORT_CODE_TEXT,
  UNKNOWN_TRANSPORT_ERROR
} from '../../messages/network.js'
import { REDACTED, redactSecrets } from '../redact.js'
import { reasonPhrase } from './reason.js'
import type { TransportFailure, TransportFailureKind } from './types.js'

/**
 * The last attempt failed at transport level. The message names the call and
 * its URL without query string, and a short cause; never headers or bodies.
 */
export class HttpTransportError extends ActionError {
  /**
   * @param what the call, e.g. `agent task registration`
   * @param target origin and path of the URL, nothing else
   * @param attempts attempts made (0 when the budget was gone before the first)
   * @param kind `timeout` when the last attempt ran out of time
   * @param detail short cause, already free of secrets
   */
  constructor(
    readonly what: string,
    readonly target: string,
    readonly attempts: number,
    readonly kind: TransportFailureKind,
    readonly detail: string
  ) {
    super(httpTransportFailed(what, target, attempts, detail))
    this.name = 'HttpTransportError'
  }
}

/** Ends an attempt whose time is up, whatever it was waiting for. */
export class AttemptTimeoutError extends Error {}

/** The body stopped before it was complete. */
export class IncompleteBodyError extends Error {
  constructor() {
    super(INCOMPLETE_BODY)
  }
}

const TLS_CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
])

// Node refuses to build the request at all: a header or path it cannot send.
// The same request would be refused again.
const REQUEST_BUILD_CODES = new Set([
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_UNESCAPED_CHARACTERS',
  'ERR_HTTP_INVALID_HEADER_VALUE'
])

// The tunnel agent under http-client wraps every proxy problem in one of
// these generic texts.
const TUNNEL_FAILED = 'tunneling socket could not be established'
const TUNNEL_BODY = 'got illegal response body from proxy'
// http-client's own socket idle timer; ours normally ends the attempt first.
const CLIENT_SOCKET_TIMEOUT = 'Request timeout: '

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) {
    return undefined
  }
  return typeof err.code === 'string' ? err.code : undefined
}

/**
 * Classifies what ended an attempt: timeout or transport, whether another
 * attempt could help, and a short secret-free cause.
 */
export function describeFailure(
  err: unknown,
  timedOut: boolean,
  timeoutMs: number
): TransportFailure {
  const text = err instanceof Error ? err.message : String(err)
  if (timedOut || text.startsWith(CLIENT_SOCKET_TIMEOUT)) {
    return {
      kind: 'timeout',
      detail: noCompleteResponse(timeoutMs),
      retryable: true
    }
  }
  if (err instanceof IncompleteBodyError) {
    return { kind: 'transport', detail: err.message, retryable: true }
  }
  const code = errorCode(err)
  if (code !== undefined && TLS_CERTIFICATE_CODES.has(code)) {
    return {
      kind: 'transport',
      detail: tlsCertificateRejected(code),
      retryable: false
    }
  }
  if (code !== undefined && REQUEST_BUILD_CODES.has(code)) {
    // Node's text names the offending header, never its value.
    return {
      kind: 'transport',
      detail: requestNotBuildable(text),
      retryable: false
    }
  }
  if (text.startsWith(TUNNEL_FAILED)) {
    return {
      kind: 'transport',
      detail: describeProxyFailure(text),
      retryable: true
    }
  }
  if (text === TUNNEL_BODY) {
    return { kind: 'transport', detail: PROXY_CONNECT_BODY, retryable: true }
  }
  const known = code === undefined ? undefined : TRANSPORT_CODE_TEXT[code]
  return {
    kind: code === 'ETIMEDOUT' ? 'timeout' : 'transport',
    detail: known ?? shortText(text),
    retryable: true
  }
}

function describeProxyFailure(text: string): string {
  const status = /statusCode=(\d+)/.exec(text)?.[1]
  if (status !== undefined) {
    return proxyRefusedTunnel(status, reasonPhrase(Number(status)))
  }
  const code = /\b(E[A-Z_]+)\b/.exec(text)?.[1]
  const known = code === undefined ? undefined : TRANSPORT_CODE_TEXT[code]
  return proxyUnreachable(known ?? shortText(text))
}

/** An unrecognised error's text, redacted and kept short. */
function shortText(text: string): string {
  const clean = redactSecrets(text.replace(/\s+/g, ' ').trim())
  return clean.length > 200
    ? `${clean.slice(0, 200)}...`
    : clean || UNKNOWN_TRANSPORT_ERROR
}

/** Belt and braces: neither query string nor URL password may reach a message. */
export function scrubQuery(detail: string, url: URL): string {
  let out = detail
  for (const part of [url.search.slice(1), url.password]) {
    if (part.length > 0) out = out.split(part).join(REDACTED)
  }
  return out
}
