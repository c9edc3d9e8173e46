/**
 * Reads `<codex-home>/config.toml`: the policy keys Codex enforces, the
 * ChatGPT base URL, and the whole table so the primed home can carry it over.
 * Most homes a CI job starts from have none, so the TOML parser
 * (`config-toml.ts`) is loaded only when there is a file to parse.
 */
import * as path from 'node:path'
import { readRegularFile } from '../files/safe-read.js'
import { ActionError, describeError } from '../errors.js'
import { configTomlInvalid } from '../messages/inputs.js'
import type { CodexConfig } from './config-toml.js'

export type { CodexConfig } from './config-toml.js'

/** Reads config.toml from a Codex home; a missing file is an empty config. */
export async function readCodexConfig(home: string): Promise<CodexConfig> {
  const file = path.join(home, 'config.toml')
  let text: string
  try {
    text = readRegularFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { path: file, exists: false, table: {} }
    }
    throw new ActionError(configTomlInvalid(file, describeError(err)))
  }
  const { parseCodexConfig } = await import('./config-toml.js')
  return parseCodexConfig(text, file)
}
