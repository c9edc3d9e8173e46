/**
 * What the main step hands to the post step: a list of typed cleanup actions,
 * saved as runner state. The post step does exactly these, nothing more.
 */
import * as z from 'zod/mini'

export const STATE_KEY = 'cleanup'

const path = z.string().check(z.minLength(1))

const CleanupActionSchema = z.discriminatedUnion('kind', [
  z.object({
    /**
     * Copy a primed auth.json back to the runner file it came from, if a
     * later step rotated its tokens (the newest copy is the only valid one).
     */
    kind: z.literal('write-back'),
    primedAuthFile: path,
    target: path,
    /** sha256 of the primed auth.json as the main step left it. */
    exportedDigest: z.string().check(z.minLength(1))
  }),
  z.object({ kind: z.literal('remove-home'), path })
])

const PlanSchema = z.array(CleanupActionSchema)

export type CleanupAction = z.infer<typeof CleanupActionSchema>

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
  const parsed = PlanSchema.safeParse(value)
  return parsed.success ? parsed.data : []
}
