/**
 * The main step in keyless mode, with a fake HTTP client and a fake token
 * source: the token source is started once every local check held, before
 * the preflight's first request, handed its first token (minted by the
 * mode alongside the exchange) and waited for before export; its stop
 * entry goes to the post step, and any failure after it started stops it
 * and leaves nothing behind. What Codex would refuse fails before any
 * request and starts nothing.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type {
  HttpClient,
  HttpResponse,
  RequestSpec
} from '../src/clients/http.js'
import { decodeState } from '../src/cleanup/plan.js'
import { run, type MainDeps, type TokenSourceSpec } from '../src/main.js'
import {
  API_LOGIN_REQUIRED,
  workspaceMismatch
} from '../src/messages/restrictions.js'
import { oidcPermissionMissing } from '../src/messages/workload-identity.js'
import type { EarlyTokenSource } from '../src/token-source/early.js'
import type { Token, TokenSourceHandle } from '../src/token-source/launch.js'
import { fakeRunner, type FakeRunner } from './support/fake-runner.js'
import { standInTokenSource } from './support/stand-in-token-source.js'
import { tempDir } from './support/temp-dirs.js'

const NOW = new Date('2026-08-22T05:54:43.000Z')
const AUTH_CLAIM = 'https://api.openai.com/auth'
const b64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url')
const jwt = (payload: unknown): string =>
  `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(payload)}.c2lnbmF0dXJl`

const OIDC_URL = 'https://oidc.test/token?api-version=2.0'
const OIDC_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: OIDC_URL,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-abc'
}
const EXCHANGE_URL = 'https://auth.test/oauth/token'
const ACCESS = jwt({ [AUTH_CLAIM]: { chatgpt_user_id: 'user-1' }, n: 1 })
const EXCHANGE_REPLY = {
  access_token: ACCESS,
  chatgpt_account_id: 'acct-1',
  chatgpt_account_user_id: 'user-1__acct-1',
  chatgpt_plan_type: 'business',
  expires_in: 3600,
  issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
  scope: 'openid',
  token_type: 'Bearer',
  user_id: 'user-1'
}
const RULE = {
  'federation-rule-id': 'idpm_1',
  'oidc-audience': 'aud-1',
  'refresh-token-url': EXCHANGE_URL
}

const respond = (status: number, body: unknown): HttpResponse => ({
  status,
  reason: status === 200 ? 'OK' : '',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  truncated: false
})

interface Fakes {
  deps: MainDeps
  requests: string[]
  started: TokenSourceSpec[]
  stopped: TokenSourceHandle[]
  handle: TokenSourceHandle
  /** Starts, requests, waits and stops, in order. */
  events: string[]
  /** The first tokens handed to the token source. */
  handed: Token[]
  /** The early token source passed with each launch. */
  early: (EarlyTokenSource | undefined)[]
}

function fakes(
  temp: string,
  options: {
    exchangeStatus?: number
    startFails?: boolean
    readyFails?: boolean
    /** The status of the token source's first OIDC request (the second). */
    secondOidcStatus?: number
  } = {}
): Fakes {
  const requests: string[] = []
  const events: string[] = []
  let minted = 0
  const http: HttpClient = {
    request: async (spec: RequestSpec) => {
      // The exchange body (with its OIDC token) is made just before sending.
      if (spec.bodyPerAttempt) await spec.bodyPerAttempt()
      requests.push(`${spec.method} ${spec.url.replace(/[?&]audience=.*/, '')}`)
      events.push(spec.method)
      if (spec.method === 'GET') {
        minted++
        if (minted === 2 && options.secondOidcStatus !== undefined) {
          return respond(options.secondOidcStatus, {})
        }
        return respond(200, {
          value: jwt({
            iss: 'https://token.actions.githubusercontent.com',
            sub: 'repo:o/r:ref:refs/heads/main',
            aud: 'aud-1',
            jti: `j${minted}`
          })
        })
      }
      const status = options.exchangeStatus ?? 200
      return respond(
        status,
        status === 200 ? EXCHANGE_REPLY : { error: 'invalid_grant' }
      )
    }
  }
  // The fake makes its directory like the real one, so a test can see it go.
  const source = standInTokenSource({
    dirPrefix: 'codex-oidc-fake-',
    identity: { pid: 4242, startTime: '99', nonce: 'n0nce' },
    firstTokenFailed: (err) => `first token: ${(err as Error).message}`,
    noFirstToken: 'no first token',
    events,
    startFails: options.startFails === true,
    readyFails: options.readyFails === true
  })
  const deps: MainDeps = {
    now: () => NOW,
    createHttp: () => Promise.resolve(http),
    ...source.deps
  }
  return {
    deps,
    requests,
    started: source.started,
    stopped: source.stopped,
    get handle(): TokenSourceHandle {
      return source.launched[0]!
    },
    events,
    handed: source.handed,
    early: source.early
  }
}

