import { createPrimedHome, primeCodexHome } from '../src/codex-home/prime.js'
import type { Resolved } from '../src/credentials/types.js'
import { resolveEndpoints } from '../src/endpoints/resolve.js'
import {
  credentialEnvNames,
  exportResults,
  secretForms
} from '../src/export.js'
import type { Settings } from '../src/inputs.js'
import { fakeRunner } from './support/fake-runner.js'
import { tempDir } from './support/temp-dirs.js'

const resolved = (over: Partial<Resolved> = {}): Resolved => ({
  mode: 'agentIdentity',
  source: { label: 'input access-token' },
  secrets: ['key"with-quote', 'jwt.secret.value'],
  authorization: 'AgentAssertion abc',
  accountId: 'acct-1',
  planType: 'plus',
  fedramp: true,
  agentRuntimeId: 'rt-1',
  taskId: 'task-1',
  authJson: {},
  env: { CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://127.0.0.1:1/api' },
  config: {},
  warnings: ['the assertion ages'],
  facts: [],
  ...over
})

const settings = (over: Partial<Settings> = {}): Settings =>
  ({
    exportEnv: true,
    cleanup: true,
    accessTokenEnvPresent: false,
    ...over
  }) as Settings

async function run(
  s: Settings,
  r: Resolved
): Promise<ReturnType<typeof fakeRunner>> {
  const runner = fakeRunner()
  const primed = primeCodexHome(createPrimedHome(tempDir('exp-'), undefined), {
    sourceHome: '/s',
    authJsonText: '{}',
    configToml: ''
  })
  await exportResults(runner, {
    settings: s,
    endpoints: resolveEndpoints(s, {}),
    resolved: r,
    primed,
    policy: { workspaceRules: [] },
    ignored: []
  })
  return runner
}

describe('exportResults', () => {
  it('masks every secret form first, then env, outputs, state, summary', async () => {
    const runner = await run(settings(), resolved())
    const kinds = runner.events.map((e) => e.kind).filter((k) => k !== 'info')
    const firstNonMask = kinds.findIndex((k) => k !== 'mask')
    expect(kinds.slice(firstNonMask).includes('mask')).toBe(false)
    const order = ['env', 'output', 'state', 'summary'].map((k) =>
      kinds.indexOf(k as never)
    )
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(runner.masks()).toEqual([
      'key"with-quote',
      'key\\"with-quote',
      'jwt.secret.value',
      'AgentAssertion abc',
      'abc'
    ])
  })

  it('exports env and outputs; account and fedramp included', async () => {
    const runner = await run(settings(), resolved())
    expect(runner.exported()).toMatchObject({
      CODEX_AUTHORIZATION: 'AgentAssertion abc',
      CODEX_CHATGPT_ACCOUNT_ID: 'acct-1',
      CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://127.0.0.1:1/api'
    })
    expect(runner.outputs()).toMatchObject({
      'auth-mode': 'agentIdentity',
      'account-id': 'acct-1',
      'plan-type': 'plus',
      'agent-runtime-id': 'rt-1',
      'task-id': 'task-1',
      fedramp: 'true'
    })
  })

  it('neutralises CODEX_ACCESS_TOKEN even with export-env false', async () => {
    const runner = await run(
      settings({ exportEnv: false, accessTokenEnvPresent: true }),
      resolved()
    )
    expect(runner.exported()).toEqual({ CODEX_ACCESS_TOKEN: '' })
  })

  it('warnings are logged and summarised', async () => {
    const runner = await run(settings(), resolved())
    expect(runner.events).toContainEqual({
      kind: 'warning',
      value: 'the assertion ages'
    })
    const summary = runner.events.find((e) => e.kind === 'summary')
    expect(summary).toMatchObject({
      value: expect.stringContaining('the assertion ages')
    })
  })

  it('credentialEnvNames: the header, and each mode variable holding a secret', () => {
    expect(credentialEnvNames(resolved())).toEqual(['CODEX_AUTHORIZATION'])
    expect(
      credentialEnvNames(
        resolved({
          secrets: ['sk-one'],
          env: { CODEX_API_KEY: 'sk-one', CODEX_AUTHAPI_BASE_URL: 'http://x' }
        })
      )
    ).toEqual(['CODEX_AUTHORIZATION', 'CODEX_API_KEY'])
  })

  it('secretForms adds the JSON-escaped form only when it differs', () => {
    expect(secretForms('plain')).toEqual(['plain'])
    expect(secretForms('a\\b')).toEqual(['a\\b', 'a\\\\b'])
  })
})

describe('endpoint overrides for later steps', () => {
  it.each([
    [{}, {}],
    [
      {
        registrationAuthapi: {
          url: 'http://127.0.0.1:1/api',
          from: 'input authapi-base-url'
        },
        whoamiAuthapi: {
          url: 'http://127.0.0.1:1/api',
          from: 'input authapi-base-url'
        }
      },
      {
        CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'http://127.0.0.1:1/api',
        CODEX_AUTHAPI_BASE_URL: 'http://127.0.0.1:1/api'
      }
    ],
    [
      {
        whoamiAuthapi: {
          url: 'https://auth.openai.com/api/accounts/',
          from: 'env CODEX_AUTHAPI_BASE_URL'
        }
      },
      {}
    ],
    [
      {
        jwksBase: {
          url: 'https://keys.example/x',
          from: 'input jwks-base-url'
        },
        refreshTokenUrl: {
          url: 'http://127.0.0.1:2/oauth/token',
          from: 'input refresh-token-url'
        }
      },
      {
        CODEX_AGENT_IDENTITY_JWKS_BASE_URL: 'https://keys.example/x',
        CODEX_REFRESH_TOKEN_URL_OVERRIDE: 'http://127.0.0.1:2/oauth/token'
      }
    ]
  ])('%j exports %j', async (endpoints, expected) => {
    const runner = await run(settings(endpoints), resolved({ env: {} }))
    const env = runner.exported()
    const overrides = Object.fromEntries(
      Object.entries(env).filter(([k]) => /BASE_URL|OVERRIDE/.test(k))
    )
    expect(overrides).toEqual(expected)
  })

  it('not exported with export-env: false', async () => {
    const runner = await run(
      settings({
        exportEnv: false,
        jwksBase: { url: 'https://k.example', from: 'input jwks-base-url' }
      }),
      resolved({ env: {} })
    )
    expect(runner.exported()).toEqual({})
  })
})
