/**
 * Bookkeeping for the fuzz suites (`__tests__/hardening/fuzz/`): how many
 * runs each property gets, and a per-file counter of the runs each target
 * took, printed once the file is done so every suite says what it covered.
 */

/** Runs per property; `FUZZ_RUNS=5000 npm test` digs deeper. */
export const NUM_RUNS = Number(process.env['FUZZ_RUNS'] ?? '300')

/**
 * A run counter for one test file: `count(target)` once per run; after the
 * file's tests it prints `fuzz (<file>): N runs over M targets (…)`. Targets
 * ending in " ok" or " failed" tally outcomes, not runs, and stay out of N.
 * Call at a test file's top level.
 */
export function runCounter(file: string): (name: string) => void {
  const runs = new Map<string, number>()
  // An unhandled rejection fails the test it happens in (jest's own check), so
  // "never an unhandled rejection" needs no bookkeeping here.
  afterAll(() => {
    const total = [...runs]
      .filter(([name]) => !/ (ok|failed)$/.test(name))
      .reduce((a, [, n]) => a + n, 0)
    console.log(
      `fuzz (${file}): ${total} runs over ${runs.size} targets (` +
        [...runs].map(([name, n]) => `${name} ${n}`).join(', ') +
        ')'
    )
  })
  return (name: string): void => {
    runs.set(name, (runs.get(name) ?? 0) + 1)
  }
}
