/**
 * Keyless CI's token source, started by the entry before the rest of the
 * action loads.
 *
 * The helper's own Node start is the longest part of a keyless step, and on
 * a two-core runner whatever runs beside it slows down. Started first, it
 * overlaps the loading of the action rather than the step's requests
 * (`npm run bench`: about 0.15 to 0.3 of an empty Node start less).
 *
 * What it reads here is a guess from the raw environment (the variables the
 * settings read, unchecked): the helper holds no token and makes no request
 * until the main step, with every setting and policy checked, hands it its
 * first token. The launcher takes it over only when it was started for the
 * very spec the checked settings give (launch.ts), and stops it otherwise;
 * the main step stops it on any failure before that.
 */
import { layout } from './layout.js'
import { readProcessIdentity } from './process-identity.js'
import {
  defaultSpawnDeps,
  spawnHelper,
  type SpawnDeps,
  type SpawnedHelper,
  type TokenSourceSpec
} from './spawn.js'
import { removeHelperDir } from './stop.js'
import type { TokenSourceHandle } from './launch.js'

/** A helper started early, and what it was started for. */
export interface EarlyTokenSource {
  spec: TokenSourceSpec
  helper: SpawnedHelper
  /** What stops it (see stop.ts). */
  handle: TokenSourceHandle
}

/** An input as @actions/core reads it: `INPUT_<NAME>`, trimmed. */
function input(
  env: Readonly<Record<string, string | undefined>>,
  name: string
): string {
  return (env[`INPUT_${name.toUpperCase()}`] ?? '').trim()
}

/**
 * The spec a keyless run will most likely start its token source with, read
 * from the raw environment; undefined unless the run asks for workload
 * identity and has everything a token source needs.
 */
export function earlySpec(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform
): TokenSourceSpec | undefined {
  const value = (name: string): string => (env[name] ?? '').trim()
  const rule =
    input(env, 'federation-rule-id') || value('OPENAI_FEDERATION_RULE_ID')
  const audience = input(env, 'oidc-audience')
  const requestUrl = value('ACTIONS_ID_TOKEN_REQUEST_URL')
  const requestToken = value('ACTIONS_ID_TOKEN_REQUEST_TOKEN')
  const runnerTemp = value('RUNNER_TEMP')
  const mode =
    input(env, 'identity-token-file-mode') ||
    (platform === 'win32' ? 'file' : 'fifo')
  if (!rule || !audience || !requestUrl || !requestToken || !runnerTemp) {
    return undefined
  }
  if (mode !== 'fifo' && mode !== 'file') return undefined
  return { runnerTemp, mode, audience, requestUrl, requestToken, env }
}

/**
 * Starts the token source's helper now when the raw environment asks for
 * workload identity ({@link earlySpec}). Never throws: whatever goes wrong
 * here goes wrong again, with its message, when the main step launches it.
 */
export function startEarlyTokenSource(
  env: Readonly<Record<string, string | undefined>>,
  deps: SpawnDeps = defaultSpawnDeps()
): EarlyTokenSource | undefined {
  const spec = earlySpec(env)
  if (spec === undefined) return undefined
  let helper: SpawnedHelper
  try {
    helper = spawnHelper(spec, deps)
  } catch {
    return undefined
  }
  const identity = readProcessIdentity(helper.pid)
  if (identity === undefined) {
    // Ended at once: the launcher starts one of its own and says why.
    removeHelperDir(helper.dir)
    return undefined
  }
  return {
    spec,
    helper,
    handle: {
      dir: helper.dir,
      path: layout(helper.dir).token,
      pid: helper.pid,
      startTime: identity.startTime,
      nonce: helper.nonce
    }
  }
}
