/**
 * The primed home's config.toml: the source home's table carried over, plus
 * the keys that make a later Codex read the primed auth.json and enforce the
 * same policy. Written with smol-toml, which escapes every value: a quote or
 * line break in an input cannot end a string and start a key of its own.
 */
import { stringify as stringifyToml } from 'smol-toml'

/** The config.toml keys this action owns in a primed home. */
export interface PrimedConfigInput {
  /** The source home's table, carried over. */
  table: Record<string, unknown>
  loginMethod?: string
  workspaceIds?: string[]
  /** Set when the ChatGPT base is not Codex's default. */
  chatgptBaseUrl?: string
  /** Mode-specific additions. */
  extra: Record<string, unknown>
  /**
   * Patterns appended to `shell_environment_policy.exclude`: variables the
   * commands the model runs must not see.
   */
  shellEnvExclude?: readonly string[]
}

/**
 * The primed config table: the source config plus the settings that make a
 * later Codex read this auth.json (`cli_auth_credentials_store = "file"`;
 * keyring or ephemeral would ignore it) and enforce the same policy. The
 * workspace list is always written in the list form.
 */
export function primedConfig(
  input: PrimedConfigInput
): Record<string, unknown> {
  const config: Record<string, unknown> = { ...input.table }
  config['cli_auth_credentials_store'] = 'file'
  delete config['forced_login_method']
  delete config['forced_chatgpt_workspace_id']
  if (input.loginMethod) config['forced_login_method'] = input.loginMethod
  if (input.workspaceIds && input.workspaceIds.length > 0) {
    config['forced_chatgpt_workspace_id'] = [...input.workspaceIds]
  }
  if (input.chatgptBaseUrl) config['chatgpt_base_url'] = input.chatgptBaseUrl
  if (input.shellEnvExclude && input.shellEnvExclude.length > 0) {
    config['shell_environment_policy'] = withExcluded(
      config['shell_environment_policy'],
      input.shellEnvExclude
    )
  }
  return { ...config, ...input.extra }
}

/**
 * The source's `[shell_environment_policy]` with `patterns` appended to its
 * `exclude` list. Codex's other keys there (`inherit`,
 * `ignore_default_excludes`, `set`, `include_only`) are kept as they are:
 * `exclude` is applied after `inherit` and the defaults, so the patterns
 * hold whatever those say. A value of another shape is replaced: Codex
 * would refuse the file with it anyway.
 */
function withExcluded(
  source: unknown,
  patterns: readonly string[]
): Record<string, unknown> {
  const table: Record<string, unknown> = isTable(source) ? { ...source } : {}
  const current = table['exclude']
  const kept = Array.isArray(current)
    ? current.filter((p): p is string => typeof p === 'string')
    : []
  const lower = new Set(kept.map((p) => p.toLowerCase()))
  table['exclude'] = [
    ...kept,
    ...patterns.filter((p) => !lower.has(p.toLowerCase()))
  ]
  return table
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Renders a config table as TOML, plain keys before tables.
 *
 * @returns the file text, ending in a newline
 */
export function renderConfigToml(config: Record<string, unknown>): string {
  return stringifyToml(config)
}
