/**
 * The main step: inputs → sources → policy → endpoints → modes → codex-home
 * → export. The one place that fails the step.
 */
import * as fs from 'node:fs'
import type { HttpClient } from './clients/http.js'
import { encodeState, STATE_KEY } from './cleanup/plan.js'
import { renderAuthJson } from './codex-home/auth-json.js'
import { primedConfig, renderConfigToml } from './codex-home/config-toml.js'
import {
  createPrimedHome,
  primeCodexHome,
  resolveSourceHome
} from './codex-home/prime.js'
import {
  keepRotatedTokens,
  writeBackRefreshed
} from './codex-home/write-back.js'
import type { Resolved } from './credentials/types.js'
import { ActionError, describeError, FailedAfterRefresh } from './errors.js'
import {
  credentialEnvNames,
  exportResults,
  type ServedTokenFile
} from './export.js'
import { logSettings, readSettings, type Settings } from './inputs.js'
import { UNEXPECTED_ERROR_PREFIX } from './messages/files.js'
import { logoutFailed } from './messages/restrictions.js'
import { resolveCredential } from './modes/index.js'
import { resolvePolicy } from './policy/rules.js'
import { readSystemPolicy, refuseEndpointOverrides } from './policy/system.js'
import {
  chatgptBaseSetting,
  refuseWorkloadIdentity
} from './policy/workload.js'
import type { Runner } from './runner/port.js'
import { readCodexConfig } from './sources/codex-config.js'
import { loadCredential, maskRawCredentials } from './sources/load.js'
import { resolveEndpoints } from './endpoints/resolve.js'
import { knownEnvironment } from './endpoints/agent-identity.js'
import type { MintedToken, TokenSourceRequest } from './modes/context.js'
import type { EarlyTokenSource } from './token-source/early.js'
import type {
  StartingTokenSource,
  TokenSourceHandle,
  TokenSourceSpec
} from './token-source/launch.js'

export type { TokenSourceSpec } from './token-source/launch.js'

/** Injected so tests control time, the network and background processes. */
export interface MainDeps {
  now(): Date
  createHttp(
    env: Readonly<Record<string, string | undefined>>,
    startedAt: number
  ): Promise<HttpClient>
  /**
   * Starts the keyless token source without waiting for it to serve (the
   * main step hands it its first token and waits with `ready()` before
   * exporting). Absent: the real one ({@link defaultDeps}).
   */
  launchTokenSource?: (
    spec: TokenSourceSpec,
    early?: EarlyTokenSource
  ) => Promise<StartingTokenSource>
  /**
   * The token source the entry started before the action loaded (keyless
   * only; token-source/early.ts): the launch takes it over, or stops it.
   */
  early?: EarlyTokenSource
  /** Stops a token source this step started, and removes its directory. */
  stopTokenSource?: (handle: TokenSourceHandle) => Promise<void>
  /**
   * Loads the token source's launcher ahead of use, while the local checks
   * run (their file reads leave the thread idle); never fails.
   */
  preloadTokenSource?: () => void
}

/**
 * Real dependencies: the HTTP stack and the token source's launcher are
 * loaded only when a mode asks for them.
 */
export const defaultDeps: Required<Omit<MainDeps, 'early'>> = {
  now: () => new Date(),
  createHttp: async (env, startedAt) => {
    const http = await import('./clients/http.js')
    return http.createHttpClient(http.defaultHttpDeps(env, startedAt))
  },
  launchTokenSource: async (spec, early) => {
    const launch = await import('./token-source/launch.js')
    return launch.launchTokenSource(spec, early ? { early } : {})
  },
  stopTokenSource: async (handle) => {
    const launch = await import('./token-source/launch.js')
    launch.stopTokenSource(handle)
  },
  preloadTokenSource: () => {
    import('./token-source/launch.js').catch(() => undefined)
  }
}

