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
 *
 * The parts, one concern each, are in `http/`: `transport` (one attempt over
 * @actions/http-client), `retry`, `deadline`, `body` (the cap), `proxy`,
 * `target` (the URL), `errors` (failure text).
 */
import { sendWithRetries } from './http/retry.js'
import { ClientPool } from './http/transport.js'
import type { HttpClient, HttpDeps } from './http/types.js'

export type {
  HttpClient,
  HttpDeps,
  HttpResponse,
  RequestSpec,
  TransportFailureKind
} from './http/types.js'
export { MAX_BODY_BYTES } from './http/body.js'
export { ACTION_TIME_BUDGET_MS } from './http/deadline.js'
export { DEFAULT_ORIGINATOR, defaultHttpDeps } from './http/deps.js'
export { HttpTransportError } from './http/errors.js'
export {
  BACKOFF_BASE_MS,
  isRetryableStatus,
  MAX_RETRY_DELAY_MS,
  parseRetryAfter
} from './http/retry.js'
export { safeTarget } from './http/target.js'
// Message texts live with every other user-facing text.
export {
  BUDGET_EXHAUSTED,
  httpTransportFailed,
  tlsCertificateRejected
} from '../messages/network.js'

/**
 * Creates the shared client. Its requests to one origin reuse one kept-alive
 * connection when they can.
 */
export function createHttpClient(deps: HttpDeps): HttpClient {
  const pool = new ClientPool(deps.userAgent)
  return { request: (spec) => sendWithRetries(deps, pool, spec) }
}
