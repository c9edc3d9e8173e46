/**
 * Downstream Codex measurement (issue 7, item 4): what a later `codex exec`
 * costs with the primed home against the same Codex given the raw identity
 * JWT in CODEX_ACCESS_TOKEN.
 *
 * The real Codex 0.169.0 may only run inside a loopback-only network
 * namespace, so the benchmark never starts it: {@link prepareDownstream}
 * copies dist/ when the bench starts (a concurrent `npm run package` deletes
 * it for a while), and {@link DownstreamPlan.measure} starts
 * bench/downstream-child.ts under `unshare -n` (codex-compat/namespace.ts),
 * which runs the dev backend, the DNS sink, the action and Codex in there and
 * writes its samples to a file. Per variant it reports, from the backend's
 * request log, the requests before the first `responses` request (by route:
 * jwks, register, other), the time from the spawn of `codex exec` to that
 * request, and the whole run's wall time:
 *   - `primed`: the env the action exported and its primed home (expected:
 *     no `jwks`, no `register` before the first model request);
 *   - `raw-jwt`: the identity JWT in CODEX_ACCESS_TOKEN with the same
 *     endpoint env overrides, no primed home (expected: Codex fetches the
 *     JWKS and registers tasks itself first; 0.169.0 does both four times).
 * When the namespace or Codex is unavailable it says why and measures
 * nothing.
 */
import type { ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  CODEX_LAUNCHER,
  CODEX_VERSION,
  installedCodexVersion
} from '../codex-compat/codex.js'
import {
  namespaceUnavailableReason,
  spawnInNamespace
} from '../codex-compat/namespace.js'
import type {
  DownstreamChildReport,
  DownstreamSample,
  DownstreamVariantName
} from './downstream-child.js'
import { summarize, type Summary } from './stats.js'
import { formatTable } from './table.js'

const CHILD = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'downstream-child.ts'
)

/** The whole namespaced part may take this long before it is killed. */
const CHILD_TIMEOUT_MS = 150_000

export interface DownstreamVariant {
  variant: DownstreamVariantName
  /** Runs that counted (the turn completed). */
  runs: number
  /** Why the other runs did not count. */
  failures: string[]
  /** Requests before the first model request, per run, by kind. */
  jwks: Summary
  register: Summary
  other: Summary
  /** The same by route name, in order of first appearance. */
  byRoute: { route: string; count: Summary }[]
  /** `GET /path` of the requests the dev backend answered 404. */
  unserved: string[]
  /** Spawn of `codex exec` to the first `responses` request, ms. */
  msToFirstModelCall?: Summary
  /** Spawn to exit, ms. */
  wallMs?: Summary
  /** Host names looked up in any run (answered NXDOMAIN). */
  lookups: string[]
}

export type DownstreamReport =
  | {
      measured: true
      codexVersion: string
      actionNode: string
      runs: number
      warmup: number
      seconds: number
      variants: DownstreamVariant[]
      /** raw-jwt minus primed ms to the first model request, pair by pair. */
      savedMs?: Summary
    }
  | { measured: false; reasons: string[] }

export interface DownstreamPlan {
  /** Runs the namespaced measurement (or reports why it cannot). */
  measure(): Promise<DownstreamReport>
  /** Removes the dist/ copy and kills a child still running. */
  dispose(): void
}

export interface DownstreamOptions {
  /** Measured runs per variant; 0 skips the measurement. */
  runs: number
  /** Unreported runs per variant first (page cache for the Codex binary). */
  warmup?: number
  /** Why it should not run at all (e.g. Agent Identity not selected). */
  skip?: string
}

/**
 * Checks what the measurement needs and copies dist/ now, at bench start.
 * `root` is the repository root.
 */
