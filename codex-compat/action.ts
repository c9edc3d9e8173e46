/**
 * Runs the BUILT action the way a runner does (INPUT_* env, temp command
 * files, RUNNER_TEMP), from a snapshot of dist/ taken once at start: a
 * concurrent `npm run package` (it deletes dist/ first) cannot pull the
 * bundle out from under a running suite.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  makeRunnerDirs,
  parseFileCommands,
  runnerStepEnv,
  spawnCollect,
  type RunnerDirs
} from '../dev/runner-sim.js'
import { parseCommands } from '../__tests__/support/run-action.js'
import { underMounts } from './hosts.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  /** Parsed GITHUB_ENV of this run: what later steps get. */
  env: Record<string, string>
  outputs: Record<string, string>
  state: Record<string, string>
  /** The `::error::` message, if the step failed. */
  error?: string
  dirs: RunnerDirs
}

export interface ActionRunOptions {
  inputs?: Record<string, string>
  env?: Record<string, string>
  /**
   * A directory that stands in for /etc/codex during the run (a private
   * mount namespace; the host's /etc is never touched).
   */
  systemLayer?: string
  /**
   * A hosts file that stands in for /etc/hosts during the run (a private
   * mount namespace; see scripts/with-hosts.sh). A process the step starts
   * (the keyless token source) stays in that namespace.
   */
  hostsFile?: string
}

/** A private copy of dist/ and a way to run it. */
export class BuiltAction {
  private constructor(
    readonly distDir: string,
    private readonly root: string
  ) {}

  /**
   * Copies dist/ (main, chunks, post, package.json), or `source` laid out
   * like it, to a temp directory.
   */
  static snapshot(source = path.join(ROOT, 'dist')): BuiltAction {
    if (!fs.existsSync(path.join(source, 'index.js'))) {
      throw new Error('dist/index.js is missing: run `npm run package` first')
    }
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-compat-dist-'))
    const distDir = path.join(root, 'dist')
    fs.cpSync(source, distDir, { recursive: true })
    return new BuiltAction(distDir, root)
  }

  /** Root directories of every run (runner temp, primed homes). */
  readonly runs: string[] = []

  /** The node binary the action runs on: `ACTION_NODE`, else this one. */
  readonly node = process.env['ACTION_NODE'] || process.execPath

  /** `node v24.x.y`, for the report header. */
  nodeVersion(): string {
    const probe = spawnSync(this.node, ['--version'], { encoding: 'utf8' })
    return `node ${probe.stdout.trim() || '(unknown)'}`
  }

  /** Runs the main entry; resolves with what the runner would have seen. */
  async run(options: ActionRunOptions = {}): Promise<ActionRun> {
    const dirs = makeRunnerDirs('codex-compat-runner-')
    this.runs.push(dirs.root)
    const env = runnerStepEnv(dirs, options.inputs, options.env)
    return this.step('index.js', dirs, env, options)
  }

  /**
   * Runs the post entry after `main`, as a runner does: the job env
   * (`options.env`), what main exported, and main's saved state as
   * `STATE_*`, with fresh command files.
   */
  async post(
    main: ActionRun,
    options: Omit<ActionRunOptions, 'inputs'> = {}
  ): Promise<ActionRun> {
    for (const file of Object.values(main.dirs.files)) {
      fs.writeFileSync(file, '')
    }
    const env = runnerStepEnv(main.dirs, {}, { ...options.env, ...main.env })
    for (const [name, value] of Object.entries(main.state)) {
      env[`STATE_${name}`] = value
    }
    return this.step('post/index.js', main.dirs, env, options)
  }

  private async step(
    entryFile: string,
    dirs: RunnerDirs,
    env: Record<string, string>,
    options: ActionRunOptions
  ): Promise<ActionRun> {
    const entry = path.join(this.distDir, entryFile)
    const [command, args] = underMounts([this.node, entry], options)
    const { code, stdout, stderr } = await spawnCollect(command, args, {
      env,
      cwd: dirs.workspace
    })
    const read = (file: string): string => fs.readFileSync(file, 'utf8')
    const error = parseCommands(stdout).find((c) => c.name === 'error')?.value
    return {
      code,
      stdout,
      stderr,
      env: parseFileCommands(read(dirs.files.env)),
      outputs: parseFileCommands(read(dirs.files.output)),
      state: parseFileCommands(read(dirs.files.state)),
      ...(error === undefined ? {} : { error }),
      dirs
    }
  }

  /** Removes the snapshot and, unless `keepRuns`, every run's directories. */
  dispose(keepRuns = false): void {
    for (const dir of [this.root, ...(keepRuns ? [] : this.runs)]) {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
