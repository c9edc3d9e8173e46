/**
 * The action-wide deadline: every request of a run shares one budget, so the
 * whole action stays under about two minutes even when every call times out.
 */
import type { HttpDeps } from './types.js'

/** The overall budget the real dependencies give the whole action. */
export const ACTION_TIME_BUDGET_MS = 120_000

/** Milliseconds left of the budget; `Infinity` when there is none. */
export function remainingBudget(deps: HttpDeps): number {
  return deps.deadline === undefined ? Infinity : deps.deadline - deps.now()
}
