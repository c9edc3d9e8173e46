/**
 * Reads `<codex-home>/config.toml`: the policy keys Codex enforces, the
 * ChatGPT base URL, and the whole table so the primed home can carry it over.
 *
 * Most homes a CI job starts from have no config.toml, so the TOML parser
 * (`config-toml.ts`) is loaded only when there is one to parse.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ActionError, describeError } from '../errors.js'
import { configTomlInvalid } from '../messages.js'
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

/** Reads config.toml from a Codex home; a missing file is an empty config. */
export async function readCodexConfig(home: string): Promise<CodexConfig> {
  const file = path.join(home, 'config.toml')
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { path: file, exists: false, table: {} }
    }
    throw new ActionError(configTomlInvalid(file, describeError(err)))
  }
  const { parseCodexConfig } = await import('./config-toml.js')
  return parseCodexConfig(text, file)
}
