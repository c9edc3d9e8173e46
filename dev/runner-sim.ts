/**
 * A small GitHub runner simulation for the demo and the benchmark: runs the
 * built action (dist/) in a child process the way a runner does, and shows
 * what a workflow log would show.
 *
 * What it reproduces: `INPUT_*` for every input (action.yml defaults
 * included), fresh `GITHUB_ENV` / `GITHUB_OUTPUT` / `GITHUB_STATE` /
 * `GITHUB_STEP_SUMMARY` files per step, `RUNNER_TEMP`, env exported by one
 * step visible to the next (the post step included), `STATE_*` for the post
 * step, and job-wide `::add-mask::` masking of everything shown. What it does
 * not: the runner's extra mask encodings (base64, URL and JSON forms of a
 * secret), log timestamps, and the interleaving of stdout with stderr.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..'
)
export const MAIN_ENTRY = path.join(ROOT, 'dist/index.js')
export const POST_ENTRY = path.join(ROOT, 'dist/post/index.js')

/** The node the action runs on: `ACTION_NODE` (e.g. Node 24), else ours. */
export function actionNode(): string {
  return process.env['ACTION_NODE'] || process.execPath
}

/** `v24.1.0` for the node the action runs on (its path too, if not ours). */
export function describeActionNode(): string {
  const node = actionNode()
  if (node === process.execPath) return process.version
  const result = spawnSync(node, ['--version'], { encoding: 'utf8' })
  const version = result.stdout?.trim() || 'unknown version'
  return `${version} (${node})`
}

/** Inputs declared with a `default:` in action.yml (name → default). */
export function actionInputDefaults(
  actionYml: string = path.join(ROOT, 'action.yml')
): Record<string, string> {
  const defaults: Record<string, string> = {}
  let section = ''
  let input = ''
  for (const line of fs.readFileSync(actionYml, 'utf8').split('\n')) {
    const top = /^([a-z-]+):/.exec(line)
    if (top) section = top[1]!
    if (section !== 'inputs') continue
    const name = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line)
    if (name) input = name[1]!
    const value = /^ {4}default:\s*(.*)$/.exec(line)
    if (value && input) defaults[input] = unquoteYaml(value[1]!.trim())
  }
  return defaults
}

function unquoteYaml(text: string): string {
  const quoted = /^'(.*)'$/.exec(text) ?? /^"(.*)"$/.exec(text)
  return quoted ? quoted[1]!.replace(/''/g, "'") : text
}

/** The env name the runner gives an input (`api-key` → `INPUT_API-KEY`). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/** A runner workspace: temp dirs and command files, reused by main and post. */
export interface RunnerDirs {
  root: string
  runnerTemp: string
  home: string
  workspace: string
  files: { env: string; output: string; state: string; summary: string }
}

/** Roots made by {@link makeRunnerDirs} and not yet removed. */
const liveRunnerDirs = new Set<string>()

/**
 * Creates a fresh runner layout under the OS temp dir; `prefix` tells whose
 * temp directory it is when one is left behind. {@link removeRunnerDirs}
 * removes it again.
 */
export function makeRunnerDirs(prefix = 'codex-auth-test-'): RunnerDirs {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  liveRunnerDirs.add(root)
  const dirs: RunnerDirs = {
    root,
    runnerTemp: path.join(root, 'runner-temp'),
    home: path.join(root, 'home'),
    workspace: path.join(root, 'workspace'),
    files: {
      env: path.join(root, 'github_env'),
      output: path.join(root, 'github_output'),
      state: path.join(root, 'github_state'),
      summary: path.join(root, 'github_step_summary')
    }
  }
  for (const d of [dirs.runnerTemp, dirs.home, dirs.workspace]) {
    fs.mkdirSync(d, { recursive: true })
  }
  for (const f of Object.values(dirs.files)) fs.writeFileSync(f, '')
  return dirs
}

/**
 * Removes `dirs`, or every layout {@link makeRunnerDirs} made that is still
 * there. Throws when one cannot be removed, so a leak is a failure.
 */
export function removeRunnerDirs(dirs?: RunnerDirs): void {
  const roots = dirs ? [dirs.root] : [...liveRunnerDirs]
  for (const root of roots) {
    removeTree(root)
    liveRunnerDirs.delete(root)
  }
}

/**
 * `rm -rf`, also of a tree a test made unreadable (a 0000 directory): such
 * entries get their owner's permissions back and the removal is retried.
 */
export function removeTree(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true })
  } catch {
    restoreOwnerAccess(dir)
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function restoreOwnerAccess(dir: string): void {
  try {
    fs.chmodSync(dir, 0o700)
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) restoreOwnerAccess(path.join(dir, entry.name))
    }
  } catch {
    // Gone, or not ours: the retried removal reports it.
  }
}

