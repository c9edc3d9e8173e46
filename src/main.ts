/**
 * The main step: inputs → load → restrict → hydrate/register → prime →
 * export. The one place that fails the step.
 */
import * as fs from 'node:fs'
import type { HttpClient } from './clients/http.js'
import { encodeState, STATE_KEY } from './cleanup/plan.js'
import { readCodexConfig } from './sources/codex-config.js'
import {
  primeCodexHome,
  primedConfig,
  renderConfigToml,
  resolveSourceHome,
  type PrimedHome
} from './codex-home/prime.js'
import { renderAuthJson } from './credentials/auth-json.js'
import { ActionError, describeError } from './errors.js'
import { exportResults } from './export.js'
import { readSettings } from './inputs.js'
import {
  logoutFailed,
  primeFailed,
  UNEXPECTED_ERROR_PREFIX
} from './messages.js'
import { resolveCredential } from './modes/index.js'
import { resolvePolicy } from './policy/rules.js'
import type { Runner } from './runner/port.js'
import { loadCredential, maskRawCredentials } from './sources/load.js'
import { DEFAULT_CHATGPT_BASE_URL } from './endpoints/defaults.js'

/** Injected so tests control time and the network. */
export interface MainDeps {
  now(): Date
  createHttp(
    env: Readonly<Record<string, string | undefined>>,
    startedAt: number
  ): Promise<HttpClient>
}

/** Real dependencies: the HTTP stack is loaded only when a mode asks for it. */
export const defaultDeps: MainDeps = {
  now: () => new Date(),
  createHttp: async (env, startedAt) => {
    const http = await import('./clients/http.js')
    return http.createHttpClient(http.defaultHttpDeps(env, startedAt))
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
  let primed: PrimedHome | undefined
  let rollback: (() => void) | undefined
  try {
    // The real plan replaces this one on success. Saved first, so a
    // STATE_cleanup smuggled in through GITHUB_ENV never reaches the post step.
    runner.saveState(STATE_KEY, encodeState([]))
    const settings = readSettings(runner)
    // Mask before anything else can print: nothing below logs a value, but a
    // mask costs nothing and covers what we cannot foresee.
    maskRawCredentials(runner, settings)
    for (const warning of settings.warnings) runner.warning(warning)

    const sourceHome = resolveSourceHome(settings.codexHome)
    const config = await readCodexConfig(sourceHome)
    const policy = resolvePolicy(settings, config)
    const loaded = loadCredential(runner, settings, sourceHome)

    const chatgptBaseUrl =
      settings.chatgptBaseUrl?.url ??
      config.chatgptBaseUrl ??
      DEFAULT_CHATGPT_BASE_URL
    let http: Promise<HttpClient> | undefined
    const resolved = await resolveCredential(loaded.credential, {
      runner,
      settings,
      config,
      policy,
      chatgptBaseUrl,
      http: () => (http ??= deps.createHttp(runner.env, startedAt)),
      now: () => deps.now()
    })

    // config.toml's own chatgpt_base_url is carried over with the table.
    const chatgptBase = settings.chatgptBaseUrl?.url
    try {
      const configToml = await renderConfigToml(
        primedConfig({
          table: config.table,
          loginMethod: policy.loginMethod,
          workspaceIds: policy.primedWorkspaceIds,
          chatgptBaseUrl:
            chatgptBase && chatgptBase !== DEFAULT_CHATGPT_BASE_URL
              ? chatgptBase
              : undefined,
          extra: resolved.config
        })
      )
      primed = primeCodexHome({
        parent: settings.runnerTemp,
        sourceHome,
        authJsonText: renderAuthJson(resolved.authJson),
        configToml
      })
    } catch (err) {
      throw new ActionError(
        primeFailed(settings.runnerTemp, describeError(err))
      )
    }

    rollback = runner.checkpoint()
    await exportResults(runner, {
      settings,
      resolved,
      primed,
      policy,
      ignored: loaded.ignored
    })
  } catch (err) {
    // Nothing half-done survives a failure: what was exported is taken back
    // and the primed home goes with it.
    try {
      rollback?.()
    } catch {
      // The failure message below is what matters; a file we cannot
      // truncate was already unwritable.
    }
    if (primed) fs.rmSync(primed.home, { recursive: true, force: true })
    runner.fail(failureMessage(err))
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
