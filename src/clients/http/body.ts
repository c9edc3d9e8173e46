/**
 * The body cap: a response body is read from the stream, never buffered
 * whole, and reading stops at {@link MAX_BODY_BYTES}.
 */
import { StringDecoder } from 'node:string_decoder'
import type { HttpClientResponse } from '@actions/http-client'
import { IncompleteBodyError } from './errors.js'

/** Most bytes of a response body that are read; the rest is never received. */
export const MAX_BODY_BYTES = 1024 * 1024

/** The response stream http-client hands over. */
export type ResponseStream = HttpClientResponse['message']

/**
 * Reads at most {@link MAX_BODY_BYTES}; past that it stops and destroys the
 * response (and with it the socket), so a runaway body costs neither memory
 * nor time.
 *
 * @throws IncompleteBodyError when the body stops before its end
 */
export function readCappedBody(
  message: ResponseStream
): Promise<{ body: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const finish = (truncated: boolean): void => {
      settled = true
      const bytes = Buffer.concat(chunks)
      if (!truncated) {
        resolve({ body: bytes.toString('utf8'), truncated })
        return
      }
      // Without end(), the decoder holds back a character cut at the cap
      // instead of turning it into U+FFFD.
      resolve({ body: new StringDecoder('utf8').write(bytes), truncated })
    }
    const fail = (err: Error): void => {
      if (settled) return
      settled = true
      reject(err)
    }

    message.on('data', (chunk: Buffer) => {
      if (settled) return
      const room = MAX_BODY_BYTES - size
      if (chunk.length <= room) {
        chunks.push(chunk)
        size += chunk.length
        return
      }
      chunks.push(chunk.subarray(0, room))
      size += room
      finish(true)
      message.destroy()
    })
    message.on('end', () => {
      if (!settled) finish(false)
    })
    // Whatever the socket reports (Node says `aborted` / ECONNRESET), a body
    // that stops early means the same to the caller. A timeout is recognised
    // before this reason is looked at.
    message.on('error', () => fail(new IncompleteBodyError()))
    message.on('close', () => {
      if (!message.complete) fail(new IncompleteBodyError())
    })
  })
}

/** Lower-cased names; repeated headers joined with `, `. */
export function flattenHeaders(
  raw: ResponseStream['headers']
): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue
    headers[name.toLowerCase()] = Array.isArray(value)
      ? value.join(', ')
      : value
  }
  return headers
}
