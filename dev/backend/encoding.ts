const STANDARD_BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const BASE64URL_NO_PAD = /^[A-Za-z0-9_-]*$/
const RFC3339_WHOLE_SECONDS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

/**
 * Decodes strict standard base64 with padding; `undefined` for anything else
 * (base64url, missing padding, whitespace), because Buffer's decoder accepts
 * all of those silently and would hide a client bug.
 */
export function decodeStandardBase64(text: string): Buffer | undefined {
  return STANDARD_BASE64.test(text) ? Buffer.from(text, 'base64') : undefined
}

/** Decodes strict base64url without padding; `undefined` otherwise. */
export function decodeBase64UrlNoPad(text: string): Buffer | undefined {
  if (!BASE64URL_NO_PAD.test(text) || text.length % 4 === 1) return undefined
  return Buffer.from(text, 'base64url')
}

/**
 * Epoch milliseconds of a UTC RFC 3339 timestamp with whole seconds and `Z`
 * (`2026-08-22T05:54:43Z`); `undefined` for other forms or impossible dates.
 */
export function parseWholeSecondTimestamp(text: string): number | undefined {
  if (!RFC3339_WHOLE_SECONDS_Z.test(text)) return undefined
  const ms = Date.parse(text)
  // Date.parse rolls 2026-02-30 over to March; a round trip catches it.
  if (Number.isNaN(ms) || formatWholeSecondTimestamp(ms) !== text) {
    return undefined
  }
  return ms
}

/** The RFC 3339 whole-second `Z` form of an instant. */
export function formatWholeSecondTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z')
}
