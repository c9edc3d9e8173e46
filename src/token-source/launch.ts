/**
 * Starting the token source from the main step: a fresh 0700 directory under
 * RUNNER_TEMP, the helper started detached with its output in a 0600 log
 * there, its first token handed over on its stdin (first-token.ts), and a
 * wait (bounded) until it says it is serving.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { ActionError, describeError } from '../errors.js'
import {
  TOKEN_SOURCE_NO_FIRST_TOKEN,
  tokenSourceDirFailed,
  tokenSourceExited,
  tokenSourceFailed,
  tokenSourceFirstMintFailed,
  tokenSourceNoFifo,
  tokenSourceNotReady,
  tokenSourceNotStarted
} from '../messages/token-source.js'
import { helperArgv, type TokenFileMode } from './args.js'
import { encodeFirstToken } from './first-token.js'
import { DIR_PREFIX, layout } from './layout.js'
import {
  newNonce,
  readProcessIdentity,
  type IdentityReader
} from './process-identity.js'
import { TEST_FILE_PERIOD_ENV } from './serve-file.js'
import { readStatus } from './read-status.js'
import { FifoUnavailableError, makeFifo } from './serve-fifo.js'
import { stopHelper, systemStopDeps, type StopDeps } from './stop.js'
import type { Token } from './supply.js'

export type { TokenFileMode } from './args.js'
export type { Token } from './supply.js'

/** What the main step asks for. */
export interface TokenSourceSpec {
  /** RUNNER_TEMP: the token directory is made inside it. */
  runnerTemp: string
  mode: TokenFileMode
  /** `aud` of the OIDC tokens (the federation rule's audience). */
  audience: string
  /** ACTIONS_ID_TOKEN_REQUEST_URL */
  requestUrl: string
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN */
  requestToken: string
  /** The step's environment: proxy variables and the like are passed on. */
  env: Readonly<Record<string, string | undefined>>
}

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

/** The helper's script and the node flags to run it with. */
export interface HelperScript {
  script: string
  execArgv: readonly string[]
}

/** What starting needs; every field has a real default. */
export interface LaunchDeps {
  helper: HelperScript
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
  /** Makes the FIFO (see serve-fifo.ts). */
  makeFifo(file: string): Promise<void>
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

/**
 * The bundled helper: `dist/token-source/index.js`. Every chunk of the main
 * bundle sits directly in `dist/`, so this resolves from whichever chunk
 * this module was bundled into. (From the sources, tests pass the helper's
 * `.ts` entry and a loader instead.)
 */
export function bundledHelper(): HelperScript {
  return {
    script: fileURLToPath(new URL('./token-source/index.js', import.meta.url)),
    execArgv: []
  }
}

/**
 * What the helper's environment carries over from the step's: how to reach
 * GitHub (proxies, extra CAs) and what Node needs to run; not the step's
 * other variables, which the helper has no use for.
 */
const PASSED_ENV = [
  'PATH',
  'SystemRoot',
  'TEMP',
  'TMP',
  'TMPDIR',
  'http_proxy',
  'HTTP_PROXY',
  'https_proxy',
  'HTTPS_PROXY',
  'no_proxy',
  'NO_PROXY',
  'NODE_EXTRA_CA_CERTS',
  'ACTIONS_ORCHESTRATION_ID',
  'CODEX_INTERNAL_ORIGINATOR_OVERRIDE',
  TEST_FILE_PERIOD_ENV
] as const

/** The helper's environment; the request token goes here, never in argv. */
export function helperEnv(spec: TokenSourceSpec): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of PASSED_ENV) {
    const value = spec.env[name]
    if (value !== undefined) env[name] = value
  }
  env['ACTIONS_ID_TOKEN_REQUEST_URL'] = spec.requestUrl
  env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = spec.requestToken
  return env
}

