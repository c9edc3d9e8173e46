/**
 * `file` mode, for runners without FIFOs (Windows): the token path is a
 * regular 0600 file replaced atomically (write a temporary file, fsync,
 * rename over) with a fresh token about every minute. A reader always sees a
 * whole token; two exchanges within one period read the same one, which a
 * federation rule with replay protection refuses (the README says so).
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { MAX_TOKEN_AGE_MS, type Token } from './supply.js'
import { waitAtMost } from './wait.js'

/** How often the file gets a new token. */
export const FILE_PERIOD_MS = 60_000

/**
 * Test-only: replaces {@link FILE_PERIOD_MS} (milliseconds, at least 50) so
 * a test sees the file replaced without waiting a minute. Not an input;
 * nothing a workflow should set.
 */
export const TEST_FILE_PERIOD_ENV = 'CODEX_AUTH_TEST_TOKEN_FILE_PERIOD_MS'

/** The period from the helper's environment. */
export function filePeriod(
  env: Readonly<Record<string, string | undefined>>
): number {
  const raw = env[TEST_FILE_PERIOD_ENV]
  const value = raw === undefined ? NaN : Number(raw)
  return Number.isInteger(value) && value >= 50 ? value : FILE_PERIOD_MS
}

/** One period with ±10 % jitter, so parallel jobs do not mint in step. */
export function jittered(period: number, random: () => number): number {
  return Math.round(period * (0.9 + 0.2 * random()))
}

/** Replaces `file` with `content` so that no reader sees a partial file. */
export function replaceFile(file: string, content: string): void {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}`
  )
  const fd = fs.openSync(temp, 'wx', 0o600)
  try {
    fs.writeFileSync(fd, content)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  try {
    fs.renameSync(temp, file)
  } catch (err) {
    fs.rmSync(temp, { force: true })
    throw err
  }
}

/** What the file server needs. */
export interface FileServerDeps {
  take(): Promise<Token | undefined>
  now: () => number
  random: () => number
  /** Waits `ms`, or less when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>
  log(line: string): void
}

/** Keeps the token file fresh until stopped. */
export class FileServer {
  private readonly abort = new AbortController()
  private done: Promise<void> = Promise.resolve()
  private current: Token | undefined

  constructor(
    private readonly file: string,
    private readonly period: number,
    private readonly deps: FileServerDeps
  ) {}

  /**
   * Writes the first token; then replaces it every period in the background.
   * A token that cannot be replaced stays while it is younger than four
   * minutes; after that the file is emptied, so Codex fails at once rather
   * than presenting an expired token.
   */
  async start(): Promise<void> {
    await this.refresh()
    this.done = this.loop()
  }

  /**
   * Stops replacing the file.
   *
   * @param graceMs how long to wait for a replacement under way
   */
  async stop(graceMs = 500): Promise<void> {
    this.abort.abort()
    await waitAtMost(this.done, graceMs)
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal
    while (!signal.aborted) {
      await this.deps.sleep(jittered(this.period, this.deps.random), signal)
      if (signal.aborted) return
      try {
        await this.refresh()
      } catch (err) {
        // A full disk now may have room next time; Codex reads what is there.
        this.deps.log(
          `cannot replace the token file: ${(err as Error).message}`
        )
      }
    }
  }

  private async refresh(): Promise<void> {
    const token = await this.deps.take()
    if (this.abort.signal.aborted) return
    if (token !== undefined) {
      this.current = token
      replaceFile(this.file, token.value)
      this.deps.log('replaced the token file')
      return
    }
    const fresh =
      this.current !== undefined &&
      this.deps.now() - this.current.mintedAt < MAX_TOKEN_AGE_MS
    if (fresh) {
      this.deps.log('kept the token: no new one to be had')
      return
    }
    this.current = undefined
    replaceFile(this.file, '')
    this.deps.log('emptied the token file: no fresh token to be had')
  }
}
