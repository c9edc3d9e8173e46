/**
 * Errors a user can act on.
 *
 * A stage throws `ActionError` with a message from `messages.ts`; `main.ts`
 * turns it into exactly one failure line. Anything else reaching the top is a
 * bug and is reported without its stack (stacks are noise to a workflow
 * author and could carry values from the call site).
 */
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

/** A short, secret-free description of any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
