import type { ServerResponse } from 'node:http'
import type { RouteResult } from './http.js'

/** Writes a result; Content-Length unless it is a chunked stream. */
export function writeResult(res: ServerResponse, result: RouteResult): void {
  const headers: Record<string, string | number> = { ...result.headers }
  if (!result.chunked)
    headers['content-length'] = Buffer.byteLength(result.body)
  res.writeHead(result.status, headers)
  res.end(result.body)
}

/**
 * Declares the full length, writes about half of the body, then destroys
 * the socket once those bytes are flushed.
 */
export function writeTruncated(res: ServerResponse, result: RouteResult): void {
  const body = Buffer.from(result.body)
  // At least one byte is always missing, even for an empty body.
  const declared = Math.max(body.length, 2)
  const sent = body.subarray(0, Math.floor(declared / 2))
  res.writeHead(result.status, {
    ...result.headers,
    'content-length': declared
  })
  res.write(sent, () => res.socket?.destroy())
}

/** Streams a body of exactly `bytes` bytes, respecting backpressure. */
export function writeHuge(
  res: ServerResponse,
  bytes: number,
  status: number
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': bytes
  })
  // `{"padding":"…"}` is 14 bytes of frame around the filler.
  const framed = bytes >= 16
  const filler = framed ? bytes - 14 : bytes
  if (framed) res.write('{"padding":"')
  const chunk = Buffer.alloc(64 * 1024, 'x')
  let left = filler
  const pump = (): void => {
    while (left > 0 && !res.destroyed) {
      const size = Math.min(left, chunk.length)
      left -= size
      if (!res.write(chunk.subarray(0, size))) {
        res.once('drain', pump)
        return
      }
    }
    if (!res.destroyed) res.end(framed ? '"}' : undefined)
  }
  pump()
}

/** Resets the connection (TCP RST) without a response. */
export function resetConnection(res: ServerResponse): void {
  const socket = res.socket
  if (!socket) return
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}
