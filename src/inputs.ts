/**
 * Reads every input (and the env vars that stand in for them) once, into one
 * validated `Settings` object. Later stages never call `runner.input`.
 *
 * Credentials are only collected here, not interpreted: `sources/load.ts`
 * decides which one wins. Validation messages quote the bad value only for
 * inputs that are not secret.
 */
import * as os from 'node:os'
import * as path from 'node:path'
import * as z from 'zod/mini'
import { ActionError } from './errors.js'
import {
  BASE_URL_HAS_QUERY,
  invalidBoolean,
  invalidChoice,
  invalidUrl,
  plainHttpEndpoint,
  secretHasControlChars,
  settingResolved,
  URL_HAS_CREDENTIALS,
  URL_NOT_ABSOLUTE,
  urlSchemeNotHttp,
  workspaceListEmpty
} from './messages.js'
import type { Runner } from './runner/port.js'

export type LoginMethod = 'chatgpt' | 'api'

const LOGIN_METHODS = ['chatgpt', 'api'] as const

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
  /** Where `codex-home` came from: the input, $CODEX_HOME or the default. */
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
  /** GITHUB_WORKSPACE, which must not contain the primed home. */
  workspace?: string
  /** Set when a `CODEX_ACCESS_TOKEN` env var must be neutralised for later steps. */
  accessTokenEnvPresent: boolean
  /** Messages for the log (never values): non-loopback plain-http endpoints. */
  warnings: string[]
}

/** Where each credential is read from: an input or an env var. */
const CREDENTIAL_SOURCES = {
  apiKeyInput: 'input api-key',
  accessTokenInput: 'input access-token',
  agentIdentityInput: 'input agent-identity',
  authJsonInput: 'input auth-json',
  codexApiKeyEnv: 'env CODEX_API_KEY',
  codexAccessTokenEnv: 'env CODEX_ACCESS_TOKEN',
  codexAgentIdentityEnv: 'env CODEX_AGENT_IDENTITY',
  openaiApiKeyEnv: 'env OPENAI_API_KEY'
} as const satisfies Record<keyof RawCredentials, string>

// A credential is one line of printable text. A line break or control
// character means a mangled secret (pasted with quotes or a trailing line),
// and would also break header values and masking.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/

const secretLine = z.optional(
  z.string().check(z.refine((value) => !CONTROL_CHARS.test(value)))
)

/**
 * `base` URLs get paths appended, so a query or fragment would end up in the
 * middle of the result; an `exact` URL (the refresh endpoint) is used as
 * given, as in Codex.
 */
type UrlKind = 'base' | 'exact'

/** An endpoint; an issue carries the text to show in place of the URL. */
const endpoint = (kind: UrlKind): z.ZodMiniOptional<z.ZodMiniType<Endpoint>> =>
  z.optional(
    z.object({ url: z.string(), from: z.string() }).check((ctx) => {
      const problem = urlProblem(ctx.value.url, kind)
      if (problem === undefined) return
      ctx.issues.push({
        code: 'custom',
        message: problem.why,
        input: ctx.value,
        params: { shown: problem.shown }
      })
    })
  )

/** The values whose rules are declared, in the order they are reported. */
const settingsSchema = z.object({
  credentials: z.object({
    apiKeyInput: secretLine,
    accessTokenInput: secretLine,
    agentIdentityInput: secretLine,
    // auth.json is a document: line breaks are expected.
    authJsonInput: z.optional(z.string()),
    codexApiKeyEnv: secretLine,
    codexAccessTokenEnv: secretLine,
    codexAgentIdentityEnv: secretLine,
    openaiApiKeyEnv: secretLine
  }),
  forcedLoginMethod: z.optional(z.enum(LOGIN_METHODS)),
  chatgptBaseUrl: endpoint('base'),
  registrationAuthapi: endpoint('base'),
  whoamiAuthapi: endpoint('base'),
  jwksBase: endpoint('base'),
  refreshTokenUrl: endpoint('exact')
})

type Issue = z.core.$ZodIssue

