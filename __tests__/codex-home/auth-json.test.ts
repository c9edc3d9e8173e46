import { renderAuthJson } from '../../src/codex-home/auth-json.js'

describe('rendering auth.json as Codex writes it', () => {
  it('uses Codex key order, 2-space indent, no trailing newline, OPENAI_API_KEY always present', () => {
    const text = renderAuthJson({
      personal_access_token: 'at-1',
      agent_identity: undefined,
      extra: 'dropped'
    })
    expect(text).toBe(
      '{\n  "OPENAI_API_KEY": null,\n  "personal_access_token": "at-1"\n}'
    )
  })

  it('orders every key', () => {
    const text = renderAuthJson({
      personal_access_token: 'p',
      agent_identity: 'i',
      last_refresh: 'l',
      tokens: 't',
      OPENAI_API_KEY: 'k',
      auth_mode: 'm'
    })
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'auth_mode',
      'OPENAI_API_KEY',
      'tokens',
      'last_refresh',
      'agent_identity',
      'personal_access_token'
    ])
  })
})
