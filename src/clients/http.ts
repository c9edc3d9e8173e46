/**
 * The one request helper every backend client uses (JWKS, task registration,
 * whoami, token refresh). It owns what they must all get right the same way:
 * the runner's proxy settings, a timeout covering the whole attempt, retries
 * with jittered backoff and `Retry-After`, an overall time budget, a cap on
 * what is read, and error text that never carries a secret.
 *
 * It does not interpret statuses: the final response, whatever its status, is
 * returned to the endpoint client, which knows what a 401 or a 500 means for
 * its call. Only a transport failure on the last attempt throws.
 */
import type * as Http from 'node:http'
import { StringDecoder } from 'node:string_decoder'
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import { requireBuiltin } from '../builtins.js'
import { ActionError } from '../errors.js'
import {
  BUDGET_EXHAUSTED,
  httpTransportFailed,
  tlsCertificateRejected
} from '../messages.js'
import { redactSecrets } from './redact.js'
import { buildUserAgent, USER_AGENT_PRODUCT } from './user-agent.js'

// Required, not imported (see builtins.ts): an import of node:http loads
// undici on Node 24. The live module object also means a test interceptor
// (nock) that patches `http.request` after this module loaded is still seen.
const http = requireBuiltin('node:http') as typeof Http
const loadHttps = (): typeof import('node:https') =>
  requireBuiltin('node:https') as typeof import('node:https')

/** Most bytes of a response body that are read; the rest is never received. */
export const MAX_BODY_BYTES = 1024 * 1024

/** The overall budget {@link defaultHttpDeps} gives the whole action. */
export const ACTION_TIME_BUDGET_MS = 120_000

/** First retry waits about this long (scaled by 0.5–1.5 for jitter). */
export const BACKOFF_BASE_MS = 500

/** No wait between attempts is longer, whatever `Retry-After` asks for. */
export const MAX_RETRY_DELAY_MS = 10_000

/** `originator` header value unless `CODEX_INTERNAL_ORIGINATOR_OVERRIDE` is set. */
export const DEFAULT_ORIGINATOR = USER_AGENT_PRODUCT

/** Everything the helper needs from the outside world, injected for tests. */
export interface HttpDeps {
  /** Waits between attempts; a test passes a recorder that returns at once. */
  sleep(ms: number): Promise<void>
  /** Uniform in [0, 1), for backoff jitter. */
  random(): number
  /** Epoch milliseconds: `Retry-After` dates and the deadline. */
  now(): number
  /** Sent as `User-Agent` on every request. */
  userAgent: string
  /** Sent as header `originator` on every request. */
  originator: string
  /**
   * Epoch ms: overall budget for the whole action. No attempt starts and no
   * wait runs past it, and an attempt's timeout shrinks to what is left.
   */
  deadline?: number
}

/** One logical request, possibly sent several times. */
export interface RequestSpec {
  method: 'GET' | 'POST'
  url: string
  /** Added to `User-Agent` and `originator`; those two cannot be overridden. */
  headers?: Record<string, string>
  /** Sent byte-for-byte as UTF-8; the caller sets `content-type`. */
  body?: string
  /** Per attempt, covering connect through reading the last body byte. */
  timeoutMs: number
  /** Attempts in all; 1 never retries. */
  maxAttempts: number
  /** Human name for messages, e.g. `agent task registration`. */
  what: string
  /** Whether a response is worth another attempt; default 429 or >= 500. */
  retryable?: (res: HttpResponse) => boolean
}

/** A complete response (or one whose body was cut at {@link MAX_BODY_BYTES}). */
export interface HttpResponse {
  status: number
  /** Canonical reason phrase for the code (`''` when unknown), not the server's. */
  reason: string
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>
  /** UTF-8; at most {@link MAX_BODY_BYTES} bytes of it. */
  body: string
  /** True when the body was longer than {@link MAX_BODY_BYTES} and cut. */
  truncated: boolean
}

/** What every backend client depends on. */
export interface HttpClient {
  /**
   * Sends `spec`, retrying retryable responses and transport failures.
   * Returns the final response whatever its status.
   *
   * @throws {@link HttpTransportError} when the last attempt failed before a
   *   complete response arrived (timeout, reset, refused, DNS, proxy)
   */
  request(spec: RequestSpec): Promise<HttpResponse>
}

/** Why the last attempt produced no response. */
export type TransportFailureKind = 'timeout' | 'transport'

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

