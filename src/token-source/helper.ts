/**
 * The token source helper: a detached process the main step starts, which
 * serves GitHub OIDC tokens at the path Codex reads
 * (`OPENAI_IDENTITY_TOKEN_FILE`) until the post step stops it.
 *
 * Its stdout and stderr go to a 0600 log in its own directory, never to the
 * step log; nothing it logs is secret.
 *
 * The main step's entry starts it before the action loads (early.ts; else
 * the launcher does, once the local checks hold), makes the FIFO (fifo
 * mode), and, every check passed, mints its first token itself alongside
 * the preflight, handing it over on stdin (first-token.ts). The helper says it serves
 * (status.json) once the token path is in place and it holds that token:
 * it loads no HTTP code and starts no process to get there, and a first
 * token that cannot be minted fails the step (nothing exported) instead of
 * a Codex run later. It mints the next tokens itself, in the background
 * (never one token twice, none older than four minutes: supply.ts). Once serving, it ends when GitHub refuses the request
 * token (401/403): every later request would be refused too, and with the
 * path gone Codex fails at once ("could not read workload identity
 * assertion file") instead of reading empty tokens until the post step.
 */
import { ActionError, describeError } from '../errors.js'
import {
  TOKEN_SOURCE_NO_FIRST_TOKEN,
  tokenSourceNoFifo
} from '../messages/token-source.js'
import { parseHelperArgs } from './args.js'
import { readFirstToken } from './first-token.js'
import { layout } from './layout.js'
import {
  processLifetimeDeps,
  superviseLifetime,
  type LifetimeDeps
} from './lifetime.js'
import { checkFifo, FifoServer, FifoUnavailableError } from './serve-fifo.js'
import { FileServer, filePeriod } from './serve-file.js'
import { writeStatus } from './status.js'
import { TokenSupply, type MintFailure } from './supply.js'

/** How long a helper that failed to start waits for the launcher's stop. */
export const FAILED_LINGER_MS = 10_000

/**
 * GitHub refuses the request token itself: every later request would fail.
 * (An `OidcRequestError` with status 401/403, known by its status so that
 * the OIDC client is loaded only once needed.)
 */
export function classifyMintFailure(err: unknown): MintFailure {
  const status =
    err instanceof ActionError
      ? (err as ActionError & { status?: unknown }).status
      : undefined
  return status === 401 || status === 403 ? 'stop' : 'retry'
}

/**
 * Requests one OIDC token per call. The HTTP client and the OIDC code are
 * loaded on the first call, once the helper serves: its start needs neither.
 */
export function oidcMinter(
  env: Readonly<Record<string, string | undefined>>,
  audience: string
): () => Promise<string> {
  const url = env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? ''
  const requestToken = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? ''
  let loaded: Promise<() => Promise<string>> | undefined
  const load = async (): Promise<() => Promise<string>> => {
    const http = await import('../clients/http.js')
    const oidc = await import('../clients/github-oidc.js')
    // The action's two-minute budget is for the main step; the helper lives
    // for hours and each request has its own timeout.
    const client = http.createHttpClient({
      ...http.defaultHttpDeps(env),
      deadline: undefined
    })
    return () =>
      oidc.requestOidcToken({ http: client, url, requestToken, audience })
  }
  return async () => {
    loaded ??= load().catch((err: unknown) => {
      loaded = undefined
      throw err
    })
    return (await loaded)()
  }
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
 * @param input where the first token comes from (its stdin)
 */
export async function runHelper(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  lifetime: LifetimeDeps = processLifetimeDeps,
  input: NodeJS.ReadableStream = process.stdin
): Promise<void> {
  const args = parseHelperArgs(argv)
  const paths = layout(args.dir)
  const log = lifetime.log
  let serving = false
  const refused = (reason: string): void => {
    void end(`GitHub refused the request token: ${reason}`, 1)
  }
  const supply = new TokenSupply({
    mint: oidcMinter(env, args.audience),
    classify: classifyMintFailure,
    now: Date.now,
    sleep,
    random: Math.random,
    log,
    // Nothing is minted before serving but in file mode, whose start
    // hands out the first token; that case is checked once serving.
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
    // The launcher made the pipe before it handed the token over.
    const first = await readFirstToken(input)
    if (args.mode === 'fifo') checkFifo(paths.token)
    supply.hold(first)
  } catch (err) {
    const reason =
      err instanceof FifoUnavailableError
        ? tokenSourceNoFifo(err.message)
        : TOKEN_SOURCE_NO_FIRST_TOKEN
    log(`failed: ${reason} (${describeError(err)})`)
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
