import * as os from 'node:os'
import * as path from 'node:path'
import { logSettings, parseWorkspaceList, readSettings } from '../src/inputs.js'
import { fakeRunner } from './support/fake-runner.js'

const read = (
  inputs: Record<string, string> = {},
  env: Record<string, string> = {}
): ReturnType<typeof readSettings> =>
  readSettings(
    fakeRunner(inputs, { HOME: '/home/u', RUNNER_TEMP: '/rt', ...env })
  )

describe('readSettings', () => {
  it('defaults', () => {
    const s = read()
    expect(s).toMatchObject({
      codexHome: '/home/u/.codex',
      codexHomeFrom: 'default ~/.codex',
      verifyIdentity: true,
      registerTask: true,
      exportEnv: true,
      cleanup: true,
      runnerTemp: '/rt',
      accessTokenEnvPresent: false,
      credentials: {}
    })
    expect(s.forcedLoginMethod).toBeUndefined()
    expect(s.forcedWorkspaceIds).toBeUndefined()
  })

  it('codex-home: input, then CODEX_HOME, with ~ expanded', () => {
    expect(read({ 'codex-home': '~/x' }, { CODEX_HOME: '/ch' }).codexHome).toBe(
      '/home/u/x'
    )
    expect(read({}, { CODEX_HOME: '/ch' }).codexHome).toBe('/ch')
  })

  it('RUNNER_TEMP unset falls back to the OS temp dir', () => {
    const s = readSettings(fakeRunner({}, { HOME: '/h' }))
    expect(s.runnerTemp).toBe(path.resolve(os.tmpdir()))
  })

  it('credentials are trimmed and empty means absent', () => {
    const s = read(
      { 'api-key': '  sk-a  ', 'access-token': '   ' },
      { CODEX_API_KEY: '', OPENAI_API_KEY: ' sk-o ' }
    )
    expect(s.credentials).toEqual({
      apiKeyInput: 'sk-a',
      openaiApiKeyEnv: 'sk-o'
    })
  })

  it.each([
    ['api-key', 'sk-a\nsk-b', 'input api-key'],
    ['access-token', 'at-a\tb', 'input access-token']
  ])(
    'rejects a %s with a control character, without echoing it',
    (name, value, source) => {
      expect(() => read({ [name]: value })).toThrow(
        `The credential from ${source} contains a line break or another control character.`
      )
      try {
        read({ [name]: value })
      } catch (err) {
        expect((err as Error).message).not.toContain(value.trim().slice(0, 4))
      }
    }
  )

  it('rejects a control character in CODEX_API_KEY env', () => {
    expect(() => read({}, { CODEX_API_KEY: 'sk\u0007x' })).toThrow(
      /env CODEX_API_KEY/
    )
  })

  it.each([
    [
      'forced-login-method',
      'apikey',
      "Invalid forced-login-method 'apikey'. Expected 'chatgpt' or 'api'."
    ],
    [
      'verify-identity',
      'yes',
      "Invalid verify-identity 'yes'. Expected 'true' or 'false'."
    ],
    ['cleanup', '0', "Invalid cleanup '0'. Expected 'true' or 'false'."],
    [
      'chatgpt-base-url',
      'chatgpt.com',
      "Invalid chatgpt-base-url 'chatgpt.com': not an absolute URL (expected https://host/path)."
    ],
    [
      'authapi-base-url',
      'ftp://x/y',
      "Invalid authapi-base-url 'ftp://x/y': scheme ftp: is not http or https."
    ],
    [
      'jwks-base-url',
      'https://u:p@h/x',
      "Invalid jwks-base-url 'https://[redacted]@h': user names and passwords in URLs are not supported."
    ]
  ])('%s=%s', (name, value, message) => {
    expect(() => read({ [name]: value })).toThrow(message)
  })

  it.each(['True', 'TRUE', 'true'])('accepts boolean %s', (v) => {
    expect(read({ 'export-env': v === 'true' ? 'false' : v }).exportEnv).toBe(
      v !== 'true'
    )
  })

  it('endpoint inputs beat env; each env var moves only its own endpoint', () => {
    const env = {
      CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://127.0.0.1:1/reg',
      CODEX_AUTHAPI_BASE_URL: 'http://127.0.0.1:1/who'
    }
    const fromEnv = read({}, env)
    expect(fromEnv.registrationAuthapi).toEqual({
      url: 'http://127.0.0.1:1/reg',
      from: 'env CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL'
    })
    expect(fromEnv.whoamiAuthapi).toEqual({
      url: 'http://127.0.0.1:1/who',
      from: 'env CODEX_AUTHAPI_BASE_URL'
    })
    const fromInput = read({ 'authapi-base-url': 'https://a.example/api' }, env)
    expect(fromInput.registrationAuthapi?.url).toBe('https://a.example/api')
    expect(fromInput.whoamiAuthapi?.url).toBe('https://a.example/api')
  })

  it('warns on plain http to a non-loopback host, not on loopback', () => {
    expect(read({ 'jwks-base-url': 'http://example.com/x' }).warnings).toEqual([
      expect.stringContaining(
        'input jwks-base-url uses plain http to example.com'
      )
    ])
    expect(read({ 'jwks-base-url': 'http://127.0.0.1:9/x' }).warnings).toEqual(
      []
    )
  })

  it('warns once for authapi-base-url, which moves two endpoints', () => {
    expect(
      read({ 'authapi-base-url': 'http://example.com/api' }).warnings
    ).toEqual([
      expect.stringContaining(
        'input authapi-base-url uses plain http to example.com'
      )
    ])
  })

  it('notes an access token in env so it can be neutralised', () => {
    expect(read({}, { CODEX_ACCESS_TOKEN: 'at-x' }).accessTokenEnvPresent).toBe(
      true
    )
  })
})

