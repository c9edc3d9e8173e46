/**
 * Starting the helper's process: a fresh 0700 directory under RUNNER_TEMP,
 * a random nonce, the helper detached with its output in a 0600 log there,
 * and (fifo mode) the FIFO, made beside it. The launcher (launch.ts) and the
 * early start (early.ts) both start it this way.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { ActionError, describeError } from '../errors.js'
import {
  tokenSourceDirFailed,
  tokenSourceFailed,
  tokenSourceNoFifo,
  tokenSourceNotStarted
} from '../messages/token-source.js'
import { helperArgv, type TokenFileMode } from './args.js'
import { DIR_PREFIX, layout } from './layout.js'
import { newNonce } from './process-identity.js'
import { TEST_FILE_PERIOD_ENV } from './serve-file.js'
import { FifoUnavailableError, makeFifo } from './serve-fifo.js'

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

/** The helper's script and the node flags to run it with. */
export interface HelperScript {
  script: string
  execArgv: readonly string[]
}

/** What starting the process needs; each has a real default. */
export interface SpawnDeps {
  helper: HelperScript
  /** Makes the FIFO (see serve-fifo.ts). */
  makeFifo(file: string): Promise<void>
}

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

export const defaultSpawnDeps = (): SpawnDeps => ({
  helper: bundledHelper(),
  makeFifo: (file) => makeFifo(file)
})

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

/** A helper process just started: it waits for its first token. */
export interface SpawnedHelper {
  /** Its directory (0700, under RUNNER_TEMP). */
  dir: string
  nonce: string
  pid: number
  /** Where its first token goes (first-token.ts). */
  stdin: Socket | undefined
  /** How it ended (a start error, a signal, `code N`); undefined while it runs. */
  exit(): string | undefined
  /**
   * Settles once the token path is in place: undefined, or (fifo mode) why
   * no FIFO could be made, as a reason for {@link tokenSourceFailed}.
   */
  tokenPath: Promise<string | undefined>
}

/**
 * Starts the helper for `spec` and, in fifo mode, makes its FIFO alongside.
 * It holds no token and asks for none until it is handed its first.
 *
 * @throws ActionError when the directory cannot be made or the process not
 *   started; by then the directory has been removed
 */
export function spawnHelper(
  spec: TokenSourceSpec,
  deps: SpawnDeps = defaultSpawnDeps()
): SpawnedHelper {
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
    pid = undefined
    exit = describeError(err)
  }
  if (pid === undefined) {
    fs.rmSync(dir, { recursive: true, force: true })
    throw new ActionError(
      tokenSourceFailed(tokenSourceNotStarted(exit ?? 'no process'))
    )
  }

  // The pipe, while the helper starts (it checks the pipe before serving;
  // the token is handed over only once the pipe is there).
  const tokenPath: Promise<string | undefined> =
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
  return { dir, nonce, pid, stdin, exit: () => exit, tokenPath }
}
