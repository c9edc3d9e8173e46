/**
 * The one call shape of every endpoint client: a function taking an options
 * object that starts with these fields, plus what that endpoint needs.
 */
import type { HttpClient } from './http.js'

/** What every endpoint call receives. */
export interface EndpointCall {
  /** The shared client: user agent, originator, proxies, retries, deadline. */
  http: HttpClient
  /** The full URL, as resolved once by `src/endpoints`. */
  url: string
  /** Per attempt; each client has its own default, tests shorten it. */
  timeoutMs?: number
}
