import { randomBytes, verify } from 'node:crypto'
import { decodeStandardBase64, parseWholeSecondTimestamp } from '../encoding.js'
import {
  errorResult,
  isJsonContentType,
  jsonResult,
  methodNotAllowed,
  type RouteContext,
  type RouteResult
} from '../http.js'
import { ed25519PublicKeyFromRaw } from '../keys.js'
import { sealTaskId } from '../sodium.js'
import type { BackendState } from '../state.js'

/**
 * `POST /api/accounts/v1/agent/{runtimeId}/task/register` (SPEC 4.3).
 * Deliberately stricter than the real service is known to be: each check
 * catches a client bug that the real service might reject later.
 */
export function registerTask(
  ctx: RouteContext,
  state: BackendState
): RouteResult {
  if (ctx.method !== 'POST') return methodNotAllowed('POST')
  // Registration is authenticated by the agent key alone; a bearer token here
  // means the client leaks a human credential to AuthAPI.
  if (ctx.headers.authorization !== undefined) {
    return errorResult(
      400,
      'authorization_not_allowed',
      'Task registration must not carry an Authorization header.'
    )
  }
  if (!isJsonContentType(ctx.headers['content-type'])) {
    return errorResult(
      415,
      'unsupported_media_type',
      `Content-Type must be application/json, got ${ctx.headers['content-type'] ?? 'none'}.`
    )
  }
  if (ctx.headers['content-encoding'] !== undefined) {
    return errorResult(
      400,
      'unsupported_content_encoding',
      'Task registration bodies must not be compressed.'
    )
  }
  const body = parseRegistrationBody(ctx.body)
  if (typeof body === 'string') {
    return errorResult(400, 'invalid_request_body', body)
  }

  const runtimeId = ctx.params.runtimeId ?? ''
  const agent = state.agents.get(runtimeId)
  if (!agent) {
    return errorResult(
      404,
      'agent_runtime_not_found',
      `Unknown agent runtime ${runtimeId}.`
    )
  }

  const timestampMs = parseWholeSecondTimestamp(body.timestamp)
  if (timestampMs === undefined) {
    return errorResult(
      400,
      'invalid_timestamp',
      `timestamp ${body.timestamp} is not UTC RFC 3339 with whole seconds and Z.`
    )
  }
  const skewSeconds = Math.abs(state.now() - timestampMs) / 1000
  if (skewSeconds > state.settings.maxSkewSeconds) {
    return errorResult(
      401,
      'timestamp_out_of_range',
      `timestamp ${body.timestamp} is ${Math.round(skewSeconds)} s away from server time.`
    )
  }

  const signature = decodeStandardBase64(body.signature)
  if (!signature || signature.length !== 64) {
    return errorResult(
      400,
      'invalid_signature_encoding',
      'signature must be standard base64 (with padding) of 64 bytes.'
    )
  }
  const signedText = `${runtimeId}:${body.timestamp}`
  const signatureValid = verify(
    null,
    Buffer.from(signedText),
    ed25519PublicKeyFromRaw(agent.publicKeyRaw),
    signature
  )
  if (!signatureValid) {
    return errorResult(
      401,
      'invalid_signature',
      'signature does not verify for this agent runtime.'
    )
  }

  const taskId = `task_${randomBytes(12).toString('hex')}`
  agent.tasks.push(taskId)
  const delivery = agent.taskIdDelivery ?? state.settings.taskIdDelivery
  const encrypted =
    delivery === 'encrypted_task_id' || delivery === 'encryptedTaskId'
  const value = encrypted
    ? sealTaskId(state.sodium, agent.publicKeyRaw, taskId)
    : taskId
  return jsonResult(200, { [delivery]: value })
}

interface RegistrationBody {
  timestamp: string
  signature: string
}

/**
 * The body must be exactly the compact `{"timestamp","signature"}` object in
 * that order; a message describes the first deviation.
 */
function parseRegistrationBody(text: string): RegistrationBody | string {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return 'body is not JSON.'
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'body must be a JSON object.'
  }
  const keys = Object.keys(parsed)
  if (keys.join() !== 'timestamp,signature') {
    return `body keys are [${keys.join(', ')}]; expected exactly [timestamp, signature] in that order.`
  }
  const { timestamp, signature } = parsed as Record<string, unknown>
  if (typeof timestamp !== 'string' || typeof signature !== 'string') {
    return 'timestamp and signature must be strings.'
  }
  if (JSON.stringify({ timestamp, signature }) !== text) {
    return 'body must be compact JSON (no whitespace).'
  }
  return { timestamp, signature }
}
