/**
 * Reading server replies: JSON decoding, schema validation with zod, and the
 * size caps on every server value the action keeps or exports.
 *
 * A reply that does not fit its schema fails with one message: the message
 * of the first issue when the schema set one (the caps, which name the field
 * and its length), else the endpoint's general "not the expected reply" text.
 * zod's own wording never reaches the user.
 */
import * as z from 'zod/mini'

/** Task ids: printable ASCII, at most this many characters. */
export const TASK_ID_MAX = 256

/** ChatGPT account ids from whoami. */
export const ACCOUNT_ID_MAX = 256

/** Plan types from whoami. */
export const PLAN_TYPE_MAX = 64

/** Any token in a refresh reply: 16 KiB. */
export const TOKEN_MAX = 16 * 1024

/**
 * A cap on a string, failing with `message(length, max)`: the value is
 * refused, never cut.
 *
 * @param max - the longest accepted value, in characters
 * @param message - the user-facing text for a longer one
 * @returns a zod check for `z.string().check(…)`
 */
export function capped(
  max: number,
  message: (length: number, max: number) => string
): z.core.$ZodCheckMaxLength {
  return z.maxLength(max, {
    error: (issue) =>
      message(typeof issue.input === 'string' ? issue.input.length : 0, max),
    abort: true
  })
}

/** The outcome of {@link parseReply}. */
export type ReplyCheck<T> =
  { ok: true; value: T } | { ok: false; message: string }

/**
 * Validates a decoded reply against its schema.
 *
 * @param schema - the reply's schema; checks that set their own message
 *   (see {@link capped}) keep it
 * @param value - the decoded JSON
 * @param fallback - the message for every other issue
 * @returns the parsed value, or the message of the first issue
 */
export function checkReply<T>(
  schema: z.ZodMiniType<T>,
  value: unknown,
  fallback: string
): ReplyCheck<T> {
  const result = schema.safeParse(value, { error: () => fallback })
  if (result.success) return { ok: true, value: result.data }
  return { ok: false, message: result.error.issues[0]?.message ?? fallback }
}

/** Marks a body that is not JSON (distinct from a JSON `null`). */
export const NOT_JSON: unique symbol = Symbol('not JSON')

/**
 * Decodes a JSON body.
 *
 * @param body - the response body
 * @returns the value, or {@link NOT_JSON}
 */
export function decodeJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return NOT_JSON
  }
}

/**
 * Decodes and validates a JSON body in one step.
 *
 * @param body - the response body
 * @param schema - the reply's schema
 * @param fallback - the message for a body that is not JSON, and for every
 *   issue without its own message
 * @returns the parsed value, or the message to fail with
 */
export function parseReply<T>(
  body: string,
  schema: z.ZodMiniType<T>,
  fallback: string
): ReplyCheck<T> {
  const value = decodeJson(body)
  if (value === NOT_JSON) return { ok: false, message: fallback }
  return checkReply(schema, value, fallback)
}
