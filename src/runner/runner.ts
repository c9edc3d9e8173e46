/**
 * The one port to the GitHub Actions runner.
 *
 * Every stage receives a `Runner` instead of talking to the runner itself, so
 * stages are tested with a recording fake and no module mocking.
 *
 * The real runner speaks the runner's documented protocol directly (workflow
 * commands on stdout, heredoc file commands) instead of importing
 * `@actions/core`: core pulls in `@actions/http-client` and undici for OIDC,
 * which alone doubled the action's start-up time, and this action runs in
 * every job that uses Codex. A conformance test checks that what we write
 * parses exactly like what `@actions/core` writes.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import { ActionError } from '../errors.js'
import { checkCommandFiles } from './command-files.js'

/** What the action needs from the runner, and nothing more. */
export interface Runner {
  /** An input, trimmed; '' when absent (as core's `getInput`). */
  input(name: string): string
  /** The process environment as the step received it. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Registers a value with the runner's log masker (`::add-mask::`). */
  mask(secret: string): void
  /** Exports a variable to later steps (and to this process). */
  exportVariable(name: string, value: string): void
  setOutput(name: string, value: string): void
  /** Saves a value for the post step of this same action step. */
  saveState(name: string, value: string): void
  getState(name: string): string
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Appends markdown to the job summary; a no-op where there is none. */
  appendSummary(markdown: string): Promise<void>
  /** Fails the step: logs `::error::` and sets exit code 1. */
  fail(message: string): void
  /**
   * Remembers the current env, outputs and state; the returned function
   * takes back everything exported since, so a step that fails half-way
   * through exporting leaves nothing behind for later steps.
   */
  checkpoint(): () => void
  /**
   * Throws unless env, outputs and state can all be written: called before
   * any request, so nothing fails on the way out after a token rotated.
   */
  checkCommandFiles(): void
}

/**
 * Masks a secret the way every stage should: the value itself or, for a
 * value with line breaks, each line (the runner matches masks per line).
 * Short lines such as `{` are skipped: masking them would garble every log
 * line that contains one.
 */
export function maskSecret(runner: Pick<Runner, 'mask'>, value: string): void {
  if (value.trim() === '') return
  if (!/[\r\n]/.test(value)) {
    runner.mask(value)
    return
  }
  for (const line of value.split(/\r?\n/)) {
    const trimmed = line.trim()
    if (trimmed.length >= 8) runner.mask(trimmed)
  }
}

/** Escapes a workflow command's data part (as the runner unescapes it). */
export function escapeCommandData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/**
 * One heredoc entry for GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE. A name or
 * value containing the delimiter is refused, so a value can never end the
 * entry early and inject a second variable: that check is what makes it safe.
 * The random part only keeps a value from provoking the refusal; it needs no
 * cryptographic strength, and loading node:crypto for it would slow every run.
 */
export function fileCommandEntry(name: string, value: string): string {
  const delimiter = `ghadelimiter_${randomToken()}`
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error('Unexpected input: the value contains the file delimiter')
  }
  return `${name}<<${delimiter}${os.EOL}${value}${os.EOL}${delimiter}${os.EOL}`
}

