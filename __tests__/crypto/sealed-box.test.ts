import { readFileSync, readdirSync } from 'node:fs'
import fc from 'fast-check'
import { parseAgentPrivateKey } from '../../src/crypto/agent-key.js'
import { CryptoError } from '../../src/crypto/errors.js'
import {
  openSealedTaskId,
  x25519FromAgentKey
} from '../../src/crypto/sealed-box.js'
import {
  ENCRYPTED_TASK_ID_NOT_BASE64,
  TASK_ID_DECRYPT_FAILED
} from '../../src/messages/agent-identity.js'
import { loadSodium, type SodiumApi } from './sodium.js'
import {
  PKCS8_V2_B64,
  V1_PREFIX_HEX,
  X25519_PUBLIC_HEX,
  X25519_SECRET_HEX,
  b64OfHex,
  hex
} from './vectors.js'

const key = parseAgentPrivateKey(PKCS8_V2_B64)
const otherKey = parseAgentPrivateKey(b64OfHex(V1_PREFIX_HEX, '42'.repeat(32)))

let sodium: SodiumApi
beforeAll(async () => {
  sodium = await loadSodium()
})

/** libsodium's crypto_box_seal to the agent key, as the server does it. */
function seal(
  plaintext: string | Uint8Array,
  recipient = key.publicKey
): Uint8Array {
  const x25519Public = sodium.crypto_sign_ed25519_pk_to_curve25519(recipient)
  return sodium.crypto_box_seal(plaintext, x25519Public)
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')

/** Asserts that opening throws a CryptoError carrying exactly `message`. */
function expectOpenError(input: string, message: string): void {
  let caught: unknown
  try {
    openSealedTaskId(input, key)
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(CryptoError)
  expect(caught).toMatchObject({ name: 'CryptoError', message })
}

describe('x25519FromAgentKey', () => {
  it('gives the SPEC 4.5 X25519 secret and public key', () => {
    const pair = x25519FromAgentKey(key)
    expect(hex(pair.secretKey)).toBe(X25519_SECRET_HEX)
    expect(hex(pair.publicKey)).toBe(X25519_PUBLIC_HEX)
  })

  it('agrees with libsodium for any seed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const edPair = sodium.crypto_sign_seed_keypair(seed)
        const agentKey = parseAgentPrivateKey(
          b64OfHex(V1_PREFIX_HEX, hex(seed))
        )
        const pair = x25519FromAgentKey(agentKey)
        expect(hex(pair.secretKey)).toBe(
          hex(sodium.crypto_sign_ed25519_sk_to_curve25519(edPair.privateKey))
        )
        expect(hex(pair.publicKey)).toBe(
          hex(sodium.crypto_sign_ed25519_pk_to_curve25519(edPair.publicKey))
        )
      }),
      { numRuns: 25 }
    )
  })
})

describe('openSealedTaskId', () => {
  it.each([
    ['a plain task id', 'task-123'],
    ['an empty plaintext', ''],
    ['multi-byte UTF-8', 'tâche-✓-😀'],
    ['a leading byte order mark, kept', '\uFEFFtask'],
    ['a long id', 'x'.repeat(5000)]
  ])('opens a libsodium box holding %s', (_name, plaintext) => {
    expect(openSealedTaskId(b64(seal(plaintext)), key)).toBe(plaintext)
  })

  it('opens boxes for any key and any UTF-8 text', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.string({ unit: 'grapheme' }),
        (seed, plaintext) => {
          const agentKey = parseAgentPrivateKey(
            b64OfHex(V1_PREFIX_HEX, hex(seed))
          )
          const box = seal(plaintext, agentKey.publicKey)
          expect(openSealedTaskId(b64(box), agentKey)).toBe(plaintext)
        }
      ),
      { numRuns: 25 }
    )
  })

  it('fails for a box sealed to another key', () => {
    expectOpenError(
      b64(seal('task-123', otherKey.publicKey)),
      TASK_ID_DECRYPT_FAILED
    )
  })

  it('fails for the right box opened with another key', () => {
    expect(() => openSealedTaskId(b64(seal('task-123')), otherKey)).toThrow(
      TASK_ID_DECRYPT_FAILED
    )
  })

  // Layout: ephemeral public key [0, 32), Poly1305 tag [32, 48), ciphertext.
  it.each<[string, (box: Uint8Array) => Uint8Array]>([
    ['first ephemeral key byte flipped', (box) => flip(box, 0)],
    ['last ephemeral key byte flipped', (box) => flip(box, 31)],
    ['first tag byte flipped', (box) => flip(box, 32)],
    ['last tag byte flipped', (box) => flip(box, 47)],
    ['first ciphertext byte flipped', (box) => flip(box, 48)],
    ['last ciphertext byte flipped', (box) => flip(box, box.length - 1)],
    ['a byte appended', (box) => Uint8Array.from([...box, 0])],
    ['the last byte removed', (box) => box.subarray(0, -1)],
    ['only the 48-byte header kept', (box) => box.subarray(0, 48)],
    ['shorter than the header', (box) => box.subarray(0, 47)],
    ['nothing at all', () => new Uint8Array(0)],
    ['an all-zero (low-order) ephemeral key', (box) => zeroKey(box)],
    ['a low-order ephemeral key of order 4 (u = 1)', (box) => oneKey(box)]
  ])('fails for a box with %s', (_name, tamper) => {
    expectOpenError(b64(tamper(seal('task-123'))), TASK_ID_DECRYPT_FAILED)
  })

  it.each<[string, number[]]>([
    ['an invalid continuation byte', [0x74, 0xc3, 0x28]],
    ['a lone 0xff', [0xff]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a truncated sequence', [0x74, 0xe2, 0x9c]]
  ])('fails for a plaintext with %s (not UTF-8)', (_name, plaintext) => {
    expectOpenError(
      b64(seal(Uint8Array.from(plaintext))),
      TASK_ID_DECRYPT_FAILED
    )
  })

  it.each<[string, (text: string) => string]>([
    ['the URL-safe alphabet', (t) => `-${t.slice(1)}`],
    ['padding removed', (t) => t.replace(/=+$/, '')],
    ['a trailing newline', (t) => `${t}\n`],
    ['a leading space', (t) => ` ${t}`],
    ['lines wrapped at 40 columns', (t) => t.replace(/(.{40})/g, '$1\n')],
    ['prose', () => 'not base64!']
  ])('reports text with %s as not base64', (_name, mangle) => {
    // 'task-123' seals to 56 bytes, so the text ends in one '='.
    const text = b64(seal('task-123'))
    expect(text).toMatch(/[^=]=$/)
    expectOpenError(mangle(text), ENCRYPTED_TASK_ID_NOT_BASE64)
  })
})

describe('module boundaries', () => {
  // Modes that never see an encrypted task id must not load the noble
  // libraries: only the lazily imported sealed-box module may use them.
  const dir = new URL('../../src/crypto/', import.meta.url)
  it.each(readdirSync(dir).filter((f) => f !== 'sealed-box.ts'))(
    '%s does not import @noble',
    (file) => {
      expect(readFileSync(new URL(file, dir), 'utf8')).not.toMatch(/@noble\//)
    }
  )
})

function flip(box: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(box)
  copy[index] = (copy[index] ?? 0) ^ 0x01
  return copy
}

function zeroKey(box: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(box)
  copy.fill(0, 0, 32)
  return copy
}

/** The ephemeral key replaced by u = 1 (little-endian), another low-order point. */
function oneKey(box: Uint8Array): Uint8Array {
  const copy = zeroKey(box)
  copy[0] = 1
  return copy
}
