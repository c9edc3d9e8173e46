/**
 * Whole-process measurements of one node start: wall time from spawn to
 * exit, and peak RSS. Timed runs spawn node directly, with nothing else in
 * the process; peak RSS comes from separate runs, through GNU time when it
 * is installed, else through a preload that reports `maxRSS` at exit (either
 * would add its own cost to a timed run).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'

/** One process to measure: `node <args>` in `cwd` with exactly `env`. */
export interface NodeRun {
  node: string
  args: string[]
  env: Record<string, string>
  cwd: string
}

export interface RunOutcome {
  code: number | null
  wallMs: number
  stdout: string
  stderr: string
}

/** How peak RSS is read. */
export type RssMethod =
  { kind: 'gnu-time'; time: string } | { kind: 'preload'; preload: string }

const GNU_TIME = '/usr/bin/time'

/**
 * GNU time when it works here (`-f %M -o file`), else the maxRSS preload
 * written into `scratch`.
 */
export function chooseRssMethod(scratch: string): RssMethod {
  const probe = path.join(scratch, 'time-probe')
  const result = spawnSync(GNU_TIME, ['-f', '%M', '-o', probe, 'true'], {
    stdio: 'ignore'
  })
  if (
    result.status === 0 &&
    fs.existsSync(probe) &&
    /^\d+\s*$/.test(fs.readFileSync(probe, 'utf8'))
  ) {
    return { kind: 'gnu-time', time: GNU_TIME }
  }
  const preload = path.join(scratch, 'maxrss-preload.mjs')
  // At exit, the process's own peak RSS (KiB on Linux) into the file the
  // parent names; the preload itself costs a few hundred KiB.
  fs.writeFileSync(
    preload,
    "import { writeFileSync } from 'node:fs'\n" +
      "process.on('exit', () => writeFileSync(process.env.BENCH_MAXRSS_FILE, String(process.resourceUsage().maxRSS)))\n"
  )
  return { kind: 'preload', preload }
}

export function describeRssMethod(method: RssMethod): string {
  return method.kind === 'gnu-time'
    ? `${GNU_TIME} -f %M (separate runs)`
    : 'process.resourceUsage().maxRSS from an --import preload (separate runs; /usr/bin/time not found)'
}

const liveRuns = new Set<ChildProcess>()

/**
 * Kills runs still going (for an interrupted benchmark), with their process
 * groups: GNU time's node child would otherwise live on.
 */
export function killLiveRuns(): void {
  for (const child of liveRuns) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    } catch {
      child.kill('SIGKILL')
    }
  }
}

/** Spawns and times one run (spawn to exit, as the runner waits for it). */
export function timedRun(
  run: NodeRun,
  timeoutMs = 60_000
): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(run.node, run.args, {
      env: run.env,
      cwd: run.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so an interrupted benchmark can kill it whole.
      detached: true
    })
    liveRuns.add(child)
    let stdout = ''
    let stderr = ''
    let wallMs = 0
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('exit', () => {
      wallMs = Number(process.hrtime.bigint() - started) / 1e6
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      liveRuns.delete(child)
      resolve({ code, wallMs, stdout, stderr })
    })
  })
}

/** Peak RSS of one run in MB of 10^6 bytes (the run is not timed). */
export async function peakRssRun(
  run: NodeRun,
  method: RssMethod,
  scratch: string
): Promise<{ outcome: RunOutcome; rssMB: number }> {
  const report = path.join(scratch, 'maxrss')
  fs.rmSync(report, { force: true })
  const measured: NodeRun =
    method.kind === 'gnu-time'
      ? {
          ...run,
          node: method.time,
          args: ['-f', '%M', '-o', report, run.node, ...run.args]
        }
      : {
          ...run,
          args: ['--import', pathToFileURL(method.preload).href, ...run.args],
          env: { ...run.env, BENCH_MAXRSS_FILE: report }
        }
  const outcome = await timedRun(measured)
  const text = fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : ''
  // GNU time prints "Command exited with non-zero status N" before %M. Both
  // methods report KiB (Linux ru_maxrss).
  const kib = Number(text.trim().split('\n').at(-1))
  return {
    outcome,
    rssMB: Number.isFinite(kib) && kib > 0 ? (kib * 1024) / 1e6 : Number.NaN
  }
}
