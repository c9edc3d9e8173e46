import { createRequire } from 'node:module'
import type * as SodiumModule from 'libsodium-wrappers'
import {
  startDevBackend,
  type DevBackend,
  type MintedAgentIdentity
} from '../../dev/backend/index.js'
import {
  agentAssertion,
  postJson,
  registrationBody,
  signWithAgentKey,
  wholeSeconds
} from './helpers.js'

type Sodium = typeof SodiumModule

// A fixed clock: 2026-01-01T00:00:00Z, so SPEC 4.5 vectors are in range.
const NOW = Date.parse('2026-01-01T00:00:00Z')
let clock = NOW
let backend: DevBackend
let sodium: Sodium

beforeAll(async () => {
  backend = await startDevBackend({ now: () => clock })
  sodium = createRequire(import.meta.url)('libsodium-wrappers') as Sodium
  await sodium.ready
})
afterAll(() => backend.close())
beforeEach(() => {
  clock = NOW
  backend.setTaskIdDelivery('encrypted_task_id')
})

function registerUrl(runtimeId: string): string {
  return `${backend.authapiBaseUrl}/v1/agent/${runtimeId}/task/register`
}

function register(
  identity: MintedAgentIdentity,
  timestamp = wholeSeconds(clock),
  headers: Record<string, string> = {}
): ReturnType<typeof postJson> {
  return postJson(
    registerUrl(identity.runtimeId),
    registrationBody(identity.runtimeId, identity.privateKeyB64, timestamp),
    headers
  )
}

/** Opens a sealed task id the way a client holding the agent key would. */
function openSealedTaskId(
  identity: MintedAgentIdentity,
  sealed: string
): string {
  const keys = sodium.crypto_sign_seed_keypair(identity.seed)
  const opened = sodium.crypto_box_seal_open(
    Buffer.from(sealed, 'base64'),
    sodium.crypto_sign_ed25519_pk_to_curve25519(keys.publicKey),
    sodium.crypto_sign_ed25519_sk_to_curve25519(keys.privateKey)
  )
  return Buffer.from(opened).toString('utf8')
}

function errorCode(body: string): string {
  return (JSON.parse(body) as { error: { code: string } }).error.code
}

