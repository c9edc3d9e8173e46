/**
 * The built action (dist/) with a personal access token, against the
 * loopback dev backend's whoami.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  startDevBackend,
  type DevBackend,
  type MintedPersonalAccessToken
} from '../../dev/backend/index.js'
import {
  findLeaks,
  makeRunnerDirs,
  runAction,
  type RunResult,
  expectFailedWithNothingLeft,
  writeCodexHome
} from '../support/run-action.js'

let backend: DevBackend

beforeAll(async () => {
  backend = await startDevBackend()
})
afterAll(() => backend.close())

function expectNoLeaks(result: RunResult, pat: string): void {
  expect(findLeaks(result, pat)).toEqual([])
  expect(findLeaks(result, `Bearer ${pat}`)).toEqual([])
}

const whoamiCalls = (pat: string): number =>
  backend.requestsFor(
    (r) =>
      r.route === 'whoami' && r.headers['authorization'] === `Bearer ${pat}`
  ).length

describe('a PAT from the access-token input', () => {
  let pat: MintedPersonalAccessToken
  let result: RunResult
  let calls: number
  beforeAll(async () => {
    pat = backend.mintPersonalAccessToken({
      accountId: 'acct-pat',
      planType: 'education',
      fedramp: true
    })
    result = await runAction({
      inputs: {
        'access-token': pat.token,
        'authapi-base-url': backend.authapiBaseUrl,
        'forced-login-method': 'chatgpt',
        'forced-workspace-id': 'acct-pat'
      }
    })
    calls = whoamiCalls(pat.token)
  })

  it('succeeds after exactly one whoami call', () => {
    expect(result.code).toBe(0)
    expect(calls).toBe(1)
  })

  it('exports the header, the whoami account, mapped plan and fedramp', () => {
    const home = result.outputs['codex-home']!
    expect(result.outputs).toEqual({
      'auth-mode': 'personalAccessToken',
      authorization: `Bearer ${pat.token}`,
      'account-id': 'acct-pat',
      'plan-type': 'edu',
      fedramp: 'true',
      'codex-home': home,
      'auth-file': path.join(home, 'auth.json')
    })
    expect(result.env).toEqual({
      CODEX_HOME: home,
      CODEX_AUTHAPI_BASE_URL: backend.authapiBaseUrl,
      // The authapi-base-url input moves task registration too (SPEC 2).
      CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: backend.authapiBaseUrl,
      CODEX_AUTHORIZATION: `Bearer ${pat.token}`,
      CODEX_CHATGPT_ACCOUNT_ID: 'acct-pat'
    })
  })

  it('primes auth.json in Codex PAT form (no auth_mode)', () => {
    const file = result.outputs['auth-file']!
    expect(fs.readFileSync(file, 'utf8')).toBe(
      `{\n  "OPENAI_API_KEY": null,\n  "personal_access_token": "${pat.token}"\n}`
    )
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('masks the token and the header before anything else', () => {
    expect(result.commands[0]).toEqual({
      name: 'add-mask',
      value: pat.token,
      line: 0
    })
    expect(result.masks).toContain(`Bearer ${pat.token}`)
    expectNoLeaks(result, pat.token)
  })
})

it('CODEX_ACCESS_TOKEN env with CODEX_AUTHAPI_BASE_URL; the env var is neutralised for later steps', async () => {
  const pat = backend.mintPersonalAccessToken({ accountId: 'acct-env' })
  const r = await runAction({
    env: {
      CODEX_ACCESS_TOKEN: pat.token,
      CODEX_AUTHAPI_BASE_URL: backend.authapiBaseUrl
    }
  })
  expect(r.code).toBe(0)
  expect(r.outputs['account-id']).toBe('acct-env')
  expect(r.env['CODEX_ACCESS_TOKEN']).toBe('')
  expect(r.env['CODEX_AUTHAPI_BASE_URL']).toBe(backend.authapiBaseUrl)
  expectNoLeaks(r, pat.token)
})

describe('failures', () => {
  it('another workspace: Codex message after whoami, nothing exported', async () => {
    const pat = backend.mintPersonalAccessToken({ accountId: 'acct-theirs' })
    const r = await runAction({
      inputs: {
        'access-token': pat.token,
        'authapi-base-url': backend.authapiBaseUrl,
        'forced-workspace-id': 'acct-mine'
      }
    })
    expectFailedWithNothingLeft(r)
    expect(r.error).toBe(
      'Login is restricted to workspace(s) acct-mine, but current credentials belong to acct-theirs. Logging out.'
    )
    expect(whoamiCalls(pat.token)).toBe(1)
    expectNoLeaks(r, pat.token)
  })

  it('a mismatching PAT from <codex-home>/auth.json is logged out', async () => {
    const pat = backend.mintPersonalAccessToken({ accountId: 'acct-theirs' })
    const dirs = makeRunnerDirs()
    const home = writeCodexHome(dirs, {
      'auth.json': JSON.stringify({
        OPENAI_API_KEY: null,
        personal_access_token: pat.token
      }),
      'config.toml': 'forced_chatgpt_workspace_id = "acct-mine"\n'
    })
    const authFile = path.join(home, 'auth.json')
    const r = await runAction({
      dirs,
      inputs: { 'authapi-base-url': backend.authapiBaseUrl }
    })
    expectFailedWithNothingLeft(r)
    expect(fs.existsSync(authFile)).toBe(false)
  })

  it('forced api: rejected before whoami is asked', async () => {
    const pat = backend.mintPersonalAccessToken()
    const r = await runAction({
      inputs: {
        'access-token': pat.token,
        'authapi-base-url': backend.authapiBaseUrl,
        'forced-login-method': 'api'
      }
    })
    expectFailedWithNothingLeft(r)
    expect(r.error).toBe(
      'API key login is required, but ChatGPT is currently being used. Logging out.'
    )
    expect(whoamiCalls(pat.token)).toBe(0)
  })

  it('a revoked PAT (whoami 401) is a clear error without the token', async () => {
    const pat = backend.mintPersonalAccessToken()
    backend.revokePersonalAccessToken(pat.token)
    const r = await runAction({
      inputs: {
        'access-token': pat.token,
        'authapi-base-url': backend.authapiBaseUrl
      }
    })
    expectFailedWithNothingLeft(r)
    expect(r.error).toBe(
      `The personal access token was rejected by ${backend.authapiBaseUrl}/v1/user-auth-credential/whoami (status 401 Unauthorized). It may be expired, revoked or from another environment: create a new one and update the secret, or check authapi-base-url.`
    )
    expect(whoamiCalls(pat.token)).toBe(1)
    expectNoLeaks(r, pat.token)
  })
})
