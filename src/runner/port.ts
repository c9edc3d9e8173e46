/**
 * The one port to the GitHub Actions runner.
 *
 * Every stage receives a `Runner` instead of talking to the runner itself, so
 * stages are tested with a recording fake and no module mocking. The real
 * runner (`actions.ts`) is `@actions/core`.
 */

/** What the action needs from the runner, and nothing more. */
export interface Runner {
  /** An input, trimmed; '' when absent (core's `getInput`). */
  input(name: string): string
  /** The process environment as the step received it. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Registers a value with the runner's log masker (core's `setSecret`). */
  mask(secret: string): void
  /** Exports a variable to later steps (and to this process). */
  exportVariable(name: string, value: string): void
  setOutput(name: string, value: string): void
  /** Saves a value for the post step of this same action step. */
  saveState(name: string, value: string): void
  getState(name: string): string
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Appends markdown to the job summary; a no-op where there is none. */
  appendSummary(markdown: string): Promise<void>
  /** Fails the step: logs `::error::` and sets exit code 1. */
  fail(message: string): void
  /**
   * Remembers the current env, outputs and state; the returned function
   * takes back everything exported since, so a step that fails half-way
   * through exporting leaves nothing behind for later steps.
   */
  checkpoint(): () => void
  /**
   * Throws unless env, outputs and state can all be written: called before
   * any request, so nothing fails on the way out after a token rotated.
   */
  checkCommandFiles(): void
}

/**
 * Masks a secret the way every stage should: the value itself or, for a
 * value with line breaks, each line (the runner matches masks per line).
 * Short lines such as `{` are skipped: masking them would garble every log
 * line that contains one.
 */
export function maskSecret(runner: Pick<Runner, 'mask'>, value: string): void {
  if (value.trim() === '') return
  if (!/[\r\n]/.test(value)) {
    runner.mask(value)
    return
  }
  for (const line of value.split(/\r?\n/)) {
    const trimmed = line.trim()
    if (trimmed.length >= 8) runner.mask(trimmed)
  }
}
