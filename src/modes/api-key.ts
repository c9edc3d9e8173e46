/**
 * API keys: no network, only the login-method rule (the workspace rule does
 * not apply to API keys, as in Codex).
 */
import type { ApiKeyCredential, Resolved } from '../credentials/types.js'
import { loginMethodViolation } from '../policy/rules.js'
import { restrictionFailure, type ModeContext } from './context.js'

/** Restricts and resolves an API key. */
export function resolveApiKey(
  credential: ApiKeyCredential,
  ctx: Pick<ModeContext, 'policy'>
): Resolved {
  const violation = loginMethodViolation(ctx.policy, 'api')
  if (violation) throw restrictionFailure(violation, credential.source)
  const key = credential.apiKey
  return {
    mode: 'apikey',
    source: credential.source,
    secrets: [key],
    authorization: `Bearer ${key}`,
    fedramp: false,
    authJson: { auth_mode: 'apikey', OPENAI_API_KEY: key },
    // `codex exec` reads CODEX_API_KEY, not OPENAI_API_KEY.
    env: { CODEX_API_KEY: key },
    config: {},
    warnings: [],
    facts: []
  }
}
