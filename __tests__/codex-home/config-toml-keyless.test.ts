/**
 * The primed config.toml of a keyless run: the workload variables and the
 * OIDC request variables are kept out of the commands the model runs,
 * appended to the user's own `shell_environment_policy.exclude`, whose other
 * keys stay as they were.
 */
import { parse } from 'smol-toml'
import {
  primedConfig,
  renderConfigToml
} from '../../src/codex-home/config-toml.js'
import { WORKLOAD_ENV_EXCLUDES } from '../../src/modes/workload-identity.js'

const prime = (table: Record<string, unknown>): Record<string, unknown> =>
  parse(
    renderConfigToml(
      primedConfig({
        table,
        loginMethod: 'chatgpt',
        workspaceIds: ['acct-1'],
        extra: {},
        shellEnvExclude: WORKLOAD_ENV_EXCLUDES
      })
    )
  )

describe('primed config.toml, workload identity', () => {
  it('the exclude list Codex reads, with the policy', () => {
    expect(prime({ model: 'o3' })).toEqual({
      model: 'o3',
      cli_auth_credentials_store: 'file',
      forced_login_method: 'chatgpt',
      forced_chatgpt_workspace_id: ['acct-1'],
      shell_environment_policy: {
        exclude: [
          'ACTIONS_ID_TOKEN_REQUEST_*',
          'OPENAI_FEDERATION_RULE_ID',
          'OPENAI_IDENTITY_TOKEN_FILE',
          'OPENAI_IDENTITY_TOKEN_SOURCE',
          'OPENAI_WORKLOAD_IDENTITY_CONTEXT'
        ]
      }
    })
  })

  it("appends to the user's exclude list and keeps the other keys", () => {
    const policy = {
      inherit: 'core',
      ignore_default_excludes: true,
      exclude: ['AWS_*', 'openai_federation_rule_id'],
      set: { CI: '1' },
      include_only: ['PATH', 'HOME', 'OPENAI_*']
    }
    expect(prime({ shell_environment_policy: policy })).toMatchObject({
      shell_environment_policy: {
        inherit: 'core',
        ignore_default_excludes: true,
        // Codex matches case-insensitively: no second copy of the user's.
        exclude: [
          'AWS_*',
          'openai_federation_rule_id',
          'ACTIONS_ID_TOKEN_REQUEST_*',
          'OPENAI_IDENTITY_TOKEN_FILE',
          'OPENAI_IDENTITY_TOKEN_SOURCE',
          'OPENAI_WORKLOAD_IDENTITY_CONTEXT'
        ],
        set: { CI: '1' },
        include_only: ['PATH', 'HOME', 'OPENAI_*']
      }
    })
  })

  it('a malformed exclude is replaced by the patterns', () => {
    expect(
      prime({ shell_environment_policy: { exclude: 'AWS_*' } })
    ).toMatchObject({
      shell_environment_policy: { exclude: [...WORKLOAD_ENV_EXCLUDES] }
    })
  })

  it('without patterns, no shell_environment_policy is added', () => {
    expect(
      primedConfig({ table: {}, extra: {} })['shell_environment_policy']
    ).toBeUndefined()
  })
})