describe('task registration', () => {
  it('accepts a signed body and answers a sealed box of the task id', async () => {
    const identity = backend.mintAgentIdentity()
    const reply = await register(identity)
    expect(reply.status).toBe(200)
    const answer = JSON.parse(reply.body) as Record<string, string>
    expect(Object.keys(answer)).toEqual(['encrypted_task_id'])
    const sealed = answer.encrypted_task_id ?? ''
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/)
    const taskId = openSealedTaskId(identity, sealed)
    expect(backend.tasksFor(identity.runtimeId)).toEqual([taskId])
  })

  it('accepts the SPEC 4.5 registration vector', async () => {
    backend.mintAgentIdentity({
      runtimeId: 'agent-123',
      seed: new Uint8Array(32).fill(7)
    })
    const reply = await postJson(
      registerUrl('agent-123'),
      '{"timestamp":"2026-01-01T00:00:00Z","signature":"Flknh7SWLL/jUyVKZQjttm200nc5G+vsgozrIQ99ZZaBu0g9PEVxafDZXp+4i+BufsLPHiogzE/Gl77j1alHBA=="}'
    )
    expect(reply.status).toBe(200)
  })

  it('answers a plain task id when configured globally or per identity', async () => {
    backend.setTaskIdDelivery('task_id')
    const global = backend.mintAgentIdentity()
    const reply = await register(global)
    const answer = JSON.parse(reply.body) as Record<string, string>
    expect(answer).toEqual({ task_id: backend.tasksFor(global.runtimeId)[0] })

    backend.setTaskIdDelivery('encrypted_task_id')
    const camel = backend.mintAgentIdentity({ taskIdDelivery: 'taskId' })
    const camelReply = JSON.parse((await register(camel)).body) as object
    expect(camelReply).toEqual({ taskId: backend.tasksFor(camel.runtimeId)[0] })
  })

  it('registers a new task on every call', async () => {
    const identity = backend.mintAgentIdentity()
    await register(identity)
    await register(identity)
    expect(backend.tasksFor(identity.runtimeId)).toHaveLength(2)
  })

  it('accepts skew up to 5 minutes either way', async () => {
    const identity = backend.mintAgentIdentity()
    expect((await register(identity, wholeSeconds(NOW - 300_000))).status).toBe(
      200
    )
    expect((await register(identity, wholeSeconds(NOW + 300_000))).status).toBe(
      200
    )
  })

  it.each([
    ['stale', -301_000],
    ['future', 301_000]
  ])('rejects a %s timestamp beyond 5 minutes', async (_name, offset) => {
    const identity = backend.mintAgentIdentity()
    const reply = await register(identity, wholeSeconds(NOW + offset))
    expect(reply.status).toBe(401)
    expect(errorCode(reply.body)).toBe('timestamp_out_of_range')
    expect(backend.tasksFor(identity.runtimeId)).toEqual([])
  })

  it('rejects a signature made with another key', async () => {
    const identity = backend.mintAgentIdentity()
    const other = backend.mintAgentIdentity()
    const timestamp = wholeSeconds(clock)
    const reply = await postJson(
      registerUrl(identity.runtimeId),
      registrationBody(identity.runtimeId, other.privateKeyB64, timestamp)
    )
    expect(reply.status).toBe(401)
    expect(errorCode(reply.body)).toBe('invalid_signature')
  })

  it('rejects a signature over the wrong text', async () => {
    const identity = backend.mintAgentIdentity()
    const timestamp = wholeSeconds(clock)
    const signature = signWithAgentKey(identity.privateKeyB64, timestamp)
    const reply = await postJson(
      registerUrl(identity.runtimeId),
      JSON.stringify({ timestamp, signature })
    )
    expect(reply.status).toBe(401)
  })

  it('rejects the keys in the wrong order', async () => {
    const identity = backend.mintAgentIdentity()
    const timestamp = wholeSeconds(clock)
    const signature = signWithAgentKey(
      identity.privateKeyB64,
      `${identity.runtimeId}:${timestamp}`
    )
    const reply = await postJson(
      registerUrl(identity.runtimeId),
      JSON.stringify({ signature, timestamp })
    )
    expect(reply.status).toBe(400)
    expect(reply.body).toContain('in that order')
  })

  it('rejects an Authorization header', async () => {
    const identity = backend.mintAgentIdentity()
    const reply = await register(identity, wholeSeconds(clock), {
      authorization: 'Bearer at-leaked'
    })
    expect(reply.status).toBe(400)
    expect(errorCode(reply.body)).toBe('authorization_not_allowed')
  })

  it.each([
    [
      'pretty JSON',
      (ts: string, sig: string): string =>
        JSON.stringify({ timestamp: ts, signature: sig }, null, 2)
    ],
    [
      'an extra key',
      (ts: string, sig: string): string =>
        JSON.stringify({ timestamp: ts, signature: sig, extra: 1 })
    ],
    [
      'a base64url signature',
      (ts: string, sig: string): string =>
        JSON.stringify({
          timestamp: ts,
          signature: Buffer.from(sig, 'base64').toString('base64url')
        })
    ]
  ])('rejects %s', async (_name, build) => {
    const identity = backend.mintAgentIdentity()
    const timestamp = wholeSeconds(clock)
    const signature = signWithAgentKey(
      identity.privateKeyB64,
      `${identity.runtimeId}:${timestamp}`
    )
    const reply = await postJson(
      registerUrl(identity.runtimeId),
      build(timestamp, signature)
    )
    expect(reply.status).toBe(400)
  })

  it.each([
    '2026-01-01T00:00:00.000Z',
    '2026-01-01T00:00:00+00:00',
    '2026-01-01 00:00:00Z'
  ])('rejects the timestamp form %s', async (timestamp) => {
    const identity = backend.mintAgentIdentity()
    const reply = await register(identity, timestamp)
    expect(reply.status).toBe(400)
    expect(errorCode(reply.body)).toBe('invalid_timestamp')
  })

  it('rejects a non-JSON content type and an unknown runtime', async () => {
    const identity = backend.mintAgentIdentity()
    const body = registrationBody(
      identity.runtimeId,
      identity.privateKeyB64,
      wholeSeconds(clock)
    )
    const form = await postJson(registerUrl(identity.runtimeId), body, {
      'content-type': 'text/plain'
    })
    expect(form.status).toBe(415)
    const unknown = await postJson(registerUrl('agent-unknown'), body)
    expect(unknown.status).toBe(404)
  })

  it('answers 404 when the AuthAPI path prefix is missing', async () => {
    const identity = backend.mintAgentIdentity()
    const reply = await postJson(
      `${backend.url}/v1/agent/${identity.runtimeId}/task/register`,
      registrationBody(
        identity.runtimeId,
        identity.privateKeyB64,
        wholeSeconds(clock)
      )
    )
    expect(reply.status).toBe(404)
  })
})

