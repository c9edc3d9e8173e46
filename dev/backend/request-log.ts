import type { FaultKind } from './faults.js'
import type { ListenerKind } from './http.js'
import type { RouteName } from './router.js'

/** One request as the backend received it. */
export interface LoggedRequest {
  /** 1-based arrival order. */
  id: number
  route: RouteName
  listener: ListenerKind
  method: string
  /** Path without the query string. */
  path: string
  query: Record<string, string>
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>
  /** The body decoded as UTF-8 (garbage for zstd bodies: use rawBody). */
  body: string
  rawBody: Buffer
  /** Arrival time, epoch milliseconds (real clock, not the backend's). */
  timestamp: number
  /** Status answered; undefined while pending or for reset/hang faults. */
  status?: number
  /** The fault applied to this request, if any. */
  fault?: FaultKind
  /**
   * `token-exchange` only: the assertion's `jti` (read, not verified), so a
   * test can check that every exchange used a fresh OIDC token.
   */
  jti?: string
  /** `token-exchange` only: the `federation_rule_id` sent. */
  federationRuleId?: string
}

/** Predicate or route name that selects logged requests. */
export type RequestFilter = RouteName | ((entry: LoggedRequest) => boolean)

interface Waiter {
  filter: (entry: LoggedRequest) => boolean
  resolve: (entry: LoggedRequest) => void
}

/** The request log, with a way to wait for a request to arrive. */
export class RequestLog {
  readonly entries: LoggedRequest[] = []
  private nextId = 1
  private waiters: Waiter[] = []

  /** Appends a request and wakes the waiters it satisfies. */
  add(entry: Omit<LoggedRequest, 'id'>): LoggedRequest {
    const logged: LoggedRequest = { id: this.nextId++, ...entry }
    this.entries.push(logged)
    const ready = this.waiters.filter((waiter) => waiter.filter(logged))
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter))
    for (const waiter of ready) waiter.resolve(logged)
    return logged
  }

  /** Forgets every logged request (pending waiters keep waiting). */
  clear(): void {
    this.entries.length = 0
  }

  /** Logged requests matching a route name or predicate. */
  filter(filter: RequestFilter): LoggedRequest[] {
    return this.entries.filter(toPredicate(filter))
  }

  /**
   * Resolves with the first logged request that matches (already logged or
   * arriving later); rejects after `timeoutMs`.
   */
  waitFor(filter: RequestFilter, timeoutMs: number): Promise<LoggedRequest> {
    const predicate = toPredicate(filter)
    const existing = this.entries.find(predicate)
    if (existing) return Promise.resolve(existing)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        reject(new Error(`no matching request within ${timeoutMs} ms`))
      }, timeoutMs)
      const waiter: Waiter = {
        filter: predicate,
        resolve: (entry) => {
          clearTimeout(timer)
          resolve(entry)
        }
      }
      this.waiters.push(waiter)
    })
  }
}

function toPredicate(filter: RequestFilter): (entry: LoggedRequest) => boolean {
  return typeof filter === 'function'
    ? filter
    : (entry): boolean => entry.route === filter
}
