/**
 * The built action (dist/) with a ChatGPT auth.json, against the loopback dev
 * backend: what a workflow author sees, and what happens to the one valid
 * copy of a rotating refresh token.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  startDevBackend,
  type ChatgptAuthJson,
  type DevBackend,
  type LoggedRequest,
  type MintChatgptAuthOptions
} from '../../dev/backend/index.js'
import {
  EMPTY_PLAN,
  findLeaks,
  listFiles,
  makeRunnerDirs,
  runAction,
  runPost,
  type RunnerDirs,
  type RunResult,
  expectFailedWithNothingLeft
} from '../support/run-action.js'

const REUSED =
  'Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.'
const REVOKED =
  'Your access token could not be refreshed because your refresh token was revoked. Please log out and sign in again.'

let backend: DevBackend

beforeAll(async () => {
  backend = await startDevBackend()
})
afterAll(() => backend.close())
beforeEach(() => {
  backend.clearRequests()
  backend.clearFaults()
})

function mint(options: MintChatgptAuthOptions = {}): ChatgptAuthJson {
  return backend.mintChatgptAuth({ planType: 'pro', ...options })
}

function secretsOf(auth: ChatgptAuthJson): string[] {
  const { id_token, access_token, refresh_token } = auth.tokens
  return [id_token, access_token, refresh_token, `Bearer ${access_token}`]
}

function expectNoLeaks(result: RunResult, secrets: string[]): void {
  for (const secret of secrets) expect(findLeaks(result, secret)).toEqual([])
}

/** A runner whose ~/.codex/auth.json holds `auth`. */
function runnerWithHome(
  auth: unknown,
  config?: string
): { dirs: RunnerDirs; authFile: string } {
  const dirs = makeRunnerDirs()
  const home = path.join(dirs.home, '.codex')
  fs.mkdirSync(home)
  const authFile = path.join(home, 'auth.json')
  fs.writeFileSync(authFile, JSON.stringify(auth, null, 2), { mode: 0o600 })
  if (config !== undefined) {
    fs.writeFileSync(path.join(home, 'config.toml'), config)
  }
  return { dirs, authFile }
}

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>

