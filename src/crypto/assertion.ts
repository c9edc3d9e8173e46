/**
 * The two signed texts of Agent Identity: the task registration body and the
 * `AgentAssertion` Authorization header. Both are compared byte for byte by
 * the server, so key order and formatting are fixed here and nowhere else.
 */
import { type AgentKey, signEd25519 } from './agent-key.js'
import { encodeBase64, encodeBase64Url } from './base64.js'

/** Inputs of {@link agentAssertionHeader}. */
export interface AgentAssertionInput {
  /** The identity's `agent_runtime_id`, signed verbatim. */
  readonly runtimeId: string
  /** The task id returned by task registration. */
  readonly taskId: string
  /** A timestamp made by {@link formatTimestamp}. */
  readonly timestamp: string
  /** The identity's key. */
  readonly key: AgentKey
}

/**
 * Formats a time as UTC RFC 3339 with whole seconds and `Z`, e.g.
 * `2026-08-22T05:54:43Z`, the only form Codex signs.
 *
 * Milliseconds are dropped, not rounded, matching Codex's truncation.
 *
 * @param date - the time to format
 * @returns the timestamp text
 * @throws RangeError when `date` is invalid or outside the years 0 to 9999
 */
export function formatTimestamp(date: Date): string {
  const iso = date.toISOString()
  // Outside years 0..9999 toISOString switches to a signed six-digit year,
  // which is not RFC 3339; refuse rather than cut it into a wrong time.
  if (iso.length !== 24) {
    throw new RangeError(`timestamp out of RFC 3339 range: ${iso}`)
  }
  return `${iso.slice(0, 19)}Z`
}

/**
 * Builds the task registration request body,
 * `{"timestamp":"<ts>","signature":"<sig>"}` in that key order, where `sig` is
 * the standard base64 Ed25519 signature over `"{runtimeId}:{timestamp}"`.
 *
 * @param runtimeId - the identity's `agent_runtime_id`
 * @param timestamp - a timestamp made by {@link formatTimestamp}
 * @param key - the identity's key
 * @returns the exact body text to send
 */
export function registrationBody(
  runtimeId: string,
  timestamp: string,
  key: AgentKey
): string {
  const signature = encodeBase64(signEd25519(key, `${runtimeId}:${timestamp}`))
  // Object literal order is the serialised key order; stringify escapes.
  return JSON.stringify({ timestamp, signature })
}

/**
 * Builds the `AgentAssertion` Authorization header value: `AgentAssertion `
 * followed by base64url without padding of the compact JSON
 * `{"agent_runtime_id":…,"signature":…,"task_id":…,"timestamp":…}`, where the
 * signature is the standard base64 Ed25519 signature over
 * `"{runtimeId}:{taskId}:{timestamp}"`. It is not a JWT.
 *
 * The header carries `timestamp` and so ages once made; Codex makes a fresh
 * one per request.
 *
 * @param input - the identity's runtime id and key, the task id and the time
 * @returns the complete header value
 */
export function agentAssertionHeader(input: AgentAssertionInput): string {
  const { runtimeId, taskId, timestamp, key } = input
  const signature = encodeBase64(
    signEd25519(key, `${runtimeId}:${taskId}:${timestamp}`)
  )
  const json = JSON.stringify({
    agent_runtime_id: runtimeId,
    signature,
    task_id: taskId,
    timestamp
  })
  return `AgentAssertion ${encodeBase64Url(Buffer.from(json, 'utf8'))}`
}
