/**
 * Starting the token source from the main step: the helper the entry
 * started early (early.ts) taken over when it fits the checked settings,
 * else one started now (spawn.ts); its first token handed over on its stdin
 * (first-token.ts), and a wait (bounded) until it says it is serving.
 */
import * as fs from 'node:fs'
import { ActionError, describeError } from '../errors.js'
import {
  TOKEN_SOURCE_NO_FIRST_TOKEN,
  tokenSourceExited,
  tokenSourceFailed,
  tokenSourceFirstMintFailed,
  tokenSourceNotReady
} from '../messages/token-source.js'
import type { EarlyTokenSource } from './early.js'
import { encodeFirstToken } from './first-token.js'
import { layout } from './layout.js'
import { readProcessIdentity, type IdentityReader } from './process-identity.js'
import { readStatus } from './read-status.js'
import {
  defaultSpawnDeps,
  helperEnv,
  spawnHelper,
  type SpawnDeps,
  type SpawnedHelper,
  type TokenSourceSpec
} from './spawn.js'
import { stopHelper, systemStopDeps, type StopDeps } from './stop.js'
import type { Token } from './supply.js'

export type { TokenFileMode } from './args.js'
export type { Token } from './supply.js'
export {
  bundledHelper,
  helperEnv,
  type HelperScript,
  type TokenSourceSpec
} from './spawn.js'

/** A running token source: what the post step needs to stop it. */
export interface TokenSourceHandle {
  /** Its directory (0700, under RUNNER_TEMP). */
  dir: string
  /** The token path Codex reads: `OPENAI_IDENTITY_TOKEN_FILE`. */
  path: string
  pid: number
  /** Opaque start time (see process-identity.ts). */
  startTime: string
  /** Random, in the helper's argv. */
  nonce: string
}

/** What starting needs; every field but `early` has a real default. */
export interface LaunchDeps extends SpawnDeps {
  /**
   * The helper the entry started before the action loaded (early.ts): taken
   * over when it was started for this very spec, else stopped.
   */
  early?: EarlyTokenSource
  /**
   * Longest wait for the helper to say it serves, counted from when its
   * first token was handed over.
   */
  readyTimeoutMs: number
  sleep(ms: number): Promise<void>
  now(): number
  readIdentity: IdentityReader
  stop: StopDeps
  /**
   * Mints the helper's first token for {@link startTokenSource} (the main
   * step mints its own and uses {@link launchTokenSource}).
   */
  mintFirst(spec: TokenSourceSpec): Promise<Token>
}

/** Default of {@link LaunchDeps.readyTimeoutMs}. */
export const READY_TIMEOUT_MS = 30_000
/**
 * How often the status is read while waiting. Short: by the time the main
 * step waits, the helper has usually served for a while or is about to, and
 * a read of a small file costs next to nothing.
 */
const READY_POLL_MS = 2
/** How long a helper that ended at once gets to report its exit status. */
const EXIT_WAIT_MS = 1_000

const defaults = (): LaunchDeps => ({
  ...defaultSpawnDeps(),
  readyTimeoutMs: READY_TIMEOUT_MS,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
  readIdentity: readProcessIdentity,
  stop: systemStopDeps,
  mintFirst: mintFirstToken
})

/**
 * Requests one OIDC token for the helper, as {@link startTokenSource} does
 * by default. The token goes to the helper's stdin only.
 */
export async function mintFirstToken(spec: TokenSourceSpec): Promise<Token> {
  const mintedAt = Date.now()
  const http = await import('../clients/http.js')
  const oidc = await import('../clients/github-oidc.js')
  const value = await oidc.requestOidcToken({
    http: http.createHttpClient(http.defaultHttpDeps(spec.env)),
    url: spec.requestUrl,
    requestToken: spec.requestToken,
    audience: spec.audience
  })
  return { value, mintedAt }
}

/**
 * A token source that was started and may not serve yet: the main step
 * launches it once its local checks hold, mints its first token alongside the
 * preflight exchange, and waits for it just before exporting.
 */
export interface StartingTokenSource {
  /** What stops it (and what the post step needs), valid from the start. */
  readonly handle: TokenSourceHandle
  /**
   * Hands the helper its first token (masked already) once `first`
   * resolves; only the first call counts. A rejection is what {@link ready}
   * then fails with.
   */
  handOver(first: Promise<Token>): void
  /**
   * Waits until it serves the token handed over (bounded: {@link
   * LaunchDeps.readyTimeoutMs} from the hand-over). The wait runs once;
   * later calls share it.
   *
   * @throws ActionError when no token could be handed over or it did not
   *   serve; by then it has been stopped and its directory removed
   */
  ready(): Promise<TokenSourceHandle>
}

/**
 * Starts the token source, mints its first token ({@link
 * LaunchDeps.mintFirst}) and waits until it serves.
 *
 * @returns what the post step needs to stop it
 * @throws ActionError when it could not be started, its first token could
 *   not be minted or it did not serve in time; by then it has been stopped
 *   and its directory removed
 */