/** The per-step command files the runner creates. */
export interface StepFiles {
  env: string
  output: string
  state: string
  summary: string
}

/** The command files as a list. */
export function stepFileList(files: StepFiles): string[] {
  return [files.env, files.output, files.state, files.summary]
}

/**
 * The env of one action step: the job env, the step's command files and
 * `INPUT_*` for each input.
 */
export function stepEnv(
  jobEnv: Record<string, string>,
  files: StepFiles,
  inputs: Record<string, string>
): Record<string, string> {
  const env: Record<string, string> = {
    ...jobEnv,
    GITHUB_ENV: files.env,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary
  }
  for (const [name, value] of Object.entries(inputs)) {
    env[inputEnvName(name)] = value
  }
  return env
}

/**
 * The env a runner gives every step of a job, before any export: nothing
 * from the caller's environment but PATH and TMPDIR (so no NODE_OPTIONS, no
 * NODE_EXTRA_CA_CERTS, no stray CODEX_* credential). TMPDIR passes so that a
 * test run given a private temp dir can check the action left nothing there.
 */
export function baseJobEnv(dirs: {
  runnerTemp: string
  home: string
  workspace: string
}): Record<string, string> {
  const tmpdir = process.env['TMPDIR']
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    ...(tmpdir ? { TMPDIR: tmpdir } : {}),
    HOME: dirs.home,
    RUNNER_TEMP: dirs.runnerTemp,
    GITHUB_WORKSPACE: dirs.workspace,
    GITHUB_ACTIONS: 'true',
    CI: 'true'
  }
}

/**
 * The whole env of one step run in a {@link RunnerDirs} layout: the job env,
 * the step's command files and its inputs, then `extra` (a step's `env:`,
 * or a test pointing a command file somewhere unwritable) on top.
 */
export function runnerStepEnv(
  dirs: RunnerDirs,
  inputs: Record<string, string> = {},
  extra: Record<string, string> = {}
): Record<string, string> {
  return { ...stepEnv(baseJobEnv(dirs), dirs.files, inputs), ...extra }
}

/** Decodes a workflow command value (`%25`, `%0D`, `%0A`). */
function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** One `::name props::value` workflow command. */
export interface WorkflowCommand {
  name: string
  value: string
}

/** The workflow command on a stdout line, if it is one. */
export function parseWorkflowCommand(line: string): WorkflowCommand | null {
  const m = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line.replace(/\r$/, ''))
  return m ? { name: m[1]!, value: unescapeData(m[2]!) } : null
}

/** Parses GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE (heredoc and k=v). */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) {
        value.push(lines[i]!)
      }
      result[name!] = value.join('\n')
    } else if (line.includes('=')) {
      const at = line.indexOf('=')
      result[line.slice(0, at)] = line.slice(at + 1)
    }
  }
  return result
}

/** The runner's log masker: every registered value shows as `***`. */
export class Masker {
  private readonly values = new Set<string>()

  add(value: string): void {
    if (value.trim() !== '') this.values.add(value)
  }

  /** Replaces every registered value, longest first (as the runner does). */
  apply(text: string): string {
    const ordered = [...this.values].sort((a, b) => b.length - a.length)
    let out = text
    for (const value of ordered) out = out.split(value).join('***')
    return out
  }
}

/** One step of the job, as the runner saw it. */
export interface StepResult {
  entry: 'main' | 'post'
  code: number | null
  durationMs: number
  stdout: string
  stderr: string
  /** The log as a workflow shows it: commands applied, masks applied. */
  log: string[]
  /** The `::error::` messages (masked). */
  errors: string[]
  /** Parsed command files of this step (raw values: mask before showing). */
  env: Record<string, string>
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /** What the step wrote to each command file, as written. */
  raw: { env: string; output: string; state: string; summary: string }
}

/** Options of a job: what every step sees. */
export interface JobOptions {
  /** Values the runner masks from the start (secrets used by the job). */
  secrets?: string[]
  /** Job-level `env:`. */
  env?: Record<string, string>
}

/**
 * One job on a simulated runner: temp directories (a {@link makeRunnerDirs}
 * layout), the job env (which later steps inherit, exports included), the
 * saved state and the masker.
 */
export class RunnerJob {
  readonly root: string
  readonly runnerTemp: string
  readonly home: string
  readonly workspace: string
  readonly masker = new Masker()
  /** The job env as the next step will see it. */
  readonly env: Record<string, string>
  private readonly dirs: RunnerDirs
  private state: Record<string, string> = {}
  private inputs: Record<string, string> = {}
  private stepCount = 0
  private running: ChildProcess | undefined

