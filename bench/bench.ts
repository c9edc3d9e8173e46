/**
 * `npm run bench`: how much the built action costs a job, on Node 20 and on
 * Node 24 (the Actions runtime; ACTION_NODE picks one node instead).
 *
 *   npm run bench [-- --runs 30 --rss-runs 10 --warmup 3 --mode identity --downstream-runs 10]
 *
 * For each credential kind, against the loopback dev backend: the whole
 * process's wall time over paired runs (the action, and `node` starting an
 * empty module, in the same runner-like environment, order alternating per
 * pair), their ratio run by run, peak RSS (separate runs), the requests made
 * and the TCP connections they used, and the bundle bytes loaded; then the
 * budgets, the downstream hook and the size of dist/. A reference script
 * (bench/reference/identity.ts, the least an Agent Identity run can do with
 * the same libraries) is bundled and measured the same way: the yardstick of
 * the Agent Identity time budget and, on Node 24, of peak RSS. For the time
 * budget it also runs inside the Agent Identity loop, next to the action and
 * the empty module, and the ratio is taken run by run. Not a test: it
 * prints PASS/FAIL per budget and exits 0 (1 only when it cannot run at all).
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { bundle } from '../scripts/bundle.mjs'
import { startDevBackend, type DevBackend } from '../dev/backend/index.js'
import {
  actionInputDefaults,
  baseJobEnv,
  MAIN_ENTRY,
  parseFileCommands,
  parseWorkflowCommand,
  POST_ENTRY,
  ROOT,
  stepEnv,
  stepFileList,
  type StepFiles
} from '../dev/runner-sim.js'
import {
  distSize,
  formatBytes,
  loadedDistBytes,
  moduleTracer
} from './bundle.js'
import {
  formatDownstream,
  prepareDownstream,
  type DownstreamReport
} from './downstream.js'
import {
  chooseRssMethod,
  describeRssMethod,
  killLiveRuns,
  peakRssRun,
  timedRun,
  type NodeRun,
  type RssMethod,
  type RunOutcome
} from './measure.js'
import {
  benchModes,
  endpointsVia,
  expectedSequence,
  RSS_BUDGET_MB,
  RSS_FLOOR_FACTOR,
  type BenchMode,
  type Endpoints
} from './modes.js'
import {
  duplicatesOf,
  routesOf,
  startConnectionCounter,
  type ConnectionCounter
} from './network.js'
import { formatSummary, summarize, type Summary } from './stats.js'
import { formatTable } from './table.js'

interface Options {
  runs: number
  rssRuns: number
  warmup: number
  modes: string[]
  downstreamRuns: number
}

/** Everything measured for one mode. */
interface ModeResult {
  mode: BenchMode
  error?: string
  action?: Summary
  baseline?: Summary
  ratio?: Summary
  /** action / yardstick script, run by run ({@link BenchMode.yardstick}). */
  vsYardstick?: { label: string; ratio: Summary }
  rss?: Summary
  baselineRss?: Summary
  /** Distinct request sequences seen across timed runs. */
  routeSequences: string[]
  duplicates: string[]
  /** TCP connections, and requests, of the probe run (one host). */
  connections?: number
  probeRequests?: number
  loaded?: { bytes: number; files: string[] }
}

/** A runner-like place to run one mode: fixed dirs, fresh command files. */
class Workbench {
  readonly dirs: { runnerTemp: string; home: string; workspace: string }
  readonly files: StepFiles
  readonly empty: string

  constructor(readonly root: string) {
    this.dirs = {
      runnerTemp: path.join(root, 'runner-temp'),
      home: path.join(root, 'home'),
      workspace: path.join(root, 'workspace')
    }
    for (const dir of Object.values(this.dirs)) {
      fs.mkdirSync(dir, { recursive: true })
    }
    this.files = {
      env: path.join(root, 'github_env'),
      output: path.join(root, 'github_output'),
      state: path.join(root, 'github_state'),
      summary: path.join(root, 'github_step_summary')
    }
    this.empty = path.join(root, 'empty.mjs')
    fs.writeFileSync(this.empty, '')
  }