describe('forced-workspace-id', () => {
  it.each([
    ['a, b', ['a', 'b']],
    ['a,,b', ['a', 'b']],
    ['', undefined]
  ])('%j', (value, ids) => {
    expect(read({ 'forced-workspace-id': value }).forcedWorkspaceIds).toEqual(
      ids
    )
  })

  it.each([',', ' , ', ',\n,'])(
    'an input that is not blank but names no id (%j) is an error',
    (value) => {
      expect(() => read({ 'forced-workspace-id': value })).toThrow(
        `forced-workspace-id '${value.trim()}' names no workspace id`
      )
    }
  )
})

describe('endpoint precedence and warnings', () => {
  it('an env URL is not checked when the input sets the endpoint', () => {
    expect(
      read(
        { 'jwks-base-url': 'https://j.example/x' },
        { CODEX_AGENT_IDENTITY_JWKS_BASE_URL: 'not a url' }
      ).jwksBase
    ).toEqual({ url: 'https://j.example/x', from: 'input jwks-base-url' })
  })

  it('names the env var of a bad env URL', () => {
    expect(() =>
      read({}, { CODEX_REFRESH_TOKEN_URL_OVERRIDE: 'token-endpoint' })
    ).toThrow(
      "Invalid CODEX_REFRESH_TOKEN_URL_OVERRIDE 'token-endpoint': not an absolute URL (expected https://host/path)."
    )
  })

  it('warns once about a plain-http authapi-base-url, which sets two endpoints', () => {
    expect(
      read({ 'authapi-base-url': 'http://auth.example/api' }).warnings
    ).toEqual([
      'input authapi-base-url uses plain http to auth.example: credentials would cross the network unencrypted. Use https unless this is a local test backend.'
    ])
  })

  it('quotes an unknown login method', () => {
    expect(() => read({ 'forced-login-method': 'API' })).toThrow(
      "Invalid forced-login-method 'API'. Expected 'chatgpt' or 'api'."
    )
  })
})

describe('logSettings', () => {
  const SECRET = 'sk-secret-0123456789'

  function debugLines(
    inputs: Record<string, string>,
    env: Record<string, string> = {}
  ): string[] {
    const runner = fakeRunner(inputs, {
      HOME: '/home/u',
      RUNNER_TEMP: '/rt',
      ...env
    })
    logSettings(runner, readSettings(runner))
    expect(runner.events.every((e) => e.kind === 'debug')).toBe(true)
    return runner.events.map((e) => (e as { value: string }).value)
  }

  it('logs each resolved setting at debug level', () => {
    expect(
      debugLines(
        {
          'api-key': SECRET,
          'forced-login-method': 'api',
          'forced-workspace-id': 'ws-1, ws-2',
          'verify-identity': 'false'
        },
        { CODEX_ACCESS_TOKEN: 'at-secret-value' }
      )
    ).toEqual([
      'Setting credentials present: input api-key, env CODEX_ACCESS_TOKEN',
      'Setting codex-home: /home/u/.codex (default ~/.codex)',
      'Setting forced-login-method: api',
      'Setting forced-workspace-id: ws-1, ws-2',
      'Setting chatgpt-base-url: default',
      'Setting authapi-base-url (task registration): default',
      'Setting authapi-base-url (whoami): default',
      'Setting jwks-base-url: default',
      'Setting refresh-token-url: default',
      'Setting verify-identity: false',
      'Setting register-task: true',
      'Setting export-env: true',
      'Setting cleanup: true',
      'Setting RUNNER_TEMP: /rt'
    ])
  })

  it('never shows a credential, nor a URL query', () => {
    const lines = debugLines({
      'auth-json': `{"OPENAI_API_KEY":"${SECRET}"}`,
      'refresh-token-url': `https://a.example/oauth/token?key=${SECRET}`
    }).join('\n')
    expect(lines).not.toContain(SECRET)
    expect(lines).toContain(
      'Setting refresh-token-url: https://a.example/oauth/token (input refresh-token-url)'
    )
    expect(lines).toContain('Setting credentials present: input auth-json')
  })
})

describe('parseWorkspaceList', () => {
  it.each([
    ['a,,b', ['a', 'b']],
    [' a \n b ', ['a', 'b']],
    ['a,\r\nb,', ['a', 'b']],
    [' , ', []],
    ['', []]
  ])('%j', (raw, ids) => expect(parseWorkspaceList(raw)).toEqual(ids))
})

describe('URL kinds', () => {
  it('a base URL cannot carry a query; the exact refresh URL can', () => {
    expect(() =>
      read({ 'authapi-base-url': 'https://a.example/api?x=1' })
    ).toThrow(
      "Invalid authapi-base-url 'https://a.example/api?[redacted]': a base URL cannot carry a query or fragment."
    )
    expect(
      read({ 'refresh-token-url': 'https://a.example/oauth/token?v=2' })
        .refreshTokenUrl
    ).toEqual({
      url: 'https://a.example/oauth/token?v=2',
      from: 'input refresh-token-url'
    })
  })
})

describe('where the primed home may go', () => {
  // Whether RUNNER_TEMP lies inside the workspace is checked where the home
  // is created (__tests__/codex-home/prime.test.ts), on real paths.
  it('reads RUNNER_TEMP and GITHUB_WORKSPACE', () => {
    const settings = read(
      {},
      { RUNNER_TEMP: '/runner/_temp', GITHUB_WORKSPACE: '/runner/work' }
    )
    expect(settings.runnerTemp).toBe('/runner/_temp')
    expect(settings.workspace).toBe('/runner/work')
  })
})
