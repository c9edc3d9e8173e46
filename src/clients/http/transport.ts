/**
 * One attempt, sent by @actions/http-client's `HttpClient`: its proxy rules,
 * its agents. Around it, what the library does not give: a timer for the
 * whole attempt (not an idle timer a trickling server resets with every
 * byte), the body cap, no redirects and no retries of its own.
 */
import {
  HttpClient as ActionsHttpClient,
  type HttpClientResponse
} from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'
import { ACTION_TIME_BUDGET_MS } from './deadline.js'
import { flattenHeaders, readCappedBody, type ResponseStream } from './body.js'
import { AttemptTimeoutError, describeFailure } from './errors.js'
import { prepareTunnelAgent, type ConnectTracker } from './proxy.js'
import { reasonPhrase } from './reason.js'
import type { AttemptResult, HttpDeps, HttpResponse } from './types.js'

/** One request as every attempt sends it. */
export interface PreparedRequest {
  method: 'GET' | 'POST'
  url: URL
  /** Lower-cased names; `originator` included. */
  headers: Record<string, string>
  body: string | undefined
}

/** What the attempt running on a client hands its request hook. */
interface AttemptContext extends ConnectTracker {
  signal: AbortSignal | undefined
}

/**
 * An `HttpClient` and the hook that ties its requests to the attempt running
 * on it. A client serves one attempt at a time.
 */
class PooledClient {
  readonly context: AttemptContext = { signal: undefined, connects: [] }
  readonly http: ActionsHttpClient

  constructor(
    userAgent: string,
    readonly usingTls: boolean
  ) {
    const context = this.context
    const hook: RequestHandler = {
      prepareRequest(options): void {
        if (context.signal !== undefined) options.signal = context.signal
        // NODE_TLS_REJECT_UNAUTHORIZED=0 in the job env must not turn
        // verification off for requests that carry credentials. The agent's
        // own options win over a request's, so both are set.
        Object.assign(options, { rejectUnauthorized: true })
        const agent: unknown = options.agent
        if (hasOptions(agent)) agent.options.rejectUnauthorized = true
        prepareTunnelAgent(agent, context)
        // http-client passes an IPv6 literal in brackets; sockets want it bare.
        if (typeof options.host === 'string') {
          options.host = options.host.replace(/^\[(.*)\]$/, '$1')
        }
      },
      canHandleAuthentication: () => false,
      handleAuthentication: () => Promise.reject(new Error('not used'))
    }
    this.http = new ActionsHttpClient(userAgent, [hook], {
      // A 3xx is returned like any status: a redirected POST would resend
      // the signed body elsewhere.
      allowRedirects: false,
      // Retries are ours, with jitter, Retry-After and the deadline.
      allowRetries: false,
      maxRetries: 0,
      // Requests to one origin (the JWKS, then the registration) share a
      // connection. An idle pooled socket is unref'd by node, so it never
      // keeps the action's process alive.
      keepAlive: true,
      // A backstop only: the attempt timer ends every attempt sooner, and no
      // socket may outlive the action's budget.
      socketTimeout: ACTION_TIME_BUDGET_MS
    })
  }
}

function hasOptions(
  agent: unknown
): agent is { options: { rejectUnauthorized?: boolean } } {
  return (
    typeof agent === 'object' &&
    agent !== null &&
    'options' in agent &&
    typeof agent.options === 'object' &&
    agent.options !== null
  )
}

/**
 * The clients of one shared client: at most one idle per scheme (an
 * `HttpClient` keeps one direct agent, whatever the scheme), so consecutive
 * requests reuse a kept-alive connection. A client whose attempt ran out of
 * time is disposed, which destroys its sockets, and never used again.
 */
export class ClientPool {
  private readonly idle = new Map<boolean, PooledClient>()

  constructor(private readonly userAgent: string) {}

  /** A client for one attempt: the idle one of the scheme, else a new one. */
  acquire(usingTls: boolean): PooledClient {
    const client = this.idle.get(usingTls)
    if (client === undefined) return new PooledClient(this.userAgent, usingTls)
    this.idle.delete(usingTls)
    return client
  }

  /**
   * Takes a client back after its attempt. One that is not `healthy` (its
   * attempt ran out of time) is disposed, and so is a second idle one.
   */
  release(client: PooledClient, healthy: boolean): void {
    client.context.signal = undefined
    client.context.connects = []
    if (healthy && !this.idle.has(client.usingTls)) {
      this.idle.set(client.usingTls, client)
    } else {
      client.http.dispose()
    }
  }
}

/**
 * Sends once. Never throws: a transport failure is returned as a value so the
 * retry loop can decide whether to try again.
 */
export async function sendAttempt(
  pool: ClientPool,
  request: PreparedRequest,
  timeoutMs: number
): Promise<AttemptResult> {
  const client = pool.acquire(request.url.protocol === 'https:')
  const abort = new AbortController()
  client.context.signal = abort.signal
  client.context.connects = []
  let message: ResponseStream | undefined
  let expire: (() => void) | undefined
  const expired = new Promise<never>((_, reject) => {
    expire = () => reject(new AttemptTimeoutError())
  })
  // One timer for the whole attempt. The race below ends the attempt even if
  // some layer never reports back.
  const timer = setTimeout(() => {
    abort.abort()
    message?.destroy()
    // A proxy that accepts but never answers CONNECT would keep that socket
    // (and so the process) alive.
    for (const req of client.context.connects) req.destroy()
    expire?.()
  }, timeoutMs)

  const send = async (): Promise<HttpResponse> => {
    const href = request.url.href
    const res: HttpClientResponse =
      request.method === 'POST'
        ? await client.http.post(href, request.body ?? '', request.headers)
        : await client.http.get(href, request.headers)
    message = res.message
    // The response may have arrived as the timer fired.
    if (abort.signal.aborted) throw new AttemptTimeoutError()
    const { body, truncated } = await readCappedBody(res.message)
    const status = res.message.statusCode ?? 0
    return {
      status,
      reason: reasonPhrase(status),
      headers: flattenHeaders(res.message.headers),
      body,
      truncated
    }
  }

  const sending = send()
  // After a timeout nobody awaits `sending` any more; its late rejection
  // must not surface as an unhandled one.
  sending.catch(() => undefined)
  let timedOut = false
  try {
    return { ok: true, response: await Promise.race([sending, expired]) }
  } catch (err) {
    message?.destroy()
    timedOut = err instanceof AttemptTimeoutError || abort.signal.aborted
    return { ok: false, failure: describeFailure(err, timedOut, timeoutMs) }
  } finally {
    clearTimeout(timer)
    pool.release(client, !timedOut)
  }
}

/**
 * The headers of every attempt: the caller's, lower-cased, then `originator`
 * (http-client sets `User-Agent` itself), set last so a caller cannot drop
 * the identification the backend may need.
 */
export function requestHeaders(
  deps: HttpDeps,
  extra: Record<string, string> | undefined
): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(extra ?? {})) {
    const lower = name.toLowerCase()
    if (lower !== 'user-agent') headers[lower] = value
  }
  headers['originator'] = deps.originator
  return headers
}
