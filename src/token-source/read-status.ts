/** The launcher's side of `status.ts`: the helper's status, checked. */
import * as fs from 'node:fs'
import * as z from 'zod/mini'
import type { HelperStatus } from './status.js'

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
