import { X509Certificate } from 'node:crypto'
import { connect, type TLSSocket } from 'node:tls'
import {
  parseSse,
  RESPONSE_USAGE,
  startDevBackend,
  type DevBackend
} from '../../dev/backend/index.js'
import { send } from './helpers.js'

let backend: DevBackend

beforeAll(async () => {
  backend = await startDevBackend({
    https: true,
    responseText: 'pong'
  })
})
afterAll(() => backend.close())
beforeEach(() => backend.clearRequests())

function expectCodexStream(body: string): void {
  const events = parseSse(body)
  expect(events.map((event) => event.event)).toEqual([
    'response.created',
    'response.output_item.done',
    'response.completed'
  ])
  const [created, item, completed] = events.map(
    (event) => JSON.parse(event.data) as Record<string, unknown>
  )
  const id = (created?.response as { id: string }).id
  expect(created).toEqual({ type: 'response.created', response: { id } })
  expect(item).toMatchObject({
    type: 'response.output_item.done',
    item: {
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'pong' }]
    }
  })
  expect(completed).toEqual({
    type: 'response.completed',
    response: { id, usage: RESPONSE_USAGE }
  })
  expect(RESPONSE_USAGE).toEqual({
    input_tokens: 1,
    input_tokens_details: null,
    output_tokens: 1,
    output_tokens_details: null,
    total_tokens: 2
  })
}

describe('Responses', () => {
  it('streams the three Codex events from the API-key base', async () => {
    const reply = await send(`${backend.openaiBaseUrl}/responses`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk-test',
        'content-type': 'application/json'
      },
      body: '{"model":"gpt-test","stream":true}'
    })
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('text/event-stream')
    expectCodexStream(reply.body)
  })

  it('serves the ChatGPT model path on the https origin', async () => {
    const reply = await send(
      `${backend.httpsUrl}/backend-api/codex/responses`,
      { method: 'POST', body: '{}', ca: backend.caCertPem }
    )
    expect(reply.status).toBe(200)
    expectCodexStream(reply.body)
    expect(backend.requests[0]).toMatchObject({
      route: 'responses',
      listener: 'https'
    })
  })

  it('logs a zstd body raw without decoding it', async () => {
    // zstd frame magic plus bytes that are not valid UTF-8.
    const compressed = Buffer.from([
      0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xff, 0xfe, 0x80, 0x81
    ])
    const reply = await send(`${backend.openaiBaseUrl}/responses`, {
      method: 'POST',
      headers: { 'content-encoding': 'zstd' },
      body: compressed
    })
    expect(reply.status).toBe(200)
    const logged = backend.requestsFor('responses')[0]
    expect(logged?.headers['content-encoding']).toBe('zstd')
    expect(logged?.rawBody.equals(compressed)).toBe(true)
  })

  it('refuses a websocket upgrade with a plain status', async () => {
    const reply = await send(`${backend.chatgptBaseUrl}/codex/responses`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-version': '13'
      }
    })
    expect(reply.status).toBe(426)
    expect(backend.requests[0]?.route).toBe('websocket')
  })
})

describe('ChatGPT backend routes', () => {
  it('answers models, the config bundle and 404 for the rest', async () => {
    const models = await send(
      `${backend.chatgptBaseUrl}/codex/models?client_version=0.169.0`
    )
    expect(JSON.parse(models.body)).toEqual({ models: [] })
    expect(backend.requests[0]?.query).toEqual({ client_version: '0.169.0' })
    const bundle = await send(`${backend.chatgptBaseUrl}/wham/config/bundle`)
    expect([bundle.status, bundle.body]).toEqual([200, '{}'])
    const plugins = await send(`${backend.chatgptBaseUrl}/plugins/list`)
    expect(plugins.status).toBe(404)
    expect(backend.requests[2]?.route).toBe('not-found')
  })

  it('lists the known accounts, the requesting one first, on the https origin', async () => {
    const auth = backend.mintChatgptAuth({ accountId: 'acct-known' })
    const reply = await send(`${backend.chatgptBaseUrl}/wham/accounts/check`, {
      headers: {
        authorization: `Bearer ${auth.tokens.access_token}`,
        'chatgpt-account-id': 'acct-asking'
      }
    })
    const { accounts } = JSON.parse(reply.body) as {
      accounts: { id: string }[]
    }
    expect(accounts[0]).toEqual({
      id: 'acct-asking',
      workspace_backend_origin: backend.httpsUrl,
      account_routing_override: 'NO_CONSTRAINT'
    })
    expect(accounts.map((account) => account.id)).toContain('acct-known')
    // Codex requires an https origin without a path.
    expect(new URL(backend.workspaceBackendOrigin).pathname).toBe('/')
    expect(backend.workspaceBackendOrigin).toMatch(
      /^https:\/\/127\.0\.0\.1:\d+$/
    )
  })
})

describe('TLS', () => {
  it('serves a certificate for 127.0.0.1 and localhost signed by the test CA', async () => {
    const ca = new X509Certificate(backend.caCertPem ?? '')
    expect(backend.caCertPath).toMatch(/ca-cert\.pem$/)
    expect(ca.ca).toBe(true)
    const socket = await new Promise<TLSSocket>((resolve, reject) => {
      const tls = connect(
        {
          host: '127.0.0.1',
          port: backend.httpsPort,
          servername: 'localhost',
          ca: backend.caCertPem
        },
        () => resolve(tls)
      )
      tls.on('error', reject)
    })
    const leaf = socket.getPeerX509Certificate()
    socket.end()
    expect(socket.authorized).toBe(true)
    expect(leaf?.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(leaf?.checkHost('localhost')).toBe('localhost')
    expect(leaf?.verify(ca.publicKey)).toBe(true)
    expect(Date.parse(leaf?.validTo ?? '')).toBeGreaterThan(
      Date.now() + 5 * 365 * 86_400_000
    )
  })

  // The names Codex accepts for workload identity, so a namespace that maps
  // them to 127.0.0.1 can serve them all from one listener (SPEC 12).
  it.each([
    'auth.openai.com',
    'chatgpt.com',
    'chat.openai.com',
    'auth.api.openai.org',
    'chatgpt-staging.com'
  ])('serves a certificate valid for %s', async (host) => {
    const socket = await new Promise<TLSSocket>((resolve, reject) => {
      const tls = connect(
        {
          host: '127.0.0.1',
          port: backend.httpsPort,
          servername: host,
          ca: backend.caCertPem
        },
        () => resolve(tls)
      )
      tls.on('error', reject)
    })
    const leaf = socket.getPeerX509Certificate()
    socket.end()
    expect(socket.authorized).toBe(true)
    expect(leaf?.checkHost(host)).toBe(host)
    expect(leaf?.checkHost(`evil.${host}`)).toBeUndefined()
  })

  it('is refused by a client that does not trust the test CA', async () => {
    await expect(
      send(`${backend.httpsUrl}/backend-api/codex/models`)
    ).rejects.toThrow(/certificate/)
  })
})
