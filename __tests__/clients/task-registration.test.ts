import nock from 'nock'
import { createHttpClient, type HttpDeps } from '../../src/clients/http.js'
import {
  registerAgentTask,
  taskIdFromResponse
} from '../../src/clients/task-registration.js'
import { parseAgentPrivateKey } from '../../src/crypto/agent-key.js'
import { ActionError } from '../../src/errors.js'
import {
  TASK_ID_NOT_PRINTABLE,
  taskIdTooLong
} from '../../src/messages/agent-identity.js'
import { loadSodium, type SodiumApi } from '../crypto/sodium.js'
import {
  PKCS8_V1_B64,
  REGISTRATION_BODY,
  RUNTIME_ID,
  TIMESTAMP,
  V1_PREFIX_HEX,
  b64OfHex
} from '../crypto/vectors.js'
import { instantHttpDeps } from '../support/instant-http.js'
import { useNockOffline } from '../support/nock-offline.js'

const NOW = new Date(TIMESTAMP)
const ORIGIN = 'https://auth.example.test'
const PATH = `/api/accounts/v1/agent/${RUNTIME_ID}/task/register`
const URL = ORIGIN + PATH
const RETRYABLE = 'retryable agent identity registration failure: '

const key = parseAgentPrivateKey(PKCS8_V1_B64)
const otherKey = parseAgentPrivateKey(b64OfHex(V1_PREFIX_HEX, '42'.repeat(32)))

let sodium: SodiumApi
useNockOffline()
beforeAll(async () => {
  sodium = await loadSodium()
})

/** libsodium crypto_box_seal to an agent key, as AuthAPI does it. */
function seal(taskId: string, recipient = key.publicKey): string {
  const pk = sodium.crypto_sign_ed25519_pk_to_curve25519(recipient)
  return Buffer.from(sodium.crypto_box_seal(taskId, pk)).toString('base64')
}

function fakeDeps(sleeps: number[] = []): HttpDeps {
  return instantHttpDeps(NOW.getTime(), sleeps)
}

function register(sleeps: number[] = [], timeoutMs?: number): Promise<string> {
  return registerAgentTask({
    http: createHttpClient(fakeDeps(sleeps)),
    url: URL,
    runtimeId: RUNTIME_ID,
    key,
    now: NOW,
    ...(timeoutMs === undefined ? {} : { timeoutMs })
  })
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(ActionError)
    return (err as ActionError).message
  }
  throw new Error('expected a rejection')
}

describe('registerAgentTask: the request', () => {
  it('POSTs the SPEC 4.5 body byte for byte, JSON, no Authorization', async () => {
    let seenBody = ''
    const scope = nock(ORIGIN, {
      reqheaders: {
        'content-type': 'application/json',
        originator: 'test_originator',
        'user-agent': 'test-agent/1.0'
      },
      badheaders: ['authorization', 'x-openai-authorization']
    })
      .post(PATH, (body: unknown) => {
        seenBody = JSON.stringify(body)
        return true
      })
      .reply(200, { task_id: 'task-123' })
    expect(await register()).toBe('task-123')
    expect(seenBody).toBe(REGISTRATION_BODY)
    scope.done()
  })

  it('sends exactly the vector bytes (raw body check)', async () => {
    const scope = nock(ORIGIN)
      .post(PATH, REGISTRATION_BODY)
      .reply(200, { task_id: 'task-123' })
    await register()
    scope.done()
  })
})