export function prepareDownstream(
  root: string,
  options: DownstreamOptions
): DownstreamPlan {
  const reasons: string[] = []
  if (options.skip) reasons.push(options.skip)
  if (options.runs === 0) reasons.push('--downstream-runs 0')
  if (reasons.length === 0) {
    const reason = namespaceUnavailableReason()
    if (reason) {
      reasons.push(
        `no loopback-only network namespace, and Codex runs nowhere else: ${reason}`
      )
    }
    const version = installedCodexVersion()
    if (version !== CODEX_VERSION) {
      reasons.push(
        `Codex ${CODEX_VERSION} is not installed at ${path.relative(root, CODEX_LAUNCHER)} ` +
          `(found ${version ?? 'nothing'}; \`npm run test:codex\` installs it)`
      )
    }
  }
  if (reasons.length > 0) return notMeasured(reasons)

  const scratch = fs.mkdtempSync(
    path.join(os.tmpdir(), 'codex-auth-bench-downstream-')
  )
  const dist = path.join(scratch, 'dist')
  let child: ChildProcess | undefined
  const dispose = (): void => {
    if (
      child?.pid !== undefined &&
      child.exitCode === null &&
      child.signalCode === null
    ) {
      try {
        process.kill(child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    fs.rmSync(scratch, { recursive: true, force: true })
  }
  try {
    fs.cpSync(path.join(root, 'dist'), dist, { recursive: true })
  } catch (error) {
    dispose()
    const message = error instanceof Error ? error.message : String(error)
    return notMeasured([`dist/ could not be copied: ${message}`])
  }

  const warmup = options.warmup ?? 1
  const measure = async (): Promise<DownstreamReport> => {
    const out = path.join(scratch, 'samples.json')
    const started = Date.now()
    const args = [
      ...[process.execPath, ...process.execArgv, CHILD],
      ...['--dist', dist, '--out', out],
      ...['--runs', String(options.runs), '--warmup', String(warmup)]
    ]
    const outcome = await new Promise<string | undefined>((resolve) => {
      let stderr = ''
      const spawned = spawnInNamespace(args, {
        stdio: ['ignore', 'ignore', 'pipe']
      })
      child = spawned
      spawned.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d
        process.stderr.write(d)
      })
      const timer = setTimeout(() => {
        stderr += `killed after ${CHILD_TIMEOUT_MS / 1000} s`
        spawned.kill('SIGKILL')
      }, CHILD_TIMEOUT_MS)
      spawned.on('error', (error) => {
        clearTimeout(timer)
        resolve(error.message)
      })
      spawned.on('close', (code, signal) => {
        clearTimeout(timer)
        resolve(
          code === 0
            ? undefined
            : `exit ${code ?? signal}: ${stderr.trim().split('\n').at(-1) ?? ''}`
        )
      })
    })
    if (outcome !== undefined || !fs.existsSync(out)) {
      return {
        measured: false,
        reasons: [
          `bench/downstream-child.ts failed in the namespace: ${outcome ?? 'no samples written'}`
        ]
      }
    }
    const report = JSON.parse(
      fs.readFileSync(out, 'utf8')
    ) as DownstreamChildReport
    const savedMs = pairedSavings(report.samples)
    return {
      measured: true,
      codexVersion: report.codexVersion,
      actionNode: report.actionNode,
      runs: options.runs,
      warmup,
      seconds: (Date.now() - started) / 1000,
      variants: (['primed', 'raw-jwt'] as const).map((v) =>
        summarizeVariant(
          v,
          report.samples.filter((s) => s.variant === v && !s.warmup)
        )
      ),
      ...(savedMs.length > 0 ? { savedMs: summarize(savedMs) } : {})
    }
  }
  return { measure, dispose }
}

function notMeasured(reasons: string[]): DownstreamPlan {
  return {
    measure: () => Promise.resolve({ measured: false, reasons }),
    dispose: () => undefined
  }
}

/** Per round with both runs good: raw-jwt minus primed, ms to the first model request. */
function pairedSavings(samples: DownstreamSample[]): number[] {
  const good = samples.filter((s) => !s.warmup && !s.error)
  return good.flatMap((raw) => {
    if (raw.variant !== 'raw-jwt') return []
    const primed = good.find(
      (s) => s.variant === 'primed' && s.pair === raw.pair
    )
    return primed ? [raw.msToFirstModelCall! - primed.msToFirstModelCall!] : []
  })
}

function summarizeVariant(
  variant: DownstreamVariantName,
  samples: DownstreamSample[]
): DownstreamVariant {
  const ok = samples.filter((s) => !s.error)
  const count = (s: DownstreamSample, route: string): number =>
    s.before.filter((r) => r.route === route).length
  const counts = (f: (s: DownstreamSample) => number): Summary =>
    summarize(ok.map(f))
  // Every route seen before a first model request, in order of appearance.
  const routes = [...new Set(ok.flatMap((s) => s.before.map((r) => r.route)))]
  const unserved = ok.flatMap((s) =>
    s.before.filter((r) => r.route === 'not-found').map((r) => r.request)
  )
  return {
    variant,
    runs: ok.length,
    failures: samples.flatMap((s) => (s.error ? [s.error] : [])),
    jwks: counts((s) => count(s, 'jwks')),
    register: counts((s) => count(s, 'register')),
    other: counts(
      (s) => s.before.length - count(s, 'jwks') - count(s, 'register')
    ),
    byRoute: routes.map((route) => ({
      route,
      count: counts((s) => count(s, route))
    })),
    unserved: [...new Set(unserved)],
    ...(ok.length > 0
      ? {
          msToFirstModelCall: counts((s) => s.msToFirstModelCall!),
          wallMs: counts((s) => s.wallMs)
        }
      : {}),
    lookups: [...new Set(samples.flatMap((s) => s.lookups))]
  }
}

/** `2`, or `1–2` when runs differ. */
function countText(s: Summary): string {
  if (s.n === 0) return '-'
  return s.min === s.max ? String(s.min) : `${s.min}–${s.max}`
}

/** `median (min–max)`, whole milliseconds. */
function msText(s: Summary | undefined): string {
  if (!s) return '-'
  return `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`
}

/** The bench's downstream section, one line per entry (unindented). */
export function formatDownstream(report: DownstreamReport): string[] {
  const lines = [
    'Downstream (issue 7 item 4): a later `codex exec` with the primed home vs. the raw JWT in CODEX_ACCESS_TOKEN'
  ]
  if (!report.measured) {
    lines.push('  NOT MEASURED (skipped; the rest of the bench stands):')
    for (const reason of report.reasons) lines.push(`    - ${reason}`)
    return lines
  }
  lines.push(
    `  Codex ${report.codexVersion} in a loopback-only network namespace with the dev backend, Agent Identity; ` +
      `${report.runs} runs per variant (+${report.warmup} warm-up), order alternating, a fresh identity and HOME each.`,
    '  primed = the env the action exported (its primed CODEX_HOME); raw-jwt = CODEX_ACCESS_TOKEN=<JWT> + the same endpoint env, no primed home.',
    '  Requests before the first model request (POST …/responses), per run; ms from the spawn of `codex exec`: median (min–max).'
  )
  const table = formatTable(
    [
      'variant',
      'runs ok',
      'jwks',
      'register',
      'other',
      'ms to 1st model request',
      'wall ms (spawn to exit)'
    ],
    report.variants.map((v) => [
      v.variant,
      `${v.runs}/${v.runs + v.failures.length}`,
      countText(v.jwks),
      countText(v.register),
      countText(v.other),
      msText(v.msToFirstModelCall),
      msText(v.wallMs)
    ])
  )
  for (const line of table) lines.push('  ' + line)
  const width = Math.max(...report.variants.map((v) => v.variant.length))
  for (const v of report.variants) {
    const routes = v.byRoute
      .map(({ route, count }) => `${route} ${countText(count)}`)
      .join(', ')
    lines.push(`  ${(v.variant + ':').padEnd(width + 1)} ${routes || 'none'}`)
  }
  const unserved = [...new Set(report.variants.flatMap((v) => v.unserved))]
  if (unserved.length > 0) {
    lines.push(
      `  (not-found: answered 404 by the dev backend: ${unserved.join(', ')})`
    )
  }
  const primed = report.variants.find((v) => v.variant === 'primed')
  const raw = report.variants.find((v) => v.variant === 'raw-jwt')
  if (primed?.msToFirstModelCall && raw?.msToFirstModelCall) {
    const fewer =
      raw.jwks.median +
      raw.register.median -
      primed.jwks.median -
      primed.register.median
    const clean = primed.jwks.max + primed.register.max === 0
    const saved = report.savedMs
    const share = saved
      ? ` (${((100 * saved.median) / raw.msToFirstModelCall.median).toFixed(0)} % of raw-jwt's)`
      : ''
    lines.push(
      `  Primed home vs. raw JWT: ${fewer} fewer JWKS/registration requests before the first model request` +
        (saved
          ? `, which comes ${msText(saved)} ms sooner${share}, median (min–max) of the ${saved.n} back-to-back pairs`
          : '') +
        `; no JWKS or registration with the primed home ${clean ? 'PASS' : 'FAIL'}.`
    )
  }
  const lookups = [...new Set(report.variants.flatMap((v) => v.lookups))]
  if (lookups.length > 0) {
    lines.push(
      `  Codex also looked up (answered NXDOMAIN at once): ${lookups.join(' ')}`
    )
  }
  for (const v of report.variants) {
    for (const f of v.failures) lines.push(`  ${v.variant} run FAILED: ${f}`)
  }
  lines.push(
    `  (downstream part: ${report.seconds.toFixed(0)} s; the action, not timed, on ${report.actionNode})`
  )
  return lines
}
