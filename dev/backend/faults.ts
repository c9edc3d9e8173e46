import { ROUTE_NAMES, type RouteName } from './router.js'

/** Settings every fault accepts. */
export interface FaultCommon {
  /** Fail this many matching requests, then behave; default: until cleared. */
  times?: number
  /** Wait this long (ms) before failing. */
  delayMs?: number
  /**
   * Let the real handler run first, so its side effects happen (a refresh
   * token gets rotated, a task registered), and only then fail the answer:
   * the "server did it but the reply got lost" case.
   */
  process?: boolean
}

/** Answer with this status instead (default body: an injected-error JSON). */
export interface StatusFault extends FaultCommon {
  kind: 'status'
  status: number
  /** A string is sent as is; anything else as JSON. */
  body?: unknown
  headers?: Record<string, string>
  /** Shorthand for a `Retry-After` header (seconds or an HTTP date). */
  retryAfter?: number | string
}

/** Wait, then answer normally. */
export interface DelayFault extends FaultCommon {
  kind: 'delay'
  ms: number
}

/** Reset the TCP connection (RST) without answering. */
export interface ResetFault extends FaultCommon {
  kind: 'reset'
}

/**
 * Declare the full Content-Length, send about half the body, then close:
 * the client sees a premature end of the response.
 */
export interface TruncateFault extends FaultCommon {
  kind: 'truncate'
  /** Status of the cut-off answer when the handler does not run (200). */
  status?: number
}

/** Answer `application/json` whose body does not parse. */
export interface InvalidJsonFault extends FaultCommon {
  kind: 'invalid-json'
  status?: number
  body?: string
}

/** Answer a body of exactly `bytes` bytes (valid JSON when ≥ 16 bytes). */
export interface HugeBodyFault extends FaultCommon {
  kind: 'huge'
  bytes: number
  status?: number
}

/** Never answer; the socket stays open until the client or close() ends it. */
export interface HangFault extends FaultCommon {
  kind: 'hang'
}

/** A fault to inject on a route. */
export type Fault =
  | StatusFault
  | DelayFault
  | ResetFault
  | TruncateFault
  | InvalidJsonFault
  | HugeBodyFault
  | HangFault

/** The kinds of faults, as in `Fault['kind']`. */
export type FaultKind = Fault['kind']

/** A fault, or a bare status code as shorthand for a status fault. */
export type FaultSpec = Fault | number

/** Route names a fault can target; `*` matches every route. */
export type FaultTarget = RouteName | '*'

interface QueuedFault {
  fault: Fault
  remaining: number
}

/**
 * Faults per route, applied in injection order: the first one with requests
 * left applies, so `inject(r, {…, times: 2})` then `inject(r, 429)` gives
 * two of the first, then 429 for good. Route-specific faults come before `*`.
 */
export class FaultTable {
  private readonly queues = new Map<FaultTarget, QueuedFault[]>()

  /** Adds a fault for a route. */
  inject(target: FaultTarget, spec: FaultSpec): void {
    const fault = normalize(spec)
    validate(target, fault)
    const queue = this.queues.get(target) ?? []
    queue.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY })
    this.queues.set(target, queue)
  }

  /** The fault for this request, consuming one of its `times`. */
  take(route: RouteName): Fault | undefined {
    for (const target of [route, '*'] as const) {
      const queue = this.queues.get(target)
      const head = queue?.[0]
      if (!queue || !head) continue
      head.remaining -= 1
      if (head.remaining <= 0) queue.shift()
      return head.fault
    }
    return undefined
  }

  /** Removes the faults of one route, or all. */
  clear(target?: FaultTarget): void {
    if (target === undefined) this.queues.clear()
    else this.queues.delete(target)
  }

  /** Faults still queued for a target. */
  pending(target: FaultTarget): Fault[] {
    return (this.queues.get(target) ?? []).map((queued) => queued.fault)
  }
}

function normalize(spec: FaultSpec): Fault {
  return typeof spec === 'number' ? { kind: 'status', status: spec } : spec
}

function validate(target: FaultTarget, fault: Fault): void {
  if (target !== '*' && !ROUTE_NAMES.includes(target)) {
    throw new Error(
      `inject: unknown route '${String(target)}'. Expected one of ${ROUTE_NAMES.join(', ')} or *.`
    )
  }
  if (
    fault.times !== undefined &&
    (!Number.isInteger(fault.times) || fault.times < 1)
  ) {
    throw new Error(
      `inject: times must be a positive integer, got ${fault.times}`
    )
  }
  if (fault.kind === 'status' && !isHttpStatus(fault.status)) {
    throw new Error(`inject: invalid status ${fault.status}`)
  }
  if (
    fault.kind === 'huge' &&
    (!Number.isInteger(fault.bytes) || fault.bytes < 0)
  ) {
    throw new Error(`inject: bytes must be a non-negative integer`)
  }
  if (fault.kind === 'delay' && !(fault.ms >= 0)) {
    throw new Error(`inject: delay ms must be ≥ 0`)
  }
}

function isHttpStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 200 && status <= 599
}