describe('registerAgentTask: the answer', () => {
  it.each<[string, unknown, string]>([
    ['task_id', { task_id: 'task-1' }, 'task-1'],
    ['taskId', { taskId: 'task-2' }, 'task-2'],
    ['task_id before taskId', { taskId: 'b', task_id: 'a' }, 'a'],
    ['null task_id falls back', { task_id: null, taskId: 'c' }, 'c'],
    [
      'plain before encrypted',
      { encrypted_task_id: 'garbage', task_id: 'plain' },
      'plain'
    ]
  ])('plain %s', async (_name, reply, taskId) => {
    nock(ORIGIN)
      .post(PATH)
      .reply(200, reply as nock.Body)
    expect(await register()).toBe(taskId)
  })

  it.each([['encrypted_task_id'], ['encryptedTaskId']])(
    'sealed %s opens with the agent key',
    async (field) => {
      nock(ORIGIN)
        .post(PATH)
        .reply(200, { [field]: seal('task_sealed_1') })
      expect(await register()).toBe('task_sealed_1')
    }
  )

  it.each<[string, string, string]>([
    [
      'a box for another key',
      'wrong-key',
      'failed to decrypt encrypted task id'
    ],
    [
      'text that is not base64',
      'not base64!',
      'encrypted task id is not valid base64'
    ],
    [
      'an empty object',
      '{}',
      'agent task registration response omitted task id'
    ],
    [
      'an empty task id',
      '{"task_id":""}',
      'agent task registration response omitted task id'
    ],
    [
      'a blank sealed id',
      'sealed-blank',
      'agent task registration response omitted task id'
    ],
    [
      'a number',
      '{"task_id":7}',
      'failed to decode agent task registration response'
    ],
    [
      'not JSON',
      '<html>ok</html>',
      'failed to decode agent task registration response'
    ],
    ['a JSON array', '[]', 'failed to decode agent task registration response']
  ])('rejects %s', async (_name, body, message) => {
    const reply =
      body === 'wrong-key'
        ? JSON.stringify({ encrypted_task_id: seal('t', otherKey.publicKey) })
        : body === 'not base64!'
          ? JSON.stringify({ encrypted_task_id: body })
          : body === 'sealed-blank'
            ? JSON.stringify({ encrypted_task_id: seal(' ') })
            : body
    nock(ORIGIN).post(PATH).reply(200, reply)
    expect(await failure(register())).toBe(message)
  })

  it('caps the task id at 256 characters, plain or sealed, never cut', async () => {
    const at = (length: number): string => 't'.repeat(length)
    await expect(
      taskIdFromResponse(JSON.stringify({ task_id: at(256) }), key)
    ).resolves.toBe(at(256))
    await expect(
      taskIdFromResponse(JSON.stringify({ task_id: at(257) }), key)
    ).rejects.toThrow(taskIdTooLong(257, 256))
    await expect(
      taskIdFromResponse(
        JSON.stringify({ encrypted_task_id: seal(at(300)) }),
        key
      )
    ).rejects.toThrow(taskIdTooLong(300, 256))
    nock(ORIGIN)
      .post(PATH)
      .reply(200, { task_id: at(200_000) })
    expect(await failure(register())).toBe(
      'agent task registration: task id is 200000 characters long, over the limit of 256; refusing to use it rather than cut it. Check authapi-base-url.'
    )
  })

  it.each([
    ['a line break', 'task-1\n::stop-commands::x'],
    ['a space', 'task 1'],
    ['non-ASCII', 'täsk'],
    ['a control character', 'task\u0007']
  ])('refuses a task id with %s, plain or sealed', async (_name, id) => {
    await expect(
      taskIdFromResponse(JSON.stringify({ task_id: id }), key)
    ).rejects.toThrow(TASK_ID_NOT_PRINTABLE)
    await expect(
      taskIdFromResponse(JSON.stringify({ encrypted_task_id: seal(id) }), key)
    ).rejects.toThrow(TASK_ID_NOT_PRINTABLE)
  })

  it('taskIdFromResponse is usable on its own', async () => {
    await expect(taskIdFromResponse('{"taskId":"x"}', key)).resolves.toBe('x')
  })
})

