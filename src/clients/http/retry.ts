/**
 * The retry loop: attempts until a response is final, the attempts run out
 * or the deadline would be passed, waiting a jittered backoff (or what
 * `Retry-After` asks) in between.
 */
import {
  BUDGET_EXHAUSTED,
  badMaxAttempts,
  badTimeout
} from '../../messages/network.js'
import { remainingBudget } from './deadline.js'
import { HttpTransportError, scrubQuery } from './errors.js'
import { checkProxySettings } from './proxy.js'
import { parseTarget, safeTarget } from './target.js'
import { requestHeaders, sendAttempt, type ClientPool } from './transport.js'
import type {
  AttemptResult,
  HttpDeps,
  HttpResponse,
  RequestSpec
} from './types.js'

/** First retry waits about this long (scaled by 0.5–1.5 for jitter). */
export const BACKOFF_BASE_MS = 500

/** No wait between attempts is longer, whatever `Retry-After` asks for. */
export const MAX_RETRY_DELAY_MS = 10_000

/** The default retry rule: throttled or a server-side failure. */
export function isRetryableStatus(res: HttpResponse): boolean {
  return res.status === 429 || res.status >= 500
}

/**
 * Sends `spec`, retrying retryable responses and transport failures; returns
 * the final response whatever its status. With `spec.bodyPerAttempt` every
 * attempt sends a body made for it.
 *
 * @throws HttpTransportError when the last attempt produced no response
 */
export async function sendWithRetries(
  deps: HttpDeps,
  pool: ClientPool,
  spec: RequestSpec
): Promise<HttpResponse> {
  const url = parseTarget(spec.what, spec.url)
  if (!Number.isInteger(spec.maxAttempts) || spec.maxAttempts < 1) {
    throw new RangeError(badMaxAttempts(spec.what))
  }
  if (!(spec.timeoutMs > 0)) {
    throw new RangeError(badTimeout(spec.what))
  }
  checkProxySettings(url)
  const target = safeTarget(spec.url)
  const request = {
    method: spec.method,
    url,
    headers: requestHeaders(deps, spec.headers),
    body: spec.body
  }
  const retryable = spec.retryable ?? isRetryableStatus

  let attempts = 0
  let last: AttemptResult | undefined
  for (;;) {
    if (remainingBudget(deps) <= 0) break
    if (spec.bodyPerAttempt !== undefined) {
      request.body = await spec.bodyPerAttempt()
    }
    // Making the body may have used up what was left.
    const budget = remainingBudget(deps)
    if (budget <= 0) break
    attempts++
    last = await sendAttempt(pool, request, Math.min(spec.timeoutMs, budget))
    if (last.ok && !retryable(last.response)) return last.response
    if (!last.ok && !last.failure.retryable) break
    if (attempts >= spec.maxAttempts) break
    const delay = retryDelay(deps, attempts, last)
    // Waiting into the deadline would leave no time to send anything.
    if (delay >= remainingBudget(deps)) break
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
    scrubQuery(last.failure.detail, url)
  )
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
