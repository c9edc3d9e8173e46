import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parse } from 'smol-toml'
import { ActionError } from '../../src/errors.js'
import type { Settings } from '../../src/inputs.js'
import {
  loginMethodViolation,
  resolvePolicy,
  workspaceViolation
} from '../../src/policy/rules.js'
import {
  parseSystemPolicy,
  readSystemPolicy,
  type SystemPolicy
} from '../../src/policy/system.js'
import { parseCodexConfig } from '../../src/sources/config-toml.js'
import { tempDir } from '../support/temp-dirs.js'

const REQ = '/etc/codex/requirements.toml'
const MANAGED = '/etc/codex/managed_config.toml'

const system = (requirements?: string, managed?: string): SystemPolicy =>
  parseSystemPolicy(
    { path: REQ, text: requirements },
    { path: MANAGED, text: managed },
    parse
  )
const settings = (over: Partial<Settings> = {}): Settings =>
  ({ credentials: {}, ...over }) as Settings
const config = (toml = ''): ReturnType<typeof parseCodexConfig> =>
  parseCodexConfig(toml, '/h/config.toml')

const failure = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    if (err instanceof ActionError) return err.message
    throw err
  }
  return 'no error'
}

describe('parseSystemPolicy', () => {
  it('no files: no policy', () => {
    expect(system()).toMatchObject({ inForce: false })
  })

  it('files without auth keys: not in force', () => {
    expect(system('[features]\nx = true\n', 'model = "o3"\n').inForce).toBe(
      false
    )
  })

  it('reads the auth keys of both files', () => {
    const s = system(
      'allowed_login_methods = ["chatgpt"]\nallowed_chatgpt_workspaces = [" ws-1 ", "ws-2", ""]\n',
      'forced_login_method = "chatgpt"\nforced_chatgpt_workspace_id = "ws-1"\nchatgpt_base_url = "https://chatgpt.com/backend-api/"\n'
    )
    expect(s).toEqual({
      inForce: true,
      requirementsPath: REQ,
      managedPath: MANAGED,
      allowedLoginMethods: ['chatgpt'],
      allowedWorkspaces: ['ws-1', 'ws-2'],
      managedLoginMethod: 'chatgpt',
      managedWorkspaces: ['ws-1'],
      managedChatgptBaseUrl: 'https://chatgpt.com/backend-api/'
    })
  })

  it.each([
    ['allowed_login_methods = "chatgpt"\n', undefined, 'allowed_login_methods'],
    ['allowed_login_methods = ["oauth"]\n', undefined, 'allowed_login_methods'],
    // The table form is a parse error in Codex 0.169.0 too.
    [
      '[allowed_chatgpt_workspaces]\nws-1 = true\n',
      undefined,
      'allowed_chatgpt_workspaces'
    ],
    [undefined, 'forced_login_method = "sso"\n', 'forced_login_method'],
    [undefined, 'chatgpt_base_url = 3\n', 'chatgpt_base_url'],
    ['allowed_login_methods = [\n', undefined, REQ]
  ])('fails closed on %j / %j', (requirements, managed, named) => {
    const message = failure(() => system(requirements, managed))
    expect(message).toContain('is not valid')
    expect(message).toContain(named)
  })
})

describe('readSystemPolicy', () => {
  let dir: string
  beforeEach(() => {
    dir = tempDir('system-')
  })

  it('reads the two files from the directory', async () => {
    fs.writeFileSync(
      path.join(dir, 'requirements.toml'),
      'allowed_login_methods = ["api"]\n'
    )
    const s = await readSystemPolicy(dir)
    expect(s.allowedLoginMethods).toEqual(['api'])
    expect(s.requirementsPath).toBe(path.join(dir, 'requirements.toml'))
  })

  it('a missing directory is no policy', async () => {
    expect((await readSystemPolicy(path.join(dir, 'absent'))).inForce).toBe(
      false
    )
  })

  it('a FIFO in place of a file fails closed at once', async () => {
    execFileSync('mkfifo', [path.join(dir, 'managed_config.toml')])
    await expect(readSystemPolicy(dir)).rejects.toThrow('is not valid')
  })
})