/**
 * A token source the entry started early (only its handle is looked at
 * here: the launcher is a stand-in), with a directory of its own.
 */
function earlyStart(temp: string): EarlyTokenSource {
  const dir = fs.mkdtempSync(path.join(temp, 'codex-early-fake-'))
  return {
    spec: {
      runnerTemp: temp,
      mode: 'fifo',
      audience: 'aud-1',
      requestUrl: OIDC_URL,
      requestToken: 'oidc-request-token-abc',
      env: {}
    },
    helper: {
      dir,
      nonce: 'early',
      pid: 4343,
      stdin: undefined,
      exit: () => undefined,
      tokenPath: Promise.resolve(undefined)
    },
    handle: {
      dir,
      path: path.join(dir, 'token'),
      pid: 4343,
      startTime: '98',
      nonce: 'early'
    }
  }
}

function machine(): {
  temp: string
  home: string
  env: Record<string, string>
} {
  const base = tempDir('main-keyless-')
  const temp = path.join(base, 'temp')
  const home = path.join(base, 'home')
  fs.mkdirSync(temp)
  fs.mkdirSync(path.join(home, '.codex'), { recursive: true })
  return { temp, home, env: { HOME: home, RUNNER_TEMP: temp } }
}

afterEach(() => {
  process.exitCode = undefined
})

function expectNothingLeft(runner: FakeRunner, temp: string): void {
  expect(runner.exported()).toEqual({})
  expect(runner.outputs()).toEqual({})
  expect(runner.state).toEqual({ cleanup: '[]' })
  expect(fs.readdirSync(temp)).toEqual([])
}

