import { parseCodexConfig } from '../../src/sources/config-toml.js'
import type { Settings } from '../../src/inputs.js'
import {
  loginMethodViolation,
  resolvePolicy,
  workspaceViolation
} from '../../src/policy/rules.js'

const settings = (over: Partial<Settings> = {}): Settings =>
  ({ credentials: {}, ...over }) as Settings
const config = (toml = ''): ReturnType<typeof parseCodexConfig> =>
  parseCodexConfig(toml, '/h/config.toml')

describe('login method rule (Codex messages)', () => {
  it.each([
    [
      'api',
      'chatgpt',
      'API key login is required, but ChatGPT is currently being used. Logging out.'
    ],
    [
      'chatgpt',
      'api',
      'ChatGPT login is required, but an API key is currently being used. Logging out.'
    ],
    ['api', 'api', undefined],
    ['chatgpt', 'chatgpt', undefined]
  ] as const)('forced %s, credential %s', (forced, family, message) => {
    const policy = resolvePolicy(
      settings({ forcedLoginMethod: forced }),
      config()
    )
    expect(loginMethodViolation(policy, family)).toBe(message)
  })

  it('no policy allows both families', () => {
    const policy = resolvePolicy(settings(), config())
    expect(loginMethodViolation(policy, 'api')).toBeUndefined()
    expect(loginMethodViolation(policy, 'chatgpt')).toBeUndefined()
  })

  it('config.toml policy is enforced without an input', () => {
    const policy = resolvePolicy(
      settings(),
      config('forced_login_method = "chatgpt"')
    )
    expect(loginMethodViolation(policy, 'api')).toMatch(
      /^ChatGPT login is required/
    )
  })

  it('input and config naming different methods is a configuration error', () => {
    expect(() =>
      resolvePolicy(
        settings({ forcedLoginMethod: 'api' }),
        config('forced_login_method = "chatgpt"')
      )
    ).toThrow(
      `forced-login-method 'api' conflicts with forced_login_method = "chatgpt" in /h/config.toml`
    )
  })
})

describe('workspace rule (Codex messages)', () => {
  const policy = resolvePolicy(
    settings({ forcedWorkspaceIds: ['ws-a', 'ws-b'] }),
    config()
  )

  it.each([
    ['ws-a', undefined],
    ['ws-b', undefined],
    [
      'ws-c',
      'Login is restricted to workspace(s) ws-a, ws-b, but current credentials belong to ws-c. Logging out.'
    ],
    [
      undefined,
      'Login is restricted to workspace(s) ws-a, ws-b, but current credentials lack a workspace identifier. Logging out.'
    ],
    [
      '',
      'Login is restricted to workspace(s) ws-a, ws-b, but current credentials lack a workspace identifier. Logging out.'
    ]
  ])('account %s', (account, message) => {
    expect(workspaceViolation(policy, account)).toBe(message)
  })

  it('an unverified identity never satisfies a workspace list', () => {
    expect(workspaceViolation(policy, 'ws-a', false)).toBe(
      'An unverified agent identity cannot satisfy forced-workspace-id; remove verify-identity: false'
    )
  })

  it('no list: anything passes, verified or not', () => {
    const open = resolvePolicy(settings(), config())
    expect(workspaceViolation(open, undefined, false)).toBeUndefined()
  })

  it('both lists must hold; the message shows the list that failed', () => {
    const both = resolvePolicy(
      settings({ forcedWorkspaceIds: ['ws-a', 'ws-b'] }),
      config('forced_chatgpt_workspace_id = ["ws-b", "ws-c"]')
    )
    expect(both.primedWorkspaceIds).toEqual(['ws-b'])
    expect(workspaceViolation(both, 'ws-b')).toBeUndefined()
    expect(workspaceViolation(both, 'ws-c')).toBe(
      'Login is restricted to workspace(s) ws-a, ws-b, but current credentials belong to ws-c. Logging out.'
    )
    expect(workspaceViolation(both, 'ws-a')).toBe(
      'Login is restricted to workspace(s) ws-b, ws-c, but current credentials belong to ws-a. Logging out.'
    )
  })

  it('disjoint lists are an error naming both', () => {
    expect(() =>
      resolvePolicy(
        settings({ forcedWorkspaceIds: ['ws-a'] }),
        config('forced_chatgpt_workspace_id = "ws-z"')
      )
    ).toThrow(
      /forced-workspace-id \(ws-a\) and forced_chatgpt_workspace_id \(ws-z\)/
    )
  })
})
