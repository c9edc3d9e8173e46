/**
 * Reads every input (and the env vars that stand in for them) once, into one
 * validated `Settings` object. Later stages never call `runner.input`.
 *
 * Credentials are only collected here, not interpreted: `sources.ts` decides
 * which one wins. Validation messages quote the bad value only for inputs that
 * are not secret.
 */
import * as os from 'node:os'
import * as path from 'node:path'
import { ActionError } from './errors.js'
import {
  invalidBoolean,
  invalidChoice,
  invalidUrl,
  runnerTempInWorkspace,
  secretHasControlChars
} from './messages.js'
import type { Runner } from './runner/port.js'

export type LoginMethod = 'chatgpt' | 'api'

/** An endpoint URL and where it was set, for messages and for re-export. */
export interface Endpoint {
  url: string
  /** e.g. `input authapi-base-url` or `env CODEX_AUTHAPI_BASE_URL` */
  from: string
}

/** Every credential value found in inputs and env, trimmed; absent when empty. */
export interface RawCredentials {
  apiKeyInput?: string
  accessTokenInput?: string
  agentIdentityInput?: string
  authJsonInput?: string
  codexApiKeyEnv?: string
  codexAccessTokenEnv?: string
  codexAgentIdentityEnv?: string
  openaiApiKeyEnv?: string
}

export interface Settings {
  credentials: RawCredentials
  /** Absolute path of the Codex home credentials and config are read from. */
  codexHome: string
  /** Whether `codex-home` came from the input (else $CODEX_HOME or ~/.codex). */
  codexHomeFrom: string
  forcedLoginMethod?: LoginMethod
  /** Ids from the `forced-workspace-id` input; absent when none. */
  forcedWorkspaceIds?: string[]
  /** From the input only; config.toml and the default apply later. */
  chatgptBaseUrl?: Endpoint
  /** Task registration base (input authapi-base-url or its env var). */
  registrationAuthapi?: Endpoint
  /** whoami base (input authapi-base-url or CODEX_AUTHAPI_BASE_URL). */
  whoamiAuthapi?: Endpoint
  jwksBase?: Endpoint
  refreshTokenUrl?: Endpoint
  verifyIdentity: boolean
  registerTask: boolean
  exportEnv: boolean
  cleanup: boolean
  /** Where the primed home is created. */
  runnerTemp: string
  /** Set when a `CODEX_ACCESS_TOKEN` env var must be neutralised for later steps. */
  accessTokenEnvPresent: boolean
  /** Messages for the log (never values): non-loopback plain-http endpoints. */
  warnings: string[]
}

const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']

/** Reads and validates all inputs; throws `ActionError` naming the input. */
export function readSettings(runner: Runner): Settings {
  const env = runner.env
  const warnings: string[] = []
  const envValue = (name: string): string | undefined =>
    nonEmpty(env[name]?.trim())

  const credentials: RawCredentials = {
    apiKeyInput: secretLine(runner.input('api-key'), 'input api-key'),
    accessTokenInput: secretLine(
      runner.input('access-token'),
      'input access-token'
    ),
    agentIdentityInput: secretLine(
      runner.input('agent-identity'),
      'input agent-identity'
    ),
    // auth.json is a document: line breaks are expected.
    authJsonInput: nonEmpty(runner.input('auth-json')),
    codexApiKeyEnv: secretLine(env['CODEX_API_KEY'], 'env CODEX_API_KEY'),
    codexAccessTokenEnv: secretLine(
      env['CODEX_ACCESS_TOKEN'],
      'env CODEX_ACCESS_TOKEN'
    ),
    codexAgentIdentityEnv: secretLine(
      env['CODEX_AGENT_IDENTITY'],
      'env CODEX_AGENT_IDENTITY'
    ),
    openaiApiKeyEnv: secretLine(env['OPENAI_API_KEY'], 'env OPENAI_API_KEY')
  }

  const homeInput = nonEmpty(runner.input('codex-home'))
  const homeEnv = envValue('CODEX_HOME')
  const home = resolveHome(homeInput ?? homeEnv, env)
  const codexHomeFrom = homeInput
    ? 'input codex-home'
    : homeEnv
      ? 'env CODEX_HOME'
      : 'default ~/.codex'

  const methodRaw = runner.input('forced-login-method')
  let forcedLoginMethod: LoginMethod | undefined
  if (methodRaw !== '') {
    if (methodRaw !== 'chatgpt' && methodRaw !== 'api') {
      throw new ActionError(
        invalidChoice('forced-login-method', methodRaw, ['chatgpt', 'api'])
      )
    }
    forcedLoginMethod = methodRaw
  }

  const ids = parseWorkspaceList(runner.input('forced-workspace-id'))

  const url = (
    value: string | undefined,
    from: string,
    kind: UrlKind = 'base'
  ): Endpoint | undefined =>
    value === undefined ? undefined : validateUrl(value, from, kind, warnings)
  const fromInputOrEnv = (
    inputName: string,
    envName: string,
    kind: UrlKind = 'base'
  ): Endpoint | undefined => {
    const input = nonEmpty(runner.input(inputName))
    if (input !== undefined) return url(input, `input ${inputName}`, kind)
    return url(envValue(envName), `env ${envName}`, kind)
  }

  const runnerTemp = path.resolve(envValue('RUNNER_TEMP') ?? os.tmpdir())
  const workspace = envValue('GITHUB_WORKSPACE')
  // The workspace is often uploaded as an artifact or cached: credentials
  // must never be written there.
  if (
    workspace !== undefined &&
    isInside(runnerTemp, path.resolve(workspace))
  ) {
    throw new ActionError(runnerTempInWorkspace(runnerTemp, workspace))
  }

  return {
    credentials,
    codexHome: home,
    codexHomeFrom,
    forcedLoginMethod,
    forcedWorkspaceIds: ids.length > 0 ? ids : undefined,
    chatgptBaseUrl: url(
      nonEmpty(runner.input('chatgpt-base-url')),
      'input chatgpt-base-url'
    ),
    registrationAuthapi: fromInputOrEnv(
      'authapi-base-url',
      'CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL'
    ),
    whoamiAuthapi: fromInputOrEnv('authapi-base-url', 'CODEX_AUTHAPI_BASE_URL'),
    jwksBase: fromInputOrEnv(
      'jwks-base-url',
      'CODEX_AGENT_IDENTITY_JWKS_BASE_URL'
    ),
    refreshTokenUrl: fromInputOrEnv(
      'refresh-token-url',
      'CODEX_REFRESH_TOKEN_URL_OVERRIDE',
      'exact'
    ),
    verifyIdentity: readBoolean(runner, 'verify-identity', true),
    registerTask: readBoolean(runner, 'register-task', true),
    exportEnv: readBoolean(runner, 'export-env', true),
    cleanup: readBoolean(runner, 'cleanup', true),
    runnerTemp,
    accessTokenEnvPresent: credentials.codexAccessTokenEnv !== undefined,
    warnings
  }
}

