/**
 * Every endpoint of a run, resolved once from the settings (inputs and env)
 * and config.toml.
 */
import type { Endpoint } from '../../src/inputs.js'
import {
  resolveEndpoints,
  type EndpointSettings
} from '../../src/endpoints/resolve.js'

const input = (name: string, url: string): Endpoint => ({
  url,
  from: `input ${name}`
})

describe('resolveEndpoints: defaults', () => {
  const endpoints = resolveEndpoints({}, {})

  it('are Codex’s production endpoints', () => {
    expect(endpoints).toEqual({
      chatgptBaseUrl: 'https://chatgpt.com/backend-api/',
      agentIdentity: {
        environment: 'production',
        jwksBase: 'https://chatgpt.com/backend-api',
        jwksUrl: 'https://chatgpt.com/backend-api/wham/agent-identities/jwks',
        authapiBase: 'https://auth.openai.com/api/accounts'
      },
      whoamiBase: 'https://auth.openai.com/api/accounts',
      whoamiUrl:
        'https://auth.openai.com/api/accounts/v1/user-auth-credential/whoami',
      refreshTokenUrl: 'https://auth.openai.com/oauth/token',
      overrideEnv: {}
    })
  })
})

describe('resolveEndpoints: the ChatGPT base', () => {
  it('input, else config.toml, else the default', () => {
    const config = { chatgptBaseUrl: 'https://chatgpt.com/codex' }
    expect(
      resolveEndpoints(
        {
          chatgptBaseUrl: input('chatgpt-base-url', 'https://chat.openai.com')
        },
        config
      ).chatgptBaseUrl
    ).toBe('https://chat.openai.com')
    expect(resolveEndpoints({}, config).chatgptBaseUrl).toBe(
      'https://chatgpt.com/codex'
    )
  })

  it('primes only an input value that is not the default', () => {
    const primed = (settings: EndpointSettings): string | undefined =>
      resolveEndpoints(settings, {
        chatgptBaseUrl: 'https://chatgpt.com/codex'
      }).primedChatgptBaseUrl
    // config.toml's own value is carried over with its table.
    expect(primed({})).toBeUndefined()
    expect(
      primed({
        chatgptBaseUrl: input(
          'chatgpt-base-url',
          'https://chatgpt.com/backend-api/'
        )
      })
    ).toBeUndefined()
    expect(
      primed({
        chatgptBaseUrl: input('chatgpt-base-url', 'http://127.0.0.1:9/b')
      })
    ).toBe('http://127.0.0.1:9/b')
  })

  it('a staging base moves the registration AuthAPI to staging', () => {
    expect(
      resolveEndpoints(
        {},
        { chatgptBaseUrl: 'https://chatgpt-staging.com/backend-api' }
      ).agentIdentity?.authapiBase
    ).toBe('https://auth.api.openai.org/api/accounts')
  })

  it('an unknown base without both overrides leaves Agent Identity unresolved', () => {
    expect(
      resolveEndpoints({}, { chatgptBaseUrl: 'http://127.0.0.1:9/backend-api' })
        .agentIdentity
    ).toBeUndefined()
  })
})

describe('resolveEndpoints: whoami', () => {
  it.each([
    [
      undefined,
      'https://auth.openai.com/api/accounts/v1/user-auth-credential/whoami'
    ],
    [
      'http://127.0.0.1:9/api/accounts/',
      'http://127.0.0.1:9/api/accounts/v1/user-auth-credential/whoami'
    ],
    [
      ' https://auth.test/base// ',
      'https://auth.test/base/v1/user-auth-credential/whoami'
    ]
  ])('base %j', (base, url) => {
    const settings: EndpointSettings =
      base === undefined
        ? {}
        : { whoamiAuthapi: { url: base, from: 'env CODEX_AUTHAPI_BASE_URL' } }
    expect(resolveEndpoints(settings, {}).whoamiUrl).toBe(url)
  })

  it('each AuthAPI setting moves only its own endpoint', () => {
    const endpoints = resolveEndpoints(
      {
        whoamiAuthapi: {
          url: 'https://who.example/api',
          from: 'env CODEX_AUTHAPI_BASE_URL'
        }
      },
      {}
    )
    expect(endpoints.whoamiBase).toBe('https://who.example/api')
    expect(endpoints.agentIdentity?.authapiBase).toBe(
      'https://auth.openai.com/api/accounts'
    )
  })
})

describe('resolveEndpoints: the refresh URL', () => {
  it('is used exactly as given', () => {
    expect(
      resolveEndpoints(
        {
          refreshTokenUrl: input(
            'refresh-token-url',
            'http://127.0.0.1:2/oauth/token?x=1'
          )
        },
        {}
      ).refreshTokenUrl
    ).toBe('http://127.0.0.1:2/oauth/token?x=1')
  })
})

describe('resolveEndpoints: overrides for later steps', () => {
  it.each<[EndpointSettings, Record<string, string>]>([
    [{}, {}],
    [
      {
        registrationAuthapi: input(
          'authapi-base-url',
          'http://127.0.0.1:1/api'
        ),
        whoamiAuthapi: input('authapi-base-url', 'http://127.0.0.1:1/api')
      },
      {
        CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://127.0.0.1:1/api',
        CODEX_AUTHAPI_BASE_URL: 'http://127.0.0.1:1/api'
      }
    ],
    // A default spelled out (trailing / aside) is no override.
    [
      {
        whoamiAuthapi: {
          url: 'https://auth.openai.com/api/accounts/',
          from: 'env CODEX_AUTHAPI_BASE_URL'
        }
      },
      {}
    ],
    [
      {
        jwksBase: input('jwks-base-url', 'https://keys.example/x'),
        refreshTokenUrl: input(
          'refresh-token-url',
          'http://127.0.0.1:2/oauth/token'
        )
      },
      {
        CODEX_AGENT_IDENTITY_JWKS_BASE_URL: 'https://keys.example/x',
        CODEX_REFRESH_TOKEN_URL_OVERRIDE: 'http://127.0.0.1:2/oauth/token'
      }
    ]
  ])('%j exports %j', (settings, expected) => {
    expect(resolveEndpoints(settings, {}).overrideEnv).toEqual(expected)
  })
})
