/**
 * Codex's texts for an auth.json that lacks its credential.
 *
 * Texts marked "Codex" are byte-for-byte what the Codex CLI prints: users
 * grep their logs for them, so they must not be reworded. The others are
 * ours: each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

// ---- auth.json (Codex) ----------------------------------------------------

export const API_KEY_AUTH_MISSING_KEY = 'API key auth is missing a key.'
export const AGENT_IDENTITY_AUTH_MISSING =
  'agent identity auth is missing agent identity auth material.'
export const PAT_AUTH_MISSING =
  'personal access token auth is missing a personal access token.'
