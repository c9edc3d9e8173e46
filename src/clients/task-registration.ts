/**
 * Agent task registration at AuthAPI: one signed POST, no Authorization
 * header, answered with a plain or a sealed task id.
 */
import * as z from 'zod/mini'
import type { AgentKey } from '../crypto/agent-key.js'
import { formatTimestamp, registrationBody } from '../crypto/assertion.js'
import { CryptoError } from '../crypto/errors.js'
import { ActionError } from '../errors.js'
import {
  TASK_ID_NOT_PRINTABLE,
  REGISTRATION_RESPONSE_UNDECODABLE,
  registrationFailed,
  RETRYABLE_REGISTRATION_PREFIX,
  TASK_ID_OMITTED,
  taskIdTooLong
} from '../messages/agent-identity.js'
import type { EndpointCall } from './call.js'
import {
  HttpTransportError,
  isRetryableStatus,
  type HttpResponse
} from './http.js'
import { bodyForMessage } from './redact.js'
import { capped, checkReply, parseReply, TASK_ID_MAX } from './reply.js'

/** Per attempt, as in Codex. */
export const REGISTRATION_TIMEOUT_MS = 30_000

/** Attempts in all, as in Codex; 429, 5xx and transport failures retry. */
export const REGISTRATION_MAX_ATTEMPTS = 3

/** Codex reads absent and `null` alike (serde `Option`). */
const id = z.nullish(z.string())

/** The registration reply: a plain id, else a sealed one, each in two spellings. */
const RegistrationReply = z.object({
  task_id: id,
  taskId: id,
  encrypted_task_id: id,
  encryptedTaskId: id
})

/**
 * A usable task id. A blank one would sign assertions for no task (Codex
 * re-registers on it, so it counts as omitted). The id lands in logs,
 * headers, env and the summary: a server must not be able to smuggle a line
 * break (a workflow command) or markup in through it, nor make it so long
 * that later processes cannot start.
 */
const TaskId = z.string().check(
  z.refine((value) => value.trim() !== '', {
    error: TASK_ID_OMITTED,
    abort: true
  }),
  capped(TASK_ID_MAX, taskIdTooLong),
  z.regex(/^[\x21-\x7e]+$/, { error: TASK_ID_NOT_PRINTABLE })
)

/** Options of {@link registerAgentTask}. */
export interface RegisterTaskCall extends EndpointCall {
  /** The identity's `agent_runtime_id`; `url` already carries it. */
  runtimeId: string
  key: AgentKey
  /** Signing time; the body is signed once and resent as is on retries. */
  now: Date
}

/**
 * Registers one agent task.
 *
 * @param call - the shared client, the registration URL
 *   (`taskRegistrationUrl`), the identity, its key and the clock
 * @returns the task id
 * @throws {@link ActionError} with Codex's texts: `registrationFailed(…)`
 *   (prefixed `RETRYABLE_REGISTRATION_PREFIX` when the last of the retried
 *   attempts was itself retryable), `TASK_ID_OMITTED`, the sealed-box errors,
 *   or `REGISTRATION_RESPONSE_UNDECODABLE`; ours for a task id that is not
 *   printable ASCII or longer than {@link TASK_ID_MAX}
 */
export async function registerAgentTask(
  call: RegisterTaskCall
): Promise<string> {
  const body = registrationBody(
    call.runtimeId,
    formatTimestamp(call.now),
    call.key
  )
  // Load the sealed-box code while the request is in flight, in case the
  // answer is sealed: on a real network the round trip hides the load.
  void sealedBox().catch(() => undefined)
  let res: HttpResponse
  try {
    res = await call.http.request({
      method: 'POST',
      url: call.url,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json'
      },
      body,
      timeoutMs: call.timeoutMs ?? REGISTRATION_TIMEOUT_MS,
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
  return taskIdFromResponse(res.body, call.key)
}

/**
 * Reads the task id from a 2xx answer: the first of `task_id` / `taskId`,
 * else `encrypted_task_id` / `encryptedTaskId` opened with the agent key.
 *
 * @param body - the response body
 * @param key - the agent key the sealed id is addressed to
 * @returns the task id: printable ASCII, at most {@link TASK_ID_MAX} long
 * @throws {@link ActionError} as {@link registerAgentTask}
 */
export async function taskIdFromResponse(
  body: string,
  key: AgentKey
): Promise<string> {
  const reply = parseReply(
    body,
    RegistrationReply,
    REGISTRATION_RESPONSE_UNDECODABLE
  )
  if (!reply.ok) throw new ActionError(reply.message)
  const { task_id, taskId, encrypted_task_id, encryptedTaskId } = reply.value
  const plain = task_id ?? taskId
  if (plain !== undefined && plain !== null) return usableTaskId(plain)
  const sealed = encrypted_task_id ?? encryptedTaskId
  if (sealed === undefined || sealed === null) {
    throw new ActionError(TASK_ID_OMITTED)
  }
  const { openSealedTaskId } = await sealedBox()
  let opened: string
  try {
    opened = openSealedTaskId(sealed, key)
  } catch (err) {
    if (err instanceof CryptoError) throw new ActionError(err.message)
    throw err
  }
  return usableTaskId(opened)
}

function usableTaskId(value: string): string {
  const checked = checkReply(TaskId, value, REGISTRATION_RESPONSE_UNDECODABLE)
  if (!checked.ok) throw new ActionError(checked.message)
  return checked.value
}

type SealedBoxModule = typeof import('../crypto/sealed-box.js')
let sealedBoxModule: Promise<SealedBoxModule> | undefined

/** The sealed-box code (the noble ciphers), loaded once, on demand. */
function sealedBox(): Promise<SealedBoxModule> {
  return (sealedBoxModule ??= import('../crypto/sealed-box.js'))
}
