/**
 * Workload identity as a stage, with fake endpoint clients (their own tests
 * cover the wire): the missing permission (and a fork's pull request) fails
 * before any request, each OIDC token is masked the moment it arrives, the
 * workspace rule holds on the exchanged account, and the result carries a
 * `Bearer` header, the expiry and no auth.json.
 */
import type { HttpClient } from '../../src/clients/http.js'
import type {
  Resolved,
  WorkloadIdentityCredential
} from '../../src/credentials/types.js'
import { resolveEndpoints } from '../../src/endpoints/resolve.js'
import { readSettings } from '../../src/inputs.js'
import { workspaceMismatch } from '../../src/messages/restrictions.js'
import {
  OIDC_PERMISSION_FORK,
  oidcPermissionMissing
} from '../../src/messages/workload-identity.js'
import type { MintedToken, ModeContext } from '../../src/modes/context.js'
import {
  resolveWorkloadIdentity,
  rfc3339Seconds,
  WORKLOAD_ENV_EXCLUDES,
  type WorkloadClients
} from '../../src/modes/workload-identity.js'
import type { WorkloadTokens } from '../../src/clients/token-exchange.js'
import { resolvePolicy } from '../../src/policy/rules.js'
import type { CodexConfig } from '../../src/sources/codex-config.js'
import { fakeRunner, type FakeRunner } from '../support/fake-runner.js'
import { rejection } from '../support/rejection.js'

const NOW = new Date('2026-08-22T05:54:43.250Z')
const OIDC_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.test/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-abc'
}
const TOKENS: WorkloadTokens = {
  accessToken: 'eyJ.access-token.sig',
  accountId: 'acct-1',
  accountUserId: 'user-1__acct-1',
  userId: 'user-1',
  expiresIn: 3600,
  planType: 'hc',
  scope: 'openid'
}

interface Harness {
  ctx: ModeContext
  runner: FakeRunner
  clients: WorkloadClients
  calls: string[]
  minted: string[]
  /** What the mode handed the token source. */
  handed: Promise<MintedToken>[]
}

function harness(
  inputs: Record<string, string> = {},
  env: Record<string, string> = OIDC_ENV,
  tokens: WorkloadTokens = TOKENS
): Harness {
  const runner = fakeRunner(
    { 'federation-rule-id': 'idpm_1', 'oidc-audience': 'aud-1', ...inputs },
    { HOME: '/h', ...env }
  )
  const settings = readSettings(runner, 'linux')
  const config: CodexConfig = {
    path: '/n/config.toml',
    exists: false,
    table: {}
  }
  const calls: string[] = []
  const minted: string[] = []
  const handed: Promise<MintedToken>[] = []
  const clients: WorkloadClients = {
    requestOidcToken: (call) => {
      const token = `oidc-token-${minted.length + 1}`
      calls.push(`oidc ${call.url} ${call.audience} ${call.requestToken}`)
      // The mask must come before the caller can see the token.
      runner.events.push({ kind: 'debug', value: `<minted ${token}>` })
      minted.push(token)
      return Promise.resolve(token)
    },
    oidcClaimsForMessage: (token) => `claims of ${token}`,
    exchangeWorkloadToken: async (call) => {
      const assertion = await call.mint()
      calls.push(
        `exchange ${call.url} ${call.federationRuleId} ${assertion} ${call.workloadIdentityContext ?? '-'}`
      )
      return tokens
    }
  }
  const ctx: ModeContext = {
    runner,
    settings,
    config,
    policy: resolvePolicy(settings, config),
    endpoints: resolveEndpoints(settings, config),
    http: () => {
      calls.push('http')
      return Promise.resolve({} as HttpClient)
    },
    now: () => NOW,
    handOverFirstToken: (first) => {
      calls.push('hand over')
      handed.push(first)
    }
  }
  return { ctx, runner, clients, calls, minted, handed }
}

