/**
 * The ChatGPT mode as a stage: restrictions before the network, refresh when
 * Codex would, what a permanent or transient failure leaves behind, and the
 * write-back of rotated tokens. The token endpoint is nock; time is fixed.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import nock from 'nock'
import { renderAuthJson } from '../../src/codex-home/auth-json.js'
import { writeBackRefreshed } from '../../src/codex-home/write-back.js'
import { createHttpClient, type HttpClient } from '../../src/clients/http.js'
import { AUTH_CLAIM } from '../../src/credentials/chatgpt-tokens.js'
import type {
  AuthJson,
  ChatgptCredential,
  Resolved
} from '../../src/credentials/types.js'
import { FailedAfterRefresh } from '../../src/errors.js'
import { readSettings } from '../../src/inputs.js'
import {
  REFRESHED_INPUT_SECRET_STALE,
  REFRESH_INVALID_ID_TOKEN,
  REFRESH_TOKEN_INVALIDATED,
  REFRESH_TOKEN_REUSED,
  refreshFailedTokenExpired,
  refreshFailedUsingCurrent
} from '../../src/messages/chatgpt.js'
import {
  API_LOGIN_REQUIRED,
  workspaceMismatch,
  workspaceMissing
} from '../../src/messages/restrictions.js'
import type { CodexConfig } from '../../src/sources/codex-config.js'
import { resolveEndpoints } from '../../src/endpoints/resolve.js'
import type { ModeContext } from '../../src/modes/context.js'
import { resolveChatgpt } from '../../src/modes/chatgpt.js'
import { resolvePolicy } from '../../src/policy/rules.js'
import { fakeRunner, type FakeRunner } from '../support/fake-runner.js'
import { instantHttpDeps } from '../support/instant-http.js'
import { tempDir } from '../support/temp-dirs.js'
import { rejection } from '../support/rejection.js'

const NOW = new Date('2026-08-22T05:54:43.000Z')
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const TOKEN_URL = 'https://auth.test/oauth/token'
const RT = 'rt-old-refresh-token-0123456789'

const b64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url')
const jwt = (payload: unknown): string =>
  `${b64url({ alg: 'RS256' })}.${b64url(payload)}.c2lnbmF0dXJl`
const accessToken = (expiresInMs: number): string =>
  jwt({ exp: Math.floor((NOW.getTime() + expiresInMs) / 1000), n: expiresInMs })

const ID_TOKEN = jwt({
  email: 'user@example.com',
  [AUTH_CLAIM]: {
    chatgpt_account_id: 'acct-claim',
    chatgpt_plan_type: 'hc',
    chatgpt_account_is_fedramp: true
  }
})

interface DocOptions {
  access?: string
  accountId?: string | null
  lastRefreshAgoMs?: number
}

function authDoc(options: DocOptions = {}): AuthJson {
  return {
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: {
      id_token: ID_TOKEN,
      access_token: options.access ?? accessToken(60 * MINUTE),
      refresh_token: RT,
      account_id:
        options.accountId === undefined ? 'acct-tokens' : options.accountId
    },
    last_refresh: new Date(
      NOW.getTime() - (options.lastRefreshAgoMs ?? 0)
    ).toISOString()
  }
}

interface Harness {
  ctx: ModeContext
  runner: FakeRunner
  /** How often the mode asked for the HTTP client. */
  httpCalls: () => number
  sleeps: number[]
}

function harness(inputs: Record<string, string> = {}): Harness {
  const runner = fakeRunner({ 'refresh-token-url': TOKEN_URL, ...inputs })
  const settings = readSettings(runner)
  const config: CodexConfig = {
    path: '/nowhere/config.toml',
    exists: false,
    table: {}
  }
  const sleeps: number[] = []
  let httpCalls = 0
  const client: HttpClient = createHttpClient(
    instantHttpDeps(NOW.getTime(), sleeps)
  )
  const ctx: ModeContext = {
    runner,
    settings,
    config,
    policy: resolvePolicy(settings, config),
    endpoints: resolveEndpoints(settings, config),
    http: () => {
      httpCalls++
      // Marks the moment the network becomes reachable in the event log.
      runner.events.push({ kind: 'debug', value: '<http>' })
      return Promise.resolve(client)
    },
    now: () => NOW
  }
  return { ctx, runner, httpCalls: () => httpCalls, sleeps }
}

function credential(doc: AuthJson, authFilePath?: string): ChatgptCredential {
  return {
    mode: 'chatgpt',
    source: {
      label: authFilePath ?? 'input auth-json',
      ...(authFilePath !== undefined && { authFilePath })
    },
    doc
  }
}

