/**
 * How several topics' texts are put together: pieces, not messages (the
 * texts built from them are checked against docs/TROUBLESHOOTING.md).
 */

/** `500 Internal Server Error`, or just `599` for a code with no phrase. */
export const statusLine = (status: number, reason: string): string =>
  reason === '' ? String(status) : `${status} ${reason}`

/**
 * Ours: a server value longer than this action keeps or exports. Cutting it
 * would hand on a different value, and an unbounded one ends up in env vars
 * that make every later process fail to start (E2BIG).
 */
export const serverValueTooLong = (
  reply: string,
  field: string,
  length: number,
  max: number,
  setting: string
): string =>
  `${reply}: ${field} is ${length} characters long, over the limit of ${max}; refusing to use it rather than cut it. Check ${setting}.`

/** A failure message ended as a sentence, for text that follows it. */
export const sentence = (message: string): string =>
  /[.!?]$/.test(message) ? message : `${message}.`
