/**
 * Texts of endpoint resolution (stage 4), which every run does: Codex's own,
 * then ours.
 *
 * Texts marked "Codex" are byte-for-byte what the Codex CLI prints: users
 * grep their logs for them, so they must not be reworded. The others are
 * ours: each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

// ---- Endpoints (Codex) -----------------------------------------------------

export const UNSUPPORTED_ENVIRONMENT =
  'Agent Identity only supports production and staging ChatGPT environments'

// ---- Ours: endpoints -------------------------------------------------------

/** Ours: a runtime id that would change the registration URL's meaning. */
export const runtimeIdNotUrlSafe = (source: string): string =>
  `The agent identity from ${source} has an agent_runtime_id containing '/', '?', '#' or whitespace, which cannot be put into the task registration URL unchanged. Ask for a new agent identity.`
