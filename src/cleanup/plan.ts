/**
 * What the main step hands to the post step: a list of typed cleanup actions,
 * saved as runner state. The post step does exactly these, nothing more.
 */
import * as z from 'zod/mini'

export const STATE_KEY = 'cleanup'

export type CleanupAction =
  | {
      /**
       * Copy a primed auth.json back to the runner file it came from, if a
       * later step rotated its tokens (the newest copy is the only valid one).
       */
      kind: 'write-back'
      primedAuthFile: string
      target: string
      /** sha256 of the primed auth.json as the main step left it. */
      exportedDigest: string
    }
  | { kind: 'remove-home'; path: string }
  | {
      /**
       * Stop the token source helper (workload identity) and remove its
       * directory; saved even with `cleanup: false`, which keeps files, not
       * processes. Signalled only while pid, start time and nonce all match.
       */
      kind: 'stop-token-source'
      pid: number
      /** Opaque start time of the process, as the main step read it. */
      startTime: string
      /** Random; also in the helper's argv. */
      nonce: string
      dir: string
    }

// Built on first decode: only the post step reads state, so the main step's
// bundle leaves the schema (and zod) out.
let planSchema: z.ZodMiniType<CleanupAction[]> | undefined
function plan(): z.ZodMiniType<CleanupAction[]> {
  if (planSchema) return planSchema
  const text = z.string().check(z.minLength(1))
  planSchema = z.array(
    z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('write-back'),
        primedAuthFile: text,
        target: text,
        exportedDigest: text
      }),
      z.object({ kind: z.literal('remove-home'), path: text }),
      z.object({
        kind: z.literal('stop-token-source'),
        pid: z.number().check(z.int(), z.positive()),
        startTime: text,
        nonce: text,
        dir: text
      })
    ])
  )
  return planSchema
}

/** Serializes cleanup actions for `saveState`. */
export function encodeState(actions: CleanupAction[]): string {
  return JSON.stringify(actions)
}

/**
 * Parses saved state. Empty or damaged state means nothing to do: the post
 * step must never act on something the main step did not write.
 */
export function decodeState(raw: string): CleanupAction[] {
  if (raw.trim() === '') return []
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return []
  }
  const parsed = plan().safeParse(value)
  return parsed.success ? parsed.data : []
}
