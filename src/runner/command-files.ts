/**
 * The runner's file commands (GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE),
 * checked before the action does anything it cannot take back: a refresh
 * that rotates a token must not be followed by an export that cannot land.
 */
import * as fs from 'node:fs'
import { ActionError, describeError } from '../errors.js'
import { commandFileUnwritable } from '../messages/files.js'
import {
  GITHUB_ENV_UNSET,
  GITHUB_OUTPUT_UNSET,
  GITHUB_STATE_UNSET
} from '../messages/runner.js'

/** Each command file's variable, and the refusal when it is unset. */
export const COMMAND_FILES = [
  ['GITHUB_ENV', GITHUB_ENV_UNSET],
  ['GITHUB_OUTPUT', GITHUB_OUTPUT_UNSET],
  ['GITHUB_STATE', GITHUB_STATE_UNSET]
] as const

const { O_APPEND, O_WRONLY } = fs.constants

/**
 * Checks that each command file is named and can be appended to. Opening
 * for append (without creating: the runner creates these files) tests what
 * the export will do, also for root, for whom permission bits say little.
 *
 * @throws ActionError naming the variable
 */
export function checkCommandFiles(
  env: Readonly<Record<string, string | undefined>>
): void {
  for (const [name, notSet] of COMMAND_FILES) {
    const file = env[name]
    if (!file) throw new ActionError(notSet)
    try {
      fs.closeSync(fs.openSync(file, O_WRONLY | O_APPEND))
    } catch (err) {
      throw new ActionError(
        commandFileUnwritable(name, file, describeError(err))
      )
    }
  }
}