/** Runs the main step. Never throws: every failure goes to `runner.fail`. */
export async function run(
  runner: Runner,
  deps: MainDeps = defaultDeps
): Promise<void> {
  // The network time budget counts from the start of the step, not from the
  // first request.
  const startedAt = Date.now()
  let runnerTemp: string | undefined
  let home: string | undefined
  let resolved: Resolved | undefined
  let rollback: (() => void) | undefined
  let launching: Promise<StartingTokenSource> | undefined
  let firstToken: Promise<MintedToken> | undefined
  try {
    // The command files first: everything below writes to them. Then the
    // post step's plan, empty until success replaces it, so a STATE_cleanup
    // smuggled in through GITHUB_ENV never reaches the post step.
    runner.checkCommandFiles()
    runner.saveState(STATE_KEY, encodeState([]))
    const settings = readSettings(runner)
    runnerTemp = settings.runnerTemp
    // Mask before anything else can print: nothing below logs a value, but a
    // mask costs nothing and covers what we cannot foresee.
    maskRawCredentials(runner, settings)
    // Workload identity: the token source starts once the checks below
    // hold; its launcher loads meanwhile.
    if (settings.federationRuleId !== undefined) deps.preloadTokenSource?.()
    for (const warning of settings.warnings) runner.warning(warning)
    logSettings(runner, settings)

    // Whatever can fail on this machine fails now, before any request: a
    // refresh rotates the refresh token, and the way out must then be clear.
    home = createPrimedHome(settings.runnerTemp, settings.workspace)

    const sourceHome = resolveSourceHome(settings.codexHome)
    const config = await readCodexConfig(sourceHome)
    // The runner's own policy: the one layer a workflow cannot move.
    const system = await readSystemPolicy()
    const policy = resolvePolicy(settings, config, system)
    refuseEndpointOverrides(system, settings, config)
    const loaded = loadCredential(runner, settings, sourceHome)
    const endpoints = resolveEndpoints(settings, {
      chatgptBaseUrl: system.managedChatgptBaseUrl ?? config.chatgptBaseUrl
    })
    if (loaded.credential.mode === 'workloadIdentity') {
      // Before any token is requested: what Codex would refuse later.
      refuseWorkloadIdentity(
        policy,
        chatgptBaseSetting(
          settings.chatgptBaseUrl,
          { url: system.managedChatgptBaseUrl, path: system.managedPath },
          config
        ),
        config,
        (url) => knownEnvironment(url) !== undefined
      )
      // Every local check held: the token source is launched now (the one
      // the entry started early is taken over if it fits these settings),
      // its start overlapping the mode's and the preflight (the mode mints
      // its first token; it is stopped on any failure). Without the OIDC
      // variables the mode fails with what to add.
      const oidc = settings.githubOidc
      if (oidc?.requestUrl !== undefined && oidc.requestToken !== undefined) {
        launching = launchTokenSource(
          runner,
          settings,
          {
            audience: loaded.credential.audience,
            requestUrl: oidc.requestUrl,
            requestToken: oidc.requestToken
          },
          deps
        )
      }
    }

    let http: Promise<HttpClient> | undefined
    const handOverFirstToken = (first: Promise<MintedToken>): void => {
      firstToken ??= first
      // As soon as it is minted, not when the main step waits.
      void launching?.then((starting) => starting.handOver(first), noop)
    }
    resolved = await resolveCredential(loaded.credential, {
      runner,
      settings,
      config,
      policy,
      endpoints,
      http: () => (http ??= deps.createHttp(runner.env, startedAt)),
      now: () => deps.now(),
      ...(launching ? { handOverFirstToken } : {})
    })
    if (resolved.refreshed) {
      const report = writeBackRefreshed(resolved.refreshed)
      resolved.warnings.push(...report.warnings)
      resolved.facts.push(...report.facts)
    }

    // What the commands the model runs through Codex must not see: the
    // credentials this step exports, and the mode's own variables.
    const modelExcludes = [
      ...credentialEnvNames(resolved),
      ...(resolved.shellEnvExclude ?? [])
    ]
    const configToml = renderConfigToml(
      primedConfig({
        table: config.table,
        loginMethod: policy.loginMethod,
        workspaceIds: policy.primedWorkspaceIds,
        chatgptBaseUrl: endpoints.primedChatgptBaseUrl,
        extra: resolved.config,
        shellEnvExclude: modelExcludes
      })
    )
    const primed = primeCodexHome(home, {
      sourceHome,
      authJsonText: resolved.authJson && renderAuthJson(resolved.authJson),
      configToml
    })

    let tokenFile: ServedTokenFile | undefined
    if (resolved.mode === 'workloadIdentity') {
      // Started before the mode; serving (holding the first token the mode
      // minted) before anything is exported.
      tokenFile = await tokenFileReady(runner, settings, launching, firstToken)
    }

    rollback = runner.checkpoint()
    await exportResults(runner, {
      settings,
      endpoints,
      resolved,
      primed,
      policy,
      ignored: loaded.ignored,
      modelExcludes,
      ...(tokenFile ? { tokenFile } : {})
    })
  } catch (err) {
    // Nothing half-done survives a failure: what was exported is taken back,
    // the token source is stopped and the primed home goes with them.
    try {
      rollback?.()
    } catch {
      // The failure message below is what matters; a file we cannot
      // truncate was already unwritable.
    }
    if (launching) await stopQuietly(deps, launching)
    // Started by the entry: stopped here unless a launch took it over (and
    // stopped it already; then this finds it gone).
    if (deps.early) await stopQuietly(deps, Promise.resolve(deps.early))
    if (home) fs.rmSync(home, { recursive: true, force: true })
    // Except rotated tokens: the old refresh token is used up, so the new
    // ones are kept and the message says where.
    const refreshed =
      err instanceof FailedAfterRefresh ? err.refreshed : resolved?.refreshed
    const failure = err instanceof FailedAfterRefresh ? err.failure : err
    const message = failureMessage(failure)
    runner.fail(
      refreshed?.rotated && runnerTemp !== undefined
        ? keepRotatedTokens(message, refreshed, runnerTemp)
        : message
    )
  }
}

