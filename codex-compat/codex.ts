/**
 * Runs the real Codex CLI (each pinned version installed by
 * scripts/test-codex.sh into its own git-ignored .cache/codex-<version>) with
 * an exact environment. Only ever called inside the loopback-only namespace:
 * run.ts checks before any scenario.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { underMounts } from './hosts.js'
import { isLoopbackOnly } from './namespace.js'

/**
 * Every Codex release the suite runs each scenario on: the one the action was
 * built against and the latest. scripts/test-codex.sh installs the same list.
 */
export const CODEX_VERSIONS = ['0.169.0', '0.171.0'] as const

/** The release the action was built against (the bench measures this one). */
export const CODEX_VERSION = CODEX_VERSIONS[0]

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The npm launcher of one installed @openai/codex (it picks the binary). */
export function codexLauncher(version: string = CODEX_VERSION): string {
  return path.join(
    ROOT,
    `.cache/codex-${version}/node_modules/@openai/codex/bin/codex.js`
  )
}

/** The launcher of {@link CODEX_VERSION}. */
export const CODEX_LAUNCHER = codexLauncher()

/** The version installed for `version`, or undefined when it is not. */
export function installedCodexVersion(
  version: string = CODEX_VERSION
): string | undefined {
  const manifest = path.join(
    path.dirname(codexLauncher(version)),
    '../package.json'
  )
  try {
    const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as {
      version?: unknown
    }
    return typeof parsed.version === 'string' ? parsed.version : undefined
  } catch {
    return undefined
  }
}

export interface CodexRun {
  code: number | null
  stdout: string
  stderr: string
  ms: number
  /** Epoch ms just before the spawn (the clock the dev backend logs in). */
  startedAt: number
  /** The full environment Codex ran with (for failure reports). */
  env: Record<string, string>
  args: string[]
}

export interface CodexRunOptions {
  /** Which of {@link CODEX_VERSIONS} to run; default {@link CODEX_VERSION}. */
  version?: string
  /** Env on top of the minimal one (PATH and an empty HOME). */
  env: Record<string, string>
  /** `-c key=value` overrides, in order. */
  config?: string[]
  prompt?: string
  timeoutMs?: number
  /**
   * A directory that stands in for /etc/codex for this run (a private mount
   * namespace inside the loopback-only one; the host's /etc is untouched).
   */
  systemLayer?: string
  /**
   * A hosts file that stands in for /etc/hosts for this run (a private
   * mount namespace inside the loopback-only one): how auth.openai.com and
   * chatgpt.com reach the dev backend for workload identity.
   */
  hostsFile?: string
}

/**
 * `codex exec --skip-git-repo-check <prompt> </dev/null` in an empty working
 * directory, with PATH, HOME (a fresh empty directory) and `options.env`
 * only: nothing from the caller's environment leaks in.
 */
export function runCodexExec(options: CodexRunOptions): Promise<CodexRun> {
  return runCodex({
    ...options,
    args: [
      'exec',
      '--skip-git-repo-check',
      ...(options.config ?? []).flatMap((entry) => ['-c', entry]),
      options.prompt ?? 'say hi'
    ]
  })
}

/**
 * `codex login status` (with workload identity it performs a real token
 * exchange), in the same clean environment as {@link runCodexExec}.
 */
export function runCodexLoginStatus(
  options: Omit<CodexRunOptions, 'prompt'>
): Promise<CodexRun> {
  return runCodex({
    ...options,
    args: [
      'login',
      'status',
      ...(options.config ?? []).flatMap((entry) => ['-c', entry])
    ]
  })
}

/**
 * Runs the Codex launcher with `args` (`sandbox -- /usr/bin/env`, …) in the
 * clean environment of {@link runCodexExec}; `config` and `prompt` are not
 * used.
 */
export async function runCodex(
  options: CodexRunOptions & { args: string[] }
): Promise<CodexRun> {
  if (!isLoopbackOnly()) {
    // The last line of defence: never let Codex see a real network.
    throw new Error('refusing to run Codex outside a loopback-only namespace')
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-compat-run-'))
  const home = path.join(scratch, 'home')
  const cwd = path.join(scratch, 'work')
  fs.mkdirSync(home)
  fs.mkdirSync(cwd)
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    // Debugging aid only: `CODEX_COMPAT_RUST_LOG=debug npm run test:codex`.
    ...(process.env['CODEX_COMPAT_RUST_LOG']
      ? { RUST_LOG: process.env['CODEX_COMPAT_RUST_LOG'] }
      : {}),
    ...options.env
  }
  const args = [
    codexLauncher(options.version ?? CODEX_VERSION),
    ...options.args
  ]
  const started = Date.now()
  try {
    const [command, argv] = underMounts([process.execPath, ...args], options)
    const result = await spawnCollect(
      command,
      argv,
      env,
      cwd,
      options.timeoutMs ?? defaultTimeoutMs()
    )
    return {
      ...result,
      ms: Date.now() - started,
      startedAt: started,
      env,
      args: args.slice(1)
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}

function spawnCollect(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // stdin is /dev/null: `codex exec` reads a piped stdin as the prompt.
    // Its own process group: the npm launcher spawns the real binary on
    // Node 20, and a timeout must kill both (an orphan would hold the pipes
    // open and the run would never end).
    const child = spawn(command, args, {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      stderr += `\n[codex-compat] killed after ${timeoutMs} ms\n`
      killGroup(child.pid)
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      // Anything Codex left behind in its group goes too.
      killGroup(child.pid)
      resolve({ code, stdout, stderr })
    })
  })
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** 45 s, or `CODEX_COMPAT_TIMEOUT_MS`; a healthy run takes well under 1 s. */
function defaultTimeoutMs(): number {
  const fromEnv = Number(process.env['CODEX_COMPAT_TIMEOUT_MS'])
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 45_000
}
