/** Which listener a request arrived on. */
export type ListenerKind = 'http' | 'https'

/** A parsed request as route handlers see it. */
export interface RouteContext {
  method: string
  path: string
  query: URLSearchParams
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>
  rawBody: Buffer
  body: string
  listener: ListenerKind
  /** Path parameters captured by the route (e.g. `runtimeId`). */
  params: Record<string, string>
}

/**
 * A handler's answer as data, so the server (and a fault that lets the
 * handler run first) decides how the bytes go out.
 */
export interface RouteResult {
  status: number
  headers?: Record<string, string>
  body: string
  /** Stream with chunked encoding instead of a Content-Length (SSE). */
  chunked?: boolean
}

/** A JSON answer. */
export function jsonResult(
  status: number,
  value: unknown,
  headers: Record<string, string> = {}
): RouteResult {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(value)
  }
}

/**
 * An error in the `{"error":{"code","message"}}` shape OpenAI's services use,
 * which is also what the action's refresh client classifies codes from.
 */
export function errorResult(
  status: number,
  code: string,
  message: string
): RouteResult {
  return jsonResult(status, { error: { code, message } })
}

/** 405 with the methods the route does accept. */
export function methodNotAllowed(allowed: string): RouteResult {
  return {
    ...errorResult(405, 'method_not_allowed', `Use ${allowed}.`),
    headers: { 'content-type': 'application/json', allow: allowed }
  }
}

/** True when the Content-Type header names JSON (parameters allowed). */
export function isJsonContentType(value: string | undefined): boolean {
  return (
    (value ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json'
  )
}
