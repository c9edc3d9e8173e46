/**
 * The namespaced half of the downstream measurement (issue 7 item 4), run by
 * bench/downstream.ts as
 *
 *   unshare -n … node <tsx> bench/downstream-child.ts --dist <dir> --out <file> --runs N --warmup W
 *
 * Only inside the loopback-only namespace (codex-compat/namespace.ts): it
 * refuses to start anywhere else, and runCodexExec refuses again. Starts the
 * DNS sink and the dev backend (https for the model origin) in the namespace,
 * then, per run and in alternating order:
 *   - `primed`: the built action (Agent Identity), then `codex exec` with
 *     exactly the env it exported (its primed CODEX_HOME included);
 *   - `raw-jwt`: `codex exec` with the identity JWT in CODEX_ACCESS_TOKEN,
 *     the same endpoint env overrides the action exported (it runs here too,
 *     untimed, for them alone), no CODEX_HOME, and the action's
 *     `chatgpt-base-url` as `-c chatgpt_base_url` (the primed config.toml
 *     carries it in the other variant).
 * Both get the same test plumbing (CODEX_CA_CERTIFICATE, `-c
 * openai_base_url`), a fresh empty HOME and a freshly minted identity. Writes
 * the samples as JSON to --out; the parent summarises them.
 */
import * as fs from 'node:fs'
import { parseArgs } from 'node:util'
import {
  startDevBackend,
  type DevBackend,
  type LoggedRequest
} from '../dev/backend/index.js'
import { BuiltAction } from '../codex-compat/action.js'
import {
  CODEX_VERSION,
  installedCodexVersion,
  runCodexExec
} from '../codex-compat/codex.js'
import { startDnsSink, type DnsSink } from '../codex-compat/dns.js'
import {
  isLoopbackOnly,
  networkInterfaces,
  startedInNamespace
} from '../codex-compat/namespace.js'

export type DownstreamVariantName = 'primed' | 'raw-jwt'

/** A request Codex made before its first model request. */
export interface EarlyRequest {
  /** The dev backend's route name (`not-found` for what it does not serve). */
  route: string
  /** `GET /backend-api/codex/models` (no query). */
  request: string
  status?: number
}

/** One `codex exec`, as the backend and the DNS sink saw it. */
export interface DownstreamSample {
  variant: DownstreamVariantName
  /** A warm-up run: not summarised. */
  warmup: boolean
  /** The round: one sample of each variant, back to back. */
  pair: number
  /** Why the run does not count (the turn did not complete), if it does not. */
  error?: string
  /** The requests before the first `responses` request, in order. */
  before: EarlyRequest[]
  /** Spawn of `codex exec` (its npm launcher) to the first `responses`. */
  msToFirstModelCall?: number
  /** Spawn to exit. */
  wallMs: number
  /** Every request of the run, in order, by route name. */
  routes: string[]
  /** Host names Codex looked up (all answered NXDOMAIN at once). */
  lookups: string[]
}

/** What the child writes to --out. */
export interface DownstreamChildReport {
  codexVersion: string
  actionNode: string
  samples: DownstreamSample[]
}

/** How long one Codex run may take; a healthy one takes about a second. */
const CODEX_TIMEOUT_MS = 20_000

/** Exactly what the model answers: the turn really completed. */
const MODEL_ANSWER = 'dev backend'

interface Context {
  backend: DevBackend
  action: BuiltAction
  dns: DnsSink
}

/** Endpoint env overrides among an action's exports (`…_URL`, `…_URL_OVERRIDE`). */
function endpointOverrides(
  exported: Record<string, string>
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(exported).filter(([name]) => /_URL(_OVERRIDE)?$/.test(name))
  )
}