  /**
   * The action run (or `entry` in its place) and its baseline, sharing one
   * environment.
   */
  pair(
    node: string,
    inputs: Record<string, string>,
    entry: string = MAIN_ENTRY,
    jobEnv: Record<string, string> = {}
  ): { action: NodeRun; empty: NodeRun } {
    this.reset()
    this.jobEnv = { ...baseJobEnv(this.dirs), ...jobEnv }
    const env = stepEnv(this.jobEnv, this.files, {
      ...actionInputDefaults(),
      ...inputs
    })
    const cwd = this.dirs.workspace
    return {
      action: { node, args: [entry], env, cwd },
      empty: { node, args: [this.empty], env, cwd }
    }
  }

  private jobEnv: Record<string, string> = {}

  /**
   * The post step after the last action run, as the runner runs it: the job
   * env, what the main step exported, its saved state as `STATE_*`.
   */
  post(node: string): NodeRun {
    const read = (file: string): Record<string, string> =>
      parseFileCommands(fs.readFileSync(file, 'utf8'))
    const env = stepEnv(
      { ...this.jobEnv, ...read(this.files.env) },
      this.files,
      actionInputDefaults()
    )
    for (const [name, value] of Object.entries(read(this.files.state))) {
      env[`STATE_${name}`] = value
    }
    for (const file of stepFileList(this.files)) fs.writeFileSync(file, '')
    return { node, args: [POST_ENTRY], env, cwd: this.dirs.workspace }
  }

  /** Empties the command files and RUNNER_TEMP (primed homes) between runs. */
  reset(): void {
    for (const file of stepFileList(this.files)) fs.writeFileSync(file, '')
    for (const entry of fs.readdirSync(this.dirs.runnerTemp)) {
      fs.rmSync(path.join(this.dirs.runnerTemp, entry), {
        recursive: true,
        force: true
      })
    }
  }
}

/** Reference bundles already built, by script. */
const referenceEntries = new Map<string, Promise<string>>()

/**
 * Bundles a reference script exactly as the action is bundled
 * (scripts/bundle.mjs), so the two pay the same kind of load.
 */
function bundleReference(script: string, scratch: string): Promise<string> {
  let entry = referenceEntries.get(script)
  if (!entry) {
    const dir = path.join(scratch, 'reference', path.parse(script).name)
    entry = bundle(path.join(ROOT, script), dir).then(() => {
      fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n')
      return path.join(dir, 'index.js')
    })
    referenceEntries.set(script, entry)
  }
  return entry
}

function failureText(
  stdout: string,
  stderr: string,
  code: number | null
): string {
  const error = stdout
    .split('\n')
    .map(parseWorkflowCommand)
    .find((c) => c?.name === 'error')
  return `exit ${code}: ${error?.value ?? (stderr.trim().split('\n').at(-1) || 'no message')}`
}

