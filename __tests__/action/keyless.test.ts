/**
 * The built action (dist/) in keyless mode against the loopback dev
 * backend's GitHub OIDC token service and workload identity exchange: on
 * success the token source serves the path the action exported and the
 * post step leaves no process and no directory; every failure exits 1 with
 * one error, exports nothing and leaves no process and no file.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parse } from 'smol-toml'
import { startDevBackend, type DevBackend } from '../../dev/backend/index.js'
import {
  findLeaks,
  listFiles,
  makeRunnerDirs,
  runAction,
  runPost,
  type RunResult,
  expectFailedWithNothingLeft
} from '../support/run-action.js'

const AUDIENCE = 'https://example.test/codex'

let backend: DevBackend

beforeAll(async () => {
  backend = await startDevBackend()
})
afterAll(() => backend.close())

/**
 * Whether a process with this pid still runs. A zombie has exited: the
 * helper is detached, and a container's init may not reap it at once.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return (
      stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
    )
  } catch {
    return false
  }
}

/**
 * Pids of running processes whose command line names `dir`: a token source
 * helper started under that RUNNER_TEMP has its directory in its argv. (A
 * zombie's command line is empty: it has exited.)
 */
function processesUnder(dir: string): number[] {
  const pids: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (argv.includes(dir)) pids.push(Number(entry))
    } catch {
      // Ended meanwhile.
    }
  }
  return pids
}

function oidcEnv(): Record<string, string> {
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: backend.oidcRequestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: backend.oidcRequestToken
  }
}

function keylessInputs(ruleId: string): Record<string, string> {
  return {
    'federation-rule-id': ruleId,
    'oidc-audience': AUDIENCE,
    'refresh-token-url': `${backend.url}/oauth/token`
  }
}

function expectNothingLeft(result: RunResult): void {
  expectFailedWithNothingLeft(result)
  // No token source outlives the failure, even one started alongside the
  // preflight.
  expect(result.stdout).not.toMatch(/Serving workload identity tokens/)
  expect(processesUnder(result.dirs.runnerTemp)).toEqual([])
}

describe('keyless success', () => {
  let result: RunResult
  let pid: number
  beforeAll(async () => {
    const rule = backend.createFederationRule({
      audiences: [AUDIENCE],
      accountId: 'acct-keyless',
      planType: 'business'
    })
    result = await runAction({
      inputs: keylessInputs(rule.id),
      env: { ...oidcEnv(), CODEX_API_KEY: 'sk-ignored-0123456789' }
    })
    const plan = JSON.parse(result.state['cleanup'] ?? '[]') as {
      kind: string
      pid?: number
    }[]
    pid = plan.find((a) => a.kind === 'stop-token-source')?.pid ?? 0
  })
  afterAll(() => {
    if (pid > 0 && alive(pid)) process.kill(pid, 'SIGTERM')
  })

  it('succeeds with the workload identity outputs', () => {
    expect(result.error).toBeUndefined()
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({
      'auth-mode': 'workloadIdentity',
      'account-id': 'acct-keyless',
      'plan-type': 'business',
      fedramp: 'false',
      'auth-file': ''
    })
    expect(result.outputs['authorization']).toMatch(/^Bearer ey/)
    expect(result.outputs['expires-at']).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
    )
  })

  it('exports exactly the keyless env, the token path in its own 0700 dir', () => {
    const env = result.env
    expect(Object.keys(env).sort()).toEqual([
      'CODEX_AUTHORIZATION',
      'CODEX_CHATGPT_ACCOUNT_ID',
      'CODEX_HOME',
      'OPENAI_FEDERATION_RULE_ID',
      'OPENAI_IDENTITY_TOKEN_FILE',
      'OPENAI_IDENTITY_TOKEN_SOURCE'
    ])
    expect(env['OPENAI_IDENTITY_TOKEN_SOURCE']).toBe('file')
    const tokenFile = env['OPENAI_IDENTITY_TOKEN_FILE']!
    expect(result.outputs['identity-token-file']).toBe(tokenFile)
    expect(path.dirname(path.dirname(tokenFile))).toBe(result.dirs.runnerTemp)
    expect(fs.statSync(path.dirname(tokenFile)).mode & 0o777).toBe(0o700)
    expect(fs.statSync(tokenFile).isFIFO()).toBe(true)
    expect(pid).toBeGreaterThan(0)
    expect(alive(pid)).toBe(true)
  })

  it('primes config.toml only, keeping the OIDC variables and the exported header from model commands', () => {
    const home = result.env['CODEX_HOME']!
    expect(fs.existsSync(path.join(home, 'auth.json'))).toBe(false)
    const config = parse(
      fs.readFileSync(path.join(home, 'config.toml'), 'utf8')
    ) as { shell_environment_policy?: { exclude?: string[] } }
    expect(config.shell_environment_policy?.exclude).toEqual([
      'CODEX_AUTHORIZATION',
      'ACTIONS_ID_TOKEN_REQUEST_*',
      'OPENAI_FEDERATION_RULE_ID',
      'OPENAI_IDENTITY_TOKEN_FILE',
      'OPENAI_IDENTITY_TOKEN_SOURCE',
      'OPENAI_WORKLOAD_IDENTITY_CONTEXT'
    ])
  })

  it('summarises rule, audience, claims and token file; never a token', () => {
    expect(result.summary).toContain('Workload identity (keyless)')
    expect(result.summary).toContain(
      '| OIDC audience | `https://example.test/codex` |'
    )
    expect(result.summary).toContain('| Ignored sources | env CODEX_API_KEY |')
    expect(result.summary).toContain('(fifo)')
    const access = result.outputs['authorization']!.slice('Bearer '.length)
    expect(findLeaks(result, access)).toEqual([])
    for (const token of backend.oidcTokens()) {
      expect(findLeaks(result, token.jwt)).toEqual([])
    }
  })

  it('the post step stops the token source and removes its directory', async () => {
    const tokenDir = path.dirname(result.env['OPENAI_IDENTITY_TOKEN_FILE']!)
    const post = await runPost(result)
    expect(post.code).toBe(0)
    expect(fs.existsSync(tokenDir)).toBe(false)
    for (let i = 0; i < 50 && alive(pid); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(alive(pid)).toBe(false)
    expect(listFiles(result.dirs.runnerTemp)).toEqual([])
  })
})

