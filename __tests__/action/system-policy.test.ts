/**
 * The built action under the runner's system policy (/etc/codex), which a
 * workflow cannot move: each run gets a private /etc/codex in a mount
 * namespace (`with-system-layer.sh`); the host's is never read or written.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  EMPTY_PLAN,
  listFiles,
  runAction,
  type RunResult
} from '../support/run-action.js'
import { tempDir } from '../support/temp-dirs.js'
import { PKCS8_V1_B64 } from '../crypto/vectors.js'

const KEY = 'sk-test-fake-key-0123456789'

// A mount namespace needs root (or a user namespace); say so, never pass.
const canMount = spawnSync('unshare', ['-m', 'true']).status === 0
const describeNs = canMount ? describe : describe.skip
const IN_NS = canMount
  ? ''
  : ' [skipped: unshare -m is not permitted here, so /etc/codex cannot be stood in for]'

/** A stand-in /etc/codex holding the given files. */
function systemLayer(files: Record<string, string>): string {
  const dir = tempDir('etc-codex-')
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text)
  }
  return dir
}

function expectRefused(result: RunResult, message: string | RegExp): void {
  expect(result.code).toBe(1)
  if (typeof message === 'string') expect(result.error).toBe(message)
  else expect(result.error).toMatch(message)
  expect(result.stderr).toBe('')
  expect(result.raw.env).toBe('')
  expect(result.raw.output).toBe('')
  expect(result.state).toEqual(EMPTY_PLAN)
  expect(listFiles(result.dirs.runnerTemp)).toEqual([])
}

const REQUIRE_CHATGPT = {
  'requirements.toml': 'allowed_login_methods = ["chatgpt"]\n'
}

describeNs(`the runner's system policy${IN_NS}`, () => {
  it('a single allowed login method stops an API key, wherever codex-home points', async () => {
    for (const home of [undefined, '/nonexistent']) {
      const result = await runAction({
        inputs: { 'api-key': KEY, ...(home ? { 'codex-home': home } : {}) },
        systemLayer: systemLayer(REQUIRE_CHATGPT)
      })
      expectRefused(
        result,
        'ChatGPT login is required, but an API key is currently being used. Logging out.'
      )
    }
  })

  it('an allowed method is primed as forced_login_method for a later Codex', async () => {
    const result = await runAction({
      inputs: { 'api-key': KEY },
      systemLayer: systemLayer({
        'requirements.toml': 'allowed_login_methods = ["api"]\n'
      })
    })
    expect(result.code).toBe(0)
    const config = fs.readFileSync(
      path.join(result.outputs['codex-home']!, 'config.toml'),
      'utf8'
    )
    expect(config).toMatch(/^forced_login_method = "api"$/m)
    expect(result.summary).toContain('requirements.toml')
  })

  it('a workflow cannot pick the server that vouches for it', async () => {
    const result = await runAction({
      inputs: {
        'api-key': KEY,
        'jwks-base-url': 'http://127.0.0.1:9/backend-api'
      },
      systemLayer: systemLayer(REQUIRE_CHATGPT)
    })
    // The login rule fails first for an API key; an identity shows the
    // endpoint rule on its own.
    expect(result.code).toBe(1)
    const identity = await runAction({
      inputs: {
        'access-token': 'a.b.c',
        'jwks-base-url': 'http://127.0.0.1:9/backend-api'
      },
      systemLayer: systemLayer({
        'managed_config.toml': 'forced_chatgpt_workspace_id = ["ws-1"]\n'
      })
    })
    expectRefused(
      identity,
      /^input jwks-base-url cannot be changed on this runner: its administrator set a Codex login policy in \S+managed_config\.toml/
    )
  })

  it('an identity record handed in by the workflow cannot satisfy the workspace list', async () => {
    const record = {
      agent_runtime_id: 'agent-123',
      agent_private_key: PKCS8_V1_B64,
      account_id: 'ws-1',
      chatgpt_user_id: 'user-1',
      email: '',
      plan_type: 'plus',
      chatgpt_account_is_fedramp: false,
      task_id: 'task-1'
    }
    const result = await runAction({
      inputs: {
        'auth-json': JSON.stringify({
          auth_mode: 'agentIdentity',
          OPENAI_API_KEY: null,
          agent_identity: record
        })
      },
      systemLayer: systemLayer({
        'requirements.toml': 'allowed_chatgpt_workspaces = ["ws-1"]\n'
      })
    })
    expectRefused(
      result,
      /^The agent identity record from input auth-json cannot satisfy the runner's workspace policy/
    )
  })

  it('a workflow list disjoint from the administrator list fails closed', async () => {
    const result = await runAction({
      inputs: { 'access-token': 'a.b.c', 'forced-workspace-id': 'ws-evil' },
      systemLayer: systemLayer({
        'requirements.toml': 'allowed_chatgpt_workspaces = ["ws-1"]\n'
      })
    })
    expectRefused(
      result,
      /^The workspace lists \(ws-evil\) from input forced-workspace-id and \(ws-1\) from \S+requirements\.toml have no workspace in common/
    )
  })

  it('a system policy that does not parse fails closed', async () => {
    const result = await runAction({
      inputs: { 'api-key': KEY },
      systemLayer: systemLayer({
        'requirements.toml': 'allowed_login_methods = "chatgpt"\n'
      })
    })
    expectRefused(
      result,
      /^The Codex system policy \S+requirements\.toml is not valid: allowed_login_methods must list "chatgpt" and\/or "api"/
    )
  })
})
