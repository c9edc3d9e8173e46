/** Entry point of the main step. */
import { startEarlyTokenSource } from './token-source/early.js'

// The run's modules start loading first; their file reads overlap the
// token source's start.
const loading = Promise.all([
  import('./main.js'),
  import('./runner/actions.js')
])
// Keyless CI only: the token source's process starts before the rest of the
// action has loaded (token-source/early.ts says why); run() takes it over
// or stops it.
const early = startEarlyTokenSource(process.env)
const [{ defaultDeps, run }, { createActionsRunner }] = await loading
// run() never rejects: every failure goes to runner.fail.
void run(createActionsRunner(), early ? { ...defaultDeps, early } : undefined)
