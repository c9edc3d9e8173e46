/**
 * `fifo` mode: the token path is a named pipe. Each time a reader (Codex, at
 * every exchange) opens it, the helper writes one token that was never
 * handed out, closes, and pauses before opening it again (reopened at
 * once, a reader can see two tokens run together: observed with Codex). When no token can be
 * had, it closes without writing: Codex reads an empty token and fails at
 * once, where a path nobody writes would block it forever.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import type { Token } from './supply.js'
import { waitAtMost } from './wait.js'

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
  checkFifo(file, 'mkfifo made something else')
}

/**
 * Checks that `file` is a FIFO only its owner may read and write.
 *
 * @throws FifoUnavailableError when it is not
 */
export function checkFifo(file: string, what = 'no 0600 FIFO'): void {
  let stat: fs.Stats | undefined
  try {
    stat = fs.lstatSync(file)
  } catch {
    stat = undefined
  }
  if (!stat?.isFIFO() || (stat.mode & 0o777) !== 0o600) {
    throw new FifoUnavailableError(`${what} at ${file}`)
  }
}

/** How often the pipe is tried for a reader while none has opened it. */
export const READER_POLL_MS = 15

/** How long a full pipe gets to take the rest of a token. */
export const WRITE_WAIT_MS = 1_000

/** What the FIFO server needs. */
export interface FifoServerDeps {
  /** A never handed out, fresh token; undefined when none can be had. */
  take(): Promise<Token | undefined>
  sleep(ms: number): Promise<void>
  log(line: string): void
}

/**
 * Serves tokens on an existing FIFO until stopped.
 *
 * The pipe is opened for writing without blocking, again every
 * {@link READER_POLL_MS} until a reader has it open (ENXIO until then). A
 * blocking open would wait in one of Node's pool threads, which nothing can
 * end once the directory is gone: the process could then never exit. So no
 * call here ever waits in the pool, and stopping takes one poll at most.
 */
export class FifoServer {
  private stopping = false
  private done: Promise<void> = Promise.resolve()
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
   * Stops serving.
   *
   * @param graceMs how long to wait for a token being handed out
   */
  async stop(graceMs = 500): Promise<void> {
    this.stopping = true
    await waitAtMost(this.done, graceMs)
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let fd: number | undefined
      try {
        fd = await this.openForReader()
      } catch (err) {
        // The pipe is gone (its directory removed): nothing to serve.
        if (!this.stopping) {
          this.deps.log(`cannot open the pipe: ${(err as Error).message}`)
        }
        return
      }
      if (fd === undefined) return
      try {
        if (!this.stopping) await this.handOut(fd)
      } finally {
        fs.closeSync(fd)
      }
      await this.deps.sleep(REOPEN_PAUSE_MS)
    }
  }

  /** The pipe open for writing once a reader has it; undefined if stopped. */
  private async openForReader(): Promise<number | undefined> {
    const flags = fs.constants.O_WRONLY | fs.constants.O_NONBLOCK
    while (!this.stopping) {
      try {
        return fs.openSync(this.file, flags)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw err
      }
      await this.deps.sleep(READER_POLL_MS)
    }
    return undefined
  }

  private async handOut(fd: number): Promise<void> {
    const token = await this.deps.take()
    if (token === undefined || this.stopping) {
      this.deps.log('served an empty token: none to be had')
      return
    }
    this.served += 1
    try {
      await this.write(fd, Buffer.from(token.value))
      this.deps.log(`handed out token ${this.served}`)
    } catch (err) {
      // The reader left (EPIPE); the token is spent all the same.
      this.deps.log(
        `token ${this.served} not delivered: ${(err as Error).message}`
      )
    }
  }

  /**
   * Writes all of `data` to the non-blocking pipe. A token (16 KiB at most)
   * fits an empty pipe's buffer, so this is one write; should the pipe be
   * full, it waits a little for the reader, never in the pool.
   */
  private async write(fd: number, data: Buffer): Promise<void> {
    let offset = 0
    let waited = 0
    while (offset < data.length) {
      try {
        offset += fs.writeSync(fd, data, offset)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err
        if (waited >= WRITE_WAIT_MS || this.stopping) throw err
        await this.deps.sleep(READER_POLL_MS)
        waited += READER_POLL_MS
      }
    }
  }
}
