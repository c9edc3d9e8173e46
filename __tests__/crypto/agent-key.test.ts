import { createPublicKey, verify } from 'node:crypto'
import fc from 'fast-check'
import {
  encodeAgentPrivateKey,
  parseAgentPrivateKey,
  signEd25519
} from '../../src/crypto/agent-key.js'
import { CryptoError } from '../../src/crypto/errors.js'
import {
  KEY_NOT_BASE64,
  KEY_NOT_PKCS8
} from '../../src/messages/agent-identity.js'
import { loadSodium, type SodiumApi } from './sodium.js'
import {
  PKCS8_V1_B64,
  PKCS8_V2_B64,
  PUBLIC_KEY_HEX,
  SEED,
  V1_PREFIX_HEX,
  V2_PREFIX_HEX,
  V2_PUBLIC_KEY_TAG_HEX,
  b64OfHex,
  hex
} from './vectors.js'

const SEED_HEX = hex(SEED)
const OTHER_SEED_HEX = '11'.repeat(32)

let sodium: SodiumApi
beforeAll(async () => {
  sodium = await loadSodium()
})

/** Asserts that parsing throws a CryptoError carrying exactly `message`. */
function expectParseError(input: string, message: string): void {
  let caught: unknown
  try {
    parseAgentPrivateKey(input)
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(CryptoError)
  expect(caught).toMatchObject({ name: 'CryptoError', message })
}

describe('parseAgentPrivateKey', () => {
  it.each([
    ['PKCS#8 v1', PKCS8_V1_B64],
    ['PKCS#8 v2', PKCS8_V2_B64]
  ])('reads the SPEC 4.5 %s key', (_name, b64) => {
    const key = parseAgentPrivateKey(b64)
    expect(hex(key.seed)).toBe(SEED_HEX)
    expect(hex(key.publicKey)).toBe(PUBLIC_KEY_HEX)
  })

  it('reads a v2 key built by libsodium for any seed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const pair = sodium.crypto_sign_seed_keypair(seed)
        const v2 = b64OfHex(
          V2_PREFIX_HEX,
          hex(seed),
          V2_PUBLIC_KEY_TAG_HEX,
          hex(pair.publicKey)
        )
        const key = parseAgentPrivateKey(v2)
        expect(hex(key.seed)).toBe(hex(seed))
        expect(hex(key.publicKey)).toBe(hex(pair.publicKey))
      }),
      { numRuns: 50 }
    )
  })

  it('keeps the seed out of JSON and default inspection', () => {
    const key = parseAgentPrivateKey(PKCS8_V1_B64)
    expect(Object.keys(key)).not.toContain('seed')
    expect(JSON.stringify(key)).not.toContain('"seed"')
  })

  // Codex decodes with a strict standard engine; anything else is "not base64".
  const v2Bytes = Buffer.from(PKCS8_V2_B64, 'base64')
  it.each<[string, string]>([
    ['the base64url alphabet', v2Bytes.toString('base64url') + '='],
    ['base64url without padding', v2Bytes.toString('base64url')],
    ['missing padding', PKCS8_V2_B64.replace(/=+$/, '')],
    [
      'PEM armour',
      `-----BEGIN PRIVATE KEY-----\n${PKCS8_V1_B64}\n-----END PRIVATE KEY-----\n`
    ],
    ['a trailing newline', `${PKCS8_V1_B64}\n`],
    ['a leading space', ` ${PKCS8_V1_B64}`],
    ['lines wrapped at 64 columns', PKCS8_V2_B64.replace(/(.{64})/g, '$1\n')],
    ['non-zero trailing bits', PKCS8_V2_B64.replace(/w=$/, 'x=')],
    ['a JSON-quoted value', JSON.stringify(PKCS8_V1_B64)]
  ])('rejects %s as not base64', (_name, input) => {
    expectParseError(input, KEY_NOT_BASE64)
  })

  const otherPublic = (): string =>
    hex(
      sodium.crypto_sign_seed_keypair(Buffer.from(OTHER_SEED_HEX, 'hex'))
        .publicKey
    )
  const flipLastByte = (h: string): string =>
    h.slice(0, -2) +
    (parseInt(h.slice(-2), 16) ^ 1).toString(16).padStart(2, '0')

  it.each<[string, () => string]>([
    ['empty input', () => ''],
    ['a raw 32-byte seed', () => b64OfHex(SEED_HEX)],
    [
      'a raw 64-byte libsodium secret key',
      () => b64OfHex(SEED_HEX, PUBLIC_KEY_HEX)
    ],
    [
      'the DER written as hex text',
      () => Buffer.from(V1_PREFIX_HEX + SEED_HEX).toString('base64')
    ],
    ['v1 one byte short', () => b64OfHex(V1_PREFIX_HEX, SEED_HEX.slice(2))],
    ['v1 one byte long', () => b64OfHex(V1_PREFIX_HEX, SEED_HEX, '00')],
    [
      'v1 with version 1',
      () => b64OfHex(V2_PREFIX_HEX.replace('3051', '302e'), SEED_HEX)
    ],
    [
      'v1 with the X25519 OID',
      () => b64OfHex(V1_PREFIX_HEX.replace('2b6570', '2b656e'), SEED_HEX)
    ],
    [
      'v2 with version 0',
      () =>
        b64OfHex(
          V1_PREFIX_HEX.replace('302e', '3051'),
          SEED_HEX,
          V2_PUBLIC_KEY_TAG_HEX,
          PUBLIC_KEY_HEX
        )
    ],
    [
      'v2 with a wrong public key tag',
      () => b64OfHex(V2_PREFIX_HEX, SEED_HEX, '802100', PUBLIC_KEY_HEX)
    ],
    [
      'v2 one byte short',
      () =>
        b64OfHex(
          V2_PREFIX_HEX,
          SEED_HEX,
          V2_PUBLIC_KEY_TAG_HEX,
          PUBLIC_KEY_HEX.slice(2)
        )
    ],
    [
      "v2 with another key's public key",
      () =>
        b64OfHex(V2_PREFIX_HEX, SEED_HEX, V2_PUBLIC_KEY_TAG_HEX, otherPublic())
    ],
    [
      'v2 with one public key bit flipped',
      () =>
        b64OfHex(
          V2_PREFIX_HEX,
          SEED_HEX,
          V2_PUBLIC_KEY_TAG_HEX,
          flipLastByte(PUBLIC_KEY_HEX)
        )
    ]
  ])('rejects %s as not PKCS#8', (_name, build) => {
    expectParseError(build(), KEY_NOT_PKCS8)
  })
})