describe('registerAgentTask: failures and retries', () => {
  it('waits as Retry-After asks after a 429, then succeeds', async () => {
    const sleeps: number[] = []
    const scope = nock(ORIGIN)
      .post(PATH)
      .reply(429, 'slow down', { 'Retry-After': '2' })
      .post(PATH)
      .reply(200, { task_id: 'task-after-429' })
    expect(await register(sleeps)).toBe('task-after-429')
    expect(sleeps).toEqual([2000])
    scope.done()
  })

  it('gives up after 3 × 500 with Codex’s retryable prefix', async () => {
    const sleeps: number[] = []
    const scope = nock(ORIGIN)
      .post(PATH)
      .times(3)
      .reply(500, '{"error":"internal"}')
    expect(await failure(register(sleeps))).toBe(
      `${RETRYABLE}agent task registration failed with status 500 Internal Server Error: {"error":"internal"}`
    )
    expect(sleeps).toHaveLength(2)
    scope.done()
  })

  it('a final 429 carries the prefix too', async () => {
    nock(ORIGIN).post(PATH).times(3).reply(429, '')
    expect(await failure(register())).toBe(
      `${RETRYABLE}agent task registration failed with status 429 Too Many Requests`
    )
  })

  it('403 is final after one request, without the prefix', async () => {
    const scope = nock(ORIGIN).post(PATH).once().reply(403, 'forbidden')
    expect(await failure(register())).toBe(
      'agent task registration failed with status 403 Forbidden: forbidden'
    )
    scope.done()
    expect(nock.pendingMocks()).toEqual([])
  })

  it('a 4xx after retried 5xx ends it, without the prefix', async () => {
    const scope = nock(ORIGIN)
      .post(PATH)
      .reply(502, '')
      .post(PATH)
      .reply(400, 'bad timestamp')
    expect(await failure(register())).toBe(
      'agent task registration failed with status 400 Bad Request: bad timestamp'
    )
    scope.done()
  })

  it('uses the canonical reason phrase, not the server’s', async () => {
    nock(ORIGIN).post(PATH).reply(404, 'nope')
    expect(await failure(register())).toBe(
      'agent task registration failed with status 404 Not Found: nope'
    )
  })

  it('cuts a long body to 512 characters plus ...', async () => {
    nock(ORIGIN).post(PATH).reply(403, 'x '.repeat(400))
    const message = await failure(register())
    const body = message.slice(message.indexOf(': ') + 2)
    expect(body).toBe('x '.repeat(256) + '...')
  })

  it('redacts secrets the server echoes back', async () => {
    const jwt = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.${'s'.repeat(40)}`
    nock(ORIGIN)
      .post(PATH)
      .reply(
        401,
        `bad signature for key ${PKCS8_V1_B64} token ${jwt} sk-proj-0123456789abcdef`
      )
    const message = await failure(register())
    expect(message).toBe(
      'agent task registration failed with status 401 Unauthorized: bad signature for key [redacted] token [redacted] [redacted]'
    )
  })

  it('retries transport errors, then fails with the prefix', async () => {
    const sleeps: number[] = []
    nock(ORIGIN)
      .post(PATH)
      .times(3)
      .replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))
    expect(await failure(register(sleeps))).toBe(
      `${RETRYABLE}agent task registration to ${ORIGIN}${PATH} failed after 3 attempt(s): connection reset`
    )
    expect(sleeps).toHaveLength(2)
  })

  it('a transport error then success registers once', async () => {
    const scope = nock(ORIGIN)
      .post(PATH)
      .replyWithError(
        Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })
      )
      .post(PATH)
      .reply(200, { task_id: 'task-2nd' })
    expect(await register()).toBe('task-2nd')
    scope.done()
  })

  it('times out each attempt and fails with the prefix', async () => {
    nock(ORIGIN).post(PATH).times(3).delay(5000).reply(200, { task_id: 'late' })
    expect(await failure(register([], 40))).toBe(
      `${RETRYABLE}agent task registration to ${ORIGIN}${PATH} failed after 3 attempt(s): no complete response within 40 ms`
    )
  })
})
