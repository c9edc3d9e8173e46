/**
 * Agent task registration at AuthAPI (SPEC 4.3): one signed POST, no
 * Authorization header, answered with a plain or a sealed task id.
 */
import { isJsonObject } from '../credentials/fields.js'
import type { AgentKey } from '../crypto/agent-key.js'
import { formatTimestamp, registrationBody } from '../crypto/assertion.js'
import { CryptoError } from '../crypto/errors.js'
import { trimBase } from '../endpoints/defaults.js'
import { ActionError } from '../errors.js'
import {
  TASK_ID_NOT_PRINTABLE,
  REGISTRATION_RESPONSE_UNDECODABLE,
  registrationFailed,
  RETRYABLE_REGISTRATION_PREFIX,
  runtimeIdNotUrlSafe,
  TASK_ID_OMITTED
} from '../messages.js'
import {
  HttpTransportError,
  isRetryableStatus,
  type HttpClient,
  type HttpResponse
} from './http.js'
import { bodyForMessage } from './redact.js'

/** Per attempt, as in Codex. */
export const REGISTRATION_TIMEOUT_MS = 30_000

/** Attempts in all, as in Codex; 429, 5xx and transport failures retry. */
export const REGISTRATION_MAX_ATTEMPTS = 3

/**
 * The registration URL: the base with whitespace and every trailing `/`
 * trimmed, then `/v1/agent/{runtimeId}/task/register`, joined as text.
 *
 * Codex inserts the runtime id verbatim; one containing `/`, `?`, `#` or
 * whitespace would address a different resource, so it is refused instead.
 *
 * @param authapiBase - the AuthAPI base
 * @param runtimeId - the identity's `agent_runtime_id`
 * @param from - the credential's source label, for the message
 * @returns the URL
 * @throws {@link ActionError} for an unsafe runtime id
 */
export function taskRegistrationUrl(
  authapiBase: string,
  runtimeId: string,
  from: string
): string {
  if (runtimeId === '' || /[/?#\s]/.test(runtimeId)) {
    throw new ActionError(runtimeIdNotUrlSafe(from))
  }
  return `${trimBase(authapiBase)}/v1/agent/${runtimeId}/task/register`
}

/** Inputs of {@link registerAgentTask}. */
export interface RegisterTaskInput {
  http: HttpClient
  /** The registration URL from {@link taskRegistrationUrl}. */
  url: string
  runtimeId: string
  key: AgentKey
  /** Signing time; the body is signed once and resent as is on retries. */
  now: Date
  /** Per attempt; default {@link REGISTRATION_TIMEOUT_MS}, tests shorten it. */
  timeoutMs?: number
}

/**
 * Registers one agent task.
 *
 * @param input - client, URL, identity, key and clock
 * @returns the task id
 * @throws {@link ActionError} with Codex's texts: `registrationFailed(…)`
 *   (prefixed `RETRYABLE_REGISTRATION_PREFIX` when the last of the retried
 *   attempts was itself retryable), `TASK_ID_OMITTED`, the sealed-box errors,
 *   or `REGISTRATION_RESPONSE_UNDECODABLE`
 */
export async function registerAgentTask(
  input: RegisterTaskInput
): Promise<string> {
  const body = registrationBody(
    input.runtimeId,
    formatTimestamp(input.now),
    input.key
  )
  // Load the sealed-box code while the request is in flight, in case the
  // answer is sealed: on a real network the round trip hides the load.
  void sealedBox().catch(() => undefined)
  let res: HttpResponse
  try {
    res = await input.http.request({
      method: 'POST',
      url: input.url,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json'
      },
      body,
      timeoutMs: input.timeoutMs ?? REGISTRATION_TIMEOUT_MS,
      maxAttempts: REGISTRATION_MAX_ATTEMPTS,
      what: 'agent task registration'
    })
  } catch (err) {
    if (err instanceof HttpTransportError) {
      throw new ActionError(RETRYABLE_REGISTRATION_PREFIX + err.message)
    }
    throw err
  }
  if (res.status < 200 || res.status >= 300) {
    const message = registrationFailed(
      res.status,
      res.reason,
      bodyForMessage(res.body)
    )
    // The helper only returns a retryable status once the attempts are used
    // up, which is exactly when Codex adds its prefix.
    throw new ActionError(
      isRetryableStatus(res) ? RETRYABLE_REGISTRATION_PREFIX + message : message
    )
  }
  return taskIdFromResponse(res.body, input.key)
}

/**
 * Reads the task id from a 2xx answer: the first of `task_id` / `taskId`,
 * else `encrypted_task_id` / `encryptedTaskId` opened with the agent key.
 *
 * @param body - the response body
 * @param key - the agent key the sealed id is addressed to
 * @returns the task id, never empty
 * @throws {@link ActionError} as {@link registerAgentTask}
 */
export async function taskIdFromResponse(
  body: string,
  key: AgentKey
): Promise<string> {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    throw new ActionError(REGISTRATION_RESPONSE_UNDECODABLE)
  }
  if (!isJsonObject(value)) {
    throw new ActionError(REGISTRATION_RESPONSE_UNDECODABLE)
  }
  const fields = value
  const plain = firstPresent(fields, 'task_id', 'taskId')
  if (plain !== undefined) return nonEmptyTaskId(plain)
  const sealed = firstPresent(fields, 'encrypted_task_id', 'encryptedTaskId')
  if (sealed === undefined) throw new ActionError(TASK_ID_OMITTED)
  if (typeof sealed !== 'string') {
    throw new ActionError(REGISTRATION_RESPONSE_UNDECODABLE)
  }
  const { openSealedTaskId } = await sealedBox()
  try {
    return nonEmptyTaskId(openSealedTaskId(sealed, key))
  } catch (err) {
    if (err instanceof CryptoError) throw new ActionError(err.message)
    throw err
  }
}

type SealedBoxModule = typeof import('../crypto/sealed-box.js')
let sealedBoxModule: Promise<SealedBoxModule> | undefined

/** The sealed-box code (the noble ciphers), loaded once, on demand. */
function sealedBox(): Promise<SealedBoxModule> {
  return (sealedBoxModule ??= import('../crypto/sealed-box.js'))
}

/** Codex reads absent and `null` alike (serde `Option`). */
function firstPresent(
  fields: Record<string, unknown>,
  ...names: string[]
): unknown {
  for (const name of names) {
    const value = fields[name]
    if (value !== undefined && value !== null) return value
  }
  return undefined
}

// An empty id would sign assertions for no task; Codex re-registers on a
// blank one, so it is as good as omitted.
function nonEmptyTaskId(value: unknown): string {
  if (typeof value !== 'string') {
    throw new ActionError(REGISTRATION_RESPONSE_UNDECODABLE)
  }
  if (value.trim() === '') throw new ActionError(TASK_ID_OMITTED)
  // The id lands in logs, headers and the summary: a server must not be able
  // to smuggle a line break (a workflow command) or markup in through it.
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new ActionError(TASK_ID_NOT_PRINTABLE)
  }
  return value
}
