/**
 * What the main step hands to the post step: a list of typed cleanup actions,
 * saved as runner state. The post step does exactly these, nothing more.
 *
 * Validated by hand, like every other input: this module is on every run's
 * start-up path, and a schema library costs more to load than all of it.
 */

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

/** Serializes cleanup actions for `saveState`. */
export function encodeState(actions: CleanupAction[]): string {
  return JSON.stringify(actions)
}

const text = (v: unknown): v is string => typeof v === 'string' && v !== ''

function isAction(v: unknown): v is CleanupAction {
  if (v === null || typeof v !== 'object') return false
  const a = v as Record<string, unknown>
  if (a['kind'] === 'remove-home') return text(a['path'])
  if (a['kind'] === 'write-back') {
    return (
      text(a['primedAuthFile']) &&
      text(a['target']) &&
      text(a['exportedDigest'])
    )
  }
  return false
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
  return Array.isArray(value) && value.every(isAction) ? value : []
}
