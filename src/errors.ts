/**
 * Errors a user can act on.
 *
 * A stage throws `ActionError` with a message from `messages/`; `main.ts`
 * turns it into exactly one failure line. Anything else reaching the top is a
 * bug and is reported without its stack (stacks are noise to a workflow
 * author and could carry values from the call site).
 */
import type { RefreshedTokens } from './credentials/types.js'

export class ActionError extends Error {
  /**
   * @param message safe to print: never contains a secret
   * @param logoutPath an auth.json that Codex would delete ("Logging out")
   */
  constructor(
    message: string,
    readonly logoutPath?: string
  ) {
    super(message)
    this.name = 'ActionError'
  }
}

/**
 * A failure after a refresh: `failure` is what went wrong, `refreshed` the
 * new tokens, which `main.ts` keeps (written back, or under RUNNER_TEMP)
 * before it fails the step.
 */
export class FailedAfterRefresh extends Error {
  constructor(
    readonly failure: unknown,
    readonly refreshed: RefreshedTokens
  ) {
    super(describeError(failure))
    this.name = 'FailedAfterRefresh'
  }
}

/** A short, secret-free description of any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
