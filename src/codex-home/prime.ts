/**
 * The primed Codex home: a fresh directory under RUNNER_TEMP holding the
 * auth.json and config.toml a later `codex exec` starts from.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { writeNewFile } from '../files/safe-write.js'
import { MARKER_FILE, readMarker, type Marker } from './marker.js'
import { isSimpleTable, renderSimpleToml } from './simple-toml.js'

/**
 * The home to read credentials and config from. When `home` was primed by an
 * earlier run of this action in the same job (its CODEX_HOME was exported),
 * the original source home is used instead: a second run must not mistake the
 * first run's output for user input.
 */
export function resolveSourceHome(home: string): string {
  const marker = readMarker(home)
  return marker && marker.sourceHome !== home ? marker.sourceHome : home
}

export interface PrimedHome {
  home: string
  authFile: string
  configFile: string
}

export interface PrimeOptions {
  /** Parent directory (RUNNER_TEMP). */
  parent: string
  sourceHome: string
  authJsonText: string
  /** The config.toml text ({@link renderConfigToml}). */
  configToml: string
}

/**
 * Creates the primed home: directory 0700 with a unique name (mkdtemp is an
 * exclusive create), files 0600 created exclusively without following
 * symlinks. On any failure the partial directory is removed.
 */
export function primeCodexHome(options: PrimeOptions): PrimedHome {
  fs.mkdirSync(options.parent, { recursive: true })
  const home = fs.mkdtempSync(path.join(options.parent, 'codex-home-'))
  try {
    fs.chmodSync(home, 0o700)
    const authFile = path.join(home, 'auth.json')
    const configFile = path.join(home, 'config.toml')
    writeNewFile(authFile, options.authJsonText)
    writeNewFile(configFile, options.configToml)
    const marker: Marker = { primedHome: home, sourceHome: options.sourceHome }
    writeNewFile(path.join(home, MARKER_FILE), JSON.stringify(marker))
    return { home, authFile, configFile }
  } catch (err) {
    fs.rmSync(home, { recursive: true, force: true })
    throw err
  }
}

/**
 * Renders the primed config.toml. A flat table of strings (a home that had no
 * config.toml of its own) is written directly; anything richer, such as a
 * carried-over table, goes through smol-toml, loaded only then.
 */
export async function renderConfigToml(
  config: Record<string, unknown>
): Promise<string> {
  if (isSimpleTable(config)) return renderSimpleToml(config)
  const { stringifyConfigToml } = await import('../sources/config-toml.js')
  return stringifyConfigToml(config)
}

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
}

/**
 * The primed config.toml: the source config plus the settings that make a
 * later Codex read this auth.json (`cli_auth_credentials_store = "file"`;
 * keyring or ephemeral would ignore it) and enforce the same policy.
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
  return { ...config, ...input.extra }
}
