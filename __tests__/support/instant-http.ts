/**
 * HTTP helper dependencies for tests: nothing waits. Every sleep the helper
 * asks for is recorded (so tests assert the backoff instead of timing it),
 * jitter is fixed at the middle of its range and the clock stands still.
 */
import type { HttpDeps } from '../../src/clients/http.js'

/** Sent on every test request, so tests can match on them. */
export const TEST_USER_AGENT = 'test-agent/1.0'
export const TEST_ORIGINATOR = 'test_originator'

export function instantHttpDeps(
  nowMs: number,
  sleeps: number[] = []
): HttpDeps {
  return {
    sleep: (ms) => {
      sleeps.push(ms)
      return Promise.resolve()
    },
    random: () => 0.5,
    now: () => nowMs,
    userAgent: TEST_USER_AGENT,
    originator: TEST_ORIGINATOR
  }
}