async function benchMode(
  mode: BenchMode,
  options: Options,
  ctx: {
    node: string
    backend: DevBackend
    counter: ConnectionCounter
    rssMethod: RssMethod
    scratch: string
    /** The mode named by `mode.yardstick`. */
    yardstick?: BenchMode | undefined
  }
): Promise<ModeResult> {
  const result: ModeResult = { mode, routeSequences: [], duplicates: [] }
  const bench = new Workbench(path.join(ctx.scratch, mode.name))
  const direct = endpointsVia(ctx.backend, ctx.backend.url)
  const entry = mode.reference
    ? await bundleReference(mode.reference, ctx.scratch)
    : MAIN_ENTRY
  const pair = (endpoints: Endpoints = direct): ReturnType<Workbench['pair']> =>
    bench.pair(
      ctx.node,
      mode.inputs(endpoints),
      entry,
      mode.jobEnv?.(endpoints) ?? {}
    )
  // The yardstick runs in a workbench of its own (its files never mix with
  // the action's), in the same loop as the action and the empty module.
  const yardstick = ctx.yardstick
  let yardstickRun: (() => NodeRun) | undefined
  if (yardstick?.reference) {
    const yardBench = new Workbench(
      path.join(ctx.scratch, `${mode.name}-${yardstick.name}`)
    )
    const yardEntry = await bundleReference(yardstick.reference, ctx.scratch)
    yardstickRun = () =>
      yardBench.pair(ctx.node, yardstick.inputs(direct), yardEntry).action
  }
  /**
   * The post step after a mode that leaves a process running (untimed);
   * a failed one is an error of the mode: nothing may outlive the job.
   */
  const post = async (): Promise<string | undefined> => {
    if (!mode.needsPost) return undefined
    const outcome = await timedRun(bench.post(ctx.node))
    return outcome.code === 0
      ? undefined
      : `post step ${failureText(outcome.stdout, outcome.stderr, outcome.code)}`
  }

  // Warm-up (file cache, backend JIT), and a check that the mode works.
  for (let i = 0; i < options.warmup; i++) {
    const runs = pair()
    await timedRun(runs.empty)
    const outcome = await timedRun(runs.action)
    const postError = await post()
    const yardOutcome = yardstickRun && (await timedRun(yardstickRun()))
    if (outcome.code !== 0 || postError) {
      result.error =
        outcome.code !== 0
          ? failureText(outcome.stdout, outcome.stderr, outcome.code)
          : postError
      return result
    }
    if (yardOutcome && yardOutcome.code !== 0) {
      result.error = `${yardstick?.label}: ${failureText(yardOutcome.stdout, yardOutcome.stderr, yardOutcome.code)}`
      return result
    }
  }

  const actionMs: number[] = []
  const emptyMs: number[] = []
  const ratios: number[] = []
  const vsYardstick: number[] = []
  const sequences = new Set<string>()
  const duplicates = new Set<string>()
  for (let i = 0; i < options.runs; i++) {
    const runs = pair()
    // Rotate the order so drift and cache effects hit every side alike. The
    // action's post step (untimed) follows it at once: nothing else runs
    // while its token source may still be alive.
    type Slot = 'empty' | 'action' | 'yardstick'
    const slots: Slot[] = yardstickRun
      ? ['empty', 'action', 'yardstick']
      : ['empty', 'action']
    const order = [
      ...slots.slice(i % slots.length),
      ...slots.slice(0, i % slots.length)
    ]
    const timed: Partial<Record<Slot, RunOutcome>> = {}
    let requests: typeof ctx.backend.requests = []
    let postError: string | undefined
    for (const slot of order) {
      if (slot === 'action') {
        const first = ctx.backend.requests.length
        timed.action = await timedRun(runs.action)
        requests = ctx.backend.requests.slice(first)
        postError = await post()
      } else {
        timed[slot] = await timedRun(
          slot === 'empty' ? runs.empty : yardstickRun!()
        )
      }
    }
    const { action, empty, yardstick: yard } = timed
    if (!action || !empty) throw new Error('a paired run is missing')
    if (action.code !== 0 || postError) {
      result.error =
        action.code !== 0
          ? failureText(action.stdout, action.stderr, action.code)
          : postError
      return result
    }
    if (yard && yard.code !== 0) {
      result.error = `${yardstick?.label}: ${failureText(yard.stdout, yard.stderr, yard.code)}`
      return result
    }
    sequences.add(routesOf(requests).join(' → ') || 'none')
    for (const d of duplicatesOf(requests, mode.expectedRoutes)) {
      duplicates.add(d)
    }
    actionMs.push(action.wallMs)
    emptyMs.push(empty.wallMs)
    ratios.push(action.wallMs / empty.wallMs)
    if (yard) vsYardstick.push(action.wallMs / yard.wallMs)
  }
  result.action = summarize(actionMs)
  result.baseline = summarize(emptyMs)
  result.ratio = summarize(ratios)
  if (yardstick && vsYardstick.length > 0) {
    result.vsYardstick = {
      label: yardstick.label,
      ratio: summarize(vsYardstick)
    }
  }
  result.routeSequences = [...sequences]
  result.duplicates = [...duplicates]

  const rss: number[] = []
  const baselineRss: number[] = []
  for (let i = 0; i < options.rssRuns; i++) {
    const runs = pair()
    baselineRss.push(
      (await peakRssRun(runs.empty, ctx.rssMethod, ctx.scratch)).rssMB
    )
    rss.push((await peakRssRun(runs.action, ctx.rssMethod, ctx.scratch)).rssMB)
    const postError = await post()
    if (postError) {
      result.error = postError
      return result
    }
  }
  if (rss.length > 0) {
    result.rss = summarize(rss)
    result.baselineRss = summarize(baselineRss)
  }

  // One probe run through the counting relay, tracing module loads.
  const tracer = moduleTracer(ctx.scratch)
  const report = path.join(ctx.scratch, `${mode.name}-loaded`)
  ctx.counter.reset()
  const probe = pair(endpointsVia(ctx.backend, ctx.counter.url))
  const before = ctx.backend.requests.length
  await timedRun(tracer.trace(probe.action, report))
  result.connections = ctx.counter.connections
  result.probeRequests = ctx.backend.requests.length - before
  const postError = await post()
  if (postError) result.error = postError
  if (!mode.reference) {
    result.loaded = loadedDistBytes(
      path.dirname(MAIN_ENTRY),
      tracer.loaded(report)
    )
  }
  bench.reset()
  return result
}