const homes: string[] = []

/** A Codex home with this auth.json; returns the file path. */
function homeWith(doc: AuthJson): string {
  const home = tempDir('chatgpt-mode-')
  homes.push(home)
  const file = path.join(home, 'auth.json')
  fs.writeFileSync(file, JSON.stringify(doc), { mode: 0o600 })
  return file
}

/** Scripted token endpoint; records each request body. */
function tokenEndpoint(...replies: [number, unknown][]): {
  bodies: unknown[]
} {
  const bodies: unknown[] = []
  const scope = nock('https://auth.test')
  for (const reply of replies) {
    scope.post('/oauth/token').reply((_uri, body) => {
      bodies.push(body)
      return reply
    })
  }
  return { bodies }
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
  for (const home of homes) fs.rmSync(home, { recursive: true, force: true })
})

describe('a token that needs no refresh', () => {
  let h: Harness
  let resolved: Resolved
  const doc = authDoc()
  beforeAll(async () => {
    h = harness()
    resolved = await resolveChatgpt(credential(doc), h.ctx)
  })

  it('makes no network call at all', () => {
    expect(h.httpCalls()).toBe(0)
  })

  it('resolves the header, account, plan and fedramp', () => {
    const tokens = doc.tokens as Record<string, string>
    expect(resolved).toEqual<Resolved>({
      mode: 'chatgpt',
      source: { label: 'input auth-json' },
      secrets: [ID_TOKEN, tokens['access_token']!, RT],
      authorization: `Bearer ${tokens['access_token']}`,
      accountId: 'acct-tokens',
      planType: 'enterprise',
      fedramp: true,
      authJson: doc,
      env: {},
      config: {},
      warnings: [],
      facts: [['Token refresh', 'not needed']]
    })
  })

  it('masks every token and the header value', () => {
    const tokens = doc.tokens as Record<string, string>
    expect(h.runner.masks()).toEqual(
      expect.arrayContaining([
        ID_TOKEN,
        tokens['access_token'],
        RT,
        `Bearer ${tokens['access_token']}`
      ])
    )
  })
})

describe('account id', () => {
  it('no ChatGPT-Account-ID without tokens.account_id; the claim still satisfies the workspace', async () => {
    const h = harness({ 'forced-workspace-id': 'acct-claim' })
    const resolved = await resolveChatgpt(
      credential(authDoc({ accountId: null })),
      h.ctx
    )
    expect(resolved.accountId).toBeUndefined()
  })

  it('the default refresh URL exports no override', async () => {
    const h = harness({ 'refresh-token-url': '' })
    const resolved = await resolveChatgpt(credential(authDoc()), h.ctx)
    expect(resolved.env).toEqual({})
  })
})

describe('restrictions, before any network call', () => {
  // Expiring, so a refresh would be due if the restriction let it through.
  const expiring = (accountId?: string | null): AuthJson =>
    authDoc({ access: accessToken(MINUTE), accountId })

  it.each<[string, Record<string, string>, string | null | undefined, string]>([
    [
      'forced api',
      { 'forced-login-method': 'api' },
      undefined,
      API_LOGIN_REQUIRED
    ],
    [
      'another workspace',
      { 'forced-workspace-id': 'acct-a, acct-b' },
      undefined,
      workspaceMismatch(['acct-a', 'acct-b'], 'acct-tokens')
    ],
    [
      'tokens.account_id wins over the claim',
      { 'forced-workspace-id': 'acct-claim' },
      undefined,
      workspaceMismatch(['acct-claim'], 'acct-tokens')
    ],
    [
      'the claim fallback in another workspace',
      { 'forced-workspace-id': 'acct-a' },
      null,
      workspaceMismatch(['acct-a'], 'acct-claim')
    ]
  ])('%s', async (_name, inputs, accountId, message) => {
    const h = harness(inputs)
    const file = homeWith(expiring(accountId))
    const err = await rejection(
      resolveChatgpt(credential(expiring(accountId), file), h.ctx)
    )
    expect(err.message).toBe(message)
    // main deletes the Codex-home file it came from (Codex's logging out).
    expect(err.logoutPath).toBe(file)
    expect(h.httpCalls()).toBe(0)
  })

  it('no workspace anywhere', async () => {
    const h = harness({ 'forced-workspace-id': 'acct-a' })
    const doc = authDoc({ accountId: null })
    ;(doc.tokens as Record<string, unknown>)['id_token'] = jwt({})
    const err = await rejection(resolveChatgpt(credential(doc), h.ctx))
    expect(err.message).toBe(workspaceMissing(['acct-a']))
    expect(err.logoutPath).toBeUndefined()
  })
})

