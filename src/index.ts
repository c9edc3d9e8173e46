/** Entry point of the main step. */

// Keyless CI only: the token source's process starts before the rest of the
// action loads (token-source/early.ts says why); run() takes it over or
// stops it. A step without an OIDC audience cannot start one early
// (earlySpec), so it does not even read that module.
const early = process.env['INPUT_OIDC-AUDIENCE']?.trim()
  ? (await import('./token-source/early.js')).startEarlyTokenSource(process.env)
  : undefined
const [{ defaultDeps, run }, { createActionsRunner }] = await Promise.all([
  import('./main.js'),
  import('./runner/actions.js')
])
// run() never rejects: every failure goes to runner.fail.
void run(createActionsRunner(), early ? { ...defaultDeps, early } : undefined)