/** One node the modes ran on. */
interface NodeUnderTest {
  path: string
  version: string
  major: number
}

/** The node binaries to measure on: ACTION_NODE, else Node 20 and 24. */
function nodesUnderTest(): NodeUnderTest[] {
  const chosen = process.env['ACTION_NODE']
  const paths = chosen
    ? [chosen]
    : [
        process.execPath,
        spawnSync('bash', [path.join(ROOT, 'scripts/node24.sh')], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit']
        }).stdout.trim()
      ]
  return paths.map((node) => {
    const version =
      node === process.execPath
        ? process.version
        : spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()
    return {
      path: node,
      version: version || 'unknown version',
      major: Number(/^v(\d+)/.exec(version)?.[1] ?? 0)
    }
  })
}

/**
 * The budgets of one mode (issue 11): time against an empty module, Agent
 * Identity against the identity floor, peak RSS ≤ 60 MB on Node 20 and
 * within 10 % of the floor's on Node 24 and later.
 */
function budgetChecks(
  r: ModeResult,
  floor: ModeResult | undefined,
  node: NodeUnderTest
): string[] {
  const pass = (ok: boolean): string => (ok ? 'PASS' : 'FAIL')
  const parts: string[] = []
  if (r.mode.ratioBudget !== undefined && r.ratio) {
    parts.push(
      `time ${r.ratio.median.toFixed(2)}× empty ≤ ${r.mode.ratioBudget}× ${pass(r.ratio.median <= r.mode.ratioBudget)}`
    )
  }
  if (r.mode.floorBudget !== undefined) {
    if (r.vsYardstick) {
      const vsFloor = r.vsYardstick.ratio.median
      parts.push(
        `time ${vsFloor.toFixed(2)}× floor (pair by pair) ≤ ${r.mode.floorBudget}× ${pass(vsFloor <= r.mode.floorBudget)}`
      )
    } else {
      parts.push('time vs floor: floor not measured')
    }
  }
  if (r.rss) {
    if (node.major < 24) {
      parts.push(
        `peak RSS ${r.rss.max.toFixed(1)} MB ≤ ${RSS_BUDGET_MB} MB ${pass(r.rss.max <= RSS_BUDGET_MB)}`
      )
    } else if (floor?.rss) {
      const limit = floor.rss.max * RSS_FLOOR_FACTOR
      parts.push(
        `peak RSS ${r.rss.max.toFixed(1)} MB ≤ floor ${floor.rss.max.toFixed(1)} MB + 10 % ${pass(r.rss.max <= limit)}`
      )
    } else {
      parts.push(`peak RSS ${r.rss.max.toFixed(1)} MB (floor not measured)`)
    }
  }
  const expected = r.mode.expectedRoutes.length
  parts.push(
    `requests ${expected} ${pass(
      r.routeSequences.length >= 1 &&
        r.routeSequences.every((seen) => expectedSequence(r.mode, seen))
    )}, no duplicates ${pass(r.duplicates.length === 0)}`
  )
  return parts
}

