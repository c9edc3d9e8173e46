/**
 * Shared pieces of the hardening suites: running the built action with a
 * scanned file tree and optionally compressed timers, the expectations every
 * failure must meet, and the secrets a primed home holds.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  EMPTY_PLAN,
  listFiles,
  makeRunnerDirs,
  runAction,
  runPost,
  type RunnerDirs,
  type RunOptions,
  type RunResult
} from '../../support/run-action.js'
import {
  scanRun,
  snapshotFiles,
  type Finding,
  type Secret
} from '../../support/leak-scan.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))

/** The preload that makes long timers fire sooner (see the file). */
export const COMPRESS_TIMERS = pathToFileURL(
  path.join(HERE, 'compress-timers.mjs')
).href

/**
 * Env that runs the built action with every timer over 20 ms divided by
 * `scale`: a 10 s request timeout becomes 10_000 / scale ms.
 */
export function compressedTime(scale: number): Record<string, string> {
  return {
    NODE_OPTIONS: `--import=${COMPRESS_TIMERS}`,
    CODEX_TEST_TIME_SCALE: String(scale)
  }
}

/** A runner layout whose TMPDIR is inside it, so every write is scanned. */
export function scannedDirs(): RunnerDirs {
  const dirs = makeRunnerDirs()
  fs.mkdirSync(path.join(dirs.root, 'tmp'))
  return dirs
}

/** The env every scanned run gets on top of the runner's. */
export function scannedEnv(dirs: RunnerDirs): Record<string, string> {
  return { TMPDIR: path.join(dirs.root, 'tmp') }
}

/** A main run and its post step, both scanned. */
export interface ScannedRun {
  main: RunResult
  post: RunResult
  findings: Finding[]
  /** Secret forms looked for and channels inspected (for the counts). */
  forms: number
  channels: number
}

/**
 * Runs main then post in `dirs`, and scans both for every secret (plus
 * those `learn` finds once main has run: rotated tokens, the assertion, the
 * values the primed auth.json holds).
 */
export async function runScanned(
  dirs: RunnerDirs,
  options: RunOptions,
  secrets: readonly Secret[],
  learn: (main: RunResult) => Secret[] = () => []
): Promise<ScannedRun> {
  const roots = [dirs.root]
  const before = snapshotFiles(roots)
  const env = { ...scannedEnv(dirs), ...options.env }
  const main = await runAction({ ...options, dirs, env })
  const primed = main.outputs['codex-home']
  const all = [
    ...secrets,
    ...learn(main),
    ...primedSecrets(primed),
    ...outputSecrets(main)
  ]
  // Where secrets are meant to be in clear: the primed home, and the token
  // file of workload identity's `file` mode (only that file: the token
  // source's log and status beside it are scanned).
  const tokenFile = main.outputs['identity-token-file']
  const homes = [...(primed ? [primed] : []), ...(tokenFile ? [tokenFile] : [])]
  const mainScan = scanRun(main, all, { roots, before, primedHomes: homes })
  const beforePost = snapshotFiles(roots)
  const post = await runPost(main, { env })
  // A token source mints in the background until the post step stops it:
  // what it minted after main ran is looked for too (in post's channels,
  // and in what main printed).
  const known = new Set(all.map((s) => s.value))
  const late = learn(main).filter((s) => !known.has(s.value))
  const postScan = scanRun(post, [...all, ...late], {
    roots,
    before: beforePost,
    primedHomes: homes
  })
  const lateScan = scanRun(main, late)
  return {
    main,
    post,
    findings: [
      ...mainScan.findings,
      ...postScan.findings,
      ...lateScan.findings
    ],
    forms: mainScan.forms + lateScan.forms,
    channels: mainScan.channels + postScan.channels
  }
}

/**
 * Token source helpers still running for a run under `runnerTemp`: a
 * process whose argv names a path under it (the helper's `--dir`) and its
 * script (`token-source`), or carries `nonce`. Zombies have exited and do
 * not count (a detached helper's new parent may reap it late). Waits up to
 * `graceMs` for a stopped helper to finish exiting; Linux only (`/proc`).
 */
