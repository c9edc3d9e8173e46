/**
 * The Codex compatibility suite (`npm run test:codex`): proves with the real
 * Codex CLI that what the built action exports is what Codex accepts.
 *
 *   npx tsx codex-compat/run.ts [--only <name-substring>]... [--codex <version>]...
 *                               [--verbose] [--keep]
 *
 * Every scenario runs on every release in CODEX_VERSIONS (--codex picks some);
 * --verbose prints every check and what Codex requested and looked up;
 * --keep leaves the runner directories (primed homes) for inspection.
 *
 * Outside a loopback-only network namespace it re-executes itself under
 * `unshare -n`; Codex never runs anywhere else. Prints one PASS/FAIL row per
 * scenario and Codex version and ends with `N passed, M failed`; exits 1 on
 * any failure.
 */
import { parseArgs } from 'node:util'
import { startDevBackend, type DevBackend } from '../dev/backend/index.js'
import { BuiltAction } from './action.js'
import { startDnsSink, type DnsSink } from './dns.js'
import { Checks, ScenarioAbort } from './checks.js'
import {
  CODEX_VERSIONS,
  codexLauncher,
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
import { startKeylessBackend, type KeylessBackend } from './keyless.js'
import { KEYLESS_SCENARIOS } from './keyless-scenarios.js'
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

/** The versions asked for (all by default), each checked to be installed. */
function codexVersions(asked: string[]): string[] {
  const versions: string[] = asked.length > 0 ? asked : [...CODEX_VERSIONS]
  for (const version of versions) {
    if (!(CODEX_VERSIONS as readonly string[]).includes(version)) {
      fail(`--codex ${version}: the suite pins ${CODEX_VERSIONS.join(', ')}`)
    }
    const found = installedCodexVersion(version)
    if (found !== version) {
      fail(
        `Codex ${version} is not installed at ${codexLauncher(version)} ` +
          `(found ${found ?? 'nothing'}); run \`npm run test:codex\`, which installs it`
      )
    }
  }
  return versions
}

async function insideNamespace(
  only: string[],
  askedVersions: string[],
  verbose: boolean,
  keep: boolean
): Promise<number> {
  if (!isLoopbackOnly()) {
    fail(
      `expected only an up "lo" interface, found: ${networkInterfaces().join(', ')}`
    )
  }
  const versions = codexVersions(askedVersions)
  const scenarios = [...SCENARIOS, ...KEYLESS_SCENARIOS].filter(
    (s) => only.length === 0 || only.some((o) => s.name.includes(o))
  )
  if (scenarios.length === 0) fail(`no scenario matches ${only.join(', ')}`)

  const action = BuiltAction.snapshot()
  const results: ScenarioResult[] = []
  let dns: DnsSink | undefined
  let backend: DevBackend | undefined
  let keyless: KeylessBackend | undefined
  try {
    dns = await startDnsSink()
    backend = await startDevBackend({ https: true })
    keyless = await startKeylessBackend()
    const codexPlumbing = {
      // A path: Codex reads the PEM file it names (SSL_CERT_FILE works too).
      CODEX_CA_CERTIFICATE: backend.caCertPath!
    }
    process.stdout.write(
      `Codex ${versions.join(' and ')}, the built action on ${action.nodeVersion()}, ` +
        `dev backend ${backend.url} (https ${backend.httpsUrl ?? '-'}), ` +
        `keyless backend ${keyless.backend.url} (https ${keyless.backend.httpsUrl ?? '-'} ` +
        'as auth.openai.com and chatgpt.com), loopback-only network namespace\n\n'
    )
    for (const codexVersion of versions) {
      for (const scenario of scenarios) {
        const checks = new Checks()
        const started = Date.now()
        let crash: string | undefined
        try {
          await scenario.run({
            backend,
            action,
            checks,
            codexVersion,
            codexPlumbing,
            dns,
            keyless
          })
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
          codexVersion,
          checks,
          ms: Date.now() - started,
          ...(crash ? { crash } : {})
        }
        results.push(result)
        printReport([result], { verbose, rowsOnly: true })
      }
    }
  } finally {
    await backend?.close()
    await keyless?.close()
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
      codex: { type: 'string', multiple: true, default: [] },
      verbose: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false }
    },
    strict: true
  })
  const code = startedInNamespace()
    ? await insideNamespace(
        values.only,
        values.codex,
        values.verbose,
        values.keep
      )
    : await outsideNamespace()
  process.exit(code)
}

await main()
