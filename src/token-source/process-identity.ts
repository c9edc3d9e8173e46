/**
 * Who a process is, beyond its pid: a pid is reused once its process ends,
 * so the post step signals the token source only when the pid's start time
 * and the random nonce in its argv are still the ones the main step saved.
 *
 * Linux: `/proc/<pid>/stat` field 22 (start time in clock ticks since boot)
 * and `/proc/<pid>/cmdline`. Elsewhere: `ps -o lstart=` and `ps -o args=`.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'

/** What identifies a running process. */
export interface ProcessIdentity {
  /** Opaque: compare for equality only. */
  startTime: string
  /** Its arguments (on macOS one string split on spaces: enough for a nonce). */
  argv: string[]
}

/** The pid, start time and nonce the main step saved. */
export interface ExpectedProcess {
  pid: number
  startTime: string
  nonce: string
}

/** The argv flag that carries the nonce. */
export const NONCE_FLAG = '--nonce'

/** Bytes of randomness in a nonce. */
const NONCE_BYTES = 16

/**
 * A new nonce: {@link NONCE_BYTES} random bytes from the system's CSPRNG,
 * as hex. Read from /dev/urandom where there is one: node:crypto would be
 * loaded for these bytes alone, 5 to 10 ms of the step's start (the bundle
 * loads a builtin on first use). Elsewhere (Windows) from node:crypto.
 */
export function newNonce(): string {
  let fd: number | undefined
  try {
    fd = fs.openSync('/dev/urandom', 'r')
    const bytes = Buffer.alloc(NONCE_BYTES)
    if (fs.readSync(fd, bytes, 0, NONCE_BYTES, null) === NONCE_BYTES) {
      return bytes.toString('hex')
    }
  } catch {
    // No /dev/urandom here: node:crypto below.
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
  return randomBytes(NONCE_BYTES).toString('hex')
}

/** Reads a process's identity; injectable for tests. */
export type IdentityReader = (pid: number) => ProcessIdentity | undefined

/**
 * The identity of a live process, or undefined when there is none (gone,
 * or a zombie, which has exited and only waits for its parent).
 */
export function readProcessIdentity(pid: number): ProcessIdentity | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined
  return process.platform === 'linux' ? fromProc(pid) : fromPs(pid)
}

function fromProc(pid: number): ProcessIdentity | undefined {
  let stat: string
  let cmdline: string
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return undefined
  }
  const parsed = parseProcStat(stat)
  if (parsed === undefined || parsed.state === 'Z' || parsed.state === 'X') {
    return undefined
  }
  return {
    startTime: parsed.startTime,
    argv: cmdline.split('\0').filter((a) => a !== '')
  }
}

/**
 * Field 3 (state) and field 22 (start time) of `/proc/<pid>/stat`. Field 2,
 * the command name in parentheses, may itself hold spaces and parentheses,
 * so the fields are counted from the last `)`.
 */
export function parseProcStat(
  stat: string
): { state: string; startTime: string } | undefined {
  const close = stat.lastIndexOf(')')
  if (close < 0) return undefined
  const fields = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/)
  // fields[0] is field 3.
  const state = fields[0]
  const startTime = fields[22 - 3]
  if (state === undefined || startTime === undefined) return undefined
  if (!/^\d+$/.test(startTime)) return undefined
  return { state, startTime }
}

function fromPs(pid: number): ProcessIdentity | undefined {
  const ps = (field: string): string | undefined => {
    try {
      return execFileSync('/bin/ps', ['-o', field, '-p', String(pid)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { LC_ALL: 'C', TZ: 'UTC' }
      }).trim()
    } catch {
      return undefined
    }
  }
  const state = ps('stat=')
  const startTime = ps('lstart=')
  const args = ps('args=')
  if (!state || !startTime || args === undefined) return undefined
  if (state.startsWith('Z')) return undefined
  return { startTime, argv: args.split(/\s+/) }
}

/** Whether `argv` carries `--nonce <nonce>`. */
export function carriesNonce(argv: readonly string[], nonce: string): boolean {
  if (nonce === '') return false
  return argv.some((arg, i) => arg === NONCE_FLAG && argv[i + 1] === nonce)
}

/**
 * Whether the process `expected` describes is still running: the same pid,
 * start time and nonce.
 */
export function isSameProcess(
  expected: ExpectedProcess,
  read: IdentityReader = readProcessIdentity
): boolean {
  const found = read(expected.pid)
  return (
    found !== undefined &&
    found.startTime === expected.startTime &&
    carriesNonce(found.argv, expected.nonce)
  )
}
