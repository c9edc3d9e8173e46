/**
 * The token source helper: a detached process the main step starts, which
 * serves GitHub OIDC tokens at the path Codex reads
 * (`OPENAI_IDENTITY_TOKEN_FILE`) until the post step stops it.
 *
 * Its stdout and stderr go to a 0600 log in its own directory, never to the
 * step log; nothing it logs is secret.
 *
 * It says it serves (status.json) once the token path is in place and its
 * first token is minted: the main step starts it before its own preflight,
 * so that wait costs the step next to nothing, and a helper that cannot
 * mint fails the step (nothing exported) instead of a Codex run later. Once
 * serving, it ends when GitHub refuses the request token (401/403): every
 * later request would be refused too, and with the path gone Codex fails at
 * once ("could not read workload identity assertion file") instead of
 * reading empty tokens until the post step.
 */
import { defaultHttpDeps, createHttpClient } from '../clients/http.js'
import { OidcRequestError, requestOidcToken } from '../clients/github-oidc.js'
import { describeError } from '../errors.js'
import { tokenSourceFirstMintFailed, tokenSourceNoFifo } from '../messages.js'
import { parseHelperArgs } from './args.js'
import { layout } from './layout.js'
import {
  processLifetimeDeps,
  superviseLifetime,
  type LifetimeDeps
} from './lifetime.js'
import { FifoServer, FifoUnavailableError, makeFifo } from './serve-fifo.js'
import { FileServer, filePeriod } from './serve-file.js'
import { writeStatus } from './status.js'
import { TokenSupply, type MintFailure } from './supply.js'

/** How long a helper that failed to start waits for the launcher's stop. */
export const FAILED_LINGER_MS = 10_000

/** GitHub refuses the request token itself: every later request would fail. */
export function classifyMintFailure(err: unknown): MintFailure {
  return err instanceof OidcRequestError &&
    (err.status === 401 || err.status === 403)
    ? 'stop'
    : 'retry'
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })

/**
 * Runs the helper.
 *
 * @param argv the arguments after the script (see `args.ts`)
 * @param env its environment: `ACTIONS_ID_TOKEN_REQUEST_URL`,
 *   `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, the proxy variables
 */
export async function runHelper(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  lifetime: LifetimeDeps = processLifetimeDeps
): Promise<void> {
  const args = parseHelperArgs(argv)
  const paths = layout(args.dir)
  const log = lifetime.log
  const url = env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? ''
  const requestToken = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? ''
  // The action's two-minute budget is for the main step; the helper lives
  // for hours and each request has its own timeout.
  const http = createHttpClient({
    ...defaultHttpDeps(env),
    deadline: undefined
  })
  let serving = false
  const refused = (reason: string): void => {
    void end(`GitHub refused the request token: ${reason}`, 1)
  }
  const supply = new TokenSupply({
    mint: () =>
      requestOidcToken({ http, url, requestToken, audience: args.audience }),
    classify: classifyMintFailure,
    now: Date.now,
    sleep,
    random: Math.random,
    log,
    // Before serving, start() fails instead and the launcher is told why.
    onStop: (reason) => {
      if (serving) refused(reason)
    }
  })
  let server: { stop(): Promise<void> } | undefined
  const end = superviseLifetime(
    args.dir,
    async () => {
      supply.close()
      await server?.stop()
    },
    lifetime
  )
  process.on('uncaughtException', (err) => void end(describeError(err), 1))
  process.on('unhandledRejection', (err) => void end(describeError(err), 1))
  log(`starting: mode ${args.mode}, audience ${args.audience}`)

  try {
    // The first request and the pipe at once: the request is most of the
    // wait. (Promise.all also handles the second of two failures.)
    await Promise.all([
      supply.start(),
      args.mode === 'fifo' ? makeFifo(paths.token) : undefined
    ])
  } catch (err) {
    const reason =
      err instanceof FifoUnavailableError
        ? tokenSourceNoFifo(err.message)
        : tokenSourceFirstMintFailed(describeError(err))
    log(`failed: ${reason}`)
    writeStatus(paths.status, { state: 'failed', reason })
    supply.close()
    // The launcher reads the status, then stops the helper and removes the
    // directory; should it not, the helper ends itself (a timer that keeps
    // the process alive until then, so the directory goes either way).
    setTimeout(
      () => void end('not stopped by the launcher', 1),
      FAILED_LINGER_MS
    )
    return
  }

  if (args.mode === 'fifo') {
    const fifo = new FifoServer(paths.token, {
      take: () => supply.take(),
      sleep,
      log
    })
    fifo.start()
    server = fifo
  } else {
    const file = new FileServer(paths.token, filePeriod(env), {
      take: () => supply.take(),
      now: Date.now,
      random: Math.random,
      sleep,
      log
    })
    server = file
    await file.start()
  }
  writeStatus(paths.status, { state: 'serving' })
  serving = true
  log('serving')
  // Refused while the server started (file mode hands out a token at once).
  if (supply.stopped !== undefined) refused(supply.stopped)
}
