/**
 * The one place rotated ChatGPT tokens are written back. Refresh tokens
 * rotate, so the newest auth.json is the only valid copy: it goes back to
 * the runner file the tokens came from (right after a refresh in the main
 * step, and again in the post step when a later Codex rotated the primed
 * copy), and after a failure it is kept rather than thrown away.
 *
 * Modes only report what they refreshed (`Resolved.refreshed`, or
 * `FailedAfterRefresh`); `main.ts` calls this module, so no stage before the
 * primed home writes files.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { RefreshedTokens } from '../credentials/types.js'
import { describeError } from '../errors.js'
import { writeFileAtomic, writeNewFile } from '../files/safe-write.js'
import {
  refreshWriteBackFailed,
  rotatedTokensKept,
  rotatedTokensLost,
  rotatedTokensWrittenBack
} from '../messages/rotated-tokens.js'
import { renderAuthJson } from './auth-json.js'

/**
 * Replaces a runner's auth.json with a newer copy: atomically (a reader never
 * sees half a credential), mode 0600 and writable (a read-only file makes
 * Codex refresh again and again), replacing a symlink rather than writing
 * through it.
 *
 * @param target - the runner's auth.json the tokens were read from
 * @param authJsonText - the whole new file, in Codex's format
 */
export function writeBackAuthJson(target: string, authJsonText: string): void {
  writeFileAtomic(target, authJsonText)
}

/** What a write-back adds to the step's warnings and summary. */
export interface WriteBackReport {
  warnings: string[]
  facts: [string, string][]
}

/**
 * Right after a refresh: a runner file gets the new tokens at once, as Codex
 * would have written them. A failure is a warning, not fatal: the primed
 * copy holds the valid tokens, and failing would delete it with them.
 */
export function writeBackRefreshed(
  refreshed: RefreshedTokens
): WriteBackReport {
  const { target } = refreshed
  if (target === undefined) return { warnings: [], facts: [] }
  try {
    writeBackAuthJson(target, renderAuthJson(refreshed.doc))
  } catch (err) {
    return {
      warnings: [refreshWriteBackFailed(target, describeError(err))],
      facts: []
    }
  }
  return { warnings: [], facts: [['Refreshed tokens written to', target]] }
}

/**
 * After a failure that follows a rotation: keeps the new tokens, written
 * back to the runner file when there is one, else as `auth.json` (0600) in a
 * fresh 0700 directory under RUNNER_TEMP, which the post step leaves alone
 * (it has no marker) and the runner removes when the job ends.
 *
 * @param message - the failure, as it would be reported
 * @param runnerTemp - where a kept copy goes
 * @returns the failure message, naming where the tokens are
 */
export function keepRotatedTokens(
  message: string,
  refreshed: RefreshedTokens,
  runnerTemp: string
): string {
  const text = renderAuthJson(refreshed.doc)
  if (refreshed.target !== undefined) {
    try {
      writeBackAuthJson(refreshed.target, text)
      return rotatedTokensWrittenBack(message, refreshed.target)
    } catch {
      // The runner file cannot take them: keep them under RUNNER_TEMP.
    }
  }
  try {
    const dir = fs.mkdtempSync(path.join(runnerTemp, 'codex-auth-rotated-'))
    fs.chmodSync(dir, 0o700)
    const file = path.join(dir, 'auth.json')
    writeNewFile(file, text)
    return rotatedTokensKept(message, refreshed.from, file)
  } catch (err) {
    return rotatedTokensLost(message, refreshed.from, describeError(err))
  }
}
