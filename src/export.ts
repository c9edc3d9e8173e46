/**
 * The only stage that writes results for later steps, in an order that keeps
 * secrets out of every log: masks first, then env, outputs, state, summary.
 */
import type { PrimedHome } from './codex-home/prime.js'
import type { Endpoints } from './endpoints/resolve.js'
import type { Resolved } from './credentials/types.js'
import type { Settings } from './inputs.js'
import type { Policy } from './policy/rules.js'
import { maskSecret, type Runner } from './runner/port.js'
import { encodeState, STATE_KEY, type CleanupAction } from './cleanup/plan.js'
import { digestFile } from './files/digest.js'
import { buildSummary } from './summary.js'
import type { TokenSourceHandle } from './token-source/launch.js'

/** A running token source (workload identity) and how it serves. */
export interface ServedTokenFile {
  mode: 'fifo' | 'file'
  handle: TokenSourceHandle
}

export interface ExportInput {
  settings: Settings
  endpoints: Endpoints
  resolved: Resolved
  primed: PrimedHome
  policy: Policy
  ignored: string[]
  /** Workload identity: the token file Codex reads. */
  tokenFile?: ServedTokenFile
  /**
   * What the primed config.toml keeps from the commands the model runs
   * (`shell_environment_policy.exclude`), for the summary.
   */
  modelExcludes?: readonly string[]
}

/** Where later steps find the `authorization` output. */
export const AUTHORIZATION_ENV = 'CODEX_AUTHORIZATION'

/**
 * The variables this step exports that carry a credential: the
 * authorization header, and each mode variable whose value is one of the
 * mode's secrets (an API key's `CODEX_API_KEY`). Codex hands a command the
 * model runs the whole environment unless `shell_environment_policy` says
 * otherwise (its default excludes are off), so the primed config.toml
 * lists these: the action puts them into the job, and it keeps them away
 * from the model's commands.
 */
export function credentialEnvNames(
  resolved: Pick<Resolved, 'env' | 'secrets'>
): string[] {
  const secrets = new Set(resolved.secrets)
  const carrying = Object.entries(resolved.env)
    .filter(([, value]) => secrets.has(value))
    .map(([name]) => name)
  return [AUTHORIZATION_ENV, ...carrying]
}

/**
 * Every form in which a secret could be written: the value itself and its
 * JSON-escaped form (auth.json and state are JSON).
 */
export function secretForms(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1)
  return escaped === value ? [value] : [value, escaped]
}

/** Masks, then exports env, outputs, state and the summary. */
export async function exportResults(
  runner: Runner,
  input: ExportInput
): Promise<void> {
  const { settings, resolved, primed, tokenFile } = input

  // 1. Masks, before any value can reach stdout or a file. The credential
  // part of the header is masked on its own too, for a log that prints it
  // without its scheme.
  const credentialPart = resolved.authorization.replace(/^\S+ /, '')
  for (const secret of [
    ...resolved.secrets,
    resolved.authorization,
    credentialPart
  ]) {
    for (const form of secretForms(secret)) maskSecret(runner, form)
  }

  // 2. Env for later steps.
  const env: Record<string, string> = {}
  if (settings.exportEnv) {
    env['CODEX_HOME'] = primed.home
    // Later Codex runs must talk to the same backend as this step did. Not
    // under workload identity: Codex reads none of these overrides there
    // (its exchange has no URL override).
    if (resolved.mode !== 'workloadIdentity') {
      Object.assign(env, input.endpoints.overrideEnv)
    }
    Object.assign(env, resolved.env)
    if (tokenFile) env['OPENAI_IDENTITY_TOKEN_FILE'] = tokenFile.handle.path
    env[AUTHORIZATION_ENV] = resolved.authorization
    if (resolved.accountId) env['CODEX_CHATGPT_ACCOUNT_ID'] = resolved.accountId
  }
  // A later Codex prefers CODEX_ACCESS_TOKEN over the primed home and would
  // bootstrap again; the empty value replaces it (job env included) and
  // Codex treats empty as unset.
  if (settings.accessTokenEnvPresent) env['CODEX_ACCESS_TOKEN'] = ''
  for (const [name, value] of Object.entries(env)) {
    runner.exportVariable(name, value)
  }

  // 3. Outputs.
  const outputs: Record<string, string | undefined> = {
    'auth-mode': resolved.mode,
    authorization: resolved.authorization,
    'account-id': resolved.accountId,
    'plan-type': resolved.planType,
    'agent-runtime-id': resolved.agentRuntimeId,
    'task-id': resolved.taskId,
    fedramp: resolved.fedramp ? 'true' : 'false',
    'codex-home': primed.home,
    // Empty, not absent, when no auth.json was primed: a workflow reading
    // it gets '' either way, and the log shows the step set it.
    'auth-file': primed.authFile ?? '',
    'expires-at': resolved.expiresAt,
    'identity-token-file': tokenFile?.handle.path
  }
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) runner.setOutput(name, value)
  }

  // 4. State for the post step.
  runner.saveState(STATE_KEY, encodeState(cleanupActions(input)))

  // 5. Summary and warnings.
  for (const warning of resolved.warnings) runner.warning(warning)
  await runner.appendSummary(
    buildSummary({
      resolved,
      ignored: input.ignored,
      policy: input.policy,
      home: primed.home,
      exportedEnv: Object.keys(env),
      modelExcludes: input.modelExcludes ?? [],
      ...(tokenFile
        ? { tokenFile: { mode: tokenFile.mode, path: tokenFile.handle.path } }
        : {})
    })
  )
  runner.info(
    `Primed Codex home at ${primed.home} (${resolved.mode}).` +
      (settings.exportEnv ? ' CODEX_HOME is set for later steps.' : '')
  )
}

function cleanupActions(input: ExportInput): CleanupAction[] {
  const actions: CleanupAction[] = []
  const { resolved, primed, settings, tokenFile } = input
  // Stopped even with cleanup: false: that input keeps files, never a
  // process that can mint tokens.
  if (tokenFile) {
    const { pid, startTime, nonce, dir } = tokenFile.handle
    actions.push({ kind: 'stop-token-source', pid, startTime, nonce, dir })
  }
  // Written back even with cleanup: false: a rotated refresh token left only
  // in the primed copy would strand the runner's own auth.json.
  if (resolved.writeBackPath && primed.authFile) {
    actions.push({
      kind: 'write-back',
      primedAuthFile: primed.authFile,
      target: resolved.writeBackPath,
      exportedDigest: digestFile(primed.authFile)
    })
  }
  if (settings.cleanup) actions.push({ kind: 'remove-home', path: primed.home })
  return actions
}
