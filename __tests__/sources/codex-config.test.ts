import * as fs from 'node:fs'
import * as path from 'node:path'
import { readCodexConfig } from '../../src/sources/codex-config.js'
import { parseCodexConfig } from '../../src/sources/config-toml.js'
import { tempDir } from '../support/temp-dirs.js'

const parse = (text: string): ReturnType<typeof parseCodexConfig> =>
  parseCodexConfig(text, '/h/config.toml')

describe('config.toml policy parsing (Codex rules)', () => {
  it.each([
    ['forced_chatgpt_workspace_id = "ws-1"', ['ws-1']],
    ['forced_chatgpt_workspace_id = "  ws-1  "', ['ws-1']],
    ['forced_chatgpt_workspace_id = ["a", "", " b "]', ['a', 'b']],
    ['forced_chatgpt_workspace_id = []', undefined],
    ['forced_chatgpt_workspace_id = ""', undefined],
    ['model = "o3"', undefined]
  ])('%s', (toml, ids) => {
    expect(parse(toml).forcedWorkspaceIds).toEqual(ids)
  })

  it('a single string with a comma is an error, as in Codex', () => {
    expect(() => parse('forced_chatgpt_workspace_id = "a,b"')).toThrow(
      /single string containing a comma/
    )
  })

  it.each([
    [
      'forced_login_method = "apikey"',
      /forced_login_method must be "chatgpt" or "api"/
    ],
    [
      'forced_chatgpt_workspace_id = 3',
      /must be a string or a list of strings/
    ],
    ['chatgpt_base_url = 1', /chatgpt_base_url must be a non-empty string/],
    ['this is = = not toml', /The Codex config \/h\/config.toml is not valid/]
  ])('rejects %s', (toml, message) => {
    expect(() => parse(toml)).toThrow(message)
  })

  it('a TOML error never echoes the file (it may hold secrets)', () => {
    let message = ''
    try {
      parse('token = "sk-secret-value-123"\n[[[')
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/is not valid/)
    expect(message).not.toContain('sk-secret-value-123')
  })

  it('keeps the whole table for carrying over', () => {
    const c = parse('model = "o3"\n[tools]\nweb_search = true')
    expect(c.table).toEqual({ model: 'o3', tools: { web_search: true } })
  })

  it('a missing file is an empty config', async () => {
    const dir = tempDir('cfg-')
    await expect(readCodexConfig(dir)).resolves.toEqual({
      path: path.join(dir, 'config.toml'),
      exists: false,
      table: {}
    })
  })

  it('reads and parses a file that exists', async () => {
    const dir = tempDir('cfg-')
    fs.writeFileSync(
      path.join(dir, 'config.toml'),
      'forced_login_method = "api"\nmodel = "o3"\n'
    )
    await expect(readCodexConfig(dir)).resolves.toMatchObject({
      exists: true,
      forcedLoginMethod: 'api',
      table: { forced_login_method: 'api', model: 'o3' }
    })
  })
})
