/**
 * Runs the built action (dist/) in a child process the way a GitHub runner
 * does: INPUT_* env, temp GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE /
 * GITHUB_STEP_SUMMARY files and RUNNER_TEMP. Every built-action test in the
 * project goes through here.
 *
 * The node binary is `ACTION_NODE` when set (CI sets it to Node 24, the
 * Actions runtime), else the one running the tests.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeFindings, scanRun } from './leak-scan.js'
import {
  actionNode,
  MAIN_ENTRY,
  makeRunnerDirs,
  parseFileCommands,
  parseWorkflowCommand,
  POST_ENTRY,
  runnerStepEnv,
  spawnCollect,
  type RunnerDirs
} from '../../dev/runner-sim.js'

// One runner simulation for the demo, the bench and the tests.
export {
  actionNode,
  MAIN_ENTRY,
  makeRunnerDirs,
  parseFileCommands,
  POST_ENTRY,
  ROOT,
  type RunnerDirs
} from '../../dev/runner-sim.js'

/**
 * The state a failed main step leaves: the empty cleanup plan it saves before
 * anything can fail (so no forged STATE_cleanup reaches the post step).
 */
export const EMPTY_PLAN: Readonly<Record<string, string>> = { cleanup: '[]' }

/**
 * Writes `files` (name → text) into the runner user's default Codex home
 * (`~/.codex`, the action's source home unless a run says otherwise);
 * returns the home's path.
 */
export function writeCodexHome(
  dirs: RunnerDirs,
  files: Record<string, string>
): string {
  const home = path.join(dirs.home, '.codex')
  fs.mkdirSync(home, { recursive: true })
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(home, name), text)
  }
  return home
}

export interface RunOptions {
  dirs?: RunnerDirs
  /** Action inputs by their action.yml name (`api-key`). */
  inputs?: Record<string, string>
  /** Extra env (job env, secrets passed as env). */
  env?: Record<string, string>
  /** Saved state for the post step (name → value), as the runner passes it. */
  state?: Record<string, string>
  entry?: 'main' | 'post'
  timeoutMs?: number
  /**
   * A directory to stand in for /etc/codex (the runner's system policy):
   * the step runs in a private mount namespace (`with-system-layer.sh`);
   * the host's /etc is never touched.
   */
  systemLayer?: string
  /**
   * A command the step runs under, its arguments first (a wrapper that
   * changes what the step's stdout is, say); the node command follows.
   */
  via?: string[]
}

/** The wrapper that gives a step its own /etc/codex. */
export const WITH_SYSTEM_LAYER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'with-system-layer.sh'
)

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
  dirs: RunnerDirs
  /** Parsed GITHUB_ENV additions of this run. */
  env: Record<string, string>
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /** Raw file contents of this run's command files. */
  raw: { env: string; output: string; state: string; summary: string }
  /** `::name::value` workflow commands from stdout, in order. */
  commands: { name: string; value: string; line: number }[]
  /** Values registered with `::add-mask::`. */
  masks: string[]
  /** The `::error::` message, if the step failed. */
  error?: string
}

/** Runs the main (default) or post entry of the built action. */
export async function runAction(options: RunOptions = {}): Promise<RunResult> {
  const dirs = options.dirs ?? makeRunnerDirs()
  const before = Object.fromEntries(
    Object.entries(dirs.files).map(([k, f]) => [k, fs.readFileSync(f, 'utf8')])
  ) as Record<keyof RunnerDirs['files'], string>

  const env = runnerStepEnv(dirs, options.inputs, options.env)
  for (const [name, value] of Object.entries(options.state ?? {})) {
    env[`STATE_${name}`] = value
  }
  const entry = options.entry === 'post' ? POST_ENTRY : MAIN_ENTRY
  const via = options.systemLayer
    ? [WITH_SYSTEM_LAYER, options.systemLayer]
    : (options.via ?? [])
  const [command, ...args] = [...via, actionNode(), entry]
  const { code, stdout, stderr } = await spawnCollect(command, args, {
    env,
    cwd: dirs.workspace,
    timeoutMs: options.timeoutMs ?? 60_000
  })

  return collectRun(dirs, before, { code, stdout, stderr })
}

/**
 * What a runner would have seen of one step: its stdout commands and what it
 * appended to the command files since `before` (their contents at the start).
 */
export function collectRun(
  dirs: RunnerDirs,
  before: Record<keyof RunnerDirs['files'], string>,
  out: { code: number | null; stdout: string; stderr: string }
): RunResult {
  const raw = Object.fromEntries(
    Object.entries(dirs.files).map(([k, f]) => [
      k,
      fs.readFileSync(f, 'utf8').slice(before[k as keyof typeof before].length)
    ])
  ) as RunResult['raw']
  const commands = parseCommands(out.stdout)
  return {
    ...out,
    dirs,
    env: parseFileCommands(raw.env),
    outputs: parseFileCommands(raw.output),
    state: parseFileCommands(raw.state),
    summary: raw.summary,
    raw,
    commands,
    masks: commands.filter((c) => c.name === 'add-mask').map((c) => c.value),
    error: commands.find((c) => c.name === 'error')?.value
  }
}

/** Runs the post step with the state a main run saved. */
export function runPost(
  main: RunResult,
  extra: RunOptions = {}
): Promise<RunResult> {
  return runAction({
    ...extra,
    dirs: main.dirs,
    state: main.state,
    entry: 'post'
  })
}

/** Parses `::name props::value` lines from stdout. */
export function parseCommands(
  stdout: string
): { name: string; value: string; line: number }[] {
  const out: { name: string; value: string; line: number }[] = []
  stdout.split('\n').forEach((text, line) => {
    const command = parseWorkflowCommand(text)
    if (command) out.push({ ...command, line })
  })
  return out
}

/**
 * Every place `secret` (in any form the leak scanner knows) is readable
 * after the runner's masks: stdout, stderr and the command files.
 */
export function findLeaks(result: RunResult, secret: string): string[] {
  return describeFindings(
    scanRun(result, [{ label: 'secret', value: secret }]).findings
  )
}

/** Lists every file under a directory (relative paths). */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort()
}

/**
 * A failed run as a user sees it: exit code 1, exactly one error line, and
 * nothing for later steps (no env, outputs or state, no file left under
 * RUNNER_TEMP).
 */
export function expectFailedWithNothingLeft(result: RunResult): void {
  expect(result.code).toBe(1)
  expect(result.commands.filter((c) => c.name === 'error')).toHaveLength(1)
  expect(result.raw.env).toBe('')
  expect(result.raw.output).toBe('')
  expect(result.state).toEqual(EMPTY_PLAN)
  expect(listFiles(result.dirs.runnerTemp)).toEqual([])
}