/** The message for the first issue of {@link settingsSchema}. */
function settingsError(issue: Issue): string {
  const [group, key] = issue.path
  if (group === 'credentials') {
    return secretHasControlChars(
      CREDENTIAL_SOURCES[key as keyof RawCredentials]
    )
  }
  if (group === 'forcedLoginMethod') {
    return invalidChoice(
      'forced-login-method',
      String(issue.input),
      LOGIN_METHODS
    )
  }
  const { from } = issue.input as Endpoint
  const shown = (issue as { params?: { shown?: string } }).params?.shown ?? ''
  return invalidUrl(from.replace(/^(input|env) /, ''), shown, issue.message)
}

const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']

/** Reads and validates all inputs; throws `ActionError` naming the input. */
export function readSettings(runner: Runner): Settings {
  const env = runner.env
  const envValue = (name: string): string | undefined =>
    nonEmpty(env[name]?.trim())
  const inputValue = (name: string): string | undefined =>
    nonEmpty(runner.input(name))
  const fromInputOrEnv = (
    inputName: string,
    envName: string
  ): Endpoint | undefined => {
    const input = inputValue(inputName)
    if (input !== undefined) return { url: input, from: `input ${inputName}` }
    const value = envValue(envName)
    return value === undefined
      ? undefined
      : { url: value, from: `env ${envName}` }
  }

  const chatgptBaseUrl = inputValue('chatgpt-base-url')
  const parsed = settingsSchema.safeParse(
    {
      credentials: {
        apiKeyInput: nonEmpty(runner.input('api-key')),
        accessTokenInput: nonEmpty(runner.input('access-token')),
        agentIdentityInput: nonEmpty(runner.input('agent-identity')),
        authJsonInput: nonEmpty(runner.input('auth-json')),
        codexApiKeyEnv: envValue('CODEX_API_KEY'),
        codexAccessTokenEnv: envValue('CODEX_ACCESS_TOKEN'),
        codexAgentIdentityEnv: envValue('CODEX_AGENT_IDENTITY'),
        openaiApiKeyEnv: envValue('OPENAI_API_KEY')
      },
      forcedLoginMethod: inputValue('forced-login-method'),
      chatgptBaseUrl:
        chatgptBaseUrl === undefined
          ? undefined
          : { url: chatgptBaseUrl, from: 'input chatgpt-base-url' },
      registrationAuthapi: fromInputOrEnv(
        'authapi-base-url',
        'CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL'
      ),
      whoamiAuthapi: fromInputOrEnv(
        'authapi-base-url',
        'CODEX_AUTHAPI_BASE_URL'
      ),
      jwksBase: fromInputOrEnv(
        'jwks-base-url',
        'CODEX_AGENT_IDENTITY_JWKS_BASE_URL'
      ),
      refreshTokenUrl: fromInputOrEnv(
        'refresh-token-url',
        'CODEX_REFRESH_TOKEN_URL_OVERRIDE'
      )
    },
    { reportInput: true }
  )
  if (!parsed.success) {
    throw new ActionError(settingsError(parsed.error.issues[0] as Issue))
  }
  const checked = parsed.data

  const homeInput = inputValue('codex-home')
  const homeEnv = envValue('CODEX_HOME')
  const codexHomeFrom = homeInput
    ? 'input codex-home'
    : homeEnv
      ? 'env CODEX_HOME'
      : 'default ~/.codex'

  const runnerTemp = path.resolve(envValue('RUNNER_TEMP') ?? os.tmpdir())

  const endpoints = [
    checked.chatgptBaseUrl,
    checked.registrationAuthapi,
    checked.whoamiAuthapi,
    checked.jwksBase,
    checked.refreshTokenUrl
  ]
  return {
    credentials: checked.credentials,
    codexHome: resolveHome(homeInput ?? homeEnv, env),
    codexHomeFrom,
    forcedLoginMethod: checked.forcedLoginMethod,
    forcedWorkspaceIds: readWorkspaceIds(runner),
    chatgptBaseUrl: checked.chatgptBaseUrl,
    registrationAuthapi: checked.registrationAuthapi,
    whoamiAuthapi: checked.whoamiAuthapi,
    jwksBase: checked.jwksBase,
    refreshTokenUrl: checked.refreshTokenUrl,
    verifyIdentity: readBoolean(runner, 'verify-identity', true),
    registerTask: readBoolean(runner, 'register-task', true),
    exportEnv: readBoolean(runner, 'export-env', true),
    cleanup: readBoolean(runner, 'cleanup', true),
    runnerTemp,
    workspace: envValue('GITHUB_WORKSPACE'),
    accessTokenEnvPresent:
      checked.credentials.codexAccessTokenEnv !== undefined,
    // One input can set two endpoints: warn about it once.
    warnings: [...new Set(endpoints.flatMap(plainHttpWarning))]
  }
}

