import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import {
  AGENT_IDENTITY_AUDIENCE,
  AGENT_IDENTITY_ISSUER,
  JWKS_KEY_ID,
  startDevBackend,
  type DevBackend
} from '../../dev/backend/index.js'
import { jwtPayload, send } from './helpers.js'

// SPEC 4.5 vectors: seed = 32 bytes of 0x07.
const SEED = new Uint8Array(32).fill(7)
const PKCS8_V1 =
  'MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH'
const PKCS8_V2 =
  'MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw='
const PUBLIC_HEX =
  'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c'

let backend: DevBackend

beforeAll(async () => {
  backend = await startDevBackend()
})
afterAll(() => backend.close())

async function fetchJwks(url: string): Promise<JSONWebKeySet> {
  const reply = await send(url)
  expect(reply.status).toBe(200)
  return JSON.parse(reply.body) as JSONWebKeySet
}

describe('JWKS', () => {
  it.each([
    ['backend-api base', '/backend-api/wham/agent-identities/jwks'],
    ['other bases', '/agent-identities/jwks']
  ])('serves a key that verifies a minted JWT (%s)', async (_name, path) => {
    const identity = backend.mintAgentIdentity()
    const jwks = await fetchJwks(`${backend.url}${path}`)
    expect(jwks.keys).toHaveLength(1)
    expect(jwks.keys[0]).toMatchObject({ kid: JWKS_KEY_ID, alg: 'RS256' })
    expect(jwks.keys[0]).not.toHaveProperty('d')

    const { payload, protectedHeader } = await jwtVerify(
      identity.jwt,
      createLocalJWKSet(jwks),
      {
        algorithms: ['RS256'],
        issuer: AGENT_IDENTITY_ISSUER,
        audience: AGENT_IDENTITY_AUDIENCE
      }
    )
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: JWKS_KEY_ID })
    expect(payload).toMatchObject({
      agent_runtime_id: identity.runtimeId,
      agent_private_key: identity.privateKeyB64,
      account_id: identity.accountId,
      chatgpt_user_id: identity.chatgptUserId,
      email: identity.email,
      plan_type: 'plus',
      chatgpt_account_is_fedramp: false
    })
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600)
  })

  it('the URL helpers point at the served JWKS', async () => {
    expect(backend.jwksBaseUrl).toBe(backend.chatgptBaseUrl)
    expect(backend.jwksUrl).toBe(
      `${backend.chatgptBaseUrl}/wham/agent-identities/jwks`
    )
    expect(await fetchJwks(backend.jwksUrl)).toEqual(backend.jwks())
  })

  it('an identity signed with the untrusted key fails verification', async () => {
    const identity = backend.mintAgentIdentity({ signingKey: 'untrusted' })
    const jwks = createLocalJWKSet(await fetchJwks(backend.jwksUrl))
    await expect(jwtVerify(identity.jwt, jwks)).rejects.toThrow(
      /signature verification failed/
    )
  })
})

describe('mintAgentIdentity', () => {
  it('builds the SPEC 4.5 key forms from a seed', () => {
    const v1 = backend.mintAgentIdentity({ seed: SEED })
    expect(v1.privateKeyB64).toBe(PKCS8_V1)
    expect(v1.privateKeyPkcs8V2B64).toBe(PKCS8_V2)
    expect(v1.publicKeyRaw.toString('hex')).toBe(PUBLIC_HEX)
    const v2 = backend.mintAgentIdentity({ seed: SEED, keyFormat: 'pkcs8-v2' })
    expect(jwtPayload(v2.jwt).agent_private_key).toBe(PKCS8_V2)
    expect(Buffer.from(v2.privateKeyB64, 'base64')).toHaveLength(83)
  })

  it('overrides claims, removes them, and sets kid and expiry', () => {
    const identity = backend.mintAgentIdentity({
      accountId: 'acct-1',
      email: null,
      planType: 'hc',
      fedramp: true,
      kid: 'other-kid',
      issuedAt: 1_800_000_000,
      expiresIn: -60,
      claims: { aud: ['codex-app-server'], chatgpt_user_id: undefined }
    })
    const payload = jwtPayload(identity.jwt)
    expect(payload).toMatchObject({
      account_id: 'acct-1',
      plan_type: 'hc',
      chatgpt_account_is_fedramp: true,
      aud: ['codex-app-server'],
      iat: 1_800_000_000,
      exp: 1_800_000_000 - 60
    })
    expect(payload).not.toHaveProperty('email')
    expect(payload).not.toHaveProperty('chatgpt_user_id')
    expect(identity.header.kid).toBe('other-kid')
  })

  it('mints the legacy unsigned shape of the seeds', () => {
    const identity = backend.mintAgentIdentity({ legacy: true })
    const [header, , signature] = identity.jwt.split('.')
    expect(
      JSON.parse(Buffer.from(header ?? '', 'base64url').toString())
    ).toEqual({ alg: 'none', typ: 'JWT' })
    expect(signature).toBe('c2ln')
    const payload = jwtPayload(identity.jwt)
    expect(Object.keys(payload).sort()).toEqual([
      'agent_private_key',
      'agent_runtime_id',
      'chatgpt_user_id',
      'registered_at',
      'workspace_id'
    ])
    expect(payload.workspace_id).toBe(identity.accountId)
    expect(payload.registered_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const empty = backend.mintAgentIdentity({ legacy: true, signature: '' })
    expect(empty.jwt.endsWith('.')).toBe(true)
  })
})
