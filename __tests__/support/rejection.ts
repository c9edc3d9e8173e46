/** The one way tests take the error out of a promise that must reject. */
import { ActionError } from '../../src/errors.js'

/**
 * Awaits `promise` and returns what it rejected with, checked to be a
 * `type` (ActionError by default); a promise that resolves fails the test.
 */
export async function rejection<E extends Error = ActionError>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E = ActionError as never
): Promise<E> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(type)
    return err as E
  }
  throw new Error('expected a rejection')
}
