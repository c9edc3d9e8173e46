/**
 * ─── HOOK: downstream Codex measurement (issue 7, item 4) ───────────────────
 *
 * To be filled with the Codex compatibility harness (codex-compat/): the
 * real Codex 0.169.0 may only run inside a loopback-only network namespace
 * (`unshare -n`, `ip link set lo up`, the dev backend started in the same
 * namespace), which codex-compat/namespace.ts and codex-compat/codex.ts
 * provide. The benchmark itself never starts Codex.
 *
 * What to measure, per variant, against the dev backend (https, for the
 * model origin): start `codex exec` and read the backend's request log for
 * the requests made before the first `responses` request and the time from
 * spawn to that request.
 *   - `primed`: the env the action exported and its primed home (expected:
 *     no `jwks`, no `register` before the first model request);
 *   - `raw-jwt`: the same Codex with the identity JWT in CODEX_ACCESS_TOKEN
 *     and the JWKS / AuthAPI env overrides, no primed home (expected: Codex
 *     fetches the JWKS and registers tasks itself first).
 * Implement {@link measureDownstream} to return them; bench.ts prints them.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

export interface DownstreamVariant {
  variant: 'primed' | 'raw-jwt'
  /** Route names of the requests before the first model request. */
  requestsBeforeFirstModelCall: string[]
  /** Spawn of `codex exec` to the first `responses` request (median). */
  msToFirstModelCall: number
  runs: number
}

export type DownstreamReport =
  | { measured: true; variants: DownstreamVariant[] }
  | { measured: false; missing: string[] }

/** The downstream measurement; reports what is missing until it exists. */
export function measureDownstream(root: string): Promise<DownstreamReport> {
  const missing: string[] = [
    'the measurement itself: bench/downstream.ts measureDownstream() is a hook ' +
      'for the codex-compat harness (run codex exec in its loopback-only ' +
      'namespace, timing the first responses request)'
  ]
  const launcher = path.join(
    root,
    '.cache/codex/node_modules/@openai/codex/bin/codex.js'
  )
  if (!fs.existsSync(launcher)) {
    missing.push(
      'Codex 0.169.0 in .cache/codex (installed by `npm run test:codex`)'
    )
  }
  if (!fs.existsSync(path.join(root, 'codex-compat/namespace.ts'))) {
    missing.push('codex-compat/namespace.ts (the loopback-only namespace)')
  }
  const unshare = spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore' })
  if (unshare.error || unshare.status !== 0) {
    missing.push('`unshare -n` (root or CAP_SYS_ADMIN on Linux)')
  }
  return Promise.resolve({ measured: false, missing })
}
