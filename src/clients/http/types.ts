/** The shapes every endpoint client and the transport layers share. */

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
  /**
   * Makes the body of each attempt, in place of `body`, for a body that must
   * never be sent twice (a single-use assertion). Called once per attempt,
   * just before it is sent; what it throws ends the request unchanged.
   */
  bodyPerAttempt?: () => Promise<string>
  /** Per attempt, covering connect through reading the last body byte. */
  timeoutMs: number
  /** Attempts in all; 1 never retries. */
  maxAttempts: number
  /** Human name for messages, e.g. `agent task registration`. */
  what: string
  /** Whether a response is worth another attempt; default 429 or >= 500. */
  retryable?: (res: HttpResponse) => boolean
}

/** A complete response (or one whose body was cut at the body cap). */
export interface HttpResponse {
  status: number
  /** Canonical reason phrase for the code (`''` when unknown), not the server's. */
  reason: string
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>
  /** UTF-8; at most the body cap (1 MiB) of it. */
  body: string
  /** True when the body was longer than the cap and cut. */
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

/** One attempt's failure, as the retry loop sees it. */
export interface TransportFailure {
  kind: TransportFailureKind
  detail: string
  /** False when another attempt would fail the same way (bad certificate). */
  retryable: boolean
}

/** What one attempt ended with: a response, or a failure as a value. */
export type AttemptResult =
  | { ok: true; response: HttpResponse }
  | { ok: false; failure: TransportFailure }