describe('the system layer composed with inputs and config.toml', () => {
  it('a single allowed login method becomes the forced one', () => {
    const policy = resolvePolicy(
      settings(),
      config(),
      system('allowed_login_methods = ["chatgpt"]\n')
    )
    expect(policy.loginMethod).toBe('chatgpt')
    expect(policy.loginMethodFrom).toBe(REQ)
    expect(loginMethodViolation(policy, 'api')).toBe(
      'ChatGPT login is required, but an API key is currently being used. Logging out.'
    )
  })

  it('both methods allowed: no login restriction', () => {
    const policy = resolvePolicy(
      settings(),
      config(),
      system('allowed_login_methods = ["chatgpt", "api"]\n')
    )
    expect(loginMethodViolation(policy, 'api')).toBeUndefined()
  })

  it.each([
    [
      'an input outside the allowed methods',
      settings({ forcedLoginMethod: 'api' }),
      config(),
      system('allowed_login_methods = ["chatgpt"]\n'),
      "forced login method 'api' (input forced-login-method) is not in allowed_login_methods (chatgpt)"
    ],
    [
      'a config.toml outside the allowed methods',
      settings(),
      config('forced_login_method = "api"\n'),
      system('allowed_login_methods = ["chatgpt"]\n'),
      "forced login method 'api' (/h/config.toml) is not in allowed_login_methods"
    ],
    [
      'an empty allow list',
      settings(),
      config(),
      system('allowed_login_methods = []\n'),
      'allows no login method'
    ],
    [
      'an input against the managed method',
      settings({ forcedLoginMethod: 'api' }),
      config(),
      system(undefined, 'forced_login_method = "chatgpt"\n'),
      'forced login method \'api\' (input forced-login-method) conflicts with forced_login_method = "chatgpt" in /etc/codex/managed_config.toml'
    ]
  ])('%s is an error', (_name, s, c, sys, message) => {
    expect(failure(() => resolvePolicy(s, c, sys))).toContain(message)
  })

  it('workspace lists from every layer intersect, and each is enforced', () => {
    const policy = resolvePolicy(
      settings({ forcedWorkspaceIds: ['ws-1', 'ws-2', 'ws-3'] }),
      config('forced_chatgpt_workspace_id = ["ws-1", "ws-2"]\n'),
      system('allowed_chatgpt_workspaces = ["ws-2", "ws-1", "ws-9"]\n')
    )
    expect(policy.primedWorkspaceIds).toEqual(['ws-1', 'ws-2'])
    expect(workspaceViolation(policy, 'ws-9')).toBe(
      'Login is restricted to workspace(s) ws-1, ws-2, ws-3, but current credentials belong to ws-9. Logging out.'
    )
    expect(workspaceViolation(policy, 'ws-2')).toBeUndefined()
  })

  it('the allow list alone becomes the forced list', () => {
    const policy = resolvePolicy(
      settings(),
      // Moving the Codex home away (codex-home: /nonexistent) changes nothing.
      config(),
      system('allowed_chatgpt_workspaces = ["ws-1"]\n')
    )
    expect(policy.primedWorkspaceIds).toEqual(['ws-1'])
    expect(workspaceViolation(policy, 'ws-2')).toContain(
      'Login is restricted to workspace(s) ws-1'
    )
  })

  it('an empty allow list admits no workspace', () => {
    expect(
      failure(() =>
        resolvePolicy(
          settings(),
          config(),
          system('allowed_chatgpt_workspaces = []\n')
        )
      )
    ).toContain('have no workspace in common')
  })

  it('a workflow list disjoint from the administrator list fails closed', () => {
    const message = failure(() =>
      resolvePolicy(
        settings({ forcedWorkspaceIds: ['ws-evil'] }),
        config(),
        system(undefined, 'forced_chatgpt_workspace_id = ["ws-1"]\n')
      )
    )
    expect(message).toBe(
      "The workspace lists (ws-evil) from input forced-workspace-id and (ws-1) from /etc/codex/managed_config.toml have no workspace in common, so no credential could satisfy all of them. The runner's administrator's lists cannot be loosened: change the workflow's."
    )
  })

  it('an unverified credential cannot satisfy the administrator list', () => {
    const policy = resolvePolicy(
      settings(),
      config(),
      system('allowed_chatgpt_workspaces = ["ws-1"]\n')
    )
    expect(policy.system?.inForce).toBe(true)
    expect(workspaceViolation(policy, 'ws-1', false)).toContain(
      'An unverified agent identity cannot satisfy'
    )
  })

  it('input and config.toml alone keep their own message', () => {
    expect(
      failure(() =>
        resolvePolicy(
          settings({ forcedWorkspaceIds: ['a'] }),
          config('forced_chatgpt_workspace_id = ["b"]\n')
        )
      )
    ).toContain('forced-workspace-id (a) and forced_chatgpt_workspace_id (b)')
  })
})
