/**
 * The TOML side of a source home's config.toml: the settings Codex enforces
 * and the table the primed home carries over. Pure, so it is fuzzed directly.
 */
import { parse as parseToml } from 'smol-toml'
import { ActionError, describeError } from '../errors.js'
import {
  CHATGPT_BASE_URL_NOT_STRING,
  configTomlInvalid,
  forcedLoginMethodInvalid,
  TOML_PARSE_ERROR,
  WORKSPACE_IDS_NOT_STRINGS,
  workspaceIdWithComma
} from '../messages/inputs.js'
import type { LoginMethod } from '../inputs.js'

export interface CodexConfig {
  /** Absolute path of config.toml (whether or not it exists). */
  path: string
  /** Whether the file exists. */
  exists: boolean
  /** The parsed table, carried into the primed home. */
  table: Record<string, unknown>
  forcedLoginMethod?: LoginMethod
  /** Workspace ids after trimming and dropping empties; absent when none. */
  forcedWorkspaceIds?: string[]
  chatgptBaseUrl?: string
}

/** Parses config.toml text. */
export function parseCodexConfig(text: string, file: string): CodexConfig {
  let table: Record<string, unknown>
  try {
    table = parseToml(text)
  } catch (err) {
    // smol-toml messages carry a code frame with the file's text; keep only
    // the first line so a secret-bearing line is never echoed.
    const first = describeError(err).split('\n')[0] || TOML_PARSE_ERROR
    throw new ActionError(configTomlInvalid(file, first))
  }
  const config: CodexConfig = { path: file, exists: true, table }

  const method = table['forced_login_method']
  if (method !== undefined) {
    if (method !== 'chatgpt' && method !== 'api') {
      throw new ActionError(
        configTomlInvalid(
          file,
          forcedLoginMethodInvalid(JSON.stringify(method))
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
        configTomlInvalid(file, CHATGPT_BASE_URL_NOT_STRING)
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
  throw new ActionError(configTomlInvalid(file, WORKSPACE_IDS_NOT_STRINGS))
}
