/**
 * Opens the `encrypted_task_id` of a task registration response: a libsodium
 * sealed box (`crypto_box_seal`) addressed to the X25519 form of the agent key.
 *
 * The X25519 part is node:crypto's. Node's crypto has neither XSalsa20 nor
 * BLAKE2b with a 24-byte output, so those come from the audited,
 * dependency-free noble libraries. This is the only module that imports them:
 * load it lazily (task registration starts loading it while its request is in
 * flight), and runs that register no task never pay for them.
 */
import { hsalsa, xsalsa20poly1305 } from '@noble/ciphers/salsa.js'
import { blake2b } from '@noble/hashes/blake2.js'
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  type KeyObject
} from 'node:crypto'
import {
  ENCRYPTED_TASK_ID_NOT_BASE64,
  TASK_ID_DECRYPT_FAILED
} from '../messages/agent-identity.js'
import type { AgentKey } from './agent-key.js'
import { decodeBase64, decodeBase64Url } from './base64.js'
import { CryptoError } from './errors.js'

/** An X25519 key pair, 32 bytes each. */
export interface X25519KeyPair {
  /** The clamped scalar. */
  readonly secretKey: Uint8Array
  /** The Montgomery u-coordinate. */
  readonly publicKey: Uint8Array
}

const KEY_LENGTH = 32
const NONCE_LENGTH = 24
const TAG_LENGTH = 16
// Ephemeral public key, then the Poly1305 tag of the (possibly empty) box.
const SEAL_OVERHEAD = KEY_LENGTH + TAG_LENGTH

// hsalsa takes native-endian word views over the byte strings (it swaps on
// big-endian hosts itself), hence views rather than numeric constants.
const SIGMA = new Uint32Array(
  new TextEncoder().encode('expand 32-byte k').buffer
)
// crypto_box_beforenm runs HSalsa20 with an all-zero 16-byte input.
const ZERO_INPUT = new Uint32Array(4)

// RFC 8410 DER around a raw X25519 secret (OID 1.3.101.110): PKCS#8 v1 with
// the 32-byte secret last.
const X25519_PKCS8_PREFIX = Buffer.from(
  '302e020100300506032b656e04220420',
  'hex'
)

// fatal: a task id that is not UTF-8 is rejected as Codex does, not patched
// with U+FFFD; ignoreBOM: a leading BOM is kept, as Rust's from_utf8 keeps it.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * Derives the X25519 key pair a sealed box for this agent key is addressed
 * to: secret = clamp(SHA-512(seed)[0..32]), public = X25519(secret, 9), which
 * is the Montgomery form of the Ed25519 public key (libsodium's
 * `crypto_sign_ed25519_*_to_curve25519`): both are the same scalar times the
 * same base point.
 *
 * @param key - the agent key
 * @returns the recipient key pair; the caller should wipe `secretKey`
 */
export function x25519FromAgentKey(key: AgentKey): X25519KeyPair {
  return recipientOf(key).pair
}

/** The pair, and node:crypto's handle for its secret. */
function recipientOf(key: AgentKey): {
  pair: X25519KeyPair
  privateKey: KeyObject
} {
  const digest = createHash('sha512').update(key.seed).digest()
  const secretKey = new Uint8Array(digest.subarray(0, KEY_LENGTH))
  digest.fill(0)
  secretKey[0]! &= 248
  secretKey[31]! &= 127
  secretKey[31]! |= 64
  // DER, not JWK: a Buffer can be wiped, a base64url string cannot.
  const der = Buffer.concat([X25519_PKCS8_PREFIX, secretKey])
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
  } finally {
    der.fill(0)
  }
  // X25519(secret, 9), the Montgomery form of the Ed25519 public key.
  const x = createPublicKey(privateKey).export({ format: 'jwk' }).x
  const publicKey = x === undefined ? null : decodeBase64Url(x)
  if (publicKey === null || publicKey.length !== KEY_LENGTH) {
    throw new Error('node:crypto returned no X25519 public key')
  }
  return { pair: { secretKey, publicKey }, privateKey }
}

/**
 * Decrypts an `encrypted_task_id`: standard base64 of
 * `crypto_box_seal(taskId, x25519FromAgentKey(key).publicKey)`.
 *
 * @param encryptedB64 - the field's text, exactly as received
 * @param key - the agent key the box is addressed to
 * @returns the task id
 * @throws {@link CryptoError} with `ENCRYPTED_TASK_ID_NOT_BASE64` when the text
 *   is not strict standard base64, or `TASK_ID_DECRYPT_FAILED` when the box
 *   does not open with this key or its plaintext is not UTF-8
 */
export function openSealedTaskId(encryptedB64: string, key: AgentKey): string {
  const sealed = decodeBase64(encryptedB64)
  if (sealed === null) throw new CryptoError(ENCRYPTED_TASK_ID_NOT_BASE64)
  try {
    return UTF8.decode(openSealedBox(sealed, key))
  } catch (cause) {
    // One message for every failure: which check failed is no use to the
    // user and would tell a prober more than it needs.
    throw new CryptoError(TASK_ID_DECRYPT_FAILED, { cause })
  }
}

/** libsodium `crypto_box_seal_open`; throws when the box does not open. */
function openSealedBox(sealed: Uint8Array, key: AgentKey): Uint8Array {
  if (sealed.length < SEAL_OVERHEAD) throw new Error('sealed box too short')
  const ephemeralPublic = sealed.subarray(0, KEY_LENGTH)
  const { pair: recipient, privateKey } = recipientOf(key)
  let shared: Uint8Array | undefined
  let boxKey: Uint8Array | undefined
  try {
    shared = diffieHellman({
      privateKey,
      // A public JWK needs no DER decoder: measurably cheaper in OpenSSL 3.
      publicKey: createPublicKey({
        key: {
          kty: 'OKP',
          crv: 'X25519',
          x: Buffer.from(ephemeralPublic).toString('base64url')
        },
        format: 'jwk'
      })
    })
    // A low-order ephemeral key gives an all-zero secret (OpenSSL may
    // already refuse it); libsodium's crypto_scalarmult fails there too.
    if (shared.every((byte) => byte === 0)) {
      throw new Error('low-order ephemeral key')
    }
    boxKey = hsalsa20(shared)
    const nonce = blake2b
      .create({ dkLen: NONCE_LENGTH })
      .update(ephemeralPublic)
      .update(recipient.publicKey)
      .digest()
    return xsalsa20poly1305(boxKey, nonce).decrypt(sealed.subarray(KEY_LENGTH))
  } finally {
    recipient.secretKey.fill(0)
    shared?.fill(0)
    boxKey?.fill(0)
  }
}

/** HSalsa20(shared, 0^16): libsodium `crypto_box_beforenm` after the DH. */
function hsalsa20(shared: Uint8Array): Uint8Array {
  // A fresh buffer guarantees the 4-byte alignment a word view needs.
  const input = new Uint8Array(KEY_LENGTH)
  input.set(shared)
  const out = new Uint32Array(KEY_LENGTH / 4)
  hsalsa(SIGMA, new Uint32Array(input.buffer), ZERO_INPUT, out)
  input.fill(0)
  return new Uint8Array(out.buffer)
}