describe('encodeAgentPrivateKey', () => {
  it('writes the SPEC 4.5 v1 form', () => {
    expect(encodeAgentPrivateKey(SEED)).toBe(PKCS8_V1_B64)
  })

  it('rewrites a v2 key as v1 for priming', () => {
    expect(encodeAgentPrivateKey(parseAgentPrivateKey(PKCS8_V2_B64).seed)).toBe(
      PKCS8_V1_B64
    )
  })

  it('round-trips any seed through parseAgentPrivateKey', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const encoded = encodeAgentPrivateKey(seed)
        expect(encoded).toMatch(/^[A-Za-z0-9+/]{64}$/)
        expect(parseAgentPrivateKey(encoded).seed).toEqual(seed)
      }),
      { numRuns: 50 }
    )
  })

  it.each([0, 31, 33, 64])('refuses a %i-byte seed', (length) => {
    expect(() => encodeAgentPrivateKey(new Uint8Array(length))).toThrow(
      RangeError
    )
  })
})

describe('signEd25519', () => {
  it('matches libsodium byte for byte and verifies under both', () => {
    const key = parseAgentPrivateKey(PKCS8_V2_B64)
    const message = new TextEncoder().encode('agent-123:2026-01-01T00:00:00Z')
    const signature = signEd25519(key, message)
    const reference = sodium.crypto_sign_seed_keypair(SEED)
    expect(hex(signature)).toBe(
      hex(sodium.crypto_sign_detached(message, reference.privateKey))
    )
    expect(
      sodium.crypto_sign_verify_detached(signature, message, key.publicKey)
    ).toBe(true)
    expect(
      verify(null, message, createPublicKey(key.privateKey), signature)
    ).toBe(true)
  })

  it.each(['ascii', 'tâche-✓', '😀', ''])(
    'signs the string %j as its UTF-8 bytes',
    (message) => {
      const key = parseAgentPrivateKey(PKCS8_V1_B64)
      expect(signEd25519(key, message)).toEqual(
        signEd25519(key, new TextEncoder().encode(message))
      )
    }
  )

  it('gives the same signature for the v1 and v2 forms of a key', () => {
    const v1 = parseAgentPrivateKey(PKCS8_V1_B64)
    const v2 = parseAgentPrivateKey(PKCS8_V2_B64)
    expect(signEd25519(v1, 'm')).toEqual(signEd25519(v2, 'm'))
  })
})
