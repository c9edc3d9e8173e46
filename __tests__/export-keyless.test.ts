/**
 * What a keyless run exports (SPEC §10, §12): Codex's workload variables
 * with the token file path, the header and account, no endpoint overrides
 * (Codex reads none of them under workload identity), CODEX_ACCESS_TOKEN
 * emptied, no CODEX_API_KEY, outputs with the expiry and the token file,
 * an empty auth-file, and a stop entry for the token source even with
 * cleanup: false.
 */
import { createPrimedHome, primeCodexHome } from '../src/codex-home/prime.js'
import { decodeState } from '../src/cleanup/plan.js'
import type { Resolved } from '../src/credentials/types.js'
import { resolveEndpoints } from '../src/endpoints/resolve.js'
import { exportResults, type ServedTokenFile } from '../src/export.js'
import type { Settings } from '../src/inputs.js'
import { fakeRunner } from './support/fake-runner.js'
import { tempDir } from './support/temp-dirs.js'

const ACCESS = 'eyJ.workload-access.sig'

const resolved = (over: Partial<Resolved> = {}): Resolved => ({
  mode: 'workloadIdentity',
  source: { label: 'input federation-rule-id' },
  secrets: [ACCESS],
  authorization: `Bearer ${ACCESS}`,
  accountId: 'acct-1',
  planType: 'business',
  fedramp: false,
  expiresAt: '2026-08-22T06:54:43Z',
  env: {
    OPENAI_FEDERATION_RULE_ID: 'idpm_1',
    OPENAI_IDENTITY_TOKEN_SOURCE: 'file',
    OPENAI_WORKLOAD_IDENTITY_CONTEXT: 'ctx'
  },
  config: {},
  warnings: [],
  facts: [],
  workload: {
    federationRuleId: 'idpm_1',
    audience: 'aud-1',
    claims:
      'iss=https://token.actions.githubusercontent.com, sub=repo:o/r:ref:refs/heads/main',
    expiresAt: '2026-08-22T06:54:43Z',
    exchangeUrl: 'https://auth.openai.com/oauth/token'
  },
  ...over
})

const settings = (over: Partial<Settings> = {}): Settings =>
  ({
    exportEnv: true,
    cleanup: true,
    accessTokenEnvPresent: false,
    // Would be exported in another mode: not here.
    refreshTokenUrl: {
      url: 'http://127.0.0.1:9/oauth/token',
      from: 'input refresh-token-url'
    },
    ...over
  }) as Settings

const TOKEN_FILE: ServedTokenFile = {
  mode: 'fifo',
  handle: {
    dir: '/rt/codex-oidc-x',
    path: '/rt/codex-oidc-x/token',
    pid: 4242,
    startTime: '12345',
    nonce: 'n0nce'
  }
}

async function run(
  s: Settings,
  r: Resolved = resolved()
): Promise<{ runner: ReturnType<typeof fakeRunner>; home: string }> {
  const runner = fakeRunner()
  const primed = primeCodexHome(createPrimedHome(tempDir('exp-'), undefined), {
    sourceHome: '/s',
    configToml: ''
  })
  await exportResults(runner, {
    settings: s,
    endpoints: resolveEndpoints(s, {}),
    resolved: r,
    primed,
    policy: { workspaceRules: [] },
    ignored: ['env CODEX_API_KEY'],
    tokenFile: TOKEN_FILE
  })
  return { runner, home: primed.home }
}

describe('exportResults, workload identity', () => {
  it('exports exactly the variables Codex reads, and the header', async () => {
    const { runner, home } = await run(
      settings({ accessTokenEnvPresent: true })
    )
    expect(runner.exported()).toEqual({
      CODEX_HOME: home,
      OPENAI_FEDERATION_RULE_ID: 'idpm_1',
      OPENAI_IDENTITY_TOKEN_SOURCE: 'file',
      OPENAI_WORKLOAD_IDENTITY_CONTEXT: 'ctx',
      OPENAI_IDENTITY_TOKEN_FILE: '/rt/codex-oidc-x/token',
      CODEX_AUTHORIZATION: `Bearer ${ACCESS}`,
      CODEX_CHATGPT_ACCOUNT_ID: 'acct-1',
      CODEX_ACCESS_TOKEN: ''
    })
    expect(new Set(runner.masks())).toEqual(
      new Set([ACCESS, `Bearer ${ACCESS}`])
    )
  })

  it('outputs: mode, header, account, plan, expiry, token file; auth-file empty', async () => {
    const { runner, home } = await run(settings())
    expect(runner.outputs()).toEqual({
      'auth-mode': 'workloadIdentity',
      authorization: `Bearer ${ACCESS}`,
      'account-id': 'acct-1',
      'plan-type': 'business',
      fedramp: 'false',
      'codex-home': home,
      'auth-file': '',
      'expires-at': '2026-08-22T06:54:43Z',
      'identity-token-file': '/rt/codex-oidc-x/token'
    })
  })

  it('export-env: false exports nothing, and the outputs still name the path', async () => {
    const { runner } = await run(settings({ exportEnv: false }))
    expect(runner.exported()).toEqual({})
    expect(runner.outputs()['identity-token-file']).toBe(
      '/rt/codex-oidc-x/token'
    )
  })

  it.each([true, false])(
    'the post step stops the token source (cleanup: %s)',
    async (cleanup) => {
      const { runner, home } = await run(settings({ cleanup }))
      const plan = decodeState(runner.state['cleanup'] ?? '')
      expect(plan[0]).toEqual({
        kind: 'stop-token-source',
        pid: 4242,
        startTime: '12345',
        nonce: 'n0nce',
        dir: '/rt/codex-oidc-x'
      })
      expect(plan.slice(1)).toEqual(
        cleanup ? [{ kind: 'remove-home', path: home }] : []
      )
    }
  )

  it('the summary has the keyless section, inert, and no token', async () => {
    const { runner } = await run(settings())
    const summary = runner.events.find((e) => e.kind === 'summary')?.value ?? ''
    expect(summary).toContain(
      '| Mode | Workload identity (keyless) (`workloadIdentity`) |'
    )
    expect(summary).toContain('| Federation rule | `idpm_1` |')
    expect(summary).toContain('| OIDC audience | `aud-1` |')
    expect(summary).toContain(
      '| OIDC claims (preflight token) | iss=https\\://token.actions.githubusercontent.com, sub=repo\\:o/r\\:ref\\:refs/heads/main |'
    )
    expect(summary).toContain(
      '| Access token expires | `2026-08-22T06:54:43Z` |'
    )
    expect(summary).toContain(
      '| Identity token file | `/rt/codex-oidc-x/token` (fifo) |'
    )
    expect(summary).toContain('| Ignored sources | env CODEX_API_KEY |')
    expect(summary).not.toContain(ACCESS)
  })
})