function printResults(
  results: ModeResult[],
  options: Options,
  rssMethod: RssMethod,
  node: NodeUnderTest
): void {
  const ms = (s?: Summary): string => (s ? formatSummary(s, 1) : '-')
  const pass = (ok: boolean): string => (ok ? 'PASS' : 'FAIL')
  const print = (lines: string[]): void => {
    for (const line of lines) console.log('  ' + line)
  }

  console.log()
  console.log(`=== node ${node.version} (${node.path})`)
  console.log(
    'Wall time, spawn to exit, ms: median (p25–p75); ratio = action / empty node, pair by pair'
  )
  print(
    formatTable(
      ['mode', 'action', 'empty node', 'ratio', 'budget'],
      results.map((r) => {
        if (r.error) return [r.mode.label, `FAILED: ${r.error}`]
        const budget = r.mode.ratioBudget
        return [
          r.mode.label,
          ms(r.action),
          ms(r.baseline),
          r.ratio ? formatSummary(r.ratio, 2) : '-',
          budget === undefined
            ? '-'
            : `≤ ${budget}×  ${pass((r.ratio?.median ?? Infinity) <= budget)}`
        ]
      })
    )
  )

  for (const r of results) {
    if (!r.vsYardstick || r.error) continue
    console.log(
      `  ${r.mode.label} / ${r.vsYardstick.label}, both in the same loop, run by run: ` +
        formatSummary(r.vsYardstick.ratio, 2)
    )
  }

  const ok = results.filter((r) => !r.error)
  console.log()
  console.log(
    `Peak RSS, MB (10^6 bytes): median (max) of ${options.rssRuns} runs. Requests: every timed run. ` +
      'Connections and dist/ loaded: one probe run.'
  )
  print(
    formatTable(
      [
        'mode',
        'peak RSS',
        'empty node',
        'requests per run',
        'duplicates',
        'TCP connections',
        'dist/ loaded'
      ],
      ok.map((r) => {
        const expected = r.mode.expectedRoutes.join(' → ') || 'none'
        const seen = r.routeSequences.join(' | ')
        const requests = r.probeRequests ?? 0
        // Every request of a run goes to the one dev backend host: two or
        // more from one process should share a keep-alive connection.
        const processes = r.mode.processes ?? 1
        const reuse =
          requests <= processes
            ? ''
            : `  ${pass((r.connections ?? 0) <= processes)}`
        return [
          r.mode.label,
          r.rss ? `${r.rss.median.toFixed(1)} (${r.rss.max.toFixed(1)})` : '-',
          r.baselineRss ? r.baselineRss.median.toFixed(1) : '-',
          `${seen}  ${pass(seen === expected)}`,
          r.duplicates.length ? `FAIL ${r.duplicates.join(', ')}` : 'none',
          requests === 0
            ? 'none'
            : `${r.connections ?? '-'} for ${plural(requests, 'request')}${reuse}`,
          r.loaded
            ? `${formatBytes(r.loaded.bytes)}, ${plural(r.loaded.files.length, 'file')}`
            : r.mode.reference
              ? 'not the action'
              : '-'
        ]
      })
    )
  )
  console.log(`  (peak RSS read with ${describeRssMethod(rssMethod)})`)

  console.log()
  console.log(`Budgets (issue 11), node ${node.version}, this run:`)
  const floor = results.find((r) => r.mode.reference && !r.error)
  for (const r of results) {
    if (r.mode.reference) {
      const ratio = r.ratio ? `${r.ratio.median.toFixed(2)}×` : 'not measured'
      console.log(
        `  ${r.mode.label} (${r.mode.reference}, not the action: the yardstick): ` +
          `${ratio} empty` +
          (r.rss ? `, peak RSS ${r.rss.max.toFixed(1)} MB` : '')
      )
      continue
    }
    if (r.error) {
      console.log(`  ${r.mode.label}: FAILED (${r.error})`)
      continue
    }
    console.log(`  ${r.mode.label}: ${budgetChecks(r, floor, node).join('; ')}`)
  }
}

