/**
 * Personal access tokens as a stage: whoami first, then the workspace rule
 * on its account; the token is never refreshed. whoami is nock.
 */
import nock from 'nock'
import { createHttpClient, type HttpClient } from '../../src/clients/http.js'
import type { PatCredential, Resolved } from '../../src/credentials/types.js'
import { readSettings } from '../../src/inputs.js'
import { WHOAMI_NO_ACCOUNT } from '../../src/messages/pat.js'
import {
  API_LOGIN_REQUIRED,
  workspaceMismatch,
  workspaceMissing
} from '../../src/messages/restrictions.js'
import type { CodexConfig } from '../../src/sources/codex-config.js'
import { resolveEndpoints } from '../../src/endpoints/resolve.js'
import type { ModeContext } from '../../src/modes/context.js'
import { resolvePat } from '../../src/modes/pat.js'
import { resolvePolicy } from '../../src/policy/rules.js'
import { fakeRunner, type FakeRunner } from '../support/fake-runner.js'
import { instantHttpDeps } from '../support/instant-http.js'
import { rejection } from '../support/rejection.js'

const PAT = 'at-personal-access-token-0123456789'
const AUTHAPI = 'https://auth.test/api/accounts'
const WHOAMI_PATH = '/api/accounts/v1/user-auth-credential/whoami'
const REPLY = {
  email: 'pat@example.com',
  chatgpt_user_id: 'user-1',
  chatgpt_account_id: 'acct-pat',
  chatgpt_plan_type: 'hc',
  chatgpt_account_is_fedramp: true
}

interface Harness {
  ctx: ModeContext
  runner: FakeRunner
  httpCalls: () => number
}

function harness(inputs: Record<string, string> = {}): Harness {
  const runner = fakeRunner({ 'authapi-base-url': AUTHAPI, ...inputs })
  const settings = readSettings(runner)
  const config: CodexConfig = {
    path: '/nowhere/config.toml',
    exists: false,
    table: {}
  }
  let httpCalls = 0
  const client: HttpClient = createHttpClient(
    instantHttpDeps(Date.UTC(2026, 7, 22))
  )
  const ctx: ModeContext = {
    runner,
    settings,
    config,
    policy: resolvePolicy(settings, config),
    endpoints: resolveEndpoints(settings, config),
    http: () => {
      httpCalls++
      runner.events.push({ kind: 'debug', value: '<http>' })
      return Promise.resolve(client)
    },
    now: () => new Date(Date.UTC(2026, 7, 22))
  }
  return { ctx, runner, httpCalls: () => httpCalls }
}

function credential(authFilePath?: string): PatCredential {
  return {
    mode: 'personalAccessToken',
    source: {
      label: authFilePath ?? 'input access-token',
      ...(authFilePath !== undefined && { authFilePath })
    },
    token: PAT
  }
}

function whoamiAnswers(status: number, body: unknown): nock.Scope {
  return nock('https://auth.test', {
    reqheaders: { authorization: `Bearer ${PAT}` }
  })
    .get(WHOAMI_PATH)
    .reply(status, body as nock.Body)
}

beforeAll(() => {
  nock.disableNetConnect()
})
afterEach(() => {
  nock.cleanAll()
})
afterAll(() => {
  nock.enableNetConnect()
  nock.restore()
})

describe('a PAT that whoami knows', () => {
  let h: Harness
  let resolved: Resolved
  let scope: nock.Scope
  beforeAll(async () => {
    scope = whoamiAnswers(200, REPLY)
    h = harness({ 'forced-workspace-id': 'acct-other, acct-pat' })
    resolved = await resolvePat(credential(), h.ctx)
  })

  it('asks whoami once and resolves the account from its answer', () => {
    scope.done()
    expect(resolved).toEqual<Resolved>({
      mode: 'personalAccessToken',
      source: { label: 'input access-token' },
      secrets: [PAT],
      authorization: `Bearer ${PAT}`,
      accountId: 'acct-pat',
      planType: 'enterprise',
      fedramp: true,
      authJson: { OPENAI_API_KEY: null, personal_access_token: PAT },
      env: {},
      config: {},
      warnings: [],
      facts: [['Account lookup', `whoami at ${AUTHAPI}`]]
    })
  })

  it('masks the token and the header value before the network call', () => {
    const events = h.runner.events
    const firstHttp = events.findIndex((e) => e.value === '<http>')
    expect(events.slice(0, firstHttp)).toEqual([
      { kind: 'mask', value: PAT },
      { kind: 'mask', value: `Bearer ${PAT}` }
    ])
  })
})

it('the production AuthAPI exports no override', async () => {
  const scope = nock('https://auth.openai.com')
    .get(WHOAMI_PATH)
    .reply(200, { ...REPLY, chatgpt_account_is_fedramp: false })
  const resolved = await resolvePat(
    credential(),
    harness({ 'authapi-base-url': '' }).ctx
  )
  scope.done()
  expect(resolved.env).toEqual({})
  expect(resolved.fedramp).toBe(false)
})

describe('restrictions', () => {
  it('forced api fails before whoami is asked', async () => {
    const h = harness({ 'forced-login-method': 'api' })
    const err = await rejection(resolvePat(credential('/h/auth.json'), h.ctx))
    expect(err.message).toBe(API_LOGIN_REQUIRED)
    expect(err.logoutPath).toBe('/h/auth.json')
    expect(h.httpCalls()).toBe(0)
  })

  it('another workspace fails after whoami, with Codex text', async () => {
    whoamiAnswers(200, REPLY)
    const h = harness({ 'forced-workspace-id': 'acct-mine' })
    const err = await rejection(resolvePat(credential('/h/auth.json'), h.ctx))
    expect(err.message).toBe(workspaceMismatch(['acct-mine'], 'acct-pat'))
    expect(err.logoutPath).toBe('/h/auth.json')
  })

  it('no account in the whoami answer under a workspace rule', async () => {
    whoamiAnswers(200, { ...REPLY, chatgpt_account_id: null })
    const h = harness({ 'forced-workspace-id': 'acct-mine' })
    const err = await rejection(resolvePat(credential(), h.ctx))
    expect(err.message).toBe(workspaceMissing(['acct-mine']))
  })

  it('no account and no rule: cannot be routed, a clear error', async () => {
    whoamiAnswers(200, { ...REPLY, chatgpt_account_id: '' })
    const err = await rejection(resolvePat(credential(), harness().ctx))
    expect(err.message).toBe(WHOAMI_NO_ACCOUNT)
  })
})

describe('whoami refuses the token', () => {
  it.each([401, 403])('%i is a clear error that keeps the file', async (s) => {
    whoamiAnswers(s, { error: 'invalid_token' })
    const err = await rejection(
      resolvePat(credential('/h/auth.json'), harness().ctx)
    )
    expect(err.message).toMatch(
      /^The personal access token was rejected by https:\/\/auth\.test\/api\/accounts\/v1\/user-auth-credential\/whoami \(status 40[13] /
    )
    expect(err.message).not.toContain(PAT)
    expect(err.logoutPath).toBeUndefined()
  })
})