  constructor(options: JobOptions = {}) {
    this.dirs = makeRunnerDirs('codex-auth-runner-')
    this.root = this.dirs.root
    this.runnerTemp = this.dirs.runnerTemp
    this.home = this.dirs.home
    this.workspace = this.dirs.workspace
    for (const secret of options.secrets ?? []) this.masker.add(secret)
    this.env = { ...baseJobEnv(this), ...options.env }
  }

  /** Runs the action's main step with these inputs (defaults filled in). */
  runMain(inputs: Record<string, string>): Promise<StepResult> {
    this.inputs = { ...actionInputDefaults(), ...inputs }
    return this.runStep('main')
  }

  /** Runs the post step: same inputs, the state the main step saved. */
  runPost(): Promise<StepResult> {
    return this.runStep('post')
  }

  /**
   * Stops a step still running (it would recreate its directories) and
   * removes the job's temp directory. Safe to call from an `exit` handler.
   */
  dispose(): void {
    this.running?.kill('SIGKILL')
    removeRunnerDirs(this.dirs)
  }

  private async runStep(entry: 'main' | 'post'): Promise<StepResult> {
    const step = ++this.stepCount
    const files: StepFiles = {
      env: path.join(this.root, `step${step}_env`),
      output: path.join(this.root, `step${step}_output`),
      state: path.join(this.root, `step${step}_state`),
      summary: path.join(this.root, `step${step}_summary`)
    }
    for (const file of stepFileList(files)) fs.writeFileSync(file, '')
    const env = stepEnv(this.env, files, this.inputs)
    if (entry === 'post') {
      for (const [name, value] of Object.entries(this.state)) {
        env[`STATE_${name}`] = value
      }
    }
    const started = performance.now()
    const { code, stdout, stderr } = await spawnCollect(
      actionNode(),
      [entry === 'post' ? POST_ENTRY : MAIN_ENTRY],
      {
        env,
        cwd: this.workspace,
        started: (child) => (this.running = child)
      }
    )
    this.running = undefined
    const durationMs = performance.now() - started
    const read = (file: string): string => fs.readFileSync(file, 'utf8')
    const { log, errors } = this.renderLog(stdout, stderr)
    const raw = {
      env: read(files.env),
      output: read(files.output),
      state: read(files.state),
      summary: read(files.summary)
    }
    const exported = parseFileCommands(raw.env)
    const state = parseFileCommands(raw.state)
    // What the runner does between steps: exports join the job env; state
    // is kept for this action's post step.
    Object.assign(this.env, exported)
    if (entry === 'main') this.state = state
    return {
      entry,
      code,
      durationMs,
      stdout,
      stderr,
      log,
      errors,
      env: exported,
      outputs: parseFileCommands(raw.output),
      state,
      summary: raw.summary,
      raw
    }
  }

  /**
   * The step log as the workflow UI shows it: `::add-mask::` lines are
   * consumed (and mask what follows), warnings and errors get their prefix,
   * debug lines are hidden (as without ACTIONS_STEP_DEBUG), groups indent.
   */
  private renderLog(
    stdout: string,
    stderr: string
  ): { log: string[]; errors: string[] } {
    const log: string[] = []
    const errors: string[] = []
    let indent = ''
    const lines = stdout.split(/\r?\n/)
    if (lines.at(-1) === '') lines.pop()
    for (const line of lines) {
      const command = parseWorkflowCommand(line)
      if (!command) {
        log.push(indent + this.masker.apply(line))
        continue
      }
      const value = this.masker.apply(command.value)
      switch (command.name) {
        case 'add-mask':
          this.masker.add(command.value)
          break
        case 'debug':
          break
        case 'group':
          log.push(`▾ ${value}`)
          indent = '  '
          break
        case 'endgroup':
          indent = ''
          break
        case 'error':
          errors.push(value)
          log.push(`${indent}Error: ${value}`)
          break
        case 'warning':
          log.push(`${indent}Warning: ${value}`)
          break
        case 'notice':
          log.push(`${indent}Notice: ${value}`)
          break
        default:
          log.push(indent + this.masker.apply(line))
      }
    }
    for (const line of stderr.split(/\r?\n/)) {
      if (line !== '') log.push(this.masker.apply(line))
    }
    return { log, errors }
  }
}

/** How {@link spawnCollect} runs a process. */
export interface SpawnCollectOptions {
  env: Record<string, string>
  cwd: string
  /** Killed (SIGKILL) after this long; default 120 s. */
  timeoutMs?: number
  /** Told the child as soon as it is spawned (to kill it on interrupt). */
  started?: (child: ChildProcess) => void
}

/**
 * Runs a process with stdin closed and collects its exit code and output, as
 * a runner runs an action's step.
 */
export function spawnCollect(
  command: string,
  args: string[],
  { env, cwd, timeoutMs = 120_000, started }: SpawnCollectOptions
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    started?.(child)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}