// Message texts live with every other user-facing text.
export { BUDGET_EXHAUSTED, httpTransportFailed, tlsCertificateRejected }

/**
 * Real dependencies for the action.
 *
 * @param env the action's environment (`CODEX_INTERNAL_ORIGINATOR_OVERRIDE`)
 * @param startedAt epoch ms the action's budget counts from; default now
 */
export function defaultHttpDeps(
  env: Readonly<Record<string, string | undefined>>,
  startedAt: number = Date.now()
): HttpDeps {
  // Codex treats an empty override as unset; so do we.
  const override = env['CODEX_INTERNAL_ORIGINATOR_OVERRIDE']?.trim()
  return {
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    now: Date.now,
    userAgent: buildUserAgent(),
    originator: override ? override : DEFAULT_ORIGINATOR,
    deadline: startedAt + ACTION_TIME_BUDGET_MS
  }
}

/**
 * Creates the shared client. Its requests to one origin reuse one kept-alive
 * connection when they can.
 */
export function createHttpClient(deps: HttpDeps): HttpClient {
  const direct = new DirectAgents()
  return { request: (spec) => sendWithRetries(deps, direct, spec) }
}

/** The default retry rule: throttled or a server-side failure. */
export function isRetryableStatus(res: HttpResponse): boolean {
  return res.status === 429 || res.status >= 500
}

/**
 * The URL as it may appear in a message: origin and path. The query string
 * and any `user:password@` are dropped, as either may carry a secret.
 */
export function safeTarget(url: string): string {
  const parsed = new URL(url)
  return parsed.origin + parsed.pathname
}

// ---- Retry loop --------------------------------------------------------------

type AttemptResult =
  | { ok: true; response: HttpResponse }
  | { ok: false; failure: TransportFailure }

interface TransportFailure {
  kind: TransportFailureKind
  detail: string
  /** False when another attempt would fail the same way (bad certificate). */
  retryable: boolean
}

async function sendWithRetries(
  deps: HttpDeps,
  direct: DirectAgents,
  spec: RequestSpec
): Promise<HttpResponse> {
  const parsedUrl = parseTarget(spec)
  if (!Number.isInteger(spec.maxAttempts) || spec.maxAttempts < 1) {
    throw new RangeError(
      `${spec.what}: maxAttempts must be a whole number >= 1`
    )
  }
  if (!(spec.timeoutMs > 0)) {
    throw new RangeError(`${spec.what}: timeoutMs must be > 0`)
  }
  const target = safeTarget(spec.url)
  const headers = requestHeaders(deps, spec.headers)
  const retryable = spec.retryable ?? isRetryableStatus
  const remaining = (): number =>
    deps.deadline === undefined ? Infinity : deps.deadline - deps.now()

  let attempts = 0
  let last: AttemptResult | undefined
  for (;;) {
    const budget = remaining()
    if (budget <= 0) break
    attempts++
    last = await attempt(
      spec,
      parsedUrl,
      headers,
      Math.min(spec.timeoutMs, budget),
      direct
    )
    if (last.ok && !retryable(last.response)) return last.response
    if (!last.ok && !last.failure.retryable) break
    if (attempts >= spec.maxAttempts) break
    const delay = retryDelay(deps, attempts, last)
    // Waiting into the deadline would leave no time to send anything.
    if (delay >= remaining()) break
    await deps.sleep(delay)
  }

  if (last === undefined) {
    throw new HttpTransportError(
      spec.what,
      target,
      0,
      'timeout',
      BUDGET_EXHAUSTED
    )
  }
  if (last.ok) return last.response
  throw new HttpTransportError(
    spec.what,
    target,
    attempts,
    last.failure.kind,
    scrubQuery(last.failure.detail, parsedUrl)
  )
}

function parseTarget(spec: RequestSpec): URL {
  let parsed: URL
  try {
    parsed = new URL(spec.url)
  } catch {
    // The URL itself is not quoted: it may carry a secret in its query.
    throw new TypeError(`${spec.what}: the request URL is not a valid URL`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`${spec.what}: the request URL must be http or https`)
  }
  return parsed
}

function requestHeaders(
  deps: HttpDeps,
  extra: Record<string, string> | undefined
): Http.OutgoingHttpHeaders {
  const headers: Http.OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(extra ?? {})) {
    headers[name.toLowerCase()] = value
  }
  // Set last so a caller cannot drop the identification the backend may need.
  headers['user-agent'] = deps.userAgent
  headers['originator'] = deps.originator
  return headers
}

