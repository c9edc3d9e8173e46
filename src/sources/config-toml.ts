/**
 * The TOML side of config.toml, with smol-toml: parsing a source home's file
 * into the settings Codex enforces, and rendering a primed home's file when it
 * carries more than the action's own flat keys. Loaded on demand: a home
 * without a config.toml never parses this module or the TOML library.
 */
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml'
import type { CodexConfig } from './codex-config.js'
import { ActionError, describeError } from '../errors.js'
import { configTomlInvalid, workspaceIdWithComma } from '../messages.js'

/** Parses config.toml text; pure, so it is fuzzed directly. */
export function parseCodexConfig(text: string, file: string): CodexConfig {
  let table: Record<string, unknown>
  try {
    table = parseToml(text)
  } catch (err) {
    // smol-toml messages carry a code frame with the file's text; keep only
    // the first line so a secret-bearing line is never echoed.
    const first = describeError(err).split('\n')[0] ?? 'parse error'
    throw new ActionError(configTomlInvalid(file, first))
  }
  const config: CodexConfig = { path: file, exists: true, table }

  const method = table['forced_login_method']
  if (method !== undefined) {
    if (method !== 'chatgpt' && method !== 'api') {
      throw new ActionError(
        configTomlInvalid(
          file,
          `forced_login_method must be "chatgpt" or "api", found ${JSON.stringify(method)}`
        )
      )
    }
    config.forcedLoginMethod = method
  }

  const ids = parseWorkspaceIds(table['forced_chatgpt_workspace_id'], file)
  if (ids.length > 0) config.forcedWorkspaceIds = ids

  const base = table['chatgpt_base_url']
  if (base !== undefined) {
    if (typeof base !== 'string' || base.trim() === '') {
      throw new ActionError(
        configTomlInvalid(file, 'chatgpt_base_url must be a non-empty string')
      )
    }
    config.chatgptBaseUrl = base.trim()
  }
  return config
}

// Codex accepts a single id or a list. A single string with a comma is an
// error there (it would otherwise be read as one impossible id).
function parseWorkspaceIds(value: unknown, file: string): string[] {
  if (value === undefined) return []
  if (typeof value === 'string') {
    if (value.includes(',')) throw new ActionError(workspaceIdWithComma(file))
    const id = value.trim()
    return id === '' ? [] : [id]
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.map((v) => v.trim()).filter((v) => v !== '')
  }
  throw new ActionError(
    configTomlInvalid(
      file,
      'forced_chatgpt_workspace_id must be a string or a list of strings'
    )
  )
}

/** Renders any config table as TOML, with a real serializer. */
export function stringifyConfigToml(config: Record<string, unknown>): string {
  return stringifyToml(config) + '\n'
}