const defaults = (): LaunchDeps => ({
  helper: bundledHelper(),
  readyTimeoutMs: READY_TIMEOUT_MS,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
  readIdentity: readProcessIdentity,
  stop: systemStopDeps,
  mintFirst: mintFirstToken,
  makeFifo: (file) => makeFifo(file)
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
 * starts it once its local checks hold, mints its first token alongside the
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
  let dir: string
  try {
    dir = fs.mkdtempSync(path.join(spec.runnerTemp, DIR_PREFIX))
    fs.chmodSync(dir, 0o700)
  } catch (err) {
    throw new ActionError(
      tokenSourceDirFailed(spec.runnerTemp, describeError(err))
    )
  }
  const paths = layout(dir)
  const nonce = newNonce()
  const fail = (reason: string, pid?: number, startTime?: string): never => {
    if (pid !== undefined && startTime !== undefined) {
      stopHelper({ pid, startTime, nonce, dir }, deps.stop)
    }
    fs.rmSync(dir, { recursive: true, force: true })
    throw new ActionError(tokenSourceFailed(reason))
  }

  let exit: string | undefined
  let pid: number | undefined
  let stdin: Socket | undefined
  try {
    const log = fs.openSync(paths.log, 'wx', 0o600)
    try {
      const child = spawn(
        process.execPath,
        [
          ...deps.helper.execArgv,
          deps.helper.script,
          ...helperArgv({
            nonce,
            mode: spec.mode,
            dir,
            audience: spec.audience
          })
        ],
        {
          detached: true,
          // stdin: the first token (first-token.ts).
          stdio: ['pipe', log, log],
          env: helperEnv(spec),
          // Not the workspace: a process's cwd cannot be removed on Windows.
          cwd: spec.runnerTemp,
          windowsHide: true
        }
      )
      child.once('error', (err) => {
        exit ??= describeError(err)
      })
      child.once('exit', (code, signal) => {
        exit ??= signal ?? `code ${code}`
      })
      child.unref()
      stdin = (child.stdin as Socket | null) ?? undefined
      // A helper that ended has its exit reported; never an unhandled EPIPE.
      stdin?.on('error', () => undefined)
      // Never what keeps the main step running: at its exit the pipe closes
      // and the helper reads the end of its input.
      stdin?.unref()
      pid = child.pid
    } finally {
      fs.closeSync(log)
    }
  } catch (err) {
    return fail(tokenSourceNotStarted(describeError(err)))
  }
  if (pid === undefined) return fail(tokenSourceNotStarted('no process'))

  // The pipe, while the helper starts (it checks the pipe before serving;
  // the token is handed over only once the pipe is there). Its failure is
  // the reason ready() gives.
  const fifoFailure: Promise<string | undefined> =
    spec.mode === 'fifo'
      ? deps.makeFifo(paths.token).then(
          () => undefined,
          (err: unknown) =>
            tokenSourceNoFifo(
              err instanceof FifoUnavailableError
                ? err.message
                : describeError(err)
            )
        )
      : Promise.resolve(undefined)

  const identity = deps.readIdentity(pid)
  if (identity === undefined) {
    // Ended already: its exit status arrives with the next turns of the loop.
    for (
      let i = 0;
      i < EXIT_WAIT_MS / READY_POLL_MS && exit === undefined;
      i += 1
    ) {
      await deps.sleep(READY_POLL_MS)
    }
    return fail(tokenSourceExited(exit ?? 'unknown'), pid)
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
      return fail(TOKEN_SOURCE_NO_FIRST_TOKEN, pid, startTime)
    }
    const noFifo = await fifoFailure
    if (noFifo !== undefined) return fail(noFifo, pid, startTime)
    try {
      await handing
    } catch (err) {
      return fail(
        tokenSourceFirstMintFailed(describeError(err)),
        pid,
        startTime
      )
    }
    const until = deps.now() + deps.readyTimeoutMs
    for (;;) {
      const status = readStatus(paths.status)
      if (status?.state === 'serving') return handle
      if (status?.state === 'failed') {
        return fail(status.reason, pid, startTime)
      }
      if (exit !== undefined) {
        return fail(tokenSourceExited(exit), pid, startTime)
      }
      if (deps.now() >= until) {
        return fail(
          tokenSourceNotReady(Math.round(deps.readyTimeoutMs / 1000)),
          pid,
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
