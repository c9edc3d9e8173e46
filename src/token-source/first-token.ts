/**
 * The helper's first token, which the main step mints (it has the HTTP
 * client and the OIDC code loaded already) and hands over through the
 * helper's stdin: one JSON object, then the end of the stream. Never argv or
 * the environment, which other processes may read.
 */
import type { Token } from './supply.js'

/** More than a token (16 KiB at most) and its time could ever need. */
const MAX_BYTES = 64 * 1024

/** What the main step writes to the helper's stdin. */
export function encodeFirstToken(token: Token): string {
  return JSON.stringify({ value: token.value, mintedAt: token.mintedAt })
}

/**
 * Reads the first token from `input` (the helper's stdin) to its end.
 *
 * @throws Error (no token in the text) when the stream ends without one
 */
export function readFirstToken(input: NodeJS.ReadableStream): Promise<Token> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const fail = (why: string): void => {
      input.removeAllListeners('data')
      reject(new Error(why))
    }
    input.on('data', (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += buffer.length
      if (size > MAX_BYTES) fail('first token too long')
      else chunks.push(buffer)
    })
    input.once('error', (err: Error) => fail(`stdin: ${err.message}`))
    input.once('end', () => {
      if (size > MAX_BYTES) return
      const token = parseFirstToken(Buffer.concat(chunks).toString('utf8'))
      if (token === undefined) fail('no first token on stdin')
      else resolve(token)
    })
  })
}

function parseFirstToken(text: string): Token | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { value: token, mintedAt } = value as Record<string, unknown>
  if (typeof token !== 'string' || token === '') return undefined
  if (typeof mintedAt !== 'number' || !Number.isFinite(mintedAt)) {
    return undefined
  }
  return { value: token, mintedAt }
}
