import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** `kid` of the fixture RSA key the backend publishes in its JWKS. */
export const JWKS_KEY_ID = 'dev-backend-rs256-2026'
/** `kid` of the GitHub Actions OIDC service's fixture RSA key. */
export const GITHUB_OIDC_KEY_ID = 'dev-backend-github-oidc-rs256-2026'

// DER prefixes for Ed25519 keys (RFC 8410). Building keys from raw bytes
// keeps seeds deterministic and avoids Node 20 refusing the PKCS#8 v2 form.
const PKCS8_V1_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const PKCS8_V2_PREFIX = Buffer.from('3051020101300506032b657004220420', 'hex')
const PKCS8_V2_PUBLIC_TAG = Buffer.from('812100', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** Absolute path of a file in `dev/backend/fixtures/`. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
}

/** Text of a file in `dev/backend/fixtures/`. */
export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8')
}

let trustedKey: KeyObject | undefined
let untrustedKey: KeyObject | undefined
let githubOidcKey: KeyObject | undefined

/** The RSA key whose public half the backend serves as its JWKS. */
export function jwksSigningKey(): KeyObject {
  trustedKey ??= createPrivateKey(readFixture('jwks-signing-key.pem'))
  return trustedKey
}

/**
 * An RSA key the backend never publishes: a JWT signed with it must fail
 * verification even when it carries the trusted `kid`.
 */
export function untrustedSigningKey(): KeyObject {
  untrustedKey ??= createPrivateKey(readFixture('untrusted-signing-key.pem'))
  return untrustedKey
}

/** The RSA key the GitHub Actions OIDC service signs its tokens with. */
export function githubOidcSigningKey(): KeyObject {
  githubOidcKey ??= createPrivateKey(readFixture('github-oidc-signing-key.pem'))
  return githubOidcKey
}

/** An Ed25519 agent key in every form the tests and the protocol need. */
export interface AgentKeyPair {
  /** The 32-byte seed (private scalar source). */
  seed: Buffer
  /** The 32-byte raw public key. */
  publicKeyRaw: Buffer
  privateKey: KeyObject
  publicKey: KeyObject
  /** 48-byte PKCS#8 v1 DER. */
  pkcs8V1: Buffer
  /** 83-byte PKCS#8 v2 DER (seed plus public key), the form Codex writes. */
  pkcs8V2: Buffer
}

/** Builds an Ed25519 key pair from a 32-byte seed. */
export function agentKeyFromSeed(seed: Uint8Array): AgentKeyPair {
  if (seed.length !== 32) {
    throw new Error(`Ed25519 seed must be 32 bytes, got ${seed.length}`)
  }
  const seedBuf = Buffer.from(seed)
  const pkcs8V1 = Buffer.concat([PKCS8_V1_PREFIX, seedBuf])
  const privateKey = createPrivateKey({
    key: pkcs8V1,
    format: 'der',
    type: 'pkcs8'
  })
  const publicKey = createPublicKey(privateKey)
  const spki = publicKey.export({ format: 'der', type: 'spki' })
  const publicKeyRaw = Buffer.from(spki.subarray(spki.length - 32))
  const pkcs8V2 = Buffer.concat([
    PKCS8_V2_PREFIX,
    seedBuf,
    PKCS8_V2_PUBLIC_TAG,
    publicKeyRaw
  ])
  return {
    seed: seedBuf,
    publicKeyRaw,
    privateKey,
    publicKey,
    pkcs8V1,
    pkcs8V2
  }
}

/** An Ed25519 public key object from its 32 raw bytes. */
export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(raw)]),
    format: 'der',
    type: 'spki'
  })
}
