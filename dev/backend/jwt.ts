import { sign, verify, type KeyObject } from 'node:crypto'

/** base64url without padding, as JWS segments use. */
export function base64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64url')
}

/**
 * Builds a compact JWS. With a key it signs RS256 (RSASSA-PKCS1-v1_5 over
 * SHA-256); with a literal `signature` it uses that text as the third part,
 * which is how unsigned, tampered and legacy tokens are made.
 */
export function encodeJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  signer: { key: KeyObject } | { signature: string }
): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(
    JSON.stringify(claims)
  )}`
  const signature =
    'key' in signer
      ? base64url(sign('sha256', Buffer.from(signingInput), signer.key))
      : signer.signature
  return `${signingInput}.${signature}`
}

/**
 * Applies overrides to a claim or header set: a value replaces the default,
 * `undefined` removes the entry, so tests can drop a required claim.
 */
export function applyOverrides(
  base: Record<string, unknown>,
  overrides: Record<string, unknown> | undefined
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base }
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) delete result[name]
    else result[name] = value
  }
  return result
}

/** A compact JWS split into its decoded parts. */
export interface DecodedJwt {
  header: Record<string, unknown>
  claims: Record<string, unknown>
  /** `header.payload`, the bytes the signature covers. */
  signingInput: string
  signature: Buffer
}

const SEGMENT = /^[A-Za-z0-9_-]+$/

/**
 * Splits and decodes a compact JWS strictly (three unpadded base64url
 * segments, JSON objects in the first two); `undefined` for anything else.
 * Nothing is verified here.
 */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) {
    return undefined
  }
  const [headerPart, claimsPart, signaturePart] = parts as [
    string,
    string,
    string
  ]
  const header = parseObject(headerPart)
  const claims = parseObject(claimsPart)
  if (!header || !claims) return undefined
  return {
    header,
    claims,
    signingInput: `${headerPart}.${claimsPart}`,
    signature: Buffer.from(signaturePart, 'base64url')
  }
}

/** True when an RS256 signature over the signing input checks out. */
export function verifyRs256(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  return verify(
    'sha256',
    Buffer.from(jwt.signingInput),
    publicKey,
    jwt.signature
  )
}

function parseObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(
      Buffer.from(segment, 'base64url').toString('utf8')
    )
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
