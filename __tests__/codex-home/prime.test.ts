import * as fs from 'node:fs'
import * as path from 'node:path'
import { parse } from 'smol-toml'
import {
  primeCodexHome,
  primedConfig,
  renderConfigToml,
  resolveSourceHome
} from '../../src/codex-home/prime.js'
import { writeFileAtomic, writeNewFile } from '../../src/files/safe-write.js'
import { MARKER_FILE } from '../../src/codex-home/marker.js'
import { tempDir } from '../support/temp-dirs.js'

const tmp = (): string => tempDir('home-')

describe('primeCodexHome', () => {
  it('creates a fresh 0700 home with 0600 files and a marker', () => {
    const parent = tmp()
    const primed = primeCodexHome({
      parent,
      sourceHome: '/src/home',
      authJsonText: '{"a":1}',
      configToml: 'model = "o3"\n'
    })
    expect(path.dirname(primed.home)).toBe(parent)
    expect(fs.statSync(primed.home).mode & 0o777).toBe(0o700)
    expect(fs.readdirSync(primed.home).sort()).toEqual([
      MARKER_FILE,
      'auth.json',
      'config.toml'
    ])
    for (const f of fs.readdirSync(primed.home)) {
      expect(fs.statSync(path.join(primed.home, f)).mode & 0o777).toBe(0o600)
    }
    expect(fs.readFileSync(primed.authFile, 'utf8')).toBe('{"a":1}')
    expect(fs.readFileSync(primed.configFile, 'utf8')).toBe('model = "o3"\n')
    expect(resolveSourceHome(primed.home)).toBe('/src/home')
  })

  it('two primes get two homes', () => {
    const parent = tmp()
    const opts = {
      parent,
      sourceHome: '/s',
      authJsonText: '{}',
      configToml: ''
    }
    expect(primeCodexHome(opts).home).not.toBe(primeCodexHome(opts).home)
  })

  it('a copied marker naming another directory does not redirect', () => {
    const home = tmp()
    fs.writeFileSync(
      path.join(home, MARKER_FILE),
      JSON.stringify({ primedHome: '/elsewhere', sourceHome: '/s' })
    )
    expect(resolveSourceHome(home)).toBe(home)
    fs.writeFileSync(path.join(home, MARKER_FILE), 'not json')
    expect(resolveSourceHome(home)).toBe(home)
  })
})

describe('safe writes', () => {
  it('writeNewFile refuses an existing file and a symlink', () => {
    const dir = tmp()
    const target = path.join(dir, 'target')
    fs.writeFileSync(target, 'original')
    expect(() => writeNewFile(target, 'x')).toThrow(/EEXIST/)
    const link = path.join(dir, 'link')
    fs.symlinkSync(path.join(dir, 'victim'), link)
    expect(() => writeNewFile(link, 'x')).toThrow(/EEXIST/)
    expect(fs.existsSync(path.join(dir, 'victim'))).toBe(false)
  })

  it('writeFileAtomic replaces content with mode 0600 and leaves no temp file', () => {
    const dir = tmp()
    const file = path.join(dir, 'auth.json')
    fs.writeFileSync(file, 'old', { mode: 0o644 })
    writeFileAtomic(file, 'new')
    expect(fs.readFileSync(file, 'utf8')).toBe('new')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(dir)).toEqual(['auth.json'])
  })

  it('writeFileAtomic replaces a symlink instead of writing through it', () => {
    const dir = tmp()
    const victim = path.join(dir, 'victim')
    fs.writeFileSync(victim, 'keep')
    const file = path.join(dir, 'auth.json')
    fs.symlinkSync(victim, file)
    writeFileAtomic(file, 'new')
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep')
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(false)
  })
})

describe('primedConfig', () => {
  it('carries the source config and adds the auth store and policy', () => {
    const config = primedConfig({
      table: {
        model: 'o3',
        cli_auth_credentials_store: 'keyring',
        forced_chatgpt_workspace_id: 'old',
        profiles: { a: { model: 'x' } }
      },
      loginMethod: 'chatgpt',
      workspaceIds: ['ws-a', 'ws-b'],
      chatgptBaseUrl: 'http://127.0.0.1:1/backend-api',
      extra: {}
    })
    expect(config).toEqual({
      model: 'o3',
      cli_auth_credentials_store: 'file',
      forced_login_method: 'chatgpt',
      forced_chatgpt_workspace_id: ['ws-a', 'ws-b'],
      chatgpt_base_url: 'http://127.0.0.1:1/backend-api',
      profiles: { a: { model: 'x' } }
    })
  })

  it('renders a carried-over table as valid TOML, with the list form', async () => {
    const text = await renderConfigToml(
      primedConfig({
        table: { tools: { web: true }, model: 'o3' },
        workspaceIds: ['a', 'b'],
        extra: {}
      })
    )
    expect(text).toContain('forced_chatgpt_workspace_id = [ "a", "b" ]')
    expect(parse(text)).toEqual({
      tools: { web: true },
      model: 'o3',
      cli_auth_credentials_store: 'file',
      forced_chatgpt_workspace_id: ['a', 'b']
    })
  })
})

describe('renderConfigToml without a carried-over table', () => {
  it("writes the action's own keys directly, in the SPEC's list form", async () => {
    const text = await renderConfigToml(
      primedConfig({
        table: {},
        loginMethod: 'chatgpt',
        workspaceIds: ['ws-a', 'ws-b'],
        chatgptBaseUrl: 'http://127.0.0.1:1/backend-api',
        extra: {}
      })
    )
    expect(text).toBe(
      [
        'cli_auth_credentials_store = "file"',
        'forced_login_method = "chatgpt"',
        'forced_chatgpt_workspace_id = ["ws-a", "ws-b"]',
        'chatgpt_base_url = "http://127.0.0.1:1/backend-api"',
        ''
      ].join('\n')
    )
  })
})
