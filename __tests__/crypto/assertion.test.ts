import { parseAgentPrivateKey } from '../../src/crypto/agent-key.js'
import {
  agentAssertionHeader,
  formatTimestamp,
  registrationBody
} from '../../src/crypto/assertion.js'
import { loadSodium, type SodiumApi } from './sodium.js'
import {
  ASSERTION_HEADER,
  ASSERTION_SIGNATURE,
  PKCS8_V1_B64,
  PKCS8_V2_B64,
  REGISTRATION_BODY,
  RUNTIME_ID,
  TASK_ID,
  TIMESTAMP
} from './vectors.js'

const key = parseAgentPrivateKey(PKCS8_V2_B64)
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

let sodium: SodiumApi
beforeAll(async () => {
  sodium = await loadSodium()
})

/** Decodes the JSON object inside an AgentAssertion header. */
function headerPayload(header: string): Record<string, string> {
  const [scheme, token, ...rest] = header.split(' ')
  expect(scheme).toBe('AgentAssertion')
  expect(rest).toEqual([])
  expect(token).toMatch(/^[A-Za-z0-9_-]+$/)
  return JSON.parse(
    Buffer.from(token ?? '', 'base64url').toString('utf8')
  ) as Record<string, string>
}

describe('formatTimestamp', () => {
  it.each<[string, Date, string]>([
    [
      'the SPEC 4.3 example',
      new Date('2026-08-22T05:54:43Z'),
      '2026-08-22T05:54:43Z'
    ],
    [
      'milliseconds truncated, not rounded',
      new Date('2026-08-22T05:54:43.999Z'),
      '2026-08-22T05:54:43Z'
    ],
    [
      'a positive offset converted to UTC',
      new Date('2026-01-01T02:00:00.500+02:00'),
      '2026-01-01T00:00:00Z'
    ],
    [
      'a negative offset crossing midnight',
      new Date('2025-12-31T21:30:00-05:00'),
      '2026-01-01T02:30:00Z'
    ],
    ['the epoch', new Date(0), '1970-01-01T00:00:00Z'],
    [
      'a three-digit year zero-padded',
      new Date(Date.UTC(999, 11, 31, 23, 59, 59)),
      '0999-12-31T23:59:59Z'
    ]
  ])('formats %s', (_name, date, expected) => {
    expect(formatTimestamp(date)).toBe(expected)
  })

  it.each<[string, Date]>([
    ['an invalid date', new Date('not a date')],
    ['a five-digit year', new Date(Date.UTC(10000, 0, 1))],
    ['a negative year', new Date(Date.UTC(-1, 0, 1))]
  ])('refuses %s', (_name, date) => {
    expect(() => formatTimestamp(date)).toThrow(RangeError)
  })
})

describe('registrationBody', () => {
  it('matches the SPEC 4.5 vector byte for byte', () => {
    expect(registrationBody(RUNTIME_ID, TIMESTAMP, key)).toBe(REGISTRATION_BODY)
  })

  it('signs "{runtimeId}:{timestamp}" with keys in the required order', () => {
    const runtimeId = 'rt "quoted" \\ ✓'
    const body = registrationBody(runtimeId, TIMESTAMP, key)
    const parsed = JSON.parse(body) as Record<string, string>
    expect(Object.keys(parsed)).toEqual(['timestamp', 'signature'])
    expect(parsed.timestamp).toBe(TIMESTAMP)
    expect(
      sodium.crypto_sign_verify_detached(
        Buffer.from(parsed.signature ?? '', 'base64'),
        utf8(`${runtimeId}:${TIMESTAMP}`),
        key.publicKey
      )
    ).toBe(true)
  })
})

describe('agentAssertionHeader', () => {
  const input = { runtimeId: RUNTIME_ID, taskId: TASK_ID, timestamp: TIMESTAMP }

  it('matches the SPEC 4.5 header byte for byte', () => {
    expect(agentAssertionHeader({ ...input, key })).toBe(ASSERTION_HEADER)
  })

  it('carries the SPEC 4.5 assertion signature', () => {
    expect(
      headerPayload(agentAssertionHeader({ ...input, key })).signature
    ).toBe(ASSERTION_SIGNATURE)
  })

  it('is the same for the v1 and v2 forms of the key', () => {
    const v1 = parseAgentPrivateKey(PKCS8_V1_B64)
    expect(agentAssertionHeader({ ...input, key: v1 })).toBe(ASSERTION_HEADER)
  })

  it.each<[string, string, string]>([
    ['plain ids', 'agent-1', 'task-1'],
    ['quotes and backslashes', 'a"b\\c', 't"\\'],
    ['control characters', 'a\nb\tc', 't\u0001'],
    ['non-ASCII', 'agënt-✓', 'tâche-😀'],
    ['a colon inside the task id', 'agent', 'task:with:colons']
  ])(
    'escapes %s as JSON and signs "{runtime}:{task}:{ts}"',
    (_name, runtimeId, taskId) => {
      const payload = headerPayload(
        agentAssertionHeader({ runtimeId, taskId, timestamp: TIMESTAMP, key })
      )
      expect(Object.keys(payload)).toEqual([
        'agent_runtime_id',
        'signature',
        'task_id',
        'timestamp'
      ])
      expect(payload).toMatchObject({
        agent_runtime_id: runtimeId,
        task_id: taskId,
        timestamp: TIMESTAMP
      })
      expect(
        sodium.crypto_sign_verify_detached(
          Buffer.from(payload.signature ?? '', 'base64'),
          utf8(`${runtimeId}:${taskId}:${TIMESTAMP}`),
          key.publicKey
        )
      ).toBe(true)
    }
  )
})
