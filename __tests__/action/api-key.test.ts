/**
 * The built action (dist/) run like a runner runs it, for API keys: what a
 * workflow author sees in env, outputs, files, the log and the exit code.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parse as parseToml } from 'smol-toml'
import {
  EMPTY_PLAN,
  findLeaks,
  listFiles,
  makeRunnerDirs,
  runAction,
  runPost,
  writeCodexHome,
  type RunResult
} from '../support/run-action.js'

const KEY = 'sk-test-fake-key-0123456789'

function expectNothingExported(result: RunResult): void {
  expect(result.raw.env).toBe('')
  expect(result.raw.output).toBe('')
  expect(result.state).toEqual(EMPTY_PLAN)
  expect(listFiles(result.dirs.runnerTemp)).toEqual([])
}

function expectOneCleanFailure(result: RunResult, message: string): void {
  expect(result.code).toBe(1)
  expect(result.error).toBe(message)
  expect(result.commands.filter((c) => c.name === 'error')).toHaveLength(1)
  expect(result.stderr).toBe('')
  expect(result.stdout).not.toMatch(/\bat .+:\d+:\d+\)?$/m) // no stack frames
  expectNothingExported(result)
}

describe('API key from the api-key input', () => {
  let result: RunResult
  beforeAll(async () => {
    result = await runAction({
      inputs: { 'api-key': KEY, 'forced-login-method': 'api' }
    })
  })

  it('succeeds and masks the key and the header before anything else', () => {
    expect(result.code).toBe(0)
    expect(result.masks).toEqual(expect.arrayContaining([KEY, `Bearer ${KEY}`]))
    expect(result.commands[0]).toEqual({
      name: 'add-mask',
      value: KEY,
      line: 0
    })
    expect(findLeaks(result, KEY)).toEqual([])
    expect(findLeaks(result, `Bearer ${KEY}`)).toEqual([])
  })

  it('exports env for later steps', () => {
    expect(result.env).toEqual({
      CODEX_HOME: result.outputs['codex-home'],
      CODEX_API_KEY: KEY,
      CODEX_AUTHORIZATION: `Bearer ${KEY}`
    })
  })

  it('sets the outputs', () => {
    const home = result.outputs['codex-home']!
    expect(result.outputs).toEqual({
      'auth-mode': 'apikey',
      authorization: `Bearer ${KEY}`,
      fedramp: 'false',
      'codex-home': home,
      'auth-file': path.join(home, 'auth.json')
    })
    expect(path.dirname(home)).toBe(result.dirs.runnerTemp)
  })

  it('primes a private Codex home in Codex format', () => {
    const home = result.outputs['codex-home']!
    expect(fs.statSync(home).mode & 0o777).toBe(0o700)
    for (const f of ['auth.json', 'config.toml']) {
      expect(fs.statSync(path.join(home, f)).mode & 0o777).toBe(0o600)
    }
    expect(fs.readFileSync(path.join(home, 'auth.json'), 'utf8')).toBe(
      `{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "${KEY}"\n}`
    )
    const config = fs.readFileSync(path.join(home, 'config.toml'), 'utf8')
    expect(config).toContain('cli_auth_credentials_store = "file"')
    expect(config).toContain('forced_login_method = "api"')
  })

  it('keeps the exported key and header out of the commands the model runs', () => {
    const home = result.outputs['codex-home']!
    const config = parseToml(
      fs.readFileSync(path.join(home, 'config.toml'), 'utf8')
    )
    expect(config['shell_environment_policy']).toEqual({
      exclude: ['CODEX_AUTHORIZATION', 'CODEX_API_KEY']
    })
  })

  it('writes a summary without the secret', () => {
    expect(result.summary).toContain('| Mode | API key (`apikey`) |')
    expect(result.summary).toContain('| Credential from | input api-key |')
    expect(result.summary).toContain(
      "| Kept from the model's commands | `CODEX_AUTHORIZATION`, `CODEX_API_KEY` |"
    )
    expect(result.summary).not.toContain(KEY)
  })

  it('post step removes exactly the primed home', async () => {
    const home = result.outputs['codex-home']!
    const post = await runPost(result)
    expect(post.code).toBe(0)
    expect(fs.existsSync(home)).toBe(false)
    expect(listFiles(result.dirs.runnerTemp)).toEqual([])
    // Running it again (the home is gone) is fine.
    expect((await runPost(result)).code).toBe(0)
  })
})

describe('shell_environment_policy of the source home', () => {
  it('is carried over, with the exported credential variables added to its exclude list', async () => {
    const dirs = makeRunnerDirs()
    writeCodexHome(dirs, {
      'config.toml':
        '[shell_environment_policy]\ninherit = "core"\nexclude = ["MY_SECRET"]\n'
    })
    const r = await runAction({ dirs, inputs: { 'api-key': KEY } })
    expect(r.code).toBe(0)
    const config = parseToml(
      fs.readFileSync(
        path.join(r.outputs['codex-home']!, 'config.toml'),
        'utf8'
      )
    )
    expect(config['shell_environment_policy']).toEqual({
      inherit: 'core',
      exclude: ['MY_SECRET', 'CODEX_AUTHORIZATION', 'CODEX_API_KEY']
    })
  })
})

describe('API key sources and precedence', () => {
  it('CODEX_API_KEY env alone', async () => {
    const r = await runAction({ env: { CODEX_API_KEY: KEY } })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      'Using the Codex credential from env CODEX_API_KEY.'
    )
    expect(r.env['CODEX_API_KEY']).toBe(KEY)
  })

  it('auth.json in the Codex home alone', async () => {
    const dirs = makeRunnerDirs()
    writeCodexHome(dirs, {
      'auth.json': JSON.stringify({ OPENAI_API_KEY: KEY })
    })
    const r = await runAction({ dirs })
    expect(r.code).toBe(0)
    expect(r.outputs['authorization']).toBe(`Bearer ${KEY}`)
    expect(r.masks).toContain(KEY)
    expect(findLeaks(r, KEY)).toEqual([])
  })

  it('the input wins, other sources are logged as ignored without values', async () => {
    const r = await runAction({
      inputs: { 'api-key': KEY },
      env: {
        CODEX_API_KEY: 'sk-env-other-value',
        OPENAI_API_KEY: 'sk-openai-other'
      }
    })
    expect(r.code).toBe(0)
    expect(r.env['CODEX_API_KEY']).toBe(KEY)
    expect(r.stdout).toContain(
      'Ignoring env CODEX_API_KEY: input api-key takes precedence.'
    )
    expect(r.stdout).toContain(
      'Ignoring env OPENAI_API_KEY: input api-key takes precedence.'
    )
    for (const other of ['sk-env-other-value', 'sk-openai-other']) {
      expect(findLeaks(r, other)).toEqual([])
    }
  })

  it('OPENAI_API_KEY env is the last resort', async () => {
    const r = await runAction({ env: { OPENAI_API_KEY: KEY } })
    expect(r.code).toBe(0)
    expect(r.env['CODEX_API_KEY']).toBe(KEY)
  })

  it('export-env: false writes outputs and the home but no env', async () => {
    const r = await runAction({
      inputs: { 'api-key': KEY, 'export-env': 'false' }
    })
    expect(r.code).toBe(0)
    expect(r.raw.env).toBe('')
    expect(r.outputs['auth-mode']).toBe('apikey')
    expect(fs.existsSync(r.outputs['auth-file']!)).toBe(true)
  })

  it('cleanup: false keeps the home after the post step', async () => {
    const r = await runAction({ inputs: { 'api-key': KEY, cleanup: 'false' } })
    await runPost(r)
    expect(fs.existsSync(r.outputs['codex-home']!)).toBe(true)
  })

  it('a second run in the same job reads the original home, not the primed one', async () => {
    const dirs = makeRunnerDirs()
    const source = path.join(dirs.home, 'source-home')
    fs.mkdirSync(source)
    fs.writeFileSync(path.join(source, 'config.toml'), 'model = "o3"\n')
    fs.writeFileSync(
      path.join(source, 'auth.json'),
      JSON.stringify({ OPENAI_API_KEY: KEY })
    )
    const first = await runAction({ dirs, env: { CODEX_HOME: source } })
    const second = await runAction({
      dirs,
      env: { CODEX_HOME: first.env['CODEX_HOME']! }
    })
    expect(second.code).toBe(0)
    expect(second.stdout).toContain(
      `Using the Codex credential from ${path.join(source, 'auth.json')}.`
    )
    expect(second.outputs['codex-home']).not.toBe(first.outputs['codex-home'])
    await runPost(first)
    await runPost(second)
    expect(listFiles(dirs.runnerTemp)).toEqual([])
  })
})

describe('failures: one clear message, exit 1, nothing exported', () => {
  it('forced chatgpt with an API key (Codex text)', async () => {
    const r = await runAction({
      inputs: { 'api-key': KEY, 'forced-login-method': 'chatgpt' }
    })
    expectOneCleanFailure(
      r,
      'ChatGPT login is required, but an API key is currently being used. Logging out.'
    )
    expect(findLeaks(r, KEY)).toEqual([])
  })

  it('logging out deletes the auth.json the rejected key came from', async () => {
    const dirs = makeRunnerDirs()
    const codexHome = writeCodexHome(dirs, {
      'auth.json': JSON.stringify({ OPENAI_API_KEY: KEY }),
      'config.toml': 'forced_login_method = "chatgpt"\n'
    })
    const authFile = path.join(codexHome, 'auth.json')
    const r = await runAction({ dirs })
    expectOneCleanFailure(
      r,
      'ChatGPT login is required, but an API key is currently being used. Logging out.'
    )
    expect(fs.existsSync(authFile)).toBe(false)
  })

  it('an auth.json that was merely present is kept', async () => {
    const dirs = makeRunnerDirs()
    const codexHome = writeCodexHome(dirs, {
      'auth.json': JSON.stringify({ OPENAI_API_KEY: 'sk-file-key' })
    })
    const authFile = path.join(codexHome, 'auth.json')
    const r = await runAction({
      dirs,
      inputs: { 'api-key': KEY, 'forced-login-method': 'chatgpt' }
    })
    expect(r.code).toBe(1)
    expect(fs.existsSync(authFile)).toBe(true)
  })

  it.each([
    [
      { 'forced-login-method': 'API' },
      "Invalid forced-login-method 'API'. Expected 'chatgpt' or 'api'."
    ],
    [
      { 'export-env': 'yes' },
      "Invalid export-env 'yes'. Expected 'true' or 'false'."
    ],
    [
      { 'chatgpt-base-url': 'not a url' },
      "Invalid chatgpt-base-url 'not a url': not an absolute URL (expected https://host/path)."
    ],
    [
      { 'auth-json': '{not json' },
      'The auth.json from input auth-json is not valid: it is not valid JSON.'
    ],
    [
      { 'auth-json': '{"auth_mode":"apikey"}' },
      'API key auth is missing a key.'
    ]
  ])('bad input %j', async (inputs, message) => {
    const r = await runAction({ inputs: { 'api-key': '', ...inputs } })
    expectOneCleanFailure(r, message)
  })

  it('a key with a line break is rejected without echoing it', async () => {
    const r = await runAction({
      inputs: { 'api-key': 'sk-line-one\nsk-line-two' }
    })
    expectOneCleanFailure(
      r,
      'The credential from input api-key contains a line break or another control character. Store the bare value in the secret, without quotes or trailing lines.'
    )
    expect(r.stdout).not.toContain('sk-line-one')
  })

  it('no credential at all names every way to provide one', async () => {
    const r = await runAction({})
    expect(r.code).toBe(1)
    expect(r.error).toMatch(
      /^No Codex credential found\. Set one of the inputs api-key/
    )
    expectNothingExported(r)
  })

  it('the post step after a failed main step does nothing and succeeds', async () => {
    const r = await runAction({
      inputs: { 'api-key': KEY, 'forced-login-method': 'chatgpt' }
    })
    const post = await runPost(r)
    expect(post.code).toBe(0)
    expect(post.commands.filter((c) => c.name === 'warning')).toEqual([])
  })
})
