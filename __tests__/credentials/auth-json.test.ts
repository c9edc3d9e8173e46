import {
  authJsonSecrets,
  credentialFromAuthJson,
  decodeAuthJsonInput,
  parseAuthJson,
  resolveAuthMode
} from '../../src/credentials/auth-json.js'

const source = { label: 'input auth-json' }

describe('auth-json input decoding', () => {
  const doc = '{"OPENAI_API_KEY":"sk-test-1"}'
  it.each([
    ['raw JSON', doc],
    ['JSON with leading blanks', `\n  ${doc}`],
    ['standard base64', Buffer.from(doc).toString('base64')],
    ['URL-safe base64', Buffer.from(doc).toString('base64url')],
    [
      'base64 wrapped over lines',
      Buffer.from(doc)
        .toString('base64')
        .replace(/(.{8})/g, '$1\n')
    ]
  ])('%s', (_name, input) => {
    expect(JSON.parse(decodeAuthJsonInput(input))).toEqual({
      OPENAI_API_KEY: 'sk-test-1'
    })
  })

  it.each([
    ['not base64 at all', 'hello world!'],
    [
      'base64 of something that is not JSON',
      Buffer.from('plain').toString('base64')
    ]
  ])('rejects %s', (_name, input) => {
    expect(() => decodeAuthJsonInput(input)).toThrow(
      /The auth.json from input auth-json is not valid/
    )
  })

  it('invalid JSON never echoes the document', () => {
    expect(() => parseAuthJson('{"OPENAI_API_KEY": sk-secret}', 'x')).toThrow(
      'The auth.json from x is not valid: it is not valid JSON.'
    )
    expect(() => parseAuthJson('[1]', 'x')).toThrow(/not a JSON object/)
  })

  it('a document nested deeper than any auth.json is one clean error', () => {
    const deep = (n: number): string =>
      `{"tokens":{"extra":${'['.repeat(n)}${']'.repeat(n)}}}`
    expect(() => parseAuthJson(deep(20_000), 'x')).toThrow(
      'The auth.json from x is not valid: it nests objects or lists more than 32 levels deep.'
    )
    // Brackets inside strings do not count.
    expect(parseAuthJson(`{"a":"${'['.repeat(100)}"}`, 'x')).toEqual({
      a: '['.repeat(100)
    })
    expect(() => parseAuthJson(deep(29), 'x')).not.toThrow()
  })

  it('a string ends at its first unescaped quote, whatever it holds', () => {
    const tooDeep =
      'The auth.json from x is not valid: it nests objects or lists more than 32 levels deep.'
    const brackets = '['.repeat(40)
    // An escaped quote does not end the string: its brackets do not count.
    expect(parseAuthJson(JSON.stringify({ a: `"${brackets}` }), 'x')).toEqual({
      a: `"${brackets}`
    })
    // An escaped backslash does not escape the quote after it: the string
    // ends there, and the brackets after it count.
    expect(() =>
      parseAuthJson(`{"a":"x\\\\","b":${brackets}${']'.repeat(40)}}`, 'x')
    ).toThrow(tooDeep)
    // Other escapes (\n, \u005b is "[") are characters of the string.
    expect(parseAuthJson('{"a":"\\n\\u005b[[{"}', 'x')).toEqual({
      a: '\n[[[{'
    })
  })
})