describe('keyless failures: exit 1, nothing exported, no process, no file', () => {
  it('no id-token permission: the YAML to add', async () => {
    const rule = backend.createFederationRule({ audiences: [AUDIENCE] })
    const before = backend.requestsFor('oidc-token').length
    const result = await runAction({ inputs: keylessInputs(rule.id) })
    expectNothingLeft(result)
    expect(result.error).toContain('"permissions: { id-token: write }"')
    expect(result.stdout).toContain('permissions:\n  id-token: write\n')
    expect(backend.requestsFor('oidc-token')).toHaveLength(before)
  })

  it("a fork's pull request: says forks never get the permission", async () => {
    const rule = backend.createFederationRule({ audiences: [AUDIENCE] })
    const dirs = makeRunnerDirs()
    const event = path.join(dirs.runnerTemp, '..', 'event.json')
    fs.writeFileSync(
      event,
      JSON.stringify({
        pull_request: {
          head: { repo: { fork: true, full_name: 'someone/app' } },
          base: { repo: { full_name: 'acme/app' } }
        }
      })
    )
    const result = await runAction({
      dirs,
      inputs: keylessInputs(rule.id),
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event }
    })
    fs.rmSync(event, { force: true })
    expectNothingLeft(result)
    expect(result.error).toContain("never gives a fork's pull request")
  })

  it('forced api: the Codex text before any OIDC request', async () => {
    const rule = backend.createFederationRule({ audiences: [AUDIENCE] })
    const before = backend.requestsFor('oidc-token').length
    const result = await runAction({
      inputs: { ...keylessInputs(rule.id), 'forced-login-method': 'api' },
      env: oidcEnv()
    })
    expectNothingLeft(result)
    expect(result.error).toBe(
      'API key login is required, but ChatGPT is currently being used. Logging out.'
    )
    expect(backend.requestsFor('oidc-token')).toHaveLength(before)
  })

  it('a rule that refuses the subject: the status and the claims that were sent; the token source started alongside is stopped', async () => {
    const rule = backend.createFederationRule({
      audiences: [AUDIENCE],
      subject: 'repo:octo-org/octo-repo:environment:production'
    })
    const result = await runAction({
      inputs: keylessInputs(rule.id),
      env: oidcEnv()
    })
    expectNothingLeft(result)
    expect(result.error).toMatch(
      /^the workload identity token exchange was rejected with HTTP 4\d\d/
    )
    expect(result.error).toContain(
      'sub "repo:octo-org/octo-repo:ref:refs/heads/main"'
    )
  })

  it('a workspace outside forced-workspace-id: Codex text', async () => {
    const rule = backend.createFederationRule({
      audiences: [AUDIENCE],
      accountId: 'acct-other'
    })
    const result = await runAction({
      inputs: { ...keylessInputs(rule.id), 'forced-workspace-id': 'acct-9' },
      env: oidcEnv()
    })
    expectNothingLeft(result)
    expect(result.error).toBe(
      'Login is restricted to workspace(s) acct-9, but current credentials belong to acct-other. Logging out.'
    )
  })
})