/** Splits a workspace list on commas and newlines; trims; drops empties. */
export function parseWorkspaceList(raw: string): string[] {
  return raw
    .split(/[,\n\r]/)
    .map((id) => id.trim())
    .filter((id) => id !== '')
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

// A credential is one line of printable text. A line break or control
// character means a mangled secret (pasted with quotes or a trailing line),
// and would also break header values and masking.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/

function secretLine(
  value: string | undefined,
  source: string
): string | undefined {
  const trimmed = nonEmpty(value?.trim())
  if (trimmed !== undefined && CONTROL_CHARS.test(trimmed)) {
    throw new ActionError(secretHasControlChars(source))
  }
  return trimmed
}

function readBoolean(runner: Runner, name: string, fallback: boolean): boolean {
  const raw = runner.input(name)
  if (raw === '') return fallback
  if (TRUE_VALUES.includes(raw)) return true
  if (FALSE_VALUES.includes(raw)) return false
  throw new ActionError(invalidBoolean(name, raw))
}

function resolveHome(
  raw: string | undefined,
  env: Readonly<Record<string, string | undefined>>
): string {
  const homeDir = env['HOME'] || os.homedir()
  if (raw === undefined) return path.join(homeDir, '.codex')
  if (raw === '~') return homeDir
  if (raw.startsWith('~/')) return path.join(homeDir, raw.slice(2))
  return path.resolve(raw)
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

/** True for hosts that never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\./.test(hostname)
}

/**
 * `base` URLs get paths appended, so a query or fragment would end up in the
 * middle of the result; an `exact` URL (the refresh endpoint) is used as
 * given, as in Codex.
 */
type UrlKind = 'base' | 'exact'

function validateUrl(
  raw: string,
  from: string,
  kind: UrlKind,
  warnings: string[]
): Endpoint {
  const name = from.replace(/^(input|env) /, '')
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    throw new ActionError(
      invalidUrl(name, raw, 'not an absolute URL (expected https://host/path)')
    )
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ActionError(
      invalidUrl(name, raw, `scheme ${parsed.protocol} is not http or https`)
    )
  }
  // Credentials in a URL would be logged and exported with it.
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ActionError(
      invalidUrl(
        name,
        `${parsed.protocol}//***@${parsed.host}`,
        'user names and passwords in URLs are not supported'
      )
    )
  }
  if (kind === 'base' && (parsed.search !== '' || parsed.hash !== '')) {
    throw new ActionError(
      invalidUrl(name, raw, 'a base URL cannot carry a query or fragment')
    )
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    warnings.push(
      `${from} uses plain http to ${parsed.host}: credentials would cross the network unencrypted. Use https unless this is a local test backend.`
    )
  }
  return { url: raw, from }
}
