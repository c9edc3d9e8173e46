import {
  agentIdentityJwksUrl,
  knownEnvironment,
  resolveAgentEndpoints,
  taskRegistrationUrl
} from '../../src/endpoints/agent-identity.js'
import {
  requireAgentEndpoints,
  resolveEndpoints
} from '../../src/endpoints/resolve.js'
import { ActionError } from '../../src/errors.js'
import { UNSUPPORTED_ENVIRONMENT } from '../../src/messages/endpoints.js'
import { RUNTIME_ID } from '../crypto/vectors.js'

const PROD_AUTHAPI = 'https://auth.openai.com/api/accounts'
const BASE = 'https://auth.example.test/api/accounts'
const FROM = 'input agent-identity'
const STAGING_AUTHAPI = 'https://auth.api.openai.org/api/accounts'

describe('knownEnvironment (Codex table, exact text after trimming)', () => {
  it.each([
    ['https://chatgpt.com', 'production'],
    ['https://chatgpt.com/', 'production'],
    ['https://chatgpt.com/backend-api/', 'production'],
    ['https://chatgpt.com/codex', 'production'],
    ['https://chatgpt.com/backend-api/codex//', 'production'],
    ['  https://chat.openai.com/backend-api  ', 'production'],
    ['https://chat.openai.com/codex', 'production'],
    ['https://chatgpt-staging.com', 'staging'],
    ['https://chatgpt-staging.com/backend-api', 'staging'],
    ['https://chatgpt-staging.com/backend-api/codex', 'staging'],
    ['https://chatgpt.com/api', undefined],
    ['https://ChatGPT.com/backend-api', undefined],
    ['http://chatgpt.com/backend-api', undefined],
    ['https://chatgpt.com.evil.test/backend-api', undefined],
    ['https://chatgpt.com:443/backend-api', undefined],
    ['https://chatgpt.com/codex/backend-api', undefined],
    ['http://127.0.0.1:8080/backend-api', undefined]
  ])('%s → %s', (base, expected) => {
    expect(knownEnvironment(base)).toBe(expected)
  })
})

describe('agentIdentityJwksUrl', () => {
  it.each([
    [
      'https://chatgpt.com/backend-api/',
      'https://chatgpt.com/backend-api/wham/agent-identities/jwks'
    ],
    [
      'https://chatgpt.com/backend-api/codex',
      'https://chatgpt.com/backend-api/codex/wham/agent-identities/jwks'
    ],
    ['https://chatgpt.com', 'https://chatgpt.com/agent-identities/jwks'],
    [
      'http://127.0.0.1:9/prefix/',
      'http://127.0.0.1:9/prefix/agent-identities/jwks'
    ]
  ])('%s → %s', (base, url) => {
    expect(agentIdentityJwksUrl(base)).toBe(url)
  })
})

describe('resolveAgentEndpoints: the environment rule', () => {
  const DEV = 'http://127.0.0.1:8080/backend-api'
  const DEV_AUTHAPI = 'http://127.0.0.1:8080/api/accounts'

  it.each([
    // [chatgpt base, jwks override, authapi override] → [env, jwks url, authapi]
    [
      'https://chatgpt.com/backend-api/',
      undefined,
      undefined,
      'production',
      'https://chatgpt.com/backend-api/wham/agent-identities/jwks',
      PROD_AUTHAPI
    ],
    [
      'https://chatgpt-staging.com',
      undefined,
      undefined,
      'staging',
      'https://chatgpt-staging.com/agent-identities/jwks',
      STAGING_AUTHAPI
    ],
    [
      'https://chatgpt.com/backend-api',
      'https://keys.example.test/',
      'https://auth.example.test/api/accounts/',
      'production',
      'https://keys.example.test/agent-identities/jwks',
      'https://auth.example.test/api/accounts'
    ],
    [
      DEV,
      `${DEV}/`,
      DEV_AUTHAPI,
      'custom',
      `${DEV}/wham/agent-identities/jwks`,
      DEV_AUTHAPI
    ]
  ])(
    'accepts %s (jwks %s, authapi %s)',
    (chatgptBaseUrl, jwksBaseUrl, authapiBaseUrl, env, jwksUrl, authapi) => {
      expect(
        resolveAgentEndpoints({ chatgptBaseUrl, jwksBaseUrl, authapiBaseUrl })
      ).toEqual({
        environment: env,
        jwksBase: jwksUrl.replace(/\/(wham\/)?agent-identities\/jwks$/, ''),
        jwksUrl,
        authapiBase: authapi
      })
    }
  )

  it.each([
    ['no overrides', undefined, undefined],
    ['equal JWKS base but no AuthAPI base', DEV, undefined],
    ['AuthAPI base but no JWKS base', undefined, DEV_AUTHAPI],
    ['a JWKS base that differs', 'http://127.0.0.1:8080/other', DEV_AUTHAPI]
  ])('refuses a custom base with %s', (_name, jwksBaseUrl, authapiBaseUrl) => {
    expect(
      resolveAgentEndpoints({
        chatgptBaseUrl: DEV,
        jwksBaseUrl,
        authapiBaseUrl
      })
    ).toBeUndefined()
    // Where Codex refuses, a mode that needs the endpoints fails with
    // Codex's text, and it is not a restriction (nothing is logged out).
    const endpoints = resolveEndpoints(
      {
        chatgptBaseUrl: { url: DEV, from: 'input chatgpt-base-url' },
        ...(jwksBaseUrl && {
          jwksBase: { url: jwksBaseUrl, from: 'input jwks-base-url' }
        }),
        ...(authapiBaseUrl && {
          registrationAuthapi: {
            url: authapiBaseUrl,
            from: 'input authapi-base-url'
          }
        })
      },
      {}
    )
    let caught: unknown
    try {
      requireAgentEndpoints(endpoints)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(ActionError)
    expect((caught as ActionError).message).toBe(UNSUPPORTED_ENVIRONMENT)
    expect((caught as ActionError).logoutPath).toBeUndefined()
  })
})

describe('taskRegistrationUrl', () => {
  it.each([
    [BASE, `${BASE}/v1/agent/agent-123/task/register`],
    [`${BASE}///`, `${BASE}/v1/agent/agent-123/task/register`],
    [`  ${BASE}/ `, `${BASE}/v1/agent/agent-123/task/register`],
    // Joined as text: new URL(path, base) would have dropped /api/accounts.
    [
      'http://127.0.0.1:9/api/accounts',
      'http://127.0.0.1:9/api/accounts/v1/agent/agent-123/task/register'
    ]
  ])('%s → %s', (base, url) => {
    expect(taskRegistrationUrl(base, RUNTIME_ID, FROM)).toBe(url)
  })

  it.each([['a/b'], ['a?b'], ['a#b'], ['a b'], ['a\tb'], ['../x'], ['']])(
    'refuses runtime id %j rather than build another URL',
    (runtimeId) => {
      expect(() => taskRegistrationUrl(BASE, runtimeId, FROM)).toThrow(
        "The agent identity from input agent-identity has an agent_runtime_id containing '/', '?', '#' or whitespace, which cannot be put into the task registration URL unchanged. Ask for a new agent identity."
      )
    }
  )

  it('keeps other characters verbatim, as Codex', () => {
    expect(taskRegistrationUrl(BASE, 'agent_1.2~x%41', FROM)).toBe(
      `${BASE}/v1/agent/agent_1.2~x%41/task/register`
    )
  })
})