export async function lingeringTokenSources(
  runnerTemp: string,
  nonce?: string,
  graceMs = 2000
): Promise<string[]> {
  const find = (): string[] => {
    const found: string[] = []
    let pids: string[]
    try {
      pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))
    } catch {
      return found
    }
    for (const pid of pids) {
      let argv: string[]
      let stat: string
      try {
        argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
        stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      } catch {
        continue
      }
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue
      const ours =
        (nonce !== undefined && argv.includes(nonce)) ||
        (argv.some((a) => a.includes('token-source')) &&
          argv.some((a) => a.startsWith(runnerTemp + path.sep)))
      if (ours) found.push(`${pid}: ${argv.join(' ')}`)
    }
    return found
  }
  const until = Date.now() + graceMs
  let found = find()
  while (found.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    found = find()
  }
  return found
}

/** The nonce of the token source a main run saved in its cleanup plan. */
export function savedTokenSourceNonce(main: RunResult): string | undefined {
  try {
    const plan = JSON.parse(main.state['cleanup'] ?? '[]') as {
      kind?: string
      nonce?: string
    }[]
    return plan.find((a) => a.kind === 'stop-token-source')?.nonce
  } catch {
    return undefined
  }
}

const SECRET_FIELDS = new Set([
  'OPENAI_API_KEY',
  'personal_access_token',
  'id_token',
  'access_token',
  'refresh_token',
  'agent_private_key'
])

/**
 * Every secret value the primed auth.json holds, wherever it sits: what the
 * action itself decided to write is what must not leak anywhere else.
 */
export function primedSecrets(home: string | undefined): Secret[] {
  if (home === undefined) return []
  let doc: unknown
  try {
    doc = JSON.parse(fs.readFileSync(path.join(home, 'auth.json'), 'utf8'))
  } catch {
    return []
  }
  const found: Secret[] = []
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (SECRET_FIELDS.has(key) || key === 'agent_identity') {
        found.push({ label: `primed auth.json ${key}`, value })
      }
      return
    }
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, k)
    }
  }
  visit(doc, '')
  return found
}

/** The authorization output: a header value the action built itself. */
function outputSecrets(main: RunResult): Secret[] {
  const value = main.outputs['authorization']
  return value ? [{ label: 'authorization output', value }] : []
}

/** A failed step: one `::error::`, exit 1, no stack, nothing left behind. */
export function expectCleanFailure(
  result: RunResult,
  message?: RegExp | string
): void {
  expect(result.code).toBe(1)
  const errors = result.commands.filter((c) => c.name === 'error')
  expect(errors).toHaveLength(1)
  if (typeof message === 'string') expect(result.error).toBe(message)
  else if (message) expect(result.error).toMatch(message)
  expect(result.error).not.toMatch(/^Unexpected error/)
  expect(result.stderr).toBe('')
  // A stack frame looks like `    at fn (file:1:2)`.
  expect(result.stdout).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  expectNothingExported(result)
}

/**
 * Nothing for later steps: no env, outputs, state, and no files left but
 * rotated tokens kept where the failure message says.
 */
export function expectNothingExported(result: RunResult): void {
  expect(result.raw.env).toBe('')
  expect(result.raw.output).toBe('')
  expect(result.state).toEqual(EMPTY_PLAN)
  const kept = (file: string): boolean =>
    /^codex-auth-rotated-[^/]+\/auth\.json$/.test(file) &&
    (result.error ?? '').includes(path.join(result.dirs.runnerTemp, file))
  expect(
    listFiles(result.dirs.runnerTemp).filter((file) => !kept(file))
  ).toEqual([])
}

/** A random suffix for made-up secrets, so no two scenarios share one. */
export function randomToken(bytes = 24): string {
  return Buffer.from(
    Array.from({ length: bytes }, () => Math.floor(Math.random() * 256))
  ).toString('base64url')
}
