/**
 * What Codex refuses for workload identity, refused before any token is
 * requested, with Codex's texts (SPEC §3, §12).
 */
import type { Settings } from '../../src/inputs.js'
import { knownEnvironment } from '../../src/endpoints/agent-identity.js'
import { resolvePolicy } from '../../src/policy/rules.js'
import { parseSystemPolicy } from '../../src/policy/system.js'
import {
  chatgptBaseSetting,
  refuseWorkloadIdentity
} from '../../src/policy/workload.js'
import { parseCodexConfig } from '../../src/sources/config-toml.js'
import { parseToml } from '../../src/files/toml.js'

const settings = (over: Partial<Settings> = {}): Settings =>
  ({ credentials: {}, ...over }) as Settings
const config = (toml = ''): ReturnType<typeof parseCodexConfig> =>
  parseCodexConfig(toml, '/h/config.toml')
const trusted = (url: string): boolean => knownEnvironment(url) !== undefined

const refuse = (
  over: Partial<Settings> = {},
  toml = '',
  managed: string | undefined = undefined
): void => {
  const cfg = config(toml)
  const system = parseSystemPolicy(
    { path: '/etc/codex/requirements.toml', text: undefined },
    {
      path: '/etc/codex/managed_config.toml',
      text: managed
    },
    parseToml
  )
  refuseWorkloadIdentity(
    resolvePolicy(settings(over), cfg, system),
    chatgptBaseSetting(
      over.chatgptBaseUrl,
      { url: system.managedChatgptBaseUrl, path: system.managedPath },
      cfg
    ),
    cfg,
    trusted
  )
}

const API_REQUIRED =
  'API key login is required, but ChatGPT is currently being used. Logging out.'

describe('refuseWorkloadIdentity', () => {
  it('nothing set: allowed', () => {
    expect(() => refuse()).not.toThrow()
  })

  it.each([
    ['input', { forcedLoginMethod: 'api' as const }, '', undefined],
    ['config.toml', {}, 'forced_login_method = "api"', undefined],
    ['the system layer', {}, '', 'forced_login_method = "api"']
  ])('forced api from %s: Codex text', (_, over, toml, managed) => {
    expect(() => refuse(over, toml, managed)).toThrow(API_REQUIRED)
  })

  it('forced chatgpt is fine: workload identity is ChatGPT login', () => {
    expect(() => refuse({ forcedLoginMethod: 'chatgpt' })).not.toThrow()
  })

  it.each([
    'https://chatgpt.com',
    'https://chatgpt.com/backend-api/',
    'https://chat.openai.com/codex',
    'https://chatgpt-staging.com/backend-api/codex/'
  ])('trusted routing %s passes', (url) => {
    expect(() =>
      refuse({ chatgptBaseUrl: { url, from: 'input chatgpt-base-url' } })
    ).not.toThrow()
    expect(() => refuse({}, `chatgpt_base_url = "${url}"`)).not.toThrow()
  })

  it.each([
    ['input', 'http://127.0.0.1:8080/backend-api/', '(input chatgpt-base-url)'],
    [
      'config',
      'https://chatgpt.example/backend-api/',
      '(chatgpt_base_url in /h/config.toml)'
    ]
  ])('untrusted routing from %s: Codex text and where', (kind, url, from) => {
    const run = (): void =>
      kind === 'input'
        ? refuse({ chatgptBaseUrl: { url, from: 'input chatgpt-base-url' } })
        : refuse({}, `chatgpt_base_url = "${url}"`)
    expect(run).toThrow(
      'workload identity auth supports only trusted production and staging app routing: '
    )
    expect(run).toThrow(from)
  })

  it('openai_base_url carried into the primed config: Codex text', () => {
    expect(() =>
      refuse({}, 'openai_base_url = "http://127.0.0.1:9/v1"')
    ).toThrow(
      'workload identity requires the default OpenAI Responses endpoint: openai_base_url in /h/config.toml'
    )
  })

  it('the login method is checked first', () => {
    expect(() =>
      refuse(
        { forcedLoginMethod: 'api' },
        'openai_base_url = "http://127.0.0.1:9/v1"'
      )
    ).toThrow(API_REQUIRED)
  })
})

describe('chatgptBaseSetting', () => {
  const cfg = config('chatgpt_base_url = "https://chatgpt.com/codex"')
  it('input, then the managed config, then config.toml', () => {
    const input = { url: 'https://x/', from: 'input chatgpt-base-url' }
    const managed = {
      url: 'https://m/',
      path: '/etc/codex/managed_config.toml'
    }
    expect(chatgptBaseSetting(input, managed, cfg)).toBe(input)
    expect(chatgptBaseSetting(undefined, managed, cfg)).toEqual({
      url: 'https://m/',
      from: 'chatgpt_base_url in /etc/codex/managed_config.toml'
    })
    expect(chatgptBaseSetting(undefined, { path: 'p' }, cfg)).toEqual({
      url: 'https://chatgpt.com/codex',
      from: 'chatgpt_base_url in /h/config.toml'
    })
    expect(
      chatgptBaseSetting(undefined, { path: 'p' }, config())
    ).toBeUndefined()
  })
})
