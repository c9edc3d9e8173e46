import * as fs from 'node:fs'
import * as path from 'node:path'
import { readSettings } from '../../src/inputs.js'
import { loadCredential, maskRawCredentials } from '../../src/sources/load.js'
import { fakeRunner } from '../support/fake-runner.js'
import { tempDir } from '../support/temp-dirs.js'

function setup(
  inputs: Record<string, string>,
  env: Record<string, string>,
  authJson?: object
): {
  runner: ReturnType<typeof fakeRunner>
  home: string
  load: () => ReturnType<typeof loadCredential>
} {
  const home = tempDir('src-')
  if (authJson)
    fs.writeFileSync(path.join(home, 'auth.json'), JSON.stringify(authJson))
  const runner = fakeRunner(inputs, { HOME: '/h', CODEX_HOME: home, ...env })
  const settings = readSettings(runner)
  return { runner, home, load: () => loadCredential(runner, settings, home) }
}

// Codex's precedence, highest first, with the mode each source yields.
const ALL = {
  inputs: {
    'api-key': 'sk-in',
    'access-token': 'at-in',
    'agent-identity': 'at-in',
    'auth-json': '{"OPENAI_API_KEY":"sk-json"}'
  },
  env: {
    CODEX_API_KEY: 'sk-env',
    CODEX_ACCESS_TOKEN: 'at-env',
    CODEX_AGENT_IDENTITY: 'h.p.s',
    OPENAI_API_KEY: 'sk-openai'
  }
}

describe('credential precedence', () => {
  it.each([
    [{}, {}, 'input api-key', 'apikey'],
    [{ 'api-key': '' }, {}, 'env CODEX_API_KEY', 'apikey'],
    [
      { 'api-key': '' },
      { CODEX_API_KEY: '' },
      'input access-token',
      'personalAccessToken'
    ],
    [
      { 'api-key': '', 'access-token': '' },
      { CODEX_API_KEY: '' },
      'input agent-identity',
      'personalAccessToken'
    ],
    [
      { 'api-key': '', 'access-token': '', 'agent-identity': '' },
      { CODEX_API_KEY: '' },
      'env CODEX_ACCESS_TOKEN',
      'personalAccessToken'
    ],
    [
      { 'api-key': '', 'access-token': '', 'agent-identity': '' },
      { CODEX_API_KEY: '', CODEX_ACCESS_TOKEN: '' },
      'env CODEX_AGENT_IDENTITY',
      'agentIdentity'
    ],
    [
      { 'api-key': '', 'access-token': '', 'agent-identity': '' },
      { CODEX_API_KEY: '', CODEX_ACCESS_TOKEN: ' ', CODEX_AGENT_IDENTITY: '' },
      'input auth-json',
      'apikey'
    ]
  ])('%j %j → %s', (inputs, env, label, mode) => {
    const { load } = setup(
      { ...ALL.inputs, ...inputs },
      { ...ALL.env, ...env },
      { OPENAI_API_KEY: 'sk-file' }
    )
    const { credential } = load()
    expect(credential.source.label).toBe(label)
    expect(credential.mode).toBe(mode)
  })

  it('the Codex home auth.json comes before OPENAI_API_KEY', () => {
    const { load, home } = setup(
      {},
      { OPENAI_API_KEY: 'sk-openai' },
      { OPENAI_API_KEY: 'sk-file' }
    )
    const { credential, ignored } = load()
    expect(credential).toMatchObject({
      apiKey: 'sk-file',
      source: { authFilePath: path.join(home, 'auth.json') }
    })
    expect(ignored).toEqual(['env OPENAI_API_KEY'])
  })

  it('at- prefix is case-sensitive', () => {
    expect(setup({ 'access-token': 'AT-x' }, {}).load().credential.mode).toBe(
      'agentIdentity'
    )
  })

  it('different access-token and agent-identity inputs are an error naming both', () => {
    expect(() =>
      setup({ 'access-token': 'a.b.c', 'agent-identity': 'd.e.f' }, {}).load()
    ).toThrow(
      'The inputs access-token and agent-identity are both set, to different values. Set only one of them.'
    )
  })

  it('an input beside its env var is not a conflict; the env var is logged as ignored', () => {
    const { load, runner } = setup(
      { 'access-token': 'at-in' },
      { CODEX_ACCESS_TOKEN: 'at-env' }
    )
    expect(load().credential).toMatchObject({ token: 'at-in' })
    expect(runner.logs()).toContain(
      'Ignoring env CODEX_ACCESS_TOKEN: input access-token takes precedence.'
    )
    expect(runner.logs().join('\n')).not.toContain('at-env')
  })

  it('nothing at all is NO_CREDENTIAL', () => {
    expect(() => setup({}, {}).load()).toThrow(/^No Codex credential found/)
  })
})

describe('masking raw credentials', () => {
  it('masks single-line values, and a JSON auth-json only by its secret fields', () => {
    const doc = JSON.stringify(
      { auth_mode: 'apikey', OPENAI_API_KEY: 'sk-json-secret' },
      null,
      2
    )
    const { runner, load } = setup({ 'auth-json': doc }, { CODEX_API_KEY: '' })
    maskRawCredentials(runner, readSettings(runner))
    expect(runner.masks()).toEqual([])
    load()
    expect(runner.masks()).toEqual(['sk-json-secret'])
  })

  it('a one-line JSON auth-json is masked by field, not whole', () => {
    const doc = '{"OPENAI_API_KEY":"sk-one-line-secret"}'
    const { runner, load } = setup({ 'auth-json': doc }, { CODEX_API_KEY: '' })
    maskRawCredentials(runner, readSettings(runner))
    load()
    expect(runner.masks()).toEqual(['sk-one-line-secret'])
  })

  it('masks a base64 auth-json input whole', () => {
    const b64 = Buffer.from('{"OPENAI_API_KEY":"sk-b64"}').toString('base64')
    const { runner } = setup({ 'auth-json': b64, 'api-key': 'sk-in' }, {})
    maskRawCredentials(runner, readSettings(runner))
    expect(runner.masks().sort()).toEqual([b64, 'sk-in'].sort())
  })
})
