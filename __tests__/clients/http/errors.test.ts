/**
 * The HTTP helper's failure text: what a failed request says (the call, its
 * URL without secrets, a short cause) and which failures are final.
 */
import { ActionError } from '../../../src/errors.js'
import { createHttpClient, safeTarget } from '../../../src/clients/http.js'
import {
  closedPort,
  fake,
  isolateClientEnv,
  reply,
  reset,
  selfSignedCert,
  setClientEnv,
  spec,
  startServer,
  startTlsServer,
  transportError
} from '../../support/http-fixtures.js'

isolateClientEnv()

let tls: { key: string; cert: string }
beforeAll(() => {
  tls = selfSignedCert()
})

describe('transport failures', () => {
  it('throws after the last reset, naming the call and the URL', async () => {
    const server = await startServer(reset)
    const { deps, sleeps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(spec(`${server.url}/v1/x`))
    )
    expect(err).toBeInstanceOf(ActionError)
    expect(err.kind).toBe('transport')
    expect(err.attempts).toBe(3)
    expect(err.message).toBe(
      `test call to ${server.url}/v1/x failed after 3 attempt(s): connection reset`
    )
    expect(server.seen).toHaveLength(3)
    expect(sleeps).toEqual([500, 1000])
  })

  it('throws after the last refused connection', async () => {
    const port = await closedPort()
    const { deps, sleeps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(
        spec(`http://127.0.0.1:${port}/jwks`, { maxAttempts: 2 })
      )
    )
    expect([err.kind, err.attempts]).toEqual(['transport', 2])
    expect(err.message).toBe(
      `test call to http://127.0.0.1:${port}/jwks failed after 2 attempt(s): connection refused`
    )
    expect(sleeps).toEqual([500])
  })

  it('does not retry a rejected TLS certificate and says how to fix it', async () => {
    const server = await startTlsServer(tls)
    const { deps, sleeps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(spec(`${server.url}/jwks`))
    )
    expect([err.kind, err.attempts]).toEqual(['transport', 1])
    expect(err.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT')
    expect(err.message).toContain('NODE_EXTRA_CA_CERTS')
    expect(sleeps).toEqual([])
  })

  it('verifies the certificate even with NODE_TLS_REJECT_UNAUTHORIZED=0 in the env', async () => {
    const server = await startTlsServer(tls)
    setClientEnv({ NODE_TLS_REJECT_UNAUTHORIZED: '0' })
    const { deps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(spec(`${server.url}/jwks`))
    )
    expect([err.kind, err.attempts]).toEqual(['transport', 1])
    expect(err.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT')
  })

  it.each([
    [
      'https://user:pw@backend.test:99999/api',
      'https://[redacted]@backend.test:99999/api'
    ],
    ['https://backend.test/api?key=sekrit', 'https://backend.test/api']
  ])('names %s as %s', (url, shown) => {
    expect(safeTarget(url)).toBe(shown)
  })

  it('does not retry a request Node refuses to build', async () => {
    const server = await startServer(reply(200))
    const { deps, sleeps } = fake({ originator: 'bad\nvalue' })
    const err = await transportError(
      createHttpClient(deps).request(spec(server.url))
    )
    expect(err.attempts).toBe(1)
    expect(err.message).toContain('the request could not be built')
    expect(err.message).toContain('originator')
    expect(err.message).not.toContain('bad')
    expect(server.seen).toHaveLength(0)
    expect(sleeps).toEqual([])
  })

  it('never puts the query string, credentials, headers or body in the message', async () => {
    const server = await startServer(reset)
    const { deps } = fake()
    const url = new URL(server.url)
    const err = await transportError(
      createHttpClient(deps).request(
        spec(`http://user:pa55word@${url.host}/v1/who?token=sekrit&x=1`, {
          method: 'POST',
          body: 'body-secret',
          headers: { Authorization: 'Bearer header-secret' },
          maxAttempts: 1
        })
      )
    )
    expect(err.message).toBe(
      `test call to ${server.url}/v1/who failed after 1 attempt(s): connection reset`
    )
    for (const secret of [
      'sekrit',
      'pa55word',
      'body-secret',
      'header-secret'
    ]) {
      expect(err.message).not.toContain(secret)
      expect(JSON.stringify(err)).not.toContain(secret)
    }
  })

  it('refuses a URL that is not http(s), without quoting it', async () => {
    const { deps } = fake()
    const client = createHttpClient(deps)
    await expect(client.request(spec('ftp://x/?k=sekrit'))).rejects.toThrow(
      'test call: the request URL must be http or https'
    )
    await expect(client.request(spec('not a url sekrit'))).rejects.toThrow(
      /^test call: the request URL is not a valid URL$/
    )
  })
})