export async function startTokenSource(
  spec: TokenSourceSpec,
  overrides: Partial<LaunchDeps> = {}
): Promise<TokenSourceHandle> {
  const starting = await launchTokenSource(spec, overrides)
  starting.handOver((overrides.mintFirst ?? defaults().mintFirst)(spec))
  return starting.ready()
}

/**
 * Starts the token source without waiting for it to serve: its directory,
 * the detached helper, its identity. Whoever calls this must either await
 * {@link StartingTokenSource.ready} or stop the handle.
 *
 * @throws ActionError when it could not be started; by then its directory
 *   has been removed
 */
export async function launchTokenSource(
  spec: TokenSourceSpec,
  overrides: Partial<LaunchDeps> = {}
): Promise<StartingTokenSource> {
  const deps = { ...defaults(), ...overrides }
  const helper = adopt(deps.early, spec, deps) ?? spawnHelper(spec, deps)
  const { dir, nonce, pid, stdin } = helper
  const exited = (): string | undefined => helper.exit()
  const paths = layout(dir)
  const fail = (reason: string, startTime?: string): never => {
    if (startTime !== undefined) {
      stopHelper({ pid, startTime, nonce, dir }, deps.stop)
    }
    fs.rmSync(dir, { recursive: true, force: true })
    throw new ActionError(tokenSourceFailed(reason))
  }
  const fifoFailure = helper.tokenPath

  const identity = deps.readIdentity(pid)
  if (identity === undefined) {
    // Ended already: its exit status arrives with the next turns of the loop.
    for (
      let i = 0;
      i < EXIT_WAIT_MS / READY_POLL_MS && exited() === undefined;
      i += 1
    ) {
      await deps.sleep(READY_POLL_MS)
    }
    return fail(tokenSourceExited(exited() ?? 'unknown'))
  }
  const startTime = identity.startTime
  const handle: TokenSourceHandle = {
    dir,
    path: paths.token,
    pid,
    startTime,
    nonce
  }
  let handing: Promise<void> | undefined
  const handOver = (first: Promise<Token>): void => {
    handing ??= first.then(
      async (token) => {
        if ((await fifoFailure) !== undefined) return
        stdin?.end(encodeFirstToken(token))
      },
      (err: unknown) => {
        stdin?.destroy()
        throw err
      }
    )
    handing.catch(() => undefined)
  }
  const waitUntilServing = async (): Promise<TokenSourceHandle> => {
    if (handing === undefined) {
      return fail(TOKEN_SOURCE_NO_FIRST_TOKEN, startTime)
    }
    const noFifo = await fifoFailure
    if (noFifo !== undefined) return fail(noFifo, startTime)
    try {
      await handing
    } catch (err) {
      return fail(tokenSourceFirstMintFailed(describeError(err)), startTime)
    }
    const until = deps.now() + deps.readyTimeoutMs
    for (;;) {
      const status = readStatus(paths.status)
      if (status?.state === 'serving') return handle
      if (status?.state === 'failed') {
        return fail(status.reason, startTime)
      }
      const exit = exited()
      if (exit !== undefined) return fail(tokenSourceExited(exit), startTime)
      if (deps.now() >= until) {
        return fail(
          tokenSourceNotReady(Math.round(deps.readyTimeoutMs / 1000)),
          startTime
        )
      }
      await deps.sleep(READY_POLL_MS)
    }
  }
  let waiting: Promise<TokenSourceHandle> | undefined
  return {
    handle,
    handOver,
    ready: () => (waiting ??= waitUntilServing())
  }
}

/**
 * The helper the entry started early (early.ts), when it was started for
 * `spec` exactly (the settings the main step checked); otherwise it is
 * stopped, its directory removed, and a new one is started for `spec`.
 */
function adopt(
  early: EarlyTokenSource | undefined,
  spec: TokenSourceSpec,
  deps: LaunchDeps
): SpawnedHelper | undefined {
  if (early === undefined) return undefined
  if (sameStart(early.spec, spec)) return early.helper
  stopHelper(early.handle, deps.stop)
  return undefined
}

/** Whether two specs start the same helper (argv and environment). */
function sameStart(a: TokenSourceSpec, b: TokenSourceSpec): boolean {
  return (
    a.runnerTemp === b.runnerTemp &&
    a.mode === b.mode &&
    a.audience === b.audience &&
    JSON.stringify(helperEnv(a)) === JSON.stringify(helperEnv(b))
  )
}

/**
 * Stops the token source `handle` names, if that process still runs (same
 * pid, start time and nonce), and removes its directory. Never signals a
 * process that merely reuses the pid.
 */
export function stopTokenSource(
  handle: TokenSourceHandle,
  deps: StopDeps = systemStopDeps
): void {
  stopHelper(handle, deps)
}
