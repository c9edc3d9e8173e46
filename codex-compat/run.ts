/**
 * The Codex compatibility suite (`npm run test:codex`): proves with the real
 * Codex CLI that what the built action exports is what Codex accepts.
 *
 *   npx tsx codex-compat/run.ts [--only <name-substring>]... [--verbose] [--keep]
 *
 * --verbose prints every check and what Codex requested and looked up;
 * --keep leaves the runner directories (primed homes) for inspection.
 *
 * Outside a loopback-only network namespace it re-executes itself under
 * `unshare -n`; Codex never runs anywhere else. Prints one PASS/FAIL row per
 * scenario and ends with `N passed, M failed`; exits 1 on any failure.
 */
import { parseArgs } from 'node:util'
import { startDevBackend, type DevBackend } from '../dev/backend/index.js'
import { BuiltAction } from './action.js'
import { startDnsSink, type DnsSink } from './dns.js'
import { Checks, ScenarioAbort } from './checks.js'
import {
  CODEX_LAUNCHER,
  CODEX_VERSION,
  installedCodexVersion
} from './codex.js'
import {
  isLoopbackOnly,
  namespaceUnavailableReason,
  networkInterfaces,
  reexecInNamespace,
  startedInNamespace
} from './namespace.js'
import { printReport, type ScenarioResult } from './report.js'
import { SCENARIOS } from './scenarios.js'

function fail(message: string): never {
  process.stderr.write(`codex-compat: ${message}\n`)
  process.exit(1)
}

async function outsideNamespace(): Promise<number> {
  const reason = namespaceUnavailableReason()
  if (reason) {
    const banner =
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
    process.stderr.write(
      `${banner}\n` +
        `codex-compat: cannot create a loopback-only network namespace: ${reason}.\n` +
        'codex-compat: the real Codex CLI would reach OpenAI hosts, so it is NOT run.\n'
    )
    if (process.env['CI'] === 'true') {
      process.stderr.write(`codex-compat: CI=true, failing.\n${banner}\n`)
      return 1
    }
    process.stderr.write(
      `codex-compat: SKIPPED every scenario (set CI=true to make this fail).\n${banner}\n`
    )
    return 0
  }
  return reexecInNamespace()
}

async function insideNamespace(
  only: string[],
  verbose: boolean,
  keep: boolean
): Promise<number> {
  if (!isLoopbackOnly()) {
    fail(
      `expected only an up "lo" interface, found: ${networkInterfaces().join(', ')}`
    )
  }
  const version = installedCodexVersion()
  if (version !== CODEX_VERSION) {
    fail(
      `Codex ${CODEX_VERSION} is not installed at ${CODEX_LAUNCHER} ` +
        `(found ${version ?? 'nothing'}); run \`npm run test:codex\`, which installs it`
    )
  }
  const scenarios = SCENARIOS.filter(
    (s) => only.length === 0 || only.some((o) => s.name.includes(o))
  )
  if (scenarios.length === 0) fail(`no scenario matches ${only.join(', ')}`)

  const action = BuiltAction.snapshot()
  const results: ScenarioResult[] = []
  let dns: DnsSink | undefined
  let backend: DevBackend | undefined
  try {
    dns = await startDnsSink()
    backend = await startDevBackend({ https: true })
    const codexPlumbing = {
      // A path: Codex reads the PEM file it names (SSL_CERT_FILE works too).
      CODEX_CA_CERTIFICATE: backend.caCertPath!
    }
    process.stdout.write(
      `Codex ${version}, the built action on ${action.nodeVersion()}, ` +
        `dev backend ${backend.url} (https ${backend.httpsUrl ?? '-'}), ` +
        'loopback-only network namespace\n\n'
    )
    for (const scenario of scenarios) {
      const checks = new Checks()
      const started = Date.now()
      let crash: string | undefined
      try {
        await scenario.run({ backend, action, checks, codexPlumbing, dns })
      } catch (error) {
        if (!(error instanceof ScenarioAbort)) {
          crash =
            error instanceof Error
              ? (error.stack ?? error.message)
              : String(error)
        }
      }
      const result: ScenarioResult = {
        scenario,
        checks,
        ms: Date.now() - started,
        ...(crash ? { crash } : {})
      }
      results.push(result)
      printReport([result], { verbose, rowsOnly: true })
    }
  } finally {
    await backend?.close()
    await dns?.close()
    action.dispose(keep)
    if (keep) {
      process.stdout.write(
        `\nKept the runner directories: ${action.runs.join(' ')}\n`
      )
    }
  }
  process.stdout.write('\n')
  return printReport(results, { verbose, rowsOnly: false })
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true, default: [] },
      verbose: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false }
    },
    strict: true
  })
  const code = startedInNamespace()
    ? await insideNamespace(values.only, values.verbose, values.keep)
    : await outsideNamespace()
  process.exit(code)
}

await main()
