import {
  agentIdentityJwksUrl,
  knownEnvironment,
  resolveAgentEndpoints
} from '../../src/endpoints/agent-identity.js'
import { ActionError } from '../../src/errors.js'
import { UNSUPPORTED_ENVIRONMENT } from '../../src/messages.js'

const PROD_AUTHAPI = 'https://auth.openai.com/api/accounts'
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
    let caught: unknown
    try {
      resolveAgentEndpoints({
        chatgptBaseUrl: DEV,
        jwksBaseUrl,
        authapiBaseUrl
      })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(ActionError)
    expect((caught as ActionError).message).toBe(UNSUPPORTED_ENVIRONMENT)
    expect((caught as ActionError).logoutPath).toBeUndefined()
  })
})