const credential = (
  over: Partial<WorkloadIdentityCredential> = {}
): WorkloadIdentityCredential => ({
  mode: 'workloadIdentity',
  source: { label: 'input federation-rule-id' },
  federationRuleId: 'idpm_1',
  audience: 'aud-1',
  ...over
})

const resolve = (h: Harness, c = credential()): Promise<Resolved> =>
  resolveWorkloadIdentity(c, h.ctx, h.clients)

describe('resolveWorkloadIdentity', () => {
  it('mints, exchanges once and resolves: Bearer, account, plan, expiry, no auth.json', async () => {
    const h = harness()
    const resolved = await resolve(h)
    expect(h.calls).toEqual([
      'http',
      'oidc https://oidc.test/token?api-version=2.0 aud-1 oidc-request-token-abc',
      // Once GitHub answered: the token source's first token, requested
      // alongside the exchange.
      'oidc https://oidc.test/token?api-version=2.0 aud-1 oidc-request-token-abc',
      'hand over',
      'exchange https://auth.openai.com/oauth/token idpm_1 oidc-token-1 -'
    ])
    expect(resolved).toEqual({
      mode: 'workloadIdentity',
      source: { label: 'input federation-rule-id' },
      secrets: [TOKENS.accessToken],
      authorization: `Bearer ${TOKENS.accessToken}`,
      accountId: 'acct-1',
      // Mapped as Codex maps it.
      planType: 'enterprise',
      fedramp: false,
      expiresAt: '2026-08-22T06:54:43Z',
      env: {
        OPENAI_FEDERATION_RULE_ID: 'idpm_1',
        OPENAI_IDENTITY_TOKEN_SOURCE: 'file'
      },
      config: {},
      shellEnvExclude: [...WORKLOAD_ENV_EXCLUDES],
      warnings: [],
      facts: [],
      workload: {
        federationRuleId: 'idpm_1',
        audience: 'aud-1',
        claims: 'claims of oidc-token-1',
        expiresAt: '2026-08-22T06:54:43Z',
        exchangeUrl: 'https://auth.openai.com/oauth/token'
      }
    })
    expect(resolved.authJson).toBeUndefined()
  })

  it('hands the token source its own first token, masked, never the one exchanged', async () => {
    const h = harness()
    const before = Date.now()
    await resolve(h)
    expect(h.handed).toHaveLength(1)
    const first = await h.handed[0]!
    expect(first.value).toBe('oidc-token-2')
    expect(first.mintedAt).toBeGreaterThanOrEqual(before)
    expect(first.mintedAt).toBeLessThanOrEqual(Date.now())
    expect(h.runner.masks()).toContain('oidc-token-2')
  })

  it('hands over once, however often the exchange mints', async () => {
    const h = harness()
    const exchange = h.clients.exchangeWorkloadToken
    h.clients.exchangeWorkloadToken = async (call) => {
      await call.mint()
      await call.mint()
      return exchange(call)
    }
    await resolve(h)
    expect(h.handed).toHaveLength(1)
    expect(h.minted).toHaveLength(4)
  })

  it('a failed first request hands nothing over', async () => {
    const h = harness()
    h.clients.requestOidcToken = () => Promise.reject(new Error('503'))
    await expect(resolve(h)).rejects.toThrow('503')
    expect(h.handed).toEqual([])
  })

  it('hands a failure of the second request over, for the token source to fail with', async () => {
    const h = harness()
    const request = h.clients.requestOidcToken
    h.clients.requestOidcToken = (call) =>
      h.minted.length === 0
        ? request(call)
        : Promise.reject(new Error('403 refused'))
    await resolve(h)
    await expect(h.handed[0]).rejects.toThrow('403 refused')
  })

  it('masks every OIDC token at once, and the access token and header', async () => {
    const h = harness()
    await resolve(h)
    const events = h.runner.events.map((e) =>
      e.kind === 'mask' ? `mask ${e.value}` : e.value
    )
    const minted = events.indexOf('<minted oidc-token-1>')
    expect(events[minted + 1]).toBe('mask oidc-token-1')
    expect(h.runner.masks()).toEqual(
      expect.arrayContaining([
        'oidc-request-token-abc',
        'oidc-token-1',
        TOKENS.accessToken,
        `Bearer ${TOKENS.accessToken}`
      ])
    )
  })

  it('sends the context and exports it', async () => {
    const h = harness()
    const resolved = await resolve(
      h,
      credential({ workloadIdentityContext: 'ctx-1' })
    )
    expect(h.calls.at(-1)).toBe(
      'exchange https://auth.openai.com/oauth/token idpm_1 oidc-token-1 ctx-1'
    )
    expect(resolved.env['OPENAI_WORKLOAD_IDENTITY_CONTEXT']).toBe('ctx-1')
  })

  it.each([
    [{}, 'ACTIONS_ID_TOKEN_REQUEST_URL'],
    [
      { ACTIONS_ID_TOKEN_REQUEST_URL: OIDC_ENV.ACTIONS_ID_TOKEN_REQUEST_URL },
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
    ]
  ])(
    'no id-token permission (%j): the YAML to add, no request',
    async (env, missing) => {
      const h = harness({}, env)
      const err = await rejection(resolve(h))
      expect(err.message).toBe(oidcPermissionMissing(missing))
      expect(err.message).toContain('"permissions: { id-token: write }"')
      expect(h.runner.logs().slice(0, 2)).toEqual([
        'permissions:',
        '  id-token: write'
      ])
      expect(err.message).not.toContain(OIDC_PERMISSION_FORK)
      expect(h.calls).toEqual([])
    }
  )

  it("a fork's pull request: the error says forks never get the permission", async () => {
    const h = harness()
    h.ctx.settings.githubOidc = {
      eventName: 'pull_request',
      forkPullRequest: true
    }
    const err = await rejection(resolve(h))
    expect(err.message).toBe(
      `${oidcPermissionMissing('ACTIONS_ID_TOKEN_REQUEST_URL')} ${OIDC_PERMISSION_FORK}`
    )
    expect(h.calls).toEqual([])
  })

  it('a workspace outside forced-workspace-id: Codex text, after the exchange', async () => {
    const h = harness({ 'forced-workspace-id': 'acct-9' })
    const err = await rejection(resolve(h))
    expect(err.message).toBe(workspaceMismatch(['acct-9'], 'acct-1'))
    // The access token was still masked before failing.
    expect(h.runner.masks()).toContain(TOKENS.accessToken)
  })

  it('refresh-token-url moves the preflight exchange, with a warning', async () => {
    const h = harness({ 'refresh-token-url': 'http://127.0.0.1:9/oauth/token' })
    const resolved = await resolve(h)
    expect(h.calls.at(-1)).toContain('exchange http://127.0.0.1:9/oauth/token ')
    expect(resolved.warnings).toEqual([
      expect.stringContaining(
        'Codex ignores refresh-token-url for workload identity and always exchanges at https://auth.openai.com/oauth/token'
      )
    ])
    expect(resolved.workload?.exchangeUrl).toBe(
      'http://127.0.0.1:9/oauth/token'
    )
  })

  it('a staging ChatGPT base exchanges at staging', async () => {
    const h = harness({
      'chatgpt-base-url': 'https://chatgpt-staging.com/backend-api/'
    })
    await resolve(h)
    expect(h.calls.at(-1)).toContain(
      'exchange https://auth.api.openai.org/oauth/token '
    )
  })
})

describe('helpers', () => {
  it('rfc3339Seconds: UTC, whole seconds', () => {
    expect(rfc3339Seconds(new Date('2026-01-02T03:04:05.999Z'))).toBe(
      '2026-01-02T03:04:05Z'
    )
  })
})
