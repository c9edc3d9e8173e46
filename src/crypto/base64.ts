/**
 * Strict base64 codecs.
 *
 * Node's `Buffer.from(text, 'base64')` silently skips characters it does not
 * know, accepts both alphabets and missing padding. Codex decodes keys and
 * encrypted task ids with a strict standard engine, and a later Codex drops a
 * key it cannot decode without saying so, so anything we accept here must be
 * exactly what Codex accepts. Every decoder returns `null` on invalid input;
 * callers turn that into their own user-facing message.
 *
 * Strictness comes from a round trip: Node's encoder only ever writes the one
 * canonical text for given bytes, so input that re-encodes to itself is
 * exactly the canonical encoding, and anything lenient decoding let through
 * (foreign characters, the other alphabet, wrong padding, stray trailing
 * bits) fails the comparison.
 */

/**
 * Decodes standard base64 (`+`, `/`, `=` padding required).
 *
 * Rejects the URL-safe alphabet, missing or extra padding, whitespace and
 * line breaks (so PEM armour and wrapped text), and non-canonical encodings
 * whose unused trailing bits are not zero.
 *
 * @param text - the encoded text, exactly as received (not trimmed)
 * @returns the decoded bytes, or `null` when `text` is not strict base64
 */
export function decodeBase64(text: string): Uint8Array | null {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.toString('base64') !== text) return null
  return new Uint8Array(bytes)
}

/**
 * Encodes bytes as standard base64 with padding.
 *
 * @param bytes - the bytes to encode
 * @returns the encoded text
 */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
    'base64'
  )
}

/**
 * Encodes bytes as base64url without padding (RFC 4648 section 5).
 *
 * @param bytes - the bytes to encode
 * @returns the encoded text
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
    'base64url'
  )
}

/**
 * Decodes base64url without padding (RFC 4648 section 5).
 *
 * Rejects padding, the standard alphabet's `+` and `/`, whitespace, lengths of
 * the form 4n+1 and non-canonical trailing bits.
 *
 * @param text - the encoded text, exactly as received (not trimmed)
 * @returns the decoded bytes, or `null` when `text` is not strict base64url
 */
export function decodeBase64Url(text: string): Uint8Array | null {
  const bytes = Buffer.from(text, 'base64url')
  if (bytes.toString('base64url') !== text) return null
  return new Uint8Array(bytes)
}