describe('Codex mode resolution', () => {
  it.each([
    [{ auth_mode: 'chatgpt', OPENAI_API_KEY: 'sk-x', tokens: {} }, 'chatgpt'],
    [
      { personal_access_token: 'at-1', OPENAI_API_KEY: 'sk-x' },
      'personalAccessToken'
    ],
    [{ OPENAI_API_KEY: 'sk-x' }, 'apikey'],
    [{ OPENAI_API_KEY: null, tokens: {} }, 'chatgpt'],
    [{}, 'chatgpt'],
    [{ auth_mode: 'agentIdentity' }, 'agentIdentity']
  ])('%j → %s', (doc, mode) => {
    expect(resolveAuthMode(doc)).toBe(mode)
  })

  it.each([
    [
      { auth_mode: 'apikey', OPENAI_API_KEY: null },
      'API key auth is missing a key.'
    ],
    [
      { auth_mode: 'apikey', OPENAI_API_KEY: '  ' },
      'API key auth is missing a key.'
    ],
    [
      { auth_mode: 'agentIdentity' },
      'agent identity auth is missing agent identity auth material.'
    ],
    [
      { auth_mode: 'personalAccessToken' },
      'personal access token auth is missing a personal access token.'
    ],
    [
      { auth_mode: 'chatgptAuthTokens' },
      "The auth.json from input auth-json uses auth_mode 'chatgptAuthTokens', which this action does not support. Supported: apikey, chatgpt, agentIdentity, personalAccessToken."
    ],
    [{ auth_mode: 'bedrockApiKey' }, /auth_mode 'bedrockApiKey'/]
  ])('%j fails with Codex text', (doc, message) => {
    expect(() => credentialFromAuthJson(doc, source)).toThrow(message)
  })

  it.each([[{ toString: false }], [3], [['apikey']]])(
    'auth_mode %j that is not a string is one clean error',
    (mode) => {
      expect(() =>
        credentialFromAuthJson({ auth_mode: mode as never }, source)
      ).toThrow(
        'The auth.json from input auth-json is not valid: auth_mode must be a string.'
      )
    }
  )

  it.each([
    ['OPENAI_API_KEY', { OPENAI_API_KEY: 'k'.repeat(16 * 1024 + 1) }],
    [
      'personal_access_token',
      { personal_access_token: `at-${'k'.repeat(16 * 1024 - 2)}` }
    ],
    [
      'agent_identity',
      { auth_mode: 'agentIdentity', agent_identity: 'j'.repeat(16 * 1024 + 1) }
    ]
  ])('a stored %s over 16 KiB names the field and its length', (field, doc) => {
    expect(() => credentialFromAuthJson(doc, source)).toThrow(
      `${field} in the credential from input auth-json is ${16 * 1024 + 1} characters long, more than the 16384 this action accepts.`
    )
  })

  it('caps the trimmed value: surrounding whitespace does not count', () => {
    const key = 'k'.repeat(16 * 1024)
    expect(
      credentialFromAuthJson({ OPENAI_API_KEY: `  ${key}\n` }, source)
    ).toMatchObject({ mode: 'apikey', apiKey: key })
  })

  it('chatgpt mode with only an agent identity is identity-only auth (seed 000)', () => {
    const cred = credentialFromAuthJson(
      { auth_mode: 'chatgpt', agent_identity: 'a.b.c' },
      source
    )
    expect(cred).toMatchObject({
      mode: 'agentIdentity',
      material: { kind: 'jwt', jwt: 'a.b.c' }
    })
  })

  it('an identity record is kept as a record', () => {
    const record = { agent_runtime_id: 'r', task_id: 't' }
    const cred = credentialFromAuthJson(
      { auth_mode: 'agentIdentity', agent_identity: record },
      source
    )
    expect(cred).toMatchObject({
      mode: 'agentIdentity',
      material: { kind: 'record', record }
    })
  })

  it('lists exactly the secret fields', () => {
    expect(
      authJsonSecrets({
        auth_mode: 'chatgpt',
        OPENAI_API_KEY: 'sk-1',
        tokens: {
          id_token: 'i',
          access_token: 'a',
          refresh_token: 'r',
          account_id: 'acct'
        },
        last_refresh: '2026-01-01T00:00:00Z',
        agent_identity: { agent_private_key: 'k', account_id: 'acct' },
        personal_access_token: 'at-1'
      }).sort()
    ).toEqual(['a', 'at-1', 'i', 'k', 'r', 'sk-1'])
  })
})