describe('when a refresh is due', () => {
  it.each<[string, DocOptions, string | undefined]>([
    [
      'access token expires in 4 minutes',
      { access: accessToken(4 * MINUTE) },
      'proactive_expiry'
    ],
    [
      'access token expires in 6 minutes',
      { access: accessToken(6 * MINUTE) },
      undefined
    ],
    [
      'opaque token refreshed 7 days ago',
      { access: 'oat-opaque', lastRefreshAgoMs: 7 * DAY },
      undefined
    ],
    [
      'opaque token refreshed 9 days ago',
      { access: 'oat-opaque', lastRefreshAgoMs: 9 * DAY },
      'scheduled'
    ]
  ])('%s', async (_name, options, reason) => {
    const endpoint = tokenEndpoint([200, { access_token: 'new-access' }])
    const h = harness()
    await resolveChatgpt(credential(authDoc(options)), h.ctx)
    expect(endpoint.bodies).toEqual(
      reason === undefined
        ? []
        : [
            {
              client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
              grant_type: 'refresh_token',
              refresh_reason: reason,
              refresh_token: RT
            }
          ]
    )
  })
})

describe('a successful refresh', () => {
  const NEW = {
    id_token: jwt({ [AUTH_CLAIM]: { chatgpt_plan_type: 'team' } }),
    access_token: accessToken(60 * MINUTE),
    refresh_token: 'rt-new-refresh-token-0123456789'
  }

  it('primes the merged tokens with last_refresh = now and masks them first', async () => {
    tokenEndpoint([200, NEW])
    const h = harness()
    const doc = authDoc({ access: accessToken(MINUTE) })
    const resolved = await resolveChatgpt(credential(doc), h.ctx)
    expect(resolved.authJson).toEqual({
      ...doc,
      tokens: {
        id_token: NEW.id_token,
        access_token: NEW.access_token,
        refresh_token: NEW.refresh_token,
        account_id: 'acct-tokens'
      },
      last_refresh: NOW.toISOString()
    })
    expect(resolved.authorization).toBe(`Bearer ${NEW.access_token}`)
    expect(resolved.secrets).toEqual([
      NEW.id_token,
      NEW.access_token,
      NEW.refresh_token
    ])
    expect(resolved.planType).toBe('team')
    expect(resolved.fedramp).toBe(false)
    expect(resolved.accountId).toBe('acct-tokens')
    expect(h.runner.masks()).toEqual(
      expect.arrayContaining([
        NEW.id_token,
        NEW.access_token,
        NEW.refresh_token,
        `Bearer ${NEW.access_token}`
      ])
    )
    // Nothing but masks reached the runner before the network call.
    const firstHttp = h.runner.events.findIndex((e) => e.value === '<http>')
    expect(
      h.runner.events.slice(0, firstHttp).every((e) => e.kind === 'mask')
    ).toBe(true)
  })

  it('from the auth-json input: warns that the secret now holds a used refresh token', async () => {
    tokenEndpoint([200, NEW])
    const h = harness()
    const resolved = await resolveChatgpt(
      credential(authDoc({ access: accessToken(MINUTE) })),
      h.ctx
    )
    expect(resolved.warnings).toEqual([REFRESHED_INPUT_SECRET_STALE])
    expect(resolved.facts).toEqual([
      ['Token refresh', 'refreshed (proactive_expiry)'],
      [
        'Refresh token in the source',
        'used up: persist the auth-file output before the job ends'
      ]
    ])
    expect(resolved.writeBackPath).toBeUndefined()
    expect(REFRESHED_INPUT_SECRET_STALE).toContain('outputs.auth-file')
    // Rotated: main.ts keeps these tokens if anything fails later.
    expect(resolved.refreshed).toEqual({
      doc: resolved.authJson,
      rotated: true,
      from: 'input auth-json'
    })
  })

  it('from the auth-json input without rotation: the secret still works, no warning', async () => {
    tokenEndpoint([200, { access_token: NEW.access_token }])
    const h = harness()
    const resolved = await resolveChatgpt(
      credential(authDoc({ access: accessToken(MINUTE) })),
      h.ctx
    )
    expect(resolved.authorization).toBe(`Bearer ${NEW.access_token}`)
    expect(resolved.secrets[2]).toBe(RT)
    expect(resolved.warnings).toEqual([])
    expect(resolved.facts).toEqual([
      ['Token refresh', 'refreshed (proactive_expiry)']
    ])
    expect(resolved.refreshed?.rotated).toBe(false)
  })

  it('from <codex-home>/auth.json: the new file is written back at once, atomically, 0600', async () => {
    tokenEndpoint([200, NEW])
    const h = harness()
    const doc = authDoc({ access: accessToken(MINUTE) })
    const file = homeWith(doc)
    fs.chmodSync(file, 0o644)
    const resolved = await resolveChatgpt(credential(doc, file), h.ctx)
    // The mode writes no file; it names the one main.ts writes back.
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(doc))
    expect(resolved.refreshed).toEqual({
      doc: resolved.authJson,
      rotated: true,
      from: file,
      target: file
    })
    const report = writeBackRefreshed(resolved.refreshed!)
    expect(fs.readFileSync(file, 'utf8')).toBe(
      renderAuthJson(resolved.authJson!)
    )
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    // The temp file was renamed into place, nothing left next to it.
    expect(fs.readdirSync(path.dirname(file))).toEqual(['auth.json'])
    expect(resolved.writeBackPath).toBe(file)
    expect(resolved.warnings).toEqual([])
    expect(report).toEqual({
      warnings: [],
      facts: [['Refreshed tokens written to', file]]
    })
  })

  it('a failed write-back warns instead of failing (the primed copy is the valid one)', async () => {
    tokenEndpoint([200, NEW])
    const h = harness()
    const doc = authDoc({ access: accessToken(MINUTE) })
    const file = homeWith(doc)
    fs.rmSync(path.dirname(file), { recursive: true })
    const resolved = await resolveChatgpt(credential(doc, file), h.ctx)
    expect(resolved.authorization).toBe(`Bearer ${NEW.access_token}`)
    const { warnings } = writeBackRefreshed(resolved.refreshed!)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      new RegExp(
        `^The ChatGPT tokens were refreshed, but writing them back to ${file} failed: `
      )
    )
  })

  it('a file source without a refresh still gets the post-step write-back', async () => {
    const h = harness()
    const doc = authDoc()
    const file = homeWith(doc)
    const resolved = await resolveChatgpt(credential(doc, file), h.ctx)
    expect(resolved.writeBackPath).toBe(file)
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(doc))
  })

  it('a refreshed id_token in another workspace is rejected before export', async () => {
    tokenEndpoint([
      200,
      {
        ...NEW,
        id_token: jwt({ [AUTH_CLAIM]: { chatgpt_account_id: 'acct-x' } })
      }
    ])
    const h = harness({ 'forced-workspace-id': 'acct-claim' })
    let err: unknown
    try {
      await resolveChatgpt(
        credential(authDoc({ access: accessToken(MINUTE), accountId: null })),
        h.ctx
      )
    } catch (caught) {
      err = caught
    }
    // From a secret: rejected, but the rotated tokens travel with the error.
    expect(err).toBeInstanceOf(FailedAfterRefresh)
    const { failure, refreshed } = err as FailedAfterRefresh
    expect((failure as Error).message).toBe(
      workspaceMismatch(['acct-claim'], 'acct-x')
    )
    expect(refreshed.rotated).toBe(true)
    expect(refreshed.doc.tokens).toMatchObject({
      refresh_token: NEW.refresh_token
    })
  })

  it('a refreshed id_token in another workspace, from <codex-home>/auth.json: logged out, nothing kept', async () => {
    tokenEndpoint([
      200,
      {
        ...NEW,
        id_token: jwt({ [AUTH_CLAIM]: { chatgpt_account_id: 'acct-x' } })
      }
    ])
    const h = harness({ 'forced-workspace-id': 'acct-claim' })
    const doc = authDoc({ access: accessToken(MINUTE), accountId: null })
    const file = homeWith(doc)
    const err = await rejection(resolveChatgpt(credential(doc, file), h.ctx))
    expect(err.message).toBe(workspaceMismatch(['acct-claim'], 'acct-x'))
    expect(err.logoutPath).toBe(file)
  })

  it('a returned id_token that is not a JWT fails with Codex text, and the rotated tokens travel with the error', async () => {
    tokenEndpoint([200, { ...NEW, id_token: 'not-a-jwt' }])
    const h = harness()
    const doc = authDoc({ access: accessToken(MINUTE) })
    const file = homeWith(doc)
    let err: unknown
    try {
      await resolveChatgpt(credential(doc, file), h.ctx)
    } catch (caught) {
      err = caught
    }
    expect(err).toBeInstanceOf(FailedAfterRefresh)
    const { failure, refreshed } = err as FailedAfterRefresh
    expect((failure as Error).message).toBe(REFRESH_INVALID_ID_TOKEN)
    // The new refresh and access tokens, the previous id_token (the kept
    // file must still load).
    expect(refreshed).toEqual({
      doc: {
        ...doc,
        tokens: {
          id_token: ID_TOKEN,
          access_token: NEW.access_token,
          refresh_token: NEW.refresh_token,
          account_id: 'acct-tokens'
        },
        last_refresh: NOW.toISOString()
      },
      rotated: true,
      from: file,
      target: file
    })
    expect(h.runner.masks()).toEqual(
      expect.arrayContaining(['not-a-jwt', NEW.refresh_token])
    )
    // The mode itself writes nothing.
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(doc))
  })

  it('a returned id_token that is not a JWT, without rotation: Codex text alone (the old refresh token still works)', async () => {
    tokenEndpoint([
      200,
      { id_token: 'not-a-jwt', access_token: NEW.access_token }
    ])
    const h = harness()
    const err = await rejection(
      resolveChatgpt(
        credential(authDoc({ access: accessToken(MINUTE) })),
        h.ctx
      )
    )
    expect(err.message).toBe(REFRESH_INVALID_ID_TOKEN)
  })
})