/**
 * The wait before the next attempt: `Retry-After` when the server sent a
 * usable one, else 500 ms doubling per attempt, scaled by 0.5–1.5 so clients
 * failing together do not retry together. Never above 10 s.
 */
function retryDelay(
  deps: HttpDeps,
  attemptsSoFar: number,
  last: AttemptResult
): number {
  const header = last.ok ? last.response.headers['retry-after'] : undefined
  const asked =
    header === undefined ? undefined : parseRetryAfter(header, deps.now())
  const delay =
    asked ?? BACKOFF_BASE_MS * 2 ** (attemptsSoFar - 1) * (0.5 + deps.random())
  return Math.round(Math.min(MAX_RETRY_DELAY_MS, Math.max(0, delay)))
}

/** Milliseconds a `Retry-After` value asks for, or undefined if unusable. */
export function parseRetryAfter(
  value: string,
  now: number
): number | undefined {
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // An HTTP-date always names a month; requiring letters keeps Date.parse's
  // leniency from reading a malformed number as a date.
  if (!/[A-Za-z]{3}/.test(text)) return undefined
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

// ---- One attempt -------------------------------------------------------------

/** The `node:http` or `node:https` module: both `request`s take the same options. */
type Transport = Pick<typeof http, 'request'>

/** Options of the `tunnel` package's agent factories (the parts we set). */
interface TunnelOptions {
  maxSockets: number
  proxy: { host: string; port: string }
}

/**
 * A tunnel agent (package `tunnel`). Node uses it as an agent (it only calls
 * `addRequest`); `request` is what the agent sends its CONNECT with.
 */
interface TunnelAgent extends Http.Agent {
  request: (options: Http.RequestOptions) => Http.ClientRequest
}

type TunnelFactory = (options: TunnelOptions) => TunnelAgent

interface TunnelModule {
  httpOverHttp: TunnelFactory
  httpOverHttps: TunnelFactory
  httpsOverHttp: TunnelFactory
  httpsOverHttps: TunnelFactory
}

/**
 * The module for a URL's scheme. `node:https` (and with it `node:tls`) is
 * loaded only when a URL needs it: a plain-http run never parses TLS code.
 * The module object itself, not a copy of its `request`: a test interceptor
 * (nock) that patches it later is still seen.
 */
function transportFor(usingTls: boolean): Transport {
  return usingTls ? loadHttps() : http
}

/** `tunnel` loads tls and https too: only a run through a proxy needs it. */
async function loadTunnel(): Promise<TunnelModule> {
  // @ts-expect-error -- tunnel ships no types; TunnelModule types what we use.
  const loaded = (await import('tunnel')) as { default: TunnelModule }
  return loaded.default
}

/**
 * The direct-connection agents of one client, one per scheme, made on first
 * use. They keep connections alive, so consecutive requests to one origin
 * (the JWKS, then the registration) share a connection. An idle pooled
 * socket is unref'd by node, so it never keeps the action's process alive.
 */
class DirectAgents {
  private readonly agents = new Map<string, Http.Agent>()

  get(usingTls: boolean): Http.Agent {
    const key = usingTls ? 'https:' : 'http:'
    let agent = this.agents.get(key)
    if (agent === undefined) {
      agent = usingTls
        ? new (loadHttps().Agent)({ keepAlive: true })
        : new http.Agent({ keepAlive: true })
      this.agents.set(key, agent)
    }
    return agent
  }
}

/**
 * The agent an attempt goes through, by the runner conventions http-client
 * applies: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case) read now, and
 * loopback hosts always direct. A proxied request gets a fresh tunnel agent:
 * the variables are read per attempt, and the tunnel is never shared.
 */
async function agentFor(
  parsedUrl: URL,
  direct: DirectAgents,
  tunnelRequests: Http.ClientRequest[]
): Promise<Http.Agent> {
  const usingTls = parsedUrl.protocol === 'https:'
  const proxyUrl = getProxyUrl(parsedUrl)
  if (!proxyUrl?.hostname) return direct.get(usingTls)
  const tunnel = await loadTunnel()
  const overTls = proxyUrl.protocol === 'https:'
  // Plain http goes through CONNECT as well, as http-client does it.
  const make = usingTls
    ? overTls
      ? tunnel.httpsOverHttps
      : tunnel.httpsOverHttp
    : overTls
      ? tunnel.httpOverHttps
      : tunnel.httpOverHttp
  const agent = make({
    // As http-client made it: no limit, so node sends `Connection: close`
    // and ends the tunnel with the response.
    maxSockets: Infinity,
    proxy: { host: proxyUrl.hostname, port: proxyUrl.port }
  })
  const proxyAuth =
    proxyUrl.username || proxyUrl.password
      ? `${proxyUrl.username}:${proxyUrl.password}`
      : undefined
  trackTunnelRequests(agent, proxyAuth, tunnelRequests)
  return agent
}

/** Rejects an attempt whose time is up, whatever it was waiting for. */
class AttemptTimeoutError extends Error {}

/**
 * Sends once. Never throws: a transport failure is returned as a value so the
 * loop can decide whether to try again.
 */
async function attempt(
  spec: RequestSpec,
  parsedUrl: URL,
  headers: Http.OutgoingHttpHeaders,
  timeoutMs: number,
  direct: DirectAgents
): Promise<AttemptResult> {
  const abort = new AbortController()
  const tunnelRequests: Http.ClientRequest[] = []
  let message: Http.IncomingMessage | undefined
  let expire: (() => void) | undefined
  const expired = new Promise<never>((_, reject) => {
    expire = () => reject(new AttemptTimeoutError())
  })
  // One timer for the whole attempt, not an idle timer that restarts with
  // every byte (a server trickling a byte a second would never time out).
  // The race below ends the attempt even if some layer never reports back.
  const timer = setTimeout(() => {
    abort.abort()
    message?.destroy()
    // A proxy that accepts but never answers CONNECT would keep that socket
    // (and so the process) alive: the tunnel agent does not tie it to ours.
    for (const req of tunnelRequests) req.destroy()
    expire?.()
  }, timeoutMs)

  const send = async (): Promise<HttpResponse> => {
    const usingTls = parsedUrl.protocol === 'https:'
    const transport = transportFor(usingTls)
    const agent = await agentFor(parsedUrl, direct, tunnelRequests)
    // Time may have run out while a module loaded: a CONNECT sent now would
    // escape the timer, which has already destroyed what it knew of.
    if (abort.signal.aborted) throw new AttemptTimeoutError()
    const requestHeaders = { ...headers }
    const body = spec.body ?? (spec.method === 'POST' ? '' : undefined)
    if (body !== undefined) {
      requestHeaders['content-length'] = Buffer.byteLength(body, 'utf8')
    }
    message = await new Promise<Http.IncomingMessage>((resolve, reject) => {
      // Inside the executor: node throws synchronously for a header it
      // cannot send, and that must become this attempt's failure.
      // No redirects are followed: a 3xx is returned to the caller like any
      // other status (a redirected POST would resend the signed body
      // elsewhere).
      const req = transport.request(
        {
          // An IPv6 literal comes back from URL in brackets; sockets want it bare.
          host: parsedUrl.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: parsedUrl.port ? Number(parsedUrl.port) : usingTls ? 443 : 80,
          path: parsedUrl.pathname + parsedUrl.search,
          method: spec.method,
          headers: requestHeaders,
          agent,
          signal: abort.signal
        },
        resolve
      )
      // Stays attached: a socket error after the response arrived must not
      // be an unhandled 'error' (the body reader reports it).
      req.on('error', reject)
      if (body) req.write(body, 'utf8')
      req.end()
    })
    const { body: text, truncated } = await readCappedBody(message)
    const status = message.statusCode ?? 0
    return {
      status,
      reason: http.STATUS_CODES[status] ?? '',
      headers: flattenHeaders(message.headers),
      body: text,
      truncated
    }
  }

  const sending = send()
  // After a timeout nobody awaits `sending` any more; its late rejection
  // must not surface as an unhandled one.
  sending.catch(() => undefined)
  try {
    return { ok: true, response: await Promise.race([sending, expired]) }
  } catch (err) {
    message?.destroy()
    const timedOut = err instanceof AttemptTimeoutError || abort.signal.aborted
    return { ok: false, failure: describeFailure(err, timedOut, timeoutMs) }
  } finally {
    clearTimeout(timer)
  }
}

function trackTunnelRequests(
  agent: TunnelAgent,
  proxyAuth: string | undefined,
  into: Http.ClientRequest[]
): void {
  const original = agent.request
  agent.request = (options) => {
    // Our own header rather than tunnel's `proxyAuth` option: tunnel encodes
    // it with the deprecated `new Buffer()`, which prints DEP0005 to stderr
    // on every run once bundled.
    if (proxyAuth !== undefined) {
      options.headers = {
        ...options.headers,
        'Proxy-Authorization': `Basic ${Buffer.from(proxyAuth).toString('base64')}`
      }
    }
    const req = original(options)
    // Destroying it on timeout may emit an error nobody else listens to any
    // more; an unhandled 'error' would crash the process.
    req.on('error', () => undefined)
    into.push(req)
    return req
  }
}

function flattenHeaders(raw: Http.IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue
    headers[name.toLowerCase()] = Array.isArray(value)
      ? value.join(', ')
      : value
  }
  return headers
}

