import { verify } from 'node:crypto'
import {
  decodeBase64UrlNoPad,
  decodeStandardBase64,
  parseWholeSecondTimestamp
} from './encoding.js'
import type { AgentRegistry } from './identity.js'
import { ed25519PublicKeyFromRaw } from './keys.js'

/** The decoded JSON inside an `AgentAssertion` header (SPEC 4.4). */
export interface AssertionEnvelope {
  agent_runtime_id: string
  signature: string
  task_id: string
  timestamp: string
}

/** What {@link verifyAssertion} found; `valid` only when nothing is wrong. */
export interface AssertionCheck {
  valid: boolean
  envelope?: AssertionEnvelope
  /** Ed25519 signature over `{runtime}:{task}:{timestamp}` checks out. */
  signatureValid: boolean
  /** The task was registered here, for this runtime. */
  taskRegistered: boolean
  /** Seconds between the envelope's timestamp and the backend clock. */
  ageSeconds?: number
  /** Every problem found, in words a failing test can print. */
  problems: string[]
}

const SCHEME = 'AgentAssertion '
const ENVELOPE_KEYS = ['agent_runtime_id', 'signature', 'task_id', 'timestamp']

/**
 * Checks an `Authorization: AgentAssertion …` value the way a strict server
 * would: exact encoding, key order, signature and task ownership.
 */
export function verifyAssertion(
  headerValue: string | undefined,
  agents: AgentRegistry,
  nowMs: number
): AssertionCheck {
  const result: AssertionCheck = {
    valid: false,
    signatureValid: false,
    taskRegistered: false,
    problems: []
  }
  const fail = (problem: string): AssertionCheck => {
    result.problems.push(problem)
    return result
  }
  if (headerValue === undefined) return fail('no Authorization header')
  if (!headerValue.startsWith(SCHEME)) {
    return fail(`scheme is not "AgentAssertion ": ${headerValue.slice(0, 20)}`)
  }
  const token = headerValue.slice(SCHEME.length)
  const decoded = decodeBase64UrlNoPad(token)
  if (!decoded) return fail('envelope is not base64url without padding')
  const text = decoded.toString('utf8')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return fail('envelope is not JSON')
  }
  if (!isStringRecord(parsed)) {
    return fail('envelope is not an object of strings')
  }
  if (Object.keys(parsed).join() !== ENVELOPE_KEYS.join()) {
    return fail(
      `envelope keys are [${Object.keys(parsed).join(', ')}], expected [${ENVELOPE_KEYS.join(', ')}] in that order`
    )
  }
  const envelope = parsed as unknown as AssertionEnvelope
  result.envelope = envelope
  if (JSON.stringify(envelope) !== text) {
    result.problems.push('envelope JSON is not compact')
  }

  const timestampMs = parseWholeSecondTimestamp(envelope.timestamp)
  if (timestampMs === undefined) {
    result.problems.push(
      `timestamp ${envelope.timestamp} is not RFC 3339 whole seconds with Z`
    )
  } else {
    result.ageSeconds = Math.round((nowMs - timestampMs) / 1000)
  }

  const agent = agents.get(envelope.agent_runtime_id)
  if (!agent) {
    return fail(`unknown agent runtime ${envelope.agent_runtime_id}`)
  }
  result.taskRegistered = agent.tasks.includes(envelope.task_id)
  if (!result.taskRegistered) {
    result.problems.push(
      `task ${envelope.task_id} was not registered for ${envelope.agent_runtime_id}`
    )
  }
  const signature = decodeStandardBase64(envelope.signature)
  if (!signature || signature.length !== 64) {
    return fail('signature is not standard base64 of 64 bytes')
  }
  const message = `${envelope.agent_runtime_id}:${envelope.task_id}:${envelope.timestamp}`
  result.signatureValid = verify(
    null,
    Buffer.from(message),
    ed25519PublicKeyFromRaw(agent.publicKeyRaw),
    signature
  )
  if (!result.signatureValid) {
    result.problems.push('signature does not verify with the agent key')
  }
  result.valid = result.problems.length === 0
  return result
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  )
}
