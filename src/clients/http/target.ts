/** The request URL: what may be sent to, and how it may be shown. */
import { ActionError } from '../../errors.js'
import {
  loopbackLookalikeHost,
  requestUrlInvalid,
  requestUrlNotHttp
} from '../../messages/network.js'
import { redactUrl } from '../redact.js'

/**
 * The URL as it may appear in a message: origin and path. The query string
 * and any `user:password@` are dropped, as either may carry a secret. A URL
 * that does not parse is shown with both redacted.
 */
export function safeTarget(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return redactUrl(url)
  }
  return parsed.origin + parsed.pathname
}

// After WHATWG parsing an IPv4 host is always four decimal parts.
const IPV4_LITERAL = /^\d{1,3}(?:\.\d{1,3}){3}$/

/**
 * Parses the URL of a request and refuses what must not be sent.
 *
 * @throws TypeError for a URL that does not parse or is not http(s): the
 *   endpoint rules upstream never let one through
 * @throws ActionError for a host that starts with `127.` but is not an IPv4
 *   address: the runner's proxy rules send every `127.*` host direct as if it
 *   were loopback, so a name like `127.example.com` would skip the proxy
 */
export function parseTarget(what: string, url: string): URL {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    // The URL itself is not quoted: it may carry a secret in its query.
    throw new TypeError(requestUrlInvalid(what))
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(requestUrlNotHttp(what))
  }
  const host = parsed.hostname
  if (host.startsWith('127.') && !IPV4_LITERAL.test(host)) {
    throw new ActionError(loopbackLookalikeHost(what, safeTarget(url)))
  }
  return parsed
}
