/**
 * How the helper tells the launcher it is serving, or why it cannot: a
 * small JSON file in its directory, written once, atomically (the launcher
 * polls for it and must never read half of it). It holds no secret.
 */
import * as fs from 'node:fs'
import * as z from 'zod/mini'

/** What the helper reports. */
export type HelperStatus =
  { state: 'serving' } | { state: 'failed'; reason: string }

/** Writes `status` to `file` through a temporary name and a rename. */
export function writeStatus(file: string, status: HelperStatus): void {
  const temp = `${file}.tmp`
  fs.writeFileSync(temp, JSON.stringify(status), { mode: 0o600 })
  fs.renameSync(temp, file)
}

let statusSchema: z.ZodMiniType<HelperStatus> | undefined
function schema(): z.ZodMiniType<HelperStatus> {
  statusSchema ??= z.discriminatedUnion('state', [
    z.object({ state: z.literal('serving') }),
    z.object({ state: z.literal('failed'), reason: z.string() })
  ])
  return statusSchema
}

/** The status in `file`, or undefined while there is none (or none usable). */
export function readStatus(file: string): HelperStatus | undefined {
  let value: unknown
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
  const parsed = schema().safeParse(value)
  return parsed.success ? parsed.data : undefined
}
