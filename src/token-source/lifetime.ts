/**
 * How the helper ends: on SIGTERM (the post step), SIGINT or SIGHUP, after
 * six hours (GitHub's longest job), or on a fault. Whichever comes first, it
 * stops serving, removes its directory (the token path with it) and exits.
 */
import * as fs from 'node:fs'

/** The helper never outlives this, whatever happens to the post step. */
export const MAX_LIFETIME_MS = 6 * 60 * 60_000

/** The signals that end the helper. */
export const END_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const

/** The process around the helper, injected so tests need no real one. */
export interface LifetimeDeps {
  onSignal(signal: NodeJS.Signals, handler: () => void): void
  /** Calls `handler` once after `ms`; must not keep the process alive. */
  setTimer(ms: number, handler: () => void): void
  removeDir(dir: string): void
  exit(code: number): void
  log: (line: string) => void
}

/** The real process. */
export const processLifetimeDeps: LifetimeDeps = {
  onSignal: (signal, handler) => {
    process.once(signal, handler)
  },
  setTimer: (ms, handler) => {
    setTimeout(handler, ms).unref()
  },
  removeDir: (dir) => {
    fs.rmSync(dir, { recursive: true, force: true })
  },
  exit: (code) => process.exit(code),
  log: (line) => {
    process.stderr.write(`${new Date().toISOString()} ${line}\n`)
  }
}

/** Ends the helper once; later calls wait for the first. */
export type EndHelper = (reason: string, code?: number) => Promise<void>

/**
 * Arms the helper's ends and returns the function that ends it.
 *
 * @param dir the helper's directory, removed on the way out
 * @param stop stops serving (must return promptly)
 */
export function superviseLifetime(
  dir: string,
  stop: () => Promise<void>,
  deps: LifetimeDeps = processLifetimeDeps,
  maxMs: number = MAX_LIFETIME_MS
): EndHelper {
  let ending: Promise<void> | undefined
  const end: EndHelper = (reason, code = 0) => {
    ending ??= (async () => {
      deps.log(`stopping: ${reason}`)
      try {
        await stop()
      } catch (err) {
        deps.log(`stopping failed: ${(err as Error).message}`)
      }
      try {
        deps.removeDir(dir)
      } finally {
        deps.exit(code)
      }
    })()
    return ending
  }
  for (const signal of END_SIGNALS) {
    deps.onSignal(signal, () => void end(signal))
  }
  deps.setTimer(maxMs, () => void end('six-hour limit reached'))
  return end
}
