/** The real outside world of the HTTP helper: clock, sleep, identification. */
import { buildUserAgent, USER_AGENT_PRODUCT } from '../user-agent.js'
import { ACTION_TIME_BUDGET_MS } from './deadline.js'
import type { HttpDeps } from './types.js'

/** `originator` header value unless `CODEX_INTERNAL_ORIGINATOR_OVERRIDE` is set. */
export const DEFAULT_ORIGINATOR = USER_AGENT_PRODUCT

/**
 * Real dependencies for the action.
 *
 * @param env the action's environment (`CODEX_INTERNAL_ORIGINATOR_OVERRIDE`)
 * @param startedAt epoch ms the action's budget counts from; default now
 */
export function defaultHttpDeps(
  env: Readonly<Record<string, string | undefined>>,
  startedAt: number = Date.now()
): HttpDeps {
  // Codex treats an empty override as unset; so do we.
  const override = env['CODEX_INTERNAL_ORIGINATOR_OVERRIDE']?.trim()
  return {
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    now: Date.now,
    userAgent: buildUserAgent(),
    originator: override ? override : DEFAULT_ORIGINATOR,
    deadline: startedAt + ACTION_TIME_BUDGET_MS
  }
}
