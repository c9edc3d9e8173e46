// Preloaded into the built action (NODE_OPTIONS=--import=…) by the hardening
// suites: every timer longer than 20 ms fires CODEX_TEST_TIME_SCALE times
// sooner, so a run whose requests hang reaches its real 10 s / 30 s per-call
// timeouts and its retry waits in a fraction of a second. Only the pacing
// changes: the code paths, attempt counts and messages are the real ones.
// The clock (Date) is left alone, so time stamps and signatures stay valid.
import process from 'node:process'
const scale = Number(process.env.CODEX_TEST_TIME_SCALE || '1')
if (scale > 1) {
  const original = globalThis.setTimeout
  const compress = (ms) =>
    typeof ms === 'number' && ms > 20 ? Math.max(20, ms / scale) : ms
  globalThis.setTimeout = Object.assign(
    (fn, ms, ...args) => original(fn, compress(ms), ...args),
    original
  )
}
