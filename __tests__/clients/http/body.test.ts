/**
 * The HTTP helper's body cap: at most 1 MiB is read, from the stream, and a
 * body that stops early is a transport failure.
 */
import { createHttpClient, MAX_BODY_BYTES } from '../../../src/clients/http.js'
import {
  fake,
  type Handler,
  isolateClientEnv,
  reply,
  spec,
  startServer,
  steps,
  transportError
} from '../../support/http-fixtures.js'

isolateClientEnv()

describe('body cap', () => {
  it('reads a body of exactly the cap in full', async () => {
    const body = 'a'.repeat(MAX_BODY_BYTES)
    const server = await startServer(reply(200, body))
    const { deps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.truncated).toBe(false)
    expect(res.body.length).toBe(MAX_BODY_BYTES)
    expect(MAX_BODY_BYTES).toBe(1024 * 1024)
  })

  it('stops reading an endless body at the cap and hangs up', async () => {
    let serverSawClose!: () => void
    const closed = new Promise<void>((resolve) => (serverSawClose = resolve))
    const server = await startServer((_req, res) => {
      res.writeHead(200)
      const chunk = Buffer.alloc(64 * 1024, 'b')
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) {
          // keep writing until the socket pushes back
        }
      }
      res.on('drain', pump)
      res.on('close', serverSawClose)
      pump()
    })
    const { deps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.truncated).toBe(true)
    expect(res.body).toBe('b'.repeat(MAX_BODY_BYTES))
    // Only resolves because the client closed the connection.
    await closed
  })

  it('does not turn a character cut at the cap into a replacement character', async () => {
    const body = 'a'.repeat(MAX_BODY_BYTES - 1) + '€' + 'tail'
    const server = await startServer(reply(200, body))
    const { deps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.truncated).toBe(true)
    expect(res.body).toBe('a'.repeat(MAX_BODY_BYTES - 1))
  })

  it('caps the body of an error response too', async () => {
    const server = await startServer(
      reply(404, 'x'.repeat(MAX_BODY_BYTES + 10))
    )
    const { deps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect([res.status, res.truncated, res.body.length]).toEqual([
      404,
      true,
      MAX_BODY_BYTES
    ])
  })

  it('treats a body cut short by the server as a transport failure and retries', async () => {
    const partial: Handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' })
      res.write('{"task_id":', () => res.socket?.destroy())
    }
    const server = await startServer(
      steps(partial, reply(200, '{"task_id":"t"}'))
    )
    const { deps, sleeps } = fake()
    const res = await createHttpClient(deps).request(spec(server.url))
    expect(res.body).toBe('{"task_id":"t"}')
    expect(sleeps).toEqual([500])

    const broken = await startServer(partial)
    const err = await transportError(
      createHttpClient(deps).request(spec(broken.url, { maxAttempts: 2 }))
    )
    expect([err.kind, err.attempts]).toEqual(['transport', 2])
    expect(err.message).toMatch(
      /: the connection closed before the response was complete$/
    )
  })
})