function printDist(downstream: DownstreamReport): void {
  console.log()
  for (const line of formatDownstream(downstream)) console.log(line)

  const distDir = path.dirname(MAIN_ENTRY)
  const dist = distSize(distDir)
  // The entry starts a keyless token source early (the early chunk, read
  // only by a step with an OIDC audience), then the run; the run chunk and
  // the base chunk it shares with the early one load in every run.
  const chunkBytes = (name: string): number => {
    const file = fs
      .readdirSync(distDir)
      .find((f) => new RegExp(`^${name}-.*\\.js$`).test(f))
    return file ? fs.statSync(path.join(distDir, file)).size : 0
  }
  console.log()
  console.log(
    `dist/: ${formatBytes(dist.totalBytes)} in ${dist.files} files; ` +
      `dist/index.js ${formatBytes(dist.mainBytes)}, its run chunk ${formatBytes(chunkBytes('run'))} and base chunk ${formatBytes(chunkBytes('base'))} (loaded by every run), ` +
      `its early chunk ${formatBytes(chunkBytes('early'))} (keyless steps only), ` +
      `dist/post/index.js ${formatBytes(dist.postBytes)}; the rest are chunks loaded on demand.`
  )
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '20' },
      'rss-runs': { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      mode: { type: 'string', multiple: true, default: [] },
      'downstream-runs': { type: 'string', default: '10' }
    }
  })
  const count = (name: string, text: string, min: number): number => {
    const n = Number(text)
    if (!Number.isInteger(n) || n < min) {
      throw new Error(`--${name} must be an integer ≥ ${min} (got ${text})`)
    }
    return n
  }
  return {
    runs: count('runs', values.runs, 1),
    rssRuns: count('rss-runs', values['rss-runs'], 0),
    warmup: count('warmup', values.warmup, 1),
    modes: values.mode,
    downstreamRuns: count('downstream-runs', values['downstream-runs'], 0)
  }
}

async function main(): Promise<number> {
  const options = parseOptions()
  for (const entry of [MAIN_ENTRY, POST_ENTRY]) {
    if (!fs.existsSync(entry)) {
      console.error(
        `${path.relative(ROOT, entry)} is missing: run \`npm run package\` first.`
      )
      return 1
    }
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-auth-bench-'))
  // Copies dist/ now: the namespaced Codex runs come last.
  const downstream = prepareDownstream(ROOT, {
    runs: options.downstreamRuns,
    ...(options.modes.length > 0 && !options.modes.includes('identity')
      ? { skip: 'it needs Agent Identity, not among the --mode choices' }
      : {})
  })
  // Interrupted (Ctrl-C) or not, no run keeps going and nothing stays behind.
  process.on('exit', () => {
    killLiveRuns()
    downstream.dispose()
    fs.rmSync(scratch, { recursive: true, force: true })
  })
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143]
  ] as const) {
    process.on(signal, () => process.exit(code))
  }
  const backend = await startDevBackend()
  const counter = await startConnectionCounter(backend.port)
  try {
    const rssMethod = chooseRssMethod(scratch)
    const all = benchModes(backend)
    const unknown = options.modes.filter((m) => !all.some((x) => x.name === m))
    if (unknown.length > 0) {
      console.error(
        `Unknown --mode ${unknown.join(', ')}; choose from ${all.map((m) => m.name).join(', ')}.`
      )
      return 1
    }
    const modes = options.modes.length
      ? all.filter((m) => options.modes.includes(m.name))
      : all
    const cpus = os.cpus()
    const nodes = nodesUnderTest()
    console.log(
      `Codex Auth Action benchmark: ${options.runs} paired runs per mode ` +
        `(+${options.warmup} warm-up), ${options.rssRuns} peak-RSS runs per side, ` +
        `on node ${nodes.map((n) => n.version).join(' and ')}.\n` +
        `${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}; ` +
        `dev backend on ${backend.url}.\n` +
        'Both sides of a pair get the same runner-like env (INPUT_*, GITHUB_* files, ' +
        'RUNNER_TEMP, PATH; no NODE_OPTIONS, no NODE_EXTRA_CA_CERTS).'
    )
    for (const node of nodes) {
      const results: ModeResult[] = []
      for (const mode of modes) {
        process.stderr.write(`  measuring ${mode.label} on ${node.version}…\n`)
        results.push(
          await benchMode(mode, options, {
            node: node.path,
            backend,
            counter,
            rssMethod,
            scratch,
            yardstick: all.find((m) => m.name === mode.yardstick)
          })
        )
      }
      printResults(results, options, rssMethod, node)
    }
    process.stderr.write('  measuring downstream Codex…\n')
    printDist(await downstream.measure())
    return 0
  } finally {
    downstream.dispose()
    await counter.close()
    await backend.close()
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}

process.exitCode = await main()