describe('verifyAssertion', () => {
  async function registeredTask(
    identity: MintedAgentIdentity
  ): Promise<string> {
    backend.setTaskIdDelivery('task_id')
    const reply = await register(identity)
    return (JSON.parse(reply.body) as { task_id: string }).task_id
  }

  it('accepts an assertion for a registered task', async () => {
    const identity = backend.mintAgentIdentity()
    const taskId = await registeredTask(identity)
    const header = agentAssertion(
      identity.runtimeId,
      taskId,
      identity.privateKeyB64,
      wholeSeconds(clock - 5000)
    )
    const check = backend.verifyAssertion(header)
    expect(check).toMatchObject({
      valid: true,
      signatureValid: true,
      taskRegistered: true,
      ageSeconds: 5,
      problems: []
    })
    expect(check.envelope?.task_id).toBe(taskId)
  })

  it('reports a task that was never registered (SPEC 4.5 header)', () => {
    backend.mintAgentIdentity({
      runtimeId: 'agent-123',
      seed: new Uint8Array(32).fill(7)
    })
    const check = backend.verifyAssertion(
      'AgentAssertion eyJhZ2VudF9ydW50aW1lX2lkIjoiYWdlbnQtMTIzIiwic2lnbmF0dXJlIjoiV0N1OUhmZlo3c3YrczZjYlcvRzZYaS9qWldEbHhVWk9JdnJuS3lNQU84aXZTeE1md0p6ZS9PZzRtZWVDYmErazZncXBQTEE4Q3FqbTFSWXhBbFBuQWc9PSIsInRhc2tfaWQiOiJ0YXNrLTEyMyIsInRpbWVzdGFtcCI6IjIwMjYtMDEtMDFUMDA6MDA6MDBaIn0'
    )
    expect(check.signatureValid).toBe(true)
    expect(check.taskRegistered).toBe(false)
    expect(check.valid).toBe(false)
    expect(check.problems.join()).toContain('task-123 was not registered')
  })

  it('rejects a bad signature, padding and wrong key order', async () => {
    const identity = backend.mintAgentIdentity()
    const other = backend.mintAgentIdentity()
    const taskId = await registeredTask(identity)
    const ts = wholeSeconds(clock)
    const forged = backend.verifyAssertion(
      agentAssertion(identity.runtimeId, taskId, other.privateKeyB64, ts)
    )
    expect(forged).toMatchObject({ valid: false, signatureValid: false })

    const padded = agentAssertion(
      identity.runtimeId,
      taskId,
      identity.privateKeyB64,
      ts
    ).replace(/^AgentAssertion (.*)$/, (_m, token: string) => {
      const b64 = Buffer.from(token, 'base64url').toString('base64')
      return `AgentAssertion ${b64}`
    })
    expect(backend.verifyAssertion(padded).valid).toBe(false)

    const signature = signWithAgentKey(
      identity.privateKeyB64,
      `${identity.runtimeId}:${taskId}:${ts}`
    )
    const reordered = Buffer.from(
      JSON.stringify({
        task_id: taskId,
        agent_runtime_id: identity.runtimeId,
        signature,
        timestamp: ts
      })
    ).toString('base64url')
    const check = backend.verifyAssertion(`AgentAssertion ${reordered}`)
    expect(check.valid).toBe(false)
    expect(check.problems.join()).toContain('in that order')
  })
})
