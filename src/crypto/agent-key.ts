/**
 * The agent identity's Ed25519 key: strict parsing of the stored PKCS#8 form,
 * re-encoding for priming, and signing.
 *
 * Only node:crypto is used here, so every mode that signs (registration, the
 * AgentAssertion header) starts without loading the sealed-box libraries.
 */
import {
  createPrivateKey,
  createPublicKey,
  sign,
  timingSafeEqual,
  type KeyObject
} from 'node:crypto'
import { KEY_NOT_BASE64, KEY_NOT_PKCS8 } from '../messages/agent-identity.js'
import { decodeBase64, decodeBase64Url, encodeBase64 } from './base64.js'
import { CryptoError } from './errors.js'

/** An Ed25519 agent key, ready to sign. */
export interface AgentKey {
  /**
   * The 32-byte RFC 8032 secret seed. Not enumerable, so logging or
   * JSON-serialising the key by mistake does not print it.
   */
  readonly seed: Uint8Array
  /** The 32-byte Ed25519 public key derived from `seed`. */
  readonly publicKey: Uint8Array
  /** node:crypto handle for `seed`, imported once so each signature is cheap. */
  readonly privateKey: KeyObject
}

const SEED_LENGTH = 32

// PKCS#8 v1 (RFC 8410): SEQUENCE { INTEGER 0, AlgorithmIdentifier { 1.3.101.112 },
// OCTET STRING { OCTET STRING seed } }.
const V1_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const V1_LENGTH = V1_PREFIX.length + SEED_LENGTH // 48

// PKCS#8 v2 (RFC 5958 OneAsymmetricKey), as Codex writes it: version 1 and the
// public key appended as [1] IMPLICIT BIT STRING with no unused bits.
const V2_PREFIX = Buffer.from('3051020101300506032b657004220420', 'hex')
const V2_PUBLIC_KEY_TAG = Buffer.from('812100', 'hex')
const V2_PUBLIC_KEY_OFFSET = V1_LENGTH + V2_PUBLIC_KEY_TAG.length // 51
const V2_LENGTH = V2_PUBLIC_KEY_OFFSET + SEED_LENGTH // 83

/**
 * Parses the identity's `agent_private_key`: standard padded base64 of an
 * Ed25519 PKCS#8 key in exactly the 48-byte v1 or the 83-byte v2 form.
 *
 * The key is rebuilt from the seed rather than handed to node:crypto as
 * received, because Node 20 refuses v2 while Node 24 accepts it; for v2 the
 * embedded public key must match the seed.
 *
 * @param b64 - the stored key text, exactly as received
 * @returns the parsed key
 * @throws {@link CryptoError} with `KEY_NOT_BASE64` when the text is not strict
 *   standard base64, or `KEY_NOT_PKCS8` for anything else that is wrong
 */
export function parseAgentPrivateKey(b64: string): AgentKey {
  const der = decodeBase64(b64)
  if (der === null) throw new CryptoError(KEY_NOT_BASE64)
  try {
    const seed = seedFromPkcs8(der)
    if (seed === null) throw new CryptoError(KEY_NOT_PKCS8)
    const key = agentKeyFromSeed(seed)
    if (der.length === V2_LENGTH) {
      const embedded = der.subarray(V2_PUBLIC_KEY_OFFSET)
      // A v2 key whose halves disagree is corrupt; signing with it would only
      // fail later, at the server, with a less helpful error.
      if (!timingSafeEqual(embedded, key.publicKey)) {
        throw new CryptoError(KEY_NOT_PKCS8)
      }
    }
    return key
  } finally {
    der.fill(0)
  }
}

/**
 * Encodes a seed as the standard padded base64 of its PKCS#8 v1 form, the
 * strict shape every Codex version reads back.
 *
 * @param seed - the 32-byte Ed25519 seed
 * @returns the text to store as `agent_private_key`
 * @throws RangeError when `seed` is not 32 bytes (a programming error)
 */
export function encodeAgentPrivateKey(seed: Uint8Array): string {
  if (seed.length !== SEED_LENGTH) {
    throw new RangeError(
      `Ed25519 seed must be ${SEED_LENGTH} bytes, got ${seed.length}`
    )
  }
  const der = v1Der(seed)
  try {
    return encodeBase64(der)
  } finally {
    der.fill(0)
  }
}

/**
 * Signs a message with Ed25519 (RFC 8032, pure, no context).
 *
 * @param key - the agent key
 * @param message - the bytes to sign; a string is signed as its UTF-8 bytes
 * @returns the 64-byte signature
 */
export function signEd25519(
  key: AgentKey,
  message: Uint8Array | string
): Uint8Array {
  const data =
    typeof message === 'string' ? Buffer.from(message, 'utf8') : message
  return new Uint8Array(sign(null, data, key.privateKey))
}

/** The seed (a fresh copy) of a v1 or v2 key, or null for any other shape. */
function seedFromPkcs8(der: Uint8Array): Uint8Array | null {
  const prefix = der.subarray(0, V1_PREFIX.length)
  if (der.length === V1_LENGTH) {
    if (!V1_PREFIX.equals(prefix)) return null
  } else if (der.length === V2_LENGTH) {
    if (!V2_PREFIX.equals(prefix)) return null
    const tag = der.subarray(V1_LENGTH, V2_PUBLIC_KEY_OFFSET)
    if (!V2_PUBLIC_KEY_TAG.equals(tag)) return null
  } else {
    return null
  }
  return der.slice(V1_PREFIX.length, V1_LENGTH)
}

function v1Der(seed: Uint8Array): Buffer {
  return Buffer.concat([V1_PREFIX, seed])
}

function agentKeyFromSeed(seed: Uint8Array): AgentKey {
  const der = v1Der(seed)
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
  } catch (cause) {
    throw new CryptoError(KEY_NOT_PKCS8, { cause })
  } finally {
    der.fill(0)
  }
  const x = createPublicKey(privateKey).export({ format: 'jwk' }).x
  const publicKey = x === undefined ? null : decodeBase64Url(x)
  if (publicKey === null || publicKey.length !== SEED_LENGTH) {
    throw new CryptoError(KEY_NOT_PKCS8)
  }
  const key = { publicKey, privateKey }
  Object.defineProperty(key, 'seed', { value: seed, enumerable: false })
  return Object.freeze(key) as AgentKey
}