/** Thrown inside an attempt when the body stops before it is complete. */
class IncompleteBodyError extends Error {
  constructor() {
    super('the connection closed before the response was complete')
  }
}

/**
 * Reads at most {@link MAX_BODY_BYTES}; past that it stops and destroys the
 * response (and with it the socket), so a runaway body costs neither memory
 * nor time.
 */
function readCappedBody(
  message: Http.IncomingMessage
): Promise<{ body: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const finish = (truncated: boolean): void => {
      settled = true
      const bytes = Buffer.concat(chunks)
      if (!truncated) {
        resolve({ body: bytes.toString('utf8'), truncated })
        return
      }
      // Without end(), the decoder holds back a character cut at the cap
      // instead of turning it into U+FFFD.
      resolve({ body: new StringDecoder('utf8').write(bytes), truncated })
    }
    const fail = (err: Error): void => {
      if (settled) return
      settled = true
      reject(err)
    }

    message.on('data', (chunk: Buffer) => {
      if (settled) return
      const room = MAX_BODY_BYTES - size
      if (chunk.length <= room) {
        chunks.push(chunk)
        size += chunk.length
        return
      }
      chunks.push(chunk.subarray(0, room))
      size += room
      finish(true)
      message.destroy()
    })
    message.on('end', () => {
      if (!settled) finish(false)
    })
    // Whatever the socket reports (Node says `aborted` / ECONNRESET), a body
    // that stops early means the same to the caller. A timeout is recognised
    // before this reason is looked at.
    message.on('error', () => fail(new IncompleteBodyError()))
    message.on('close', () => {
      if (!message.complete) fail(new IncompleteBodyError())
    })
  })
}

