/**
 * Texts of the post step (cleanup and write-back): ours.
 *
 * Each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

// ---- Ours: the post step -------------------------------------------------------

export const cleanupFailed = (what: string, err: string): string =>
  `Codex auth cleanup: could not ${what}: ${err}`
export const cleanupRemove = (path: string): string => `remove ${path}`
export const cleanupWriteBack = (path: string): string =>
  `write the rotated auth.json back to ${path}`
export const primedHomeGone = (path: string): string =>
  `Primed Codex home ${path} is already gone.`
export const primedHomeUnmarked = (path: string): string =>
  `Codex auth cleanup: ${path} has no marker of a primed Codex home; left in place.`
export const primedHomeRemoved = (path: string): string =>
  `Removed the primed Codex home ${path}.`
export const postStepWroteBack = (path: string): string =>
  `Wrote the rotated ChatGPT tokens back to ${path}.`

/** The post step copies only what the main step primed, where it came from. */
export const writeBackRefused = (target: string, why: string): string =>
  `Codex auth cleanup: nothing written back to ${target}: ${why}.`
export const WRITE_BACK_SOURCE_NOT_PRIMED =
  'the file to copy is not the auth.json of a Codex home this action primed'
export const WRITE_BACK_TARGET_NOT_SOURCE =
  'it is not the auth.json the primed Codex home was made from'
export const WRITE_BACK_NOT_CHATGPT =
  'the primed auth.json is no longer a valid ChatGPT auth.json'
