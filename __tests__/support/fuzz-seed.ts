/**
 * Set up for every test file (jest `setupFilesAfterEnv`): `FUZZ_SEED=n`
 * makes every fast-check property draw the same inputs on every run.
 * `.ci/run` sets it, so a commit lands or not on its own merits; unset (a
 * plain `npm test`), each run explores new inputs, and a failure prints the
 * seed that reproduces it. fast-check loads only when a seed is given.
 */
const seed = process.env['FUZZ_SEED']
if (seed !== undefined && seed !== '') {
  const { default: fc } = await import('fast-check')
  fc.configureGlobal({ seed: Number(seed) })
}

export {}