describe('a fresh token from the auth-json input', () => {
  let auth: ChatgptAuthJson
  let result: RunResult
  let refreshes: number
  beforeAll(async () => {
    auth = mint({ accountId: 'acct-fresh', fedramp: true, planType: 'hc' })
    backend.clearRequests()
    result = await runAction({
      inputs: {
        'auth-json': JSON.stringify(auth, null, 2),
        'refresh-token-url': backend.refreshTokenUrl,
        'forced-login-method': 'chatgpt'
      }
    })
    refreshes = backend.requestsFor('refresh').length
  })

  it('succeeds without calling the token endpoint', () => {
    expect(result.code).toBe(0)
    expect(refreshes).toBe(0)
  })

  it('sets outputs and env from tokens.account_id and the id_token claims', () => {
    const home = result.outputs['codex-home']!
    const header = `Bearer ${auth.tokens.access_token}`
    expect(result.outputs).toEqual({
      'auth-mode': 'chatgpt',
      authorization: header,
      'account-id': 'acct-fresh',
      'plan-type': 'enterprise',
      fedramp: 'true',
      'codex-home': home,
      'auth-file': path.join(home, 'auth.json')
    })
    expect(result.env).toEqual({
      CODEX_HOME: home,
      CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.refreshTokenUrl,
      CODEX_AUTHORIZATION: header,
      CODEX_CHATGPT_ACCOUNT_ID: 'acct-fresh'
    })
  })

  it('primes the auth.json unchanged, in Codex format, 0600', () => {
    const file = result.outputs['auth-file']!
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(auth, null, 2))
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('masks every token and the header before they appear anywhere', () => {
    expect(result.masks).toEqual(expect.arrayContaining(secretsOf(auth)))
    expectNoLeaks(result, secretsOf(auth))
    expect(result.summary).toContain('| Token refresh | not needed |')
  })
})

it('base64 auth-json and no tokens.account_id: no account header or output', async () => {
  const auth = mint({ accountId: 'acct-claim-only', tokensAccountId: null })
  const r = await runAction({
    inputs: {
      'auth-json': Buffer.from(JSON.stringify(auth)).toString('base64'),
      'refresh-token-url': backend.refreshTokenUrl,
      // Without tokens.account_id, the id_token claim satisfies the
      // workspace rule.
      'forced-workspace-id': 'acct-claim-only'
    }
  })
  expect(r.code).toBe(0)
  expect(r.outputs['account-id']).toBeUndefined()
  expect(r.env['CODEX_CHATGPT_ACCOUNT_ID']).toBeUndefined()
  expectNoLeaks(r, secretsOf(auth))
})

describe('an expiring token from the auth-json input', () => {
  let auth: ChatgptAuthJson
  let result: RunResult
  let refreshes: LoggedRequest[]
  beforeAll(async () => {
    auth = mint({ accountId: 'acct-expiring', accessTokenExpiresIn: 120 })
    backend.clearRequests()
    result = await runAction({
      inputs: {
        'auth-json': JSON.stringify(auth, null, 2),
        'refresh-token-url': backend.refreshTokenUrl
      }
    })
    refreshes = backend.requestsFor('refresh')
  })

  it('is refreshed exactly once, proactively', () => {
    expect(result.code).toBe(0)
    expect(refreshes).toHaveLength(1)
    expect(refreshes[0]!.body).toBe(
      `{"client_id":"app_EMoamEEZ73f0CkXaXp7hrann","grant_type":"refresh_token","refresh_reason":"proactive_expiry","refresh_token":"${auth.tokens.refresh_token}"}`
    )
    expect(backend.refreshTokenState(auth.tokens.refresh_token)).toBe('used')
  })

  it('primes and exports the rotated tokens, masked', () => {
    const current = backend.chatgptTokens('acct-expiring')!
    const primed = readJson(result.outputs['auth-file']!)
    expect(primed['tokens']).toEqual({
      id_token: current.idToken,
      access_token: current.accessToken,
      refresh_token: current.refreshToken,
      account_id: 'acct-expiring'
    })
    const lastRefresh = Date.parse(primed['last_refresh'] as string)
    expect(Math.abs(Date.now() - lastRefresh)).toBeLessThan(60_000)
    expect(result.outputs['authorization']).toBe(
      `Bearer ${current.accessToken}`
    )
    const fresh = [
      current.idToken,
      current.accessToken,
      current.refreshToken,
      `Bearer ${current.accessToken}`
    ]
    expect(result.masks).toEqual(expect.arrayContaining(fresh))
    expectNoLeaks(result, [...fresh, ...secretsOf(auth)])
  })

  it('warns that the secret now holds a used refresh token, and shows how to persist auth-file', () => {
    const warnings = result.commands.filter((c) => c.name === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.value).toMatch(
      /^The ChatGPT tokens from input auth-json were refreshed/
    )
    expect(warnings[0]!.value).toContain('outputs.auth-file')
    expect(result.summary).toContain('refreshed (proactive_expiry)')
    expect(result.summary).toContain('outputs.auth-file')
  })
})

describe('from <codex-home>/auth.json', () => {
  it('writes the refreshed tokens back at once, and a later rotation in the post step', async () => {
    const auth = mint({ accountId: 'acct-home', accessTokenExpiresIn: 60 })
    const { dirs, authFile } = runnerWithHome(auth)
    const main = await runAction({
      dirs,
      inputs: { 'refresh-token-url': backend.refreshTokenUrl }
    })
    expect(main.code).toBe(0)
    expect(backend.requestsFor('refresh')).toHaveLength(1)

    // Right after the refresh, the runner's file is the primed one.
    const primedFile = main.outputs['auth-file']!
    expect(fs.readFileSync(authFile, 'utf8')).toBe(
      fs.readFileSync(primedFile, 'utf8')
    )
    expect(fs.statSync(authFile).mode & 0o777).toBe(0o600)
    const current = backend.chatgptTokens('acct-home')!
    expect(readJson(authFile)['tokens']).toMatchObject({
      refresh_token: current.refreshToken
    })
    expect(main.commands.filter((c) => c.name === 'warning')).toEqual([])
    expect(main.summary).toContain(
      `| Refreshed tokens written to | ${authFile} |`
    )

    // A later Codex step rotates the primed copy...
    const primedDoc = readJson(primedFile)
    const rotated = {
      ...primedDoc,
      tokens: {
        ...(primedDoc['tokens'] as Record<string, unknown>),
        refresh_token: 'rt-rotated-later'
      },
      last_refresh: new Date().toISOString()
    }
    fs.writeFileSync(primedFile, JSON.stringify(rotated, null, 2))
    // ...and the post step carries it back before removing the home.
    const post = await runPost(main)
    expect(post.code).toBe(0)
    expect(fs.readFileSync(authFile, 'utf8')).toBe(
      JSON.stringify(rotated, null, 2)
    )
    expect(fs.existsSync(main.outputs['codex-home']!)).toBe(false)
  })

  it('without a refresh the runner file is untouched, and an unchanged primed copy is not copied back', async () => {
    const auth = mint({ accountId: 'acct-home-fresh' })
    const { dirs, authFile } = runnerWithHome(auth)
    const before = fs.readFileSync(authFile, 'utf8')
    const main = await runAction({
      dirs,
      inputs: { 'refresh-token-url': backend.refreshTokenUrl }
    })
    expect(main.code).toBe(0)
    expect(fs.readFileSync(authFile, 'utf8')).toBe(before)

    // Unchanged primed copy: nothing is written back.
    const post = await runPost(main)
    expect(post.code).toBe(0)
    expect(fs.readFileSync(authFile, 'utf8')).toBe(before)
  })

  it('a revoked refresh token fails with Codex text after one request; the file stays', async () => {
    const auth = mint({
      accountId: 'acct-revoked',
      accessTokenExpiresIn: 60,
      refreshTokenState: 'revoked'
    })
    const { dirs, authFile } = runnerWithHome(auth)
    const before = fs.readFileSync(authFile, 'utf8')
    const r = await runAction({
      dirs,
      inputs: { 'refresh-token-url': backend.refreshTokenUrl }
    })
    expectFailedWithNothingLeft(r)
    expect(r.error).toBe(REVOKED)
    expect(backend.requestsFor('refresh')).toHaveLength(1)
    expect(fs.readFileSync(authFile, 'utf8')).toBe(before)
    expectNoLeaks(r, secretsOf(auth))
  })

  it('a workspace mismatch logs out before any network call', async () => {
    const auth = mint({ accountId: 'acct-theirs', accessTokenExpiresIn: 60 })
    const { dirs, authFile } = runnerWithHome(
      auth,
      'forced_chatgpt_workspace_id = ["acct-mine"]\n'
    )
    const r = await runAction({
      dirs,
      inputs: { 'refresh-token-url': backend.refreshTokenUrl }
    })
    expectFailedWithNothingLeft(r)
    expect(r.error).toBe(
      'Login is restricted to workspace(s) acct-mine, but current credentials belong to acct-theirs. Logging out.'
    )
    expect(fs.existsSync(authFile)).toBe(false)
    expect(backend.requests).toEqual([])
  })
})

describe('refresh failures', () => {
  it('a reused refresh token: one request, Codex message, stale token never exported', async () => {
    const auth = mint({ accountId: 'acct-reused', accessTokenExpiresIn: 60 })
    backend.setRefreshTokenState(auth.tokens.refresh_token, 'used')
    const r = await runAction({
      inputs: {
        'auth-json': JSON.stringify(auth, null, 2),
        'refresh-token-url': backend.refreshTokenUrl
      }
    })
    expectFailedWithNothingLeft(r)
    expect(r.error).toBe(REUSED)
    expect(backend.requestsFor('refresh')).toHaveLength(1)
    expectNoLeaks(r, secretsOf(auth))
  })

  it('transient failures exhausted: a token not yet expired is used, with a warning', async () => {
    const auth = mint({ accountId: 'acct-503', accessTokenExpiresIn: 120 })
    backend.inject('refresh', { kind: 'status', status: 503, times: 3 })
    const r = await runAction({
      inputs: {
        'auth-json': JSON.stringify(auth, null, 2),
        'refresh-token-url': backend.refreshTokenUrl
      }
    })
    expect(r.code).toBe(0)
    expect(backend.requestsFor('refresh')).toHaveLength(3)
    expect(r.outputs['authorization']).toBe(
      `Bearer ${auth.tokens.access_token}`
    )
    const warnings = r.commands.filter((c) => c.name === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.value).toMatch(
      /^Failed to refresh token: 503 Service Unavailable: .*Using the current ChatGPT access token, which has not expired yet \(it expires at /
    )
    expectNoLeaks(r, secretsOf(auth))
  })

  it('transient failures exhausted with an expired token fail the step', async () => {
    const auth = mint({
      accountId: 'acct-503-expired',
      accessTokenExpiresIn: -60
    })
    backend.inject('refresh', { kind: 'status', status: 503, times: 3 })
    const r = await runAction({
      inputs: {
        'auth-json': JSON.stringify(auth, null, 2),
        'refresh-token-url': backend.refreshTokenUrl
      }
    })
    expectFailedWithNothingLeft(r)
    expect(r.error).toMatch(
      /^Failed to refresh token: 503 Service Unavailable: .*\. The ChatGPT access token has already expired, so it cannot be used instead\./
    )
  })
})

describe('never losing a rotated refresh token', () => {
  it('a reply with new tokens but an invalid id_token: the rotated auth.json is kept under RUNNER_TEMP and named', async () => {
    const auth = mint({ accountId: 'acct-bad-id', accessTokenExpiresIn: 60 })
    const rotated = {
      id_token: 'not-a-jwt',
      access_token: 'at-rotated-access-token-0123456789',
      refresh_token: 'rt-rotated-refresh-token-0123456789'
    }
    // The server rotates (the old refresh token is used up), then answers
    // with an id_token Codex cannot parse.
    backend.inject('refresh', {
      kind: 'status',
      status: 200,
      body: rotated,
      process: true,
      times: 1
    })
    const r = await runAction({
      inputs: {
        'auth-json': JSON.stringify(auth, null, 2),
        'refresh-token-url': backend.refreshTokenUrl
      }
    })
    expect(r.code).toBe(1)
    expect(backend.requestsFor('refresh')).toHaveLength(1)
    expect(backend.refreshTokenState(auth.tokens.refresh_token)).toBe('used')
    const match =
      /^Failed to refresh token: invalid ID token format\. The token endpoint had already rotated the refresh token, so the one stored in input auth-json is now used up\. The new ChatGPT tokens are kept in (\S+) until the job ends: /.exec(
        r.error ?? ''
      )
    expect(match).not.toBeNull()
    const kept = match![1]!
    expect(path.dirname(path.dirname(kept))).toBe(r.dirs.runnerTemp)
    expect(fs.statSync(kept).mode & 0o777).toBe(0o600)
    expect(fs.statSync(path.dirname(kept)).mode & 0o777).toBe(0o700)
    expect(readJson(kept)['tokens']).toMatchObject({
      access_token: rotated.access_token,
      refresh_token: rotated.refresh_token,
      // The previous id_token, so the kept file still loads.
      id_token: auth.tokens.id_token
    })
    // Nothing else is left or exported.
    expect(listFiles(r.dirs.runnerTemp)).toEqual([
      path.relative(r.dirs.runnerTemp, kept)
    ])
    expect(r.raw.env + r.raw.output).toBe('')
    expect(r.state).toEqual(EMPTY_PLAN)
    expectNoLeaks(r, [...secretsOf(auth), ...Object.values(rotated)])
  })

  it('RUNNER_TEMP that is a file: fails before any request, the token untouched', async () => {
    const auth = mint({ accountId: 'acct-temp-file', accessTokenExpiresIn: 60 })
    const dirs = makeRunnerDirs()
    const notADir = path.join(dirs.root, 'temp-file')
    fs.writeFileSync(notADir, '')
    const r = await runAction({
      dirs,
      inputs: {
        'auth-json': JSON.stringify(auth, null, 2),
        'refresh-token-url': backend.refreshTokenUrl
      },
      env: { RUNNER_TEMP: notADir }
    })
    expect(r.code).toBe(1)
    expect(r.error).toMatch(
      /^Could not write the primed Codex home at .*temp-file: .*\. Check that RUNNER_TEMP is writable\.$/
    )
    expect(backend.requestsFor('refresh')).toEqual([])
    expect(backend.refreshTokenState(auth.tokens.refresh_token)).toBe('valid')
    expect(r.raw.env + r.raw.output).toBe('')
    expect(r.state).toEqual(EMPTY_PLAN)
  })

  it('an output file that cannot be written: fails before any request', async () => {
    const auth = mint({ accountId: 'acct-no-output', accessTokenExpiresIn: 60 })
    const dirs = makeRunnerDirs()
    const r = await runAction({
      dirs,
      inputs: {
        'auth-json': JSON.stringify(auth, null, 2),
        'refresh-token-url': backend.refreshTokenUrl
      },
      env: { GITHUB_OUTPUT: dirs.workspace }
    })
    expect(r.code).toBe(1)
    expect(r.error).toMatch(
      /^GITHUB_OUTPUT \(.*\) cannot be written: .*EISDIR.*so the step stopped before any request\.$/
    )
    expect(backend.requestsFor('refresh')).toEqual([])
    expect(backend.refreshTokenState(auth.tokens.refresh_token)).toBe('valid')
    expect(listFiles(dirs.runnerTemp)).toEqual([])
  })
})

const DEEP = 'nested 20,000 levels deep'

describe('strict validation', () => {
  it.each([
    [
      'no last_refresh',
      (a: Record<string, unknown>) => delete a['last_refresh'],
      'The ChatGPT auth.json from input auth-json has no last_refresh, so Codex would send no Authorization header at all. Store the whole auth.json that `codex login` wrote, including last_refresh.'
    ],
    [
      'an id_token that is not a JWT',
      (a: Record<string, unknown>) =>
        ((a['tokens'] as Record<string, unknown>)['id_token'] = 'opaque'),
      'tokens.id_token in the ChatGPT auth.json from input auth-json is not a JWT (three non-empty base64url parts, the middle one a JSON object), so Codex would silently ignore the whole file. Sign in again with `codex login` and store the whole auth.json it writes (~/.codex/auth.json), unchanged.'
    ],
    [
      'tokens nested thousands of levels deep',
      // Too deep for JSON.stringify too: spliced in as text below.
      (a: Record<string, unknown>) =>
        ((a['tokens'] as Record<string, unknown>)['extra'] = DEEP),
      'The auth.json from input auth-json is not valid: it nests objects or lists more than 32 levels deep.'
    ]
  ])('%s', async (_name, damage, message) => {
    const auth = mint() as unknown as Record<string, unknown>
    damage(auth)
    const text = JSON.stringify(auth).replace(
      JSON.stringify(DEEP),
      '['.repeat(20_000) + ']'.repeat(20_000)
    )
    const r = await runAction({ inputs: { 'auth-json': text } })
    expectFailedWithNothingLeft(r)
    expect(r.error).toBe(message)
    expect(backend.requests).toEqual([])
  })
})