/**
 * Starts the token source Codex's exchanges read (workload identity),
 * without waiting for it. The promise never goes unhandled: a failure to
 * start surfaces where the main step awaits it.
 */
function launchTokenSource(
  runner: Runner,
  settings: Settings,
  source: TokenSourceRequest,
  deps: MainDeps
): Promise<StartingTokenSource> {
  const launch = deps.launchTokenSource ?? defaultDeps.launchTokenSource
  const launching = launch(
    {
      runnerTemp: settings.runnerTemp,
      mode: settings.identityTokenFileMode,
      audience: source.audience,
      requestUrl: source.requestUrl,
      requestToken: source.requestToken,
      env: runner.env
    },
    deps.early
  )
  launching.catch(() => undefined)
  return launching
}

const noop = (): void => undefined

/** Waits until the token source serves the first token the mode minted. */
async function tokenFileReady(
  runner: Runner,
  settings: Settings,
  launching: Promise<StartingTokenSource> | undefined,
  first: Promise<MintedToken> | undefined
): Promise<ServedTokenFile> {
  if (launching === undefined) {
    throw new Error('the workload identity mode started no token source')
  }
  const starting = await launching
  // Handed over already unless the mode minted none (then ready() fails).
  if (first) starting.handOver(first)
  const handle = await starting.ready()
  const mode = settings.identityTokenFileMode
  runner.info(`Serving workload identity tokens at ${handle.path} (${mode}).`)
  return { mode, handle }
}

/**
 * Stops the token source on the way out, whether it serves, is still
 * starting, or failed (then the launcher stopped it already and this finds
 * nothing to do); the failure already has its say.
 */
async function stopQuietly(
  deps: MainDeps,
  launching: Promise<{ handle: TokenSourceHandle }>
): Promise<void> {
  try {
    const starting = await launching
    await (deps.stopTokenSource ?? defaultDeps.stopTokenSource)(starting.handle)
  } catch {
    // It did not start (the launcher cleaned up), or stopping failed: the
    // post step stops it only on success, so nothing better to do here
    // than to report the original failure.
  }
}

function failureMessage(err: unknown): string {
  if (!(err instanceof ActionError)) {
    return UNEXPECTED_ERROR_PREFIX + describeError(err)
  }
  if (err.logoutPath === undefined) return err.message
  // Codex's "Logging out": remove the auth.json the rejected credential came
  // from, so the next run on this runner cannot use it either.
  try {
    fs.rmSync(err.logoutPath, { force: true })
    return err.message
  } catch (rmErr) {
    return logoutFailed(err.message.replace(/\.$/, ''), describeError(rmErr))
  }
}
