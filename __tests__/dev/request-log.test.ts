import { startDevBackend, type DevBackend } from '../../dev/backend/index.js'
import { send } from './helpers.js'

let backend: DevBackend
const seen: string[] = []

beforeAll(async () => {
  backend = await startDevBackend({
    onRequest: (entry) => seen.push(entry.route)
  })
})
afterAll(() => backend.close())

describe('request log', () => {
  it('records method, path, query, headers, body, route and status', async () => {
    const before = Date.now()
    await send(`${backend.url}/oauth/token?debug=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'X-Custom': 'Value' },
      body: 'hello'
    })
    const entry = backend.requests.at(-1)
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/oauth/token',
      query: { debug: '1' },
      body: 'hello',
      route: 'refresh',
      listener: 'http',
      status: 400
    })
    expect(entry?.headers).toMatchObject({
      'content-type': 'text/plain',
      'x-custom': 'Value'
    })
    expect(entry?.rawBody.toString()).toBe('hello')
    expect(entry?.timestamp).toBeGreaterThanOrEqual(before)
    expect(seen).toContain('refresh')
  })

  it('filters by route, clears, and waits for later requests', async () => {
    backend.clearRequests()
    expect(backend.requests).toHaveLength(0)
    const waiting = backend.waitForRequest(
      (entry) => entry.route === 'jwks' && entry.method === 'GET'
    )
    await send(`${backend.chatgptBaseUrl}/codex/models`)
    await send(backend.jwksUrl)
    expect((await waiting).path).toBe('/backend-api/wham/agent-identities/jwks')
    expect(backend.requestsFor('models')).toHaveLength(1)
    await expect(backend.waitForRequest('whoami', 50)).rejects.toThrow(
      /no matching request/
    )
  })

  it('answers 405 on a known path with the wrong method', async () => {
    const reply = await send(backend.jwksUrl, { method: 'POST', body: '{}' })
    expect(reply.status).toBe(405)
    expect(reply.headers.allow).toBe('GET')
  })
})