describe('main, workload identity', () => {
  it('success: the token source starts before the preflight, is awaited after it; its stop entry, the env', async () => {
    const m = machine()
    const f = fakes(m.temp)
    const runner = fakeRunner(RULE, {
      ...m.env,
      ...OIDC_ENV,
      CODEX_API_KEY: 'sk-ignored'
    })
    await run(runner, f.deps)
    expect(runner.failures()).toEqual([])
    // The preflight's OIDC token, then the token source's, requested before
    // the exchange goes out.
    expect(f.requests).toEqual([
      `GET ${OIDC_URL}`,
      `GET ${OIDC_URL}`,
      `POST ${EXCHANGE_URL}`
    ])
    expect(f.started).toEqual([
      {
        runnerTemp: m.temp,
        mode: 'fifo',
        audience: 'aud-1',
        requestUrl: OIDC_URL,
        requestToken: 'oidc-request-token-abc',
        env: runner.env
      }
    ])
    expect(f.events).toEqual(['start', 'GET', 'GET', 'POST', 'ready'])
    expect(f.stopped).toEqual([])
    // Its own token (jti j2), never the one exchanged, masked.
    expect(f.handed).toHaveLength(1)
    const firstToken = f.handed[0]!.value
    expect(
      JSON.parse(Buffer.from(firstToken.split('.')[1]!, 'base64url').toString())
    ).toMatchObject({ jti: 'j2' })
    expect(runner.masks()).toContain(firstToken)
    const env = runner.exported()
    expect(Object.keys(env).sort()).toEqual([
      'CODEX_AUTHORIZATION',
      'CODEX_CHATGPT_ACCOUNT_ID',
      'CODEX_HOME',
      'OPENAI_FEDERATION_RULE_ID',
      'OPENAI_IDENTITY_TOKEN_FILE',
      'OPENAI_IDENTITY_TOKEN_SOURCE'
    ])
    expect(env['OPENAI_IDENTITY_TOKEN_FILE']).toBe(f.handle.path)
    expect(env['CODEX_AUTHORIZATION']).toBe(`Bearer ${ACCESS}`)
    expect(runner.outputs()['expires-at']).toBe('2026-08-22T06:54:43Z')
    // The primed home has config.toml and no auth.json.
    const home = env['CODEX_HOME']!
    expect(fs.existsSync(path.join(home, 'auth.json'))).toBe(false)
    expect(fs.readFileSync(path.join(home, 'config.toml'), 'utf8')).toContain(
      '"ACTIONS_ID_TOKEN_REQUEST_*"'
    )
    expect(decodeState(runner.state['cleanup'] ?? '')[0]).toEqual({
      kind: 'stop-token-source',
      pid: 4242,
      startTime: '99',
      nonce: 'n0nce',
      dir: f.handle.dir
    })
  })

  it('a token source the entry started early goes to the launch, which takes it over or stops it', async () => {
    const m = machine()
    const f = fakes(m.temp)
    const early = earlyStart(m.temp)
    const runner = fakeRunner(RULE, { ...m.env, ...OIDC_ENV })
    await run(runner, { ...f.deps, early })
    expect(runner.failures()).toEqual([])
    expect(f.early).toEqual([early])
    // The launcher's to stop (here a stand-in that leaves it be).
    expect(f.stopped).toEqual([])
  })

  it('refused before the launch (forced api): the early token source is stopped; nothing left', async () => {
    const m = machine()
    const f = fakes(m.temp)
    const early = earlyStart(m.temp)
    const runner = fakeRunner(
      { ...RULE, 'forced-login-method': 'api' },
      { ...m.env, ...OIDC_ENV }
    )
    await run(runner, { ...f.deps, early })
    expect(runner.failures()).toEqual([API_LOGIN_REQUIRED])
    expect(f.requests).toEqual([])
    expect(f.started).toEqual([])
    expect(f.stopped).toEqual([early.handle])
    expectNothingLeft(runner, m.temp)
  })

  it('forced api: the Codex text before any request; no token source', async () => {
    const m = machine()
    const f = fakes(m.temp)
    const runner = fakeRunner(
      { ...RULE, 'forced-login-method': 'api' },
      { ...m.env, ...OIDC_ENV }
    )
    await run(runner, f.deps)
    expect(runner.failures()).toEqual([API_LOGIN_REQUIRED])
    expect(f.requests).toEqual([])
    expect(f.started).toEqual([])
    expectNothingLeft(runner, m.temp)
  })

  it('openai_base_url in config.toml: refused before any request', async () => {
    const m = machine()
    fs.writeFileSync(
      path.join(m.home, '.codex', 'config.toml'),
      'openai_base_url = "http://127.0.0.1:1/v1"\n'
    )
    const f = fakes(m.temp)
    const runner = fakeRunner(RULE, { ...m.env, ...OIDC_ENV })
    await run(runner, f.deps)
    expect(runner.failures()[0]).toMatch(
      /^workload identity requires the default OpenAI Responses endpoint/
    )
    expect(f.requests).toEqual([])
    expectNothingLeft(runner, m.temp)
  })

  it('no id-token permission: the YAML, no request, no token source', async () => {
    const m = machine()
    const f = fakes(m.temp)
    const runner = fakeRunner(RULE, m.env)
    await run(runner, f.deps)
    expect(runner.failures()).toEqual([
      oidcPermissionMissing('ACTIONS_ID_TOKEN_REQUEST_URL')
    ])
    expect(f.requests).toEqual([])
    expect(f.started).toEqual([])
    expectNothingLeft(runner, m.temp)
  })

  it('a refused exchange fails the step and stops the token source started alongside', async () => {
    const m = machine()
    const f = fakes(m.temp, { exchangeStatus: 403 })
    const runner = fakeRunner(RULE, { ...m.env, ...OIDC_ENV })
    await run(runner, f.deps)
    expect(runner.failures()[0]).toMatch(
      /^the workload identity token exchange was rejected with HTTP 403/
    )
    expect(f.events).toEqual(['start', 'GET', 'GET', 'POST', 'stop'])
    expect(f.stopped).toEqual([f.handle])
    expectNothingLeft(runner, m.temp)
  })

  it('a workspace outside the policy: Codex text; the token source stopped', async () => {
    const m = machine()
    const f = fakes(m.temp)
    const runner = fakeRunner(
      { ...RULE, 'forced-workspace-id': 'acct-9' },
      { ...m.env, ...OIDC_ENV }
    )
    await run(runner, f.deps)
    expect(runner.failures()).toEqual([workspaceMismatch(['acct-9'], 'acct-1')])
    expect(f.events).toEqual(['start', 'GET', 'GET', 'POST', 'stop'])
    expect(f.stopped).toEqual([f.handle])
    expectNothingLeft(runner, m.temp)
  })

  it('the token source cannot start: fails, nothing left', async () => {
    const m = machine()
    const f = fakes(m.temp, { startFails: true })
    const runner = fakeRunner(RULE, { ...m.env, ...OIDC_ENV })
    await run(runner, f.deps)
    expect(runner.failures()).toHaveLength(1)
    expect(f.stopped).toEqual([])
    expectNothingLeft(runner, m.temp)
  })

  it('the token source does not serve: fails after the preflight, nothing left', async () => {
    const m = machine()
    const f = fakes(m.temp, { readyFails: true })
    const runner = fakeRunner(RULE, { ...m.env, ...OIDC_ENV })
    await run(runner, f.deps)
    expect(runner.failures()).toHaveLength(1)
    expect(f.events).toEqual(['start', 'GET', 'GET', 'POST', 'ready', 'stop'])
    expectNothingLeft(runner, m.temp)
  })

  it("the token source's first token cannot be minted: fails after the preflight, nothing left", async () => {
    const m = machine()
    const f = fakes(m.temp, { secondOidcStatus: 403 })
    const runner = fakeRunner(RULE, { ...m.env, ...OIDC_ENV })
    await run(runner, f.deps)
    expect(runner.failures()).toHaveLength(1)
    expect(runner.failures()[0]).toMatch(
      /^first token: GitHub's OIDC token service refused the job's request token \(status 403/
    )
    expect(f.events).toEqual(['start', 'GET', 'GET', 'POST', 'ready', 'stop'])
    expect(f.stopped).toEqual([f.handle])
    expectNothingLeft(runner, m.temp)
  })

  it('a failure after it started stops it: no process, no dir, no env', async () => {
    const m = machine()
    const f = fakes(m.temp)
    const runner = fakeRunner(RULE, { ...m.env, ...OIDC_ENV })
    const exportVariable = runner.exportVariable
    runner.exportVariable = (name, value) => {
      if (name === 'CODEX_AUTHORIZATION') throw new Error('disk full')
      exportVariable(name, value)
    }
    await run(runner, f.deps)
    expect(runner.failures()).toHaveLength(1)
    expect(f.events).toEqual(['start', 'GET', 'GET', 'POST', 'ready', 'stop'])
    expect(f.stopped).toEqual([f.handle])
    expectNothingLeft(runner, m.temp)
  })
})
