/**
 * The one JWT decoder of every credential kind (Agent Identity, ChatGPT id
 * and access tokens, refreshed id tokens). Nothing here verifies a
 * signature: that is `clients/jwks.ts`.
 *
 * jose decodes the parts. Codex is stricter than jose about their encoding
 * (jose takes padding and stray whitespace; Codex's decoder takes only
 * canonical unpadded base64url), so each part is held to that first: a token
 * Codex would drop must not pass here.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { decodeBase64Url } from '../crypto/base64.js'

/** A token that passed Codex's format check, its payload decoded. */
export interface DecodedJwt {
  /** The first part, still encoded (decoded only when verifying). */
  headerPart: string
  /** The decoded payload: a JSON object, not yet validated. */
  payload: Record<string, unknown>
  /** The third part; `''` only for an unsigned token. */
  signaturePart: string
}

/**
 * Codex's format check ("JWT-shaped"): exactly three `.`-separated parts, the
 * first two non-empty, the middle one canonical base64url without padding of
 * a UTF-8 JSON object. The signature part must be non-empty unless
 * `allowUnsigned`.
 *
 * @param token - the token, trimmed
 * @param allowUnsigned - accept an empty signature part
 * @returns the parts, or undefined when the token is not JWT-shaped
 */
export function decodeJwtParts(
  token: string,
  allowUnsigned = false
): DecodedJwt | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts
  if (headerPart === '' || payloadPart === '') return undefined
  if (signaturePart === '' && !allowUnsigned) return undefined
  if (decodeBase64Url(payloadPart) === null) return undefined
  try {
    return { headerPart, payload: decodeJwt(token), signaturePart }
  } catch {
    return undefined
  }
}

/**
 * The payload of a JWT-shaped token with a non-empty signature part.
 *
 * @returns the payload, or undefined when the token is not JWT-shaped
 */
export function decodeJwtPayload(
  token: string
): Record<string, unknown> | undefined {
  return decodeJwtParts(token)?.payload
}

/**
 * Decodes a JWT header part (canonical base64url of a JSON object).
 *
 * @param headerPart - the first part of a token
 * @returns the header, or undefined when it does not decode
 */
export function decodeJwtHeaderPart(
  headerPart: string
): Record<string, unknown> | undefined {
  if (headerPart === '' || decodeBase64Url(headerPart) === null) {
    return undefined
  }
  try {
    // The flattened form: jose reads the header without a whole token.
    return decodeProtectedHeader({ protected: headerPart })
  } catch {
    return undefined
  }
}