describe('a permanent failure (no refresh storm)', () => {
  it.each([
    [{ error: { code: 'refresh_token_reused' } }, REFRESH_TOKEN_REUSED],
    [{ error: 'refresh_token_invalidated' }, REFRESH_TOKEN_INVALIDATED]
  ])('fails after exactly one request: %j', async (body, message) => {
    const endpoint = tokenEndpoint([401, body], [200, { access_token: 'x' }])
    const h = harness()
    const doc = authDoc({ access: accessToken(2 * MINUTE) })
    const file = homeWith(doc)
    const err = await rejection(resolveChatgpt(credential(doc, file), h.ctx))
    expect(err.message).toBe(message)
    // Not a restriction: the runner's file stays, untouched.
    expect(err.logoutPath).toBeUndefined()
    expect(endpoint.bodies).toHaveLength(1)
    expect(h.sleeps).toEqual([])
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(doc))
  })
})

describe('transient failures exhausted', () => {
  const down: [number, unknown][] = [
    [503, { error: { message: 'try later' } }],
    [503, { error: { message: 'try later' } }],
    [503, { error: { message: 'try later' } }]
  ]
  const detail = 'Failed to refresh token: 503 Service Unavailable: try later'

  it('a token that has not expired is used, with a warning', async () => {
    const endpoint = tokenEndpoint(...down)
    const h = harness()
    const access = accessToken(2 * MINUTE)
    const doc = authDoc({ access })
    const resolved = await resolveChatgpt(credential(doc), h.ctx)
    expect(endpoint.bodies).toHaveLength(3)
    expect(resolved.authorization).toBe(`Bearer ${access}`)
    expect(resolved.authJson).toBe(doc)
    expect(resolved.warnings).toEqual([
      refreshFailedUsingCurrent(
        detail,
        new Date(
          Math.floor((NOW.getTime() + 2 * MINUTE) / 1000) * 1000
        ).toISOString()
      )
    ])
    expect(resolved.facts).toEqual([
      [
        'Token refresh',
        'failed (proactive_expiry); using the current access token'
      ]
    ])
  })

  it('an opaque token (expiry unknown) is used, with a warning', async () => {
    tokenEndpoint(...down)
    const h = harness()
    const resolved = await resolveChatgpt(
      credential(authDoc({ access: 'oat-opaque', lastRefreshAgoMs: 9 * DAY })),
      h.ctx
    )
    expect(resolved.warnings).toEqual([
      refreshFailedUsingCurrent(detail, undefined)
    ])
  })

  it('an expired token fails the step', async () => {
    tokenEndpoint(...down)
    const h = harness()
    const err = await rejection(
      resolveChatgpt(
        credential(authDoc({ access: accessToken(-MINUTE) })),
        h.ctx
      )
    )
    expect(err.message).toBe(refreshFailedTokenExpired(detail))
  })
})

describe('strict validation', () => {
  it('an auth.json Codex would silently ignore is an error naming the field', async () => {
    const h = harness()
    const doc = authDoc()
    ;(doc.tokens as Record<string, unknown>)['id_token'] = 'opaque-id-token'
    const err = await rejection(resolveChatgpt(credential(doc), h.ctx))
    expect(err.message).toMatch(
      /^tokens\.id_token in the ChatGPT auth\.json from input auth-json is not a JWT/
    )
    expect(h.httpCalls()).toBe(0)
  })
})
