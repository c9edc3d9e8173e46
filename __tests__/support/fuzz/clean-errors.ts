/**
 * The property every fuzz target shares: a valid result, or one clear error
 * the pipeline knows how to report (ActionError, or CryptoError from the
 * crypto layer), with a message that carries no stack and no secret.
 */
import { CryptoError } from '../../../src/crypto/errors.js'
import { ActionError } from '../../../src/errors.js'

/** A thrown value the pipeline reports as is: ours, one line, no secret. */
export function expectClean(
  err: unknown,
  secrets: readonly string[] = []
): void {
  if (!(err instanceof ActionError) && !(err instanceof CryptoError)) {
    throw new Error(
      `not an ActionError/CryptoError: ${String(err)}${err instanceof Error ? `\n${err.stack}` : ''}`
    )
  }
  expect(err.message.trim()).not.toBe('')
  expect(err.message).not.toMatch(/\n\s+at \S+/)
  expect(err.message).not.toMatch(/^Unexpected error/)
  for (const s of secrets) {
    if (s.trim().length >= 8) expect(err.message).not.toContain(s.trim())
  }
}

/** Runs `fn`; a result is fine, an error must be clean. */
export function settle<T>(
  fn: () => T,
  secrets: readonly string[] = []
): T | undefined {
  try {
    return fn()
  } catch (err) {
    expectClean(err, secrets)
    return undefined
  }
}

export async function settleAsync<T>(
  fn: () => Promise<T>,
  secrets: readonly string[] = []
): Promise<T | undefined> {
  try {
    return await fn()
  } catch (err) {
    expectClean(err, secrets)
    return undefined
  }
}
