/**
 * `fifo` mode: the token path is a named pipe. Each time a reader (Codex, at
 * every exchange) opens it, the helper writes one token that was never
 * handed out, closes, and pauses before opening it again (SPEC 12: reopened
 * at once, a reader can see two tokens run together). When no token can be
 * had, it closes without writing: Codex reads an empty token and fails at
 * once, where a path nobody writes would block it forever.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import type { Token } from './supply.js'

/** Pause after each token before the pipe is opened again. */
export const REOPEN_PAUSE_MS = 150

/**
 * Where `mkfifo` is looked for: absolute paths of the system's own copy, not
 * PATH, which an earlier step of the job may have changed.
 */
export const MKFIFO_PATHS = ['/usr/bin/mkfifo', '/bin/mkfifo'] as const

/** Thrown when the pipe cannot be made; the text is safe to show. */
export class FifoUnavailableError extends Error {
  override name = 'FifoUnavailableError'
}

/**
 * Makes a FIFO at `file` readable and writable by this user only, with the
 * system's `mkfifo` (Node has no mkfifo), and checks what was made.
 *
 * @throws FifoUnavailableError when there is no mkfifo or it failed
 */
export async function makeFifo(
  file: string,
  candidates: readonly string[] = MKFIFO_PATHS
): Promise<void> {
  const mkfifo = candidates.find((p) => {
    try {
      fs.accessSync(p, fs.constants.X_OK)
      return true
    } catch {
      return false
    }
  })
  if (mkfifo === undefined) {
    throw new FifoUnavailableError(
      `mkfifo not found at ${candidates.join(', ')}`
    )
  }
  await new Promise<void>((resolve, reject) => {
    execFile(mkfifo, ['-m', '600', file], { env: {} }, (err, _out, stderr) => {
      if (err) {
        const detail = String(stderr).trim() || err.message
        reject(new FifoUnavailableError(`mkfifo failed: ${detail}`))
      } else resolve()
    })
  })
  const stat = fs.lstatSync(file)
  if (!stat.isFIFO() || (stat.mode & 0o777) !== 0o600) {
    throw new FifoUnavailableError(`mkfifo made something else at ${file}`)
  }
}

/** What the FIFO server needs. */
export interface FifoServerDeps {
  /** A never handed out, fresh token; undefined when none can be had. */
  take(): Promise<Token | undefined>
  sleep(ms: number): Promise<void>
  log(line: string): void
}

/** Serves tokens on an existing FIFO until stopped. */
export class FifoServer {
  private stopping = false
  private done: Promise<void> = Promise.resolve()
  private unblocker: number | undefined
  private served = 0

  constructor(
    private readonly file: string,
    private readonly deps: FifoServerDeps
  ) {}

  /** Starts serving in the background. */
  start(): void {
    this.done = this.loop()
  }

  /**
   * Stops serving. An open for writing waiting for a reader blocks one of
   * Node's pool threads (and keeps the process from exiting) until a reader
   * comes, so the server becomes that reader: it opens the pipe for reading
   * without blocking and keeps it open until the loop has ended, so that an
   * open started at any moment returns.
   *
   * @param graceMs how long to wait for a token being handed out
   */
  async stop(graceMs = 500): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    try {
      this.unblocker = fs.openSync(
        this.file,
        fs.constants.O_RDONLY | fs.constants.O_NONBLOCK
      )
    } catch {
      // Gone already: nothing can be waiting on it.
    }
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      this.done,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs)
      })
    ])
    clearTimeout(timer)
    if (this.unblocker !== undefined) fs.closeSync(this.unblocker)
    this.unblocker = undefined
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let handle: fs.promises.FileHandle
      try {
        handle = await fs.promises.open(this.file, fs.constants.O_WRONLY)
      } catch (err) {
        if (this.stopping) return
        // The pipe is gone (its directory removed): nothing to serve.
        this.deps.log(`cannot open the pipe: ${(err as Error).message}`)
        return
      }
      try {
        if (!this.stopping) await this.handOut(handle)
      } finally {
        await handle.close().catch(() => undefined)
      }
      await this.deps.sleep(REOPEN_PAUSE_MS)
    }
  }

  private async handOut(handle: fs.promises.FileHandle): Promise<void> {
    const token = await this.deps.take()
    if (token === undefined || this.stopping) {
      this.deps.log('served an empty token: none to be had')
      return
    }
    this.served += 1
    try {
      await handle.writeFile(token.value)
      this.deps.log(`handed out token ${this.served}`)
    } catch (err) {
      // The reader left (EPIPE); the token is spent all the same.
      this.deps.log(
        `token ${this.served} not delivered: ${(err as Error).message}`
      )
    }
  }
}
