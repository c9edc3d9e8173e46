/**
 * Stopping the helper from another process (the post step, or the main step
 * after a failure): only the process the main step started, known by pid,
 * start time and nonce, is signalled; then its directory is removed.
 *
 * Synchronous, because the post step is: it waits with `Atomics.wait`.
 */
import * as fs from 'node:fs'
import { isTokenSourceDirName } from './layout.js'
import {
  isSameProcess,
  readProcessIdentity,
  type ExpectedProcess,
  type IdentityReader
} from './process-identity.js'

/** How long SIGTERM gets before SIGKILL. */
export const TERM_GRACE_MS = 3_000
/** How long SIGKILL gets to take effect. */
export const KILL_GRACE_MS = 1_000
const POLL_MS = 25

/** What a stop needs from the system; injected in tests. */
export interface StopDeps {
  readIdentity: IdentityReader
  kill(pid: number, signal: NodeJS.Signals): void
  /** Blocks for `ms`. */
  sleepSync(ms: number): void
  now(): number
}

const pause = new Int32Array(new SharedArrayBuffer(4))

/** The real system. */
export const systemStopDeps: StopDeps = {
  readIdentity: readProcessIdentity,
  kill: (pid, signal) => {
    process.kill(pid, signal)
  },
  sleepSync: (ms) => {
    Atomics.wait(pause, 0, 0, ms)
  },
  now: Date.now
}

/** What a stop found. */
export type StopOutcome = 'stopped' | 'gone' | 'survived'

/** The helper to stop and the directory it serves from. */
export interface StopTarget extends ExpectedProcess {
  dir: string
}

/**
 * Stops the helper if it is still the process `target` names, then removes
 * its directory (only a directory named like one the action makes).
 *
 * @returns `gone` when no matching process was running (it had ended, or the
 *   pid now belongs to another process, which is left alone), `stopped`
 *   when it ended after a signal, `survived` when even SIGKILL did not end
 *   it in time
 */
export function stopHelper(
  target: StopTarget,
  deps: StopDeps = systemStopDeps
): StopOutcome {
  const outcome = signalHelper(target, deps)
  removeHelperDir(target.dir)
  return outcome
}

function signalHelper(target: StopTarget, deps: StopDeps): StopOutcome {
  const alive = (): boolean => isSameProcess(target, deps.readIdentity)
  if (!alive()) return 'gone'
  for (const [signal, grace] of [
    ['SIGTERM', TERM_GRACE_MS],
    ['SIGKILL', KILL_GRACE_MS]
  ] as const) {
    // Checked again right before each signal: the pid may have been freed.
    if (!alive()) return 'stopped'
    try {
      deps.kill(target.pid, signal)
    } catch {
      return alive() ? 'survived' : 'stopped'
    }
    const until = deps.now() + grace
    while (deps.now() < until) {
      if (!alive()) return 'stopped'
      deps.sleepSync(POLL_MS)
    }
  }
  return alive() ? 'survived' : 'stopped'
}

/** Removes `dir` if it is a real directory named like a token source's. */
export function removeHelperDir(dir: string): void {
  if (!isTokenSourceDirName(dir)) return
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(dir)
  } catch {
    return
  }
  if (stat.isDirectory()) fs.rmSync(dir, { recursive: true, force: true })
}
