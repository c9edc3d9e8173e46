/**
 * Workload identity outranks every other credential (SPEC §2): a rule id
 * selects it, the log names each ignored source and never a value, and no
 * ignored source is read (so none can fail the step).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { readSettings } from '../../src/inputs.js'
import { loadCredential, maskRawCredentials } from '../../src/sources/load.js'
import { fakeRunner } from '../support/fake-runner.js'
import { tempDir } from '../support/temp-dirs.js'

const RULE = { 'federation-rule-id': 'idpm_rule', 'oidc-audience': 'aud' }

function load(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  authJson?: string
): {
  runner: ReturnType<typeof fakeRunner>
  loaded: ReturnType<typeof loadCredential>
  home: string
} {
  const home = tempDir('src-')
  if (authJson !== undefined) {
    fs.writeFileSync(path.join(home, 'auth.json'), authJson)
  }
  const runner = fakeRunner(inputs, { HOME: '/h', CODEX_HOME: home, ...env })
  const settings = readSettings(runner)
  return { runner, loaded: loadCredential(runner, settings, home), home }
}

describe('workload identity selection', () => {
  it('a rule id alone selects workload identity', () => {
    const { loaded } = load(RULE)
    expect(loaded).toEqual({
      credential: {
        mode: 'workloadIdentity',
        source: { label: 'input federation-rule-id' },
        federationRuleId: 'idpm_rule',
        audience: 'aud'
      },
      ignored: []
    })
  })

  it('outranks every other source; the log names them, never their values', () => {
    const { runner, loaded, home } = load(
      {
        ...RULE,
        'workload-identity-context': 'ctx',
        'api-key': 'sk-input-secret',
        'access-token': 'at-token-secret',
        'agent-identity': 'h.p.s-different',
        'auth-json': '{"OPENAI_API_KEY":"sk-json-secret"}'
      },
      {
        CODEX_API_KEY: 'sk-env-secret',
        CODEX_ACCESS_TOKEN: 'at-env-secret',
        CODEX_AGENT_IDENTITY: 'h.p.s-env',
        OPENAI_API_KEY: 'sk-openai-secret'
      },
      // Not valid JSON: it must not be read.
      '{broken'
    )
    expect(loaded.credential).toMatchObject({
      mode: 'workloadIdentity',
      workloadIdentityContext: 'ctx'
    })
    expect(loaded.ignored).toEqual([
      'input api-key',
      'env CODEX_API_KEY',
      'input access-token',
      'input agent-identity',
      'env CODEX_ACCESS_TOKEN',
      'env CODEX_AGENT_IDENTITY',
      'input auth-json',
      path.join(home, 'auth.json'),
      'env OPENAI_API_KEY'
    ])
    const log = runner.logs().join('\n')
    expect(log).toContain(
      'Using workload identity (keyless) from input federation-rule-id.'
    )
    expect(log).toContain(
      'Ignoring env CODEX_API_KEY: input federation-rule-id takes precedence.'
    )
    expect(log).not.toMatch(/secret/)
  })

  it('the env var selects it too, and is named as the source', () => {
    const { loaded } = load(
      { 'oidc-audience': 'aud', 'api-key': 'sk-x' },
      { OPENAI_FEDERATION_RULE_ID: 'idpm_env' }
    )
    expect(loaded.credential).toMatchObject({
      mode: 'workloadIdentity',
      federationRuleId: 'idpm_env',
      source: { label: 'env OPENAI_FEDERATION_RULE_ID' }
    })
    expect(loaded.ignored).toEqual(['input api-key'])
  })

  it('the OIDC request token is masked with the raw credentials', () => {
    const runner = fakeRunner(RULE, {
      HOME: '/h',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://t.example/x?a=1',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-123'
    })
    maskRawCredentials(runner, readSettings(runner))
    expect(runner.masks()).toEqual(['oidc-request-token-123'])
  })
})
