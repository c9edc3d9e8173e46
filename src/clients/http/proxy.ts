/**
 * Proxies. @actions/http-client's rules decide whether a request goes through
 * a proxy (`HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`, either case, loopback
 * always direct) and its tunnel agent sends the CONNECT. This module adds what
 * it does not do: refuse a proxy setting it would silently ignore, and keep
 * the tunnel inside our security and timeout rules.
 */
import { checkBypass } from '@actions/http-client/lib/proxy'
import { ActionError } from '../../errors.js'
import {
  PROXY_BAD_ESCAPE,
  PROXY_NO_HOST,
  PROXY_NO_SCHEME,
  PROXY_NOT_A_URL,
  proxySettingInvalid
} from '../../messages/network.js'
import { redactUrl } from '../redact.js'

/**
 * Checks the proxy variable http-client will use for `url`, strictly.
 * http-client treats a value it cannot use as no proxy at all: a schemeless
 * `localhost:3128` parses as a URL with no host, a malformed percent-escape
 * in the password makes it give up, and the request goes out directly,
 * which a runner that must use its proxy cannot allow.
 *
 * @throws ActionError naming the variable (its value shown without
 *   credentials or query) when a proxy applies and cannot be honoured
 */
export function checkProxySettings(url: URL): void {
  if (checkBypass(url)) return
  const names =
    url.protocol === 'https:'
      ? (['https_proxy', 'HTTPS_PROXY'] as const)
      : (['http_proxy', 'HTTP_PROXY'] as const)
  // The same precedence as http-client: lower case first, empty is unset.
  const name = names.find((n) => process.env[n])
  if (name === undefined) return
  const value = process.env[name] ?? ''
  const refuse = (why: string): ActionError =>
    new ActionError(proxySettingInvalid(name, redactUrl(value), why))

  let proxy: URL
  try {
    proxy = new URL(value)
  } catch {
    throw refuse(PROXY_NOT_A_URL)
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw refuse(PROXY_NO_SCHEME)
  }
  if (proxy.hostname === '') throw refuse(PROXY_NO_HOST)
  try {
    decodeURIComponent(proxy.username)
    decodeURIComponent(proxy.password)
  } catch {
    throw refuse(PROXY_BAD_ESCAPE)
  }
}

/** Something an attempt can end early: a request, a socket. */
export interface Destroyable {
  destroy(): unknown
}

/** The parts of the `tunnel` agent http-client makes that we adjust. */
interface TunnelAgent {
  proxyOptions: { proxyAuth?: string; rejectUnauthorized?: boolean }
  options: { rejectUnauthorized?: boolean }
  request: (options: { headers?: Record<string, unknown> }) => TunnelRequest
}

interface TunnelRequest extends Destroyable {
  on(event: 'error', listener: () => void): unknown
}

/** Where a prepared tunnel agent reports its CONNECT requests. */
export interface ConnectTracker {
  /** The CONNECT requests of the attempt running now. */
  connects: Destroyable[]
}

function isTunnelAgent(agent: unknown): agent is TunnelAgent {
  return (
    typeof agent === 'object' &&
    agent !== null &&
    'proxyOptions' in agent &&
    'request' in agent &&
    typeof agent.request === 'function'
  )
}

const prepared = new WeakSet<object>()

/**
 * Adjusts the tunnel agent http-client chose for a proxied request (does
 * nothing to any other agent): TLS is verified to the backend and to an
 * https proxy whatever `NODE_TLS_REJECT_UNAUTHORIZED` says; the proxy
 * credentials go in a header of our own; each CONNECT is reported to
 * `tracker`, so an attempt that runs out of time can hang up on a proxy that
 * never answers (the tunnel does not tie that socket to the request).
 */
export function prepareTunnelAgent(
  agent: unknown,
  tracker: ConnectTracker
): void {
  if (!isTunnelAgent(agent) || prepared.has(agent)) return
  prepared.add(agent)
  agent.options.rejectUnauthorized = true
  agent.proxyOptions.rejectUnauthorized = true
  // tunnel encodes `proxyAuth` with the deprecated `new Buffer()`, which
  // prints DEP0005 on every run once bundled; it never sees it now.
  const auth = agent.proxyOptions.proxyAuth
  delete agent.proxyOptions.proxyAuth
  const send = agent.request
  agent.request = (options) => {
    if (auth !== undefined) {
      options.headers = {
        ...options.headers,
        'Proxy-Authorization': `Basic ${Buffer.from(auth).toString('base64')}`
      }
    }
    const req = send(options)
    // Destroying it on timeout may emit an error nobody else listens to any
    // more; an unhandled 'error' would crash the process.
    req.on('error', () => undefined)
    tracker.connects.push(req)
    return req
  }
}
