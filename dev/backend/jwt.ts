import { sign, type KeyObject } from 'node:crypto'

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
