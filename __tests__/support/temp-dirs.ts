/**
 * The one temp-dir helper of the tests: every directory a test makes under
 * the OS temp dir comes from here or from `makeRunnerDirs`, and the
 * `afterAll` in cleanup.ts (every test file's setup) removes them all, so a
 * test run leaves nothing in the temp dir.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { removeRunnerDirs, removeTree } from '../../dev/runner-sim.js'

const live = new Set<string>()

/**
 * A fresh private directory under the OS temp dir, named `codex-auth-test-`
 * plus `name` so a leftover says whose it is.
 */
export function tempDir(name = ''): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `codex-auth-test-${name}`))
  live.add(dir)
  return dir
}

/** Removes every {@link tempDir} and runner layout the test file made. */
export function removeTestDirs(): void {
  for (const dir of live) {
    removeTree(dir)
    live.delete(dir)
  }
  removeRunnerDirs()
}
