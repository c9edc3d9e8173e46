/**
 * The primed auth.json, written the way Codex writes it, so a later Codex
 * reads it as its own.
 */
import type { AuthJson } from '../credentials/types.js'

// Codex's serialization order for auth.json.
const KEY_ORDER = [
  'auth_mode',
  'OPENAI_API_KEY',
  'tokens',
  'last_refresh',
  'agent_identity',
  'personal_access_token'
] as const

/**
 * Serializes auth.json as Codex does: pretty JSON with 2-space indent, no
 * trailing newline, keys in Codex's order, `OPENAI_API_KEY` always present.
 */
export function renderAuthJson(doc: AuthJson): string {
  const ordered: Record<string, unknown> = {}
  for (const key of KEY_ORDER) {
    if (key === 'OPENAI_API_KEY') {
      ordered[key] = doc.OPENAI_API_KEY ?? null
    } else if (doc[key] !== undefined) {
      ordered[key] = doc[key]
    }
  }
  return JSON.stringify(ordered, null, 2)
}