// ---- Failure text ------------------------------------------------------------

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

const CODE_TEXT: Readonly<Record<string, string>> = {
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

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) {
    return undefined
  }
  return typeof err.code === 'string' ? err.code : undefined
}

function describeFailure(
  err: unknown,
  timedOut: boolean,
  timeoutMs: number
): TransportFailure {
  const text = err instanceof Error ? err.message : String(err)
  if (timedOut) {
    return {
      kind: 'timeout',
      detail: `no complete response within ${timeoutMs} ms`,
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
      detail: `the request could not be built: ${text}`,
      retryable: false
    }
  }
  // The tunnel agent wraps every proxy problem in one generic error.
  if (text.startsWith('tunneling socket could not be established')) {
    return {
      kind: 'transport',
      detail: describeProxyFailure(text),
      retryable: true
    }
  }
  if (text === 'got illegal response body from proxy') {
    return {
      kind: 'transport',
      detail: 'the proxy answered CONNECT with an unexpected body',
      retryable: true
    }
  }
  const known = code === undefined ? undefined : CODE_TEXT[code]
  return {
    kind: code === 'ETIMEDOUT' ? 'timeout' : 'transport',
    detail: known ?? shortText(text),
    retryable: true
  }
}

function describeProxyFailure(text: string): string {
  const status = /statusCode=(\d+)/.exec(text)?.[1]
  if (status !== undefined) {
    const reason = http.STATUS_CODES[Number(status)] ?? ''
    return `the proxy refused the tunnel with status ${status} ${reason}`.trim()
  }
  const code = /\b(E[A-Z_]+)\b/.exec(text)?.[1]
  const known = code === undefined ? undefined : CODE_TEXT[code]
  return `could not reach the proxy: ${known ?? shortText(text)}`
}

/** An unrecognised error's text, redacted and kept short. */
function shortText(text: string): string {
  const clean = redactSecrets(text.replace(/\s+/g, ' ').trim())
  return clean.length > 200
    ? `${clean.slice(0, 200)}...`
    : clean || 'unknown error'
}

/** Belt and braces: neither query string nor URL password may reach a message. */
function scrubQuery(detail: string, url: URL): string {
  let out = detail
  for (const part of [url.search.slice(1), url.password]) {
    if (part.length > 0) out = out.split(part).join('[redacted]')
  }
  return out
}