/**
 * Logs each resolved setting at debug level. Credentials are named by where
 * they were found, never shown; URLs lose their query and fragment.
 *
 * @param runner - the runner port
 * @param settings - the settings {@link readSettings} returned
 */
export function logSettings(runner: Runner, settings: Settings): void {
  const log = (name: string, value: string): void =>
    runner.debug(settingResolved(name, value))
  const present = Object.entries(CREDENTIAL_SOURCES)
    .filter(([key]) => settings.credentials[key as keyof RawCredentials])
    .map(([, source]) => source)
  log('credentials present', present.join(', ') || 'none')
  log('codex-home', `${settings.codexHome} (${settings.codexHomeFrom})`)
  log('forced-login-method', settings.forcedLoginMethod ?? 'none')
  log('forced-workspace-id', settings.forcedWorkspaceIds?.join(', ') ?? 'none')
  const endpoints: [string, Endpoint | undefined][] = [
    ['chatgpt-base-url', settings.chatgptBaseUrl],
    ['authapi-base-url (task registration)', settings.registrationAuthapi],
    ['authapi-base-url (whoami)', settings.whoamiAuthapi],
    ['jwks-base-url', settings.jwksBase],
    ['refresh-token-url', settings.refreshTokenUrl]
  ]
  for (const [name, value] of endpoints) {
    log(name, value ? `${withoutQuery(value.url)} (${value.from})` : 'default')
  }
  log('verify-identity', String(settings.verifyIdentity))
  log('register-task', String(settings.registerTask))
  log('export-env', String(settings.exportEnv))
  log('cleanup', String(settings.cleanup))
  log('RUNNER_TEMP', settings.runnerTemp)
}

function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/s, '')
}

/**
 * The `forced-workspace-id` input's ids. An input that is not blank but names
 * no id (`,`, or two unset variables joined by a comma) is an error, not "no
 * restriction".
 */
function readWorkspaceIds(runner: Runner): string[] | undefined {
  const raw = runner.input('forced-workspace-id')
  const ids = parseWorkspaceList(raw)
  if (raw !== '' && ids.length === 0) {
    throw new ActionError(workspaceListEmpty(raw))
  }
  return ids.length > 0 ? ids : undefined
}

/** Splits a workspace list on commas and newlines; trims; drops empties. */
export function parseWorkspaceList(raw: string): string[] {
  return raw
    .split(/[,\n\r]/)
    .map((id) => id.trim())
    .filter((id) => id !== '')
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
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
function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\./.test(hostname)
}

/** What is wrong with an endpoint URL, and how to show it; undefined if fine. */
function urlProblem(
  raw: string,
  kind: UrlKind
): { why: string; shown: string } | undefined {
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    return { why: URL_NOT_ABSOLUTE, shown: raw }
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { why: urlSchemeNotHttp(parsed.protocol), shown: raw }
  }
  // Credentials in a URL would be logged and exported with it.
  if (parsed.username !== '' || parsed.password !== '') {
    return {
      why: URL_HAS_CREDENTIALS,
      shown: `${parsed.protocol}//***@${parsed.host}`
    }
  }
  if (kind === 'base' && (parsed.search !== '' || parsed.hash !== '')) {
    return { why: BASE_URL_HAS_QUERY, shown: raw }
  }
  return undefined
}

/** The warning for a plain-http endpoint that leaves the machine, if any. */
function plainHttpWarning(value: Endpoint | undefined): string[] {
  if (value === undefined) return []
  const parsed = new URL(value.url)
  return parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)
    ? [plainHttpEndpoint(value.from, parsed.host)]
    : []
}