/** 128 random bits as 32 hex digits, from Math.random. */
function randomToken(): string {
  let token = ''
  for (let i = 0; i < 4; i++) {
    token += Math.floor(Math.random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0')
  }
  return token
}

/** What {@link createStdoutWriter} writes through; injected by tests. */
export interface StdoutTarget {
  /** `fs.writeSync` on fd 1: bytes written, or throws (`EAGAIN`, ...). */
  writeSync(bytes: Uint8Array, offset: number): number
  /** `process.stdout`, looked up only when it is needed. */
  stream(): { write(chunk: Uint8Array): boolean }
}

const PROCESS_STDOUT: StdoutTarget = {
  writeSync: (bytes, offset) => fs.writeSync(1, bytes, offset),
  stream: () => process.stdout
}

/**
 * Writes lines to fd 1 with `fs.writeSync`, synchronously and in call order,
 * without ever creating `process.stdout`: setting that stream up alone costs
 * every run a few milliseconds. When fd 1 refuses a write (EAGAIN from a full
 * non-blocking pipe, or any other error), the rest of that line and every
 * later line go through `process.stdout`, which queues them and reports
 * errors as it always did; never switching back keeps the lines in order.
 * (`process.stdout` itself writes synchronously to files and pipes on Linux,
 * so anything else printing through it still lands in call order.)
 *
 * @param target - fd 1 and process.stdout; tests pass fakes
 * @returns the line writer (it appends the line break)
 */
export function createStdoutWriter(
  target: StdoutTarget = PROCESS_STDOUT
): (line: string) => void {
  let direct = true
  return (line) => {
    const bytes = Buffer.from(line + os.EOL, 'utf8')
    let offset = 0
    while (direct && offset < bytes.length) {
      try {
        const written = target.writeSync(bytes, offset)
        // Never loop on a write that makes no progress.
        if (written > 0) offset += written
        else direct = false
      } catch {
        direct = false
      }
    }
    if (offset < bytes.length) target.stream().write(bytes.subarray(offset))
  }
}

// One writer per process: once it has switched to process.stdout, every
// runner in the process must follow it there.
const stdoutLine = createStdoutWriter()

/** The real runner for this process. */
export function createActionsRunner(
  env: Record<string, string | undefined> = process.env,
  write: (line: string) => void = stdoutLine
): Runner {
  const masked = new Set<string>()
  const command = (name: string, value: string): void =>
    write(`::${name}::${escapeCommandData(value)}`)

  // A file command goes to its file, which current runners always provide.
  // The stdout fallback of old runners would print the value in the log, so
  // without the file the export is refused rather than done that way.
  const appendFile = (kind: string, name: string, value: string): boolean => {
    const file = env[`GITHUB_${kind}`]
    if (!file) return false
    fs.appendFileSync(file, fileCommandEntry(name, value), 'utf8')
    return true
  }

  return {
    input: (name) =>
      (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    env,
    mask: (secret) => {
      if (secret === '' || masked.has(secret)) return
      masked.add(secret)
      command('add-mask', secret)
    },
    exportVariable: (name, value) => {
      env[name] = value
      if (!appendFile('ENV', name, value)) {
        throw new ActionError(
          'GITHUB_ENV is not set: this runner cannot receive exported variables safely'
        )
      }
    },
    setOutput: (name, value) => {
      if (!appendFile('OUTPUT', name, value)) {
        throw new ActionError(
          'GITHUB_OUTPUT is not set: this runner cannot receive outputs safely'
        )
      }
    },
    saveState: (name, value) => {
      if (!appendFile('STATE', name, value)) {
        throw new ActionError(
          'GITHUB_STATE is not set: the post step would not run'
        )
      }
    },
    getState: (name) => env[`STATE_${name}`] ?? '',
    // A message can carry text from a server (an id, a URL). A line break in
    // it could start a workflow command such as ::stop-commands::, so every
    // info message is written as one line.
    info: (message) => write(message.replace(/[\r\n]+/g, ' ')),
    warning: (message) => command('warning', message),
    debug: (message) => command('debug', message),
    appendSummary: (markdown) => {
      // Outside a runner (a local run) there is no summary file, and a
      // missing summary is not worth failing the step for.
      const file = env['GITHUB_STEP_SUMMARY']
      try {
        if (file) fs.appendFileSync(file, markdown, 'utf8')
      } catch (err) {
        // Everything has been exported by now; a summary is not worth
        // failing the step over.
        command(
          'warning',
          `Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`
        )
      }
      return Promise.resolve()
    },
    fail: (message) => {
      process.exitCode = 1
      command('error', message)
    },
    checkCommandFiles: () => checkCommandFiles(env),
    checkpoint: () => {
      const files = ['ENV', 'OUTPUT', 'STATE']
        .map((kind) => env[`GITHUB_${kind}`])
        .filter((file): file is string => file !== undefined && file !== '')
        .map((file) => ({ file, size: fileSize(file) }))
      const savedEnv = { ...env }
      return () => {
        for (const { file, size } of files) fs.truncateSync(file, size)
        for (const name of Object.keys(env)) {
          if (!(name in savedEnv)) delete env[name]
        }
        Object.assign(env, savedEnv)
      }
    }
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}
