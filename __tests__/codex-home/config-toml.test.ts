import fc from 'fast-check'
import { parse } from 'smol-toml'
import {
  primedConfig,
  renderConfigToml
} from '../../src/codex-home/config-toml.js'

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

  it('drops the source policy when none is in force', () => {
    expect(
      primedConfig({
        table: { forced_login_method: 'api', forced_chatgpt_workspace_id: [] },
        workspaceIds: [],
        extra: { extra_key: 'x' }
      })
    ).toEqual({ cli_auth_credentials_store: 'file', extra_key: 'x' })
  })
})

describe('renderConfigToml', () => {
  it("writes the action's own keys in order, the workspace ids in the list form", () => {
    const text = renderConfigToml(
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
        'forced_chatgpt_workspace_id = [ "ws-a", "ws-b" ]',
        'chatgpt_base_url = "http://127.0.0.1:1/backend-api"',
        ''
      ].join('\n')
    )
  })

  it('renders a carried-over table as valid TOML, the forced keys at the top level', () => {
    const text = renderConfigToml(
      primedConfig({
        table: { tools: { web: true }, model: 'o3' },
        workspaceIds: ['a', 'b'],
        extra: {}
      })
    )
    expect(text).toContain('forced_chatgpt_workspace_id = [ "a", "b" ]')
    // Before the first table header, or a later Codex would read the key
    // as part of that table.
    expect(text.indexOf('forced_chatgpt_workspace_id')).toBeLessThan(
      text.indexOf('[tools]')
    )
    expect(parse(text)).toEqual({
      tools: { web: true },
      model: 'o3',
      cli_auth_credentials_store: 'file',
      forced_chatgpt_workspace_id: ['a', 'b']
    })
  })

  it('escapes what would end a string or a line', () => {
    const url = 'a"b\\c\nforced_login_method = "api"\r\t\u0000\u007f\u001b'
    const text = renderConfigToml({ url })
    expect(text.split('\n').filter((l) => l !== '')).toHaveLength(1)
    expect(parse(text)).toEqual({ url })
  })
})

// Strings as inputs and a parsed config.toml can hold them (a lone surrogate
// cannot come from either: both are decoded from UTF-8).
const text = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }).filter((s) => !/\p{Surrogate}/u.test(s))
)
const key = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), text)
const value = fc.oneof(
  text,
  fc.array(text, { maxLength: 4 }),
  fc.boolean(),
  fc.integer(),
  fc.dictionary(key, text, { maxKeys: 3 })
)

describe('what the action writes reads back (smol-toml, as Codex parses it)', () => {
  it('any table reads back as the table it was given', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value), (table) => {
        expect(parse(renderConfigToml(table))).toEqual(table)
      }),
      { numRuns: 300 }
    )
  })

  it('a later Codex reads the forced keys, whatever the carried-over table holds', () => {
    fc.assert(
      fc.property(
        fc.dictionary(key, value),
        fc.constantFrom(undefined, 'chatgpt', 'api'),
        fc.array(
          text.filter((s) => s !== ''),
          { maxLength: 3 }
        ),
        fc.option(
          text.filter((s) => s !== ''),
          { nil: undefined }
        ),
        (table, loginMethod, workspaceIds, chatgptBaseUrl) => {
          const read = parse(
            renderConfigToml(
              primedConfig({
                table,
                loginMethod,
                workspaceIds,
                chatgptBaseUrl,
                extra: {}
              })
            )
          )
          expect(read['cli_auth_credentials_store']).toBe('file')
          expect(read['forced_login_method']).toBe(loginMethod)
          expect(read['forced_chatgpt_workspace_id']).toEqual(
            workspaceIds.length > 0 ? workspaceIds : undefined
          )
          if (chatgptBaseUrl !== undefined) {
            expect(read['chatgpt_base_url']).toBe(chatgptBaseUrl)
          }
        }
      ),
      { numRuns: 300 }
    )
  })
})