async function sample(
  ctx: Context,
  variant: DownstreamVariantName,
  pair: number,
  warmup: boolean
): Promise<DownstreamSample> {
  const { backend, action, dns } = ctx
  const identity = backend.mintAgentIdentity()
  // The action runs for both variants (so the raw one gets the very env
  // overrides it exports), before the log is cleared: not timed.
  const primed = await action.run({
    inputs: {
      'access-token': identity.jwt,
      'chatgpt-base-url': backend.chatgptBaseUrl,
      'authapi-base-url': backend.authapiBaseUrl,
      'jwks-base-url': backend.jwksBaseUrl,
      'refresh-token-url': backend.refreshTokenUrl
    }
  })
  const failed = (error: string): DownstreamSample => ({
    variant,
    warmup,
    pair,
    error,
    before: [],
    wallMs: 0,
    routes: [],
    lookups: []
  })
  if (primed.code !== 0) {
    return failed(`the action failed: ${primed.error ?? `exit ${primed.code}`}`)
  }
  const plumbing = { CODEX_CA_CERTIFICATE: backend.caCertPath! }
  const modelBase = `openai_base_url="${backend.httpsUrl!}/backend-api/codex"`
  const run =
    variant === 'primed'
      ? { env: { ...primed.env, ...plumbing }, config: [modelBase] }
      : {
          env: {
            CODEX_ACCESS_TOKEN: identity.jwt,
            ...endpointOverrides(primed.env),
            ...plumbing
          },
          config: [modelBase, `chatgpt_base_url="${backend.chatgptBaseUrl}"`]
        }
  backend.clearRequests()
  dns.clear()
  const codex = await runCodexExec({ ...run, timeoutMs: CODEX_TIMEOUT_MS })
  const requests: LoggedRequest[] = [...backend.requests]
  const first = requests.findIndex(
    (r) => r.route === 'responses' && r.method === 'POST'
  )
  const result: DownstreamSample = {
    variant,
    warmup,
    pair,
    before: requests.slice(0, first === -1 ? 0 : first).map((r) => ({
      route: r.route,
      request: `${r.method} ${r.path}`,
      ...(r.status === undefined ? {} : { status: r.status })
    })),
    wallMs: codex.ms,
    routes: requests.map((r) => r.route),
    lookups: [...new Set(dns.queries)]
  }
  if (first !== -1) {
    result.msToFirstModelCall = requests[first]!.timestamp - codex.startedAt
  }
  if (
    codex.code !== 0 ||
    first === -1 ||
    !codex.stdout.includes(MODEL_ANSWER)
  ) {
    const output = (codex.stderr + codex.stdout).trim().split('\n').slice(-5)
    result.error =
      `codex exit ${codex.code}, ` +
      `${first === -1 ? 'no' : 'a'} model request` +
      (codex.stdout.includes(MODEL_ANSWER) ? '' : ', no model answer') +
      `; requests: ${result.routes.join(' ') || 'none'}; ` +
      output.join(' | ')
  }
  return result
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      dist: { type: 'string' },
      out: { type: 'string' },
      runs: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' }
    },
    strict: true
  })
  const say = (message: string): void => {
    process.stderr.write(`downstream: ${message}\n`)
  }
  if (!startedInNamespace() || !isLoopbackOnly()) {
    say(
      'refusing to run outside a loopback-only network namespace ' +
        `(interfaces: ${networkInterfaces().join(', ')}); ` +
        'bench/downstream.ts starts this script under `unshare -n`'
    )
    return 2
  }
  if (!values.dist || !values.out) {
    say('--dist and --out are required')
    return 2
  }
  const version = installedCodexVersion()
  if (version !== CODEX_VERSION) {
    say(`Codex ${CODEX_VERSION} is not installed (found ${version ?? 'none'})`)
    return 2
  }
  const runs = Number(values.runs)
  const warmup = Number(values.warmup)

  const action = BuiltAction.snapshot(values.dist)
  let dns: DnsSink | undefined
  let backend: DevBackend | undefined
  try {
    dns = await startDnsSink()
    backend = await startDevBackend({ https: true })
    const ctx: Context = { backend, action, dns }
    const samples: DownstreamSample[] = []
    for (let i = 0; i < warmup + runs; i++) {
      // Alternate the order so drift and cache effects hit both variants.
      const order: DownstreamVariantName[] =
        i % 2 === 0 ? ['primed', 'raw-jwt'] : ['raw-jwt', 'primed']
      for (const variant of order) {
        const s = await sample(ctx, variant, i, i < warmup)
        samples.push(s)
        if (s.error) say(`${variant} run failed: ${s.error}`)
      }
    }
    const report: DownstreamChildReport = {
      codexVersion: version,
      actionNode: action.nodeVersion(),
      samples
    }
    fs.writeFileSync(values.out, JSON.stringify(report))
    return 0
  } finally {
    await backend?.close()
    await dns?.close()
    action.dispose()
  }
}

process.exitCode = await main().catch((error: unknown) => {
  // One line: the parent shows the last line of stderr.
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`downstream: ${message.split('\n').join(' ')}\n`)
  return 1
})
