/**
 * How the helper tells the launcher it is serving, or why it cannot: a
 * small JSON file in its directory, written once, atomically (the launcher
 * polls for it and must never read half of it). It holds no secret. The
 * launcher reads it with `read-status.ts`, so the helper loads no schema.
 */
import * as fs from 'node:fs'

/** What the helper reports. */
export type HelperStatus =
  { state: 'serving' } | { state: 'failed'; reason: string }

/** Writes `status` to `file` through a temporary name and a rename. */
export function writeStatus(file: string, status: HelperStatus): void {
  const temp = `${file}.tmp`
  fs.writeFileSync(temp, JSON.stringify(status), { mode: 0o600 })
  fs.renameSync(temp, file)
}
