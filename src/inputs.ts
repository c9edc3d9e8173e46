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
import { readRegularFile } from './files/safe-read.js'
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
} from './messages/inputs.js'
import {
  IDENTITY_TOKEN_FIFO_UNAVAILABLE,
  keylessInputWithoutRule,
  keylessValueHasControlChars,
  keylessValueTooLong,
  oidcAudienceRequired
} from './messages/keyless-settings.js'
import type { Runner } from './runner/port.js'

export type LoginMethod = 'chatgpt' | 'api'

const LOGIN_METHODS = ['chatgpt', 'api'] as const

/** How the token source serves the identity token file Codex reads. */
export type IdentityTokenFileMode = 'fifo' | 'file'

const TOKEN_FILE_MODES = ['fifo', 'file'] as const

/** Longest federation rule id accepted (real ones are `idpm_` + ~32). */
export const FEDERATION_RULE_ID_MAX = 256
/** Longest OIDC audience accepted. */
export const OIDC_AUDIENCE_MAX = 1024
/** Longest workload identity context accepted. */
export const WORKLOAD_IDENTITY_CONTEXT_MAX = 4096

/**
 * What the job's env says about GitHub's OIDC token service: the request
 * URL and token exist only with `permissions: id-token: write`.
 */
export interface GithubOidcEnv {
  /** ACTIONS_ID_TOKEN_REQUEST_URL. */
  requestUrl?: string
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN (a secret). */
  requestToken?: string
  /** GITHUB_EVENT_NAME. */
  eventName?: string
  /**
   * Whether the event is a pull request from a fork, which never gets the
   * id-token permission. Read from the event payload only when the request
   * URL or token is missing (the only time a message needs it).
   */
  forkPullRequest: boolean
}

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
  /**
   * Keyless CI: input federation-rule-id, else env OPENAI_FEDERATION_RULE_ID.
   * When set, workload identity outranks every other credential.
   */
  federationRuleId?: string
  /** `input federation-rule-id` or `env OPENAI_FEDERATION_RULE_ID`. */
  federationRuleIdFrom?: string
  /** input oidc-audience; required with a rule id (no default exists). */
  oidcAudience?: string
  /** input workload-identity-context, else OPENAI_WORKLOAD_IDENTITY_CONTEXT. */
  workloadIdentityContext?: string
  /** input identity-token-file-mode; `fifo` by default, `file` on Windows. */
  identityTokenFileMode: IdentityTokenFileMode
  /** The job's OIDC env; read only when a rule id is set. */
  githubOidc?: GithubOidcEnv
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
 * A keyless setting (rule id, audience, context): one line of printable
 * text under a cap. Not secret, but sent in a form body and shown in the
 * summary, so a pasted line break is refused rather than carried along.
 */
const keylessValue = (
  max: number
): z.ZodMiniOptional<z.ZodMiniType<{ value: string; from: string }>> =>
  z.optional(
    z.object({
      value: z.string().check(
        z.refine((value) => !CONTROL_CHARS.test(value)),
        z.maxLength(max)
      ),
      from: z.string()
    })
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
  keyless: z.object({
    federationRuleId: keylessValue(FEDERATION_RULE_ID_MAX),
    oidcAudience: keylessValue(OIDC_AUDIENCE_MAX),
    workloadIdentityContext: keylessValue(WORKLOAD_IDENTITY_CONTEXT_MAX),
    identityTokenFileMode: z.optional(z.enum(TOKEN_FILE_MODES))
  }),
  chatgptBaseUrl: endpoint('base'),
  registrationAuthapi: endpoint('base'),
  whoamiAuthapi: endpoint('base'),
  jwksBase: endpoint('base'),
  refreshTokenUrl: endpoint('exact')
})

type Issue = z.core.$ZodIssue

/** The part of what {@link settingsSchema} is given that messages need. */
interface RawSettings {
  keyless: Readonly<Record<string, unknown>>
}

/** The message for the first issue of {@link settingsSchema}. */
function settingsError(issue: Issue, raw: RawSettings): string {
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
  if (group === 'keyless') {
    if (key === 'identityTokenFileMode') {
      return invalidChoice(
        'identity-token-file-mode',
        String(issue.input),
        TOKEN_FILE_MODES
      )
    }
    // The issue is on `value`; its parent names where it came from.
    const entry = raw.keyless[String(key)] as { from: string } | undefined
    const from = entry?.from ?? String(key)
    return issue.code === 'too_big'
      ? keylessValueTooLong(
          from,
          String(issue.input).length,
          Number(issue.maximum)
        )
      : keylessValueHasControlChars(from)
  }
  const { from } = issue.input as Endpoint
  const shown = (issue as { params?: { shown?: string } }).params?.shown ?? ''
  return invalidUrl(from.replace(/^(input|env) /, ''), shown, issue.message)
}

const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']

/** Reads and validates all inputs; throws `ActionError` naming the input. */
export function readSettings(
  runner: Runner,
  platform: NodeJS.Platform = process.platform
): Settings {
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

  const fromInputOrEnvValue = (
    inputName: string,
    envName?: string
  ): { value: string; from: string } | undefined => {
    const input = inputValue(inputName)
    if (input !== undefined) return { value: input, from: `input ${inputName}` }
    const value = envName === undefined ? undefined : envValue(envName)
    return value === undefined ? undefined : { value, from: `env ${envName}` }
  }

  const ruleId = fromInputOrEnvValue(
    'federation-rule-id',
    'OPENAI_FEDERATION_RULE_ID'
  )
  const chatgptBaseUrl = inputValue('chatgpt-base-url')
  const raw = {
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
    keyless: {
      federationRuleId: ruleId,
      oidcAudience: fromInputOrEnvValue('oidc-audience'),
      // Only read for a keyless run: a stray env var must not fail
      // another mode.
      workloadIdentityContext:
        ruleId === undefined
          ? undefined
          : fromInputOrEnvValue(
              'workload-identity-context',
              'OPENAI_WORKLOAD_IDENTITY_CONTEXT'
            ),
      identityTokenFileMode: inputValue('identity-token-file-mode')
    },
    chatgptBaseUrl:
      chatgptBaseUrl === undefined
        ? undefined
        : { url: chatgptBaseUrl, from: 'input chatgpt-base-url' },
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
      'CODEX_REFRESH_TOKEN_URL_OVERRIDE'
    )
  }
  const parsed = settingsSchema.safeParse(raw, { reportInput: true })
  if (!parsed.success) {
    throw new ActionError(settingsError(parsed.error.issues[0] as Issue, raw))
  }
  const checked = parsed.data
  const keyless = readKeyless(checked.keyless, env, platform)

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
    ...keyless.settings,
    // One input can set two endpoints: warn about it once.
    warnings: [
      ...new Set(endpoints.flatMap(plainHttpWarning)),
      ...keyless.warnings
    ]
  }
}

type KeylessSettings = Pick<
  Settings,
  | 'federationRuleId'
  | 'federationRuleIdFrom'
  | 'oidcAudience'
  | 'workloadIdentityContext'
  | 'identityTokenFileMode'
  | 'githubOidc'
>

/**
 * The keyless settings: a rule id needs an audience (OpenAI documents no
 * default, so guessing one would only move the failure to the exchange);
 * the token file mode defaults to what the OS offers.
 */
function readKeyless(
  checked: {
    federationRuleId?: { value: string; from: string }
    oidcAudience?: { value: string; from: string }
    workloadIdentityContext?: { value: string; from: string }
    identityTokenFileMode?: IdentityTokenFileMode
  },
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform
): { settings: KeylessSettings; warnings: string[] } {
  // Windows has no FIFOs Codex could open as a file.
  const fifos = platform !== 'win32'
  const mode = checked.identityTokenFileMode ?? (fifos ? 'fifo' : 'file')
  if (mode === 'fifo' && !fifos) {
    throw new ActionError(IDENTITY_TOKEN_FIFO_UNAVAILABLE)
  }
  const rule = checked.federationRuleId
  if (rule === undefined) {
    // An audience alone selects nothing: say so rather than run another mode
    // while the workflow author believes it is keyless.
    const warnings = checked.oidcAudience
      ? [keylessInputWithoutRule('oidc-audience')]
      : []
    return { settings: { identityTokenFileMode: mode }, warnings }
  }
  if (checked.oidcAudience === undefined) {
    throw new ActionError(oidcAudienceRequired(rule.from))
  }
  const value = (name: string): string | undefined =>
    nonEmpty(env[name]?.trim())
  const githubOidc: GithubOidcEnv = {
    requestUrl: value('ACTIONS_ID_TOKEN_REQUEST_URL'),
    requestToken: value('ACTIONS_ID_TOKEN_REQUEST_TOKEN'),
    eventName: value('GITHUB_EVENT_NAME'),
    forkPullRequest: false
  }
  if (!githubOidc.requestUrl || !githubOidc.requestToken) {
    githubOidc.forkPullRequest = isForkPullRequest(
      githubOidc.eventName,
      value('GITHUB_EVENT_PATH')
    )
  }
  return {
    settings: {
      federationRuleId: rule.value,
      federationRuleIdFrom: rule.from,
      oidcAudience: checked.oidcAudience.value,
      workloadIdentityContext: checked.workloadIdentityContext?.value,
      identityTokenFileMode: mode,
      githubOidc
    },
    warnings: []
  }
}

/** The most of an event payload read to tell a fork's pull request. */
const EVENT_PAYLOAD_MAX = 16 * 1024 * 1024

const eventPayloadSchema = z.object({
  pull_request: z.optional(
    z.object({
      head: z.optional(
        z.object({
          repo: z.optional(
            z.nullable(
              z.object({
                fork: z.optional(z.boolean()),
                full_name: z.optional(z.string())
              })
            )
          )
        })
      ),
      base: z.optional(
        z.object({
          repo: z.optional(
            z.nullable(z.object({ full_name: z.optional(z.string()) }))
          )
        })
      )
    })
  )
})

/**
 * Whether the run is a pull request from a fork: only a hint for the
 * missing-permission message, so an unreadable payload is simply "no".
 * `pull_request_target` runs in the base repository and can get the
 * permission.
 */
function isForkPullRequest(
  eventName: string | undefined,
  eventPath: string | undefined
): boolean {
  if (eventName === undefined || eventPath === undefined) return false
  if (!eventName.startsWith('pull_request') || eventName.endsWith('_target')) {
    return false
  }
  let payload: unknown
  try {
    payload = JSON.parse(readRegularFile(eventPath, EVENT_PAYLOAD_MAX))
  } catch {
    return false
  }
  const parsed = eventPayloadSchema.safeParse(payload)
  const pr = parsed.success ? parsed.data.pull_request : undefined
  const head = pr?.head?.repo
  if (!head) return false
  if (head.fork === true) return true
  const base = pr?.base?.repo?.full_name
  return (
    head.full_name !== undefined &&
    base !== undefined &&
    head.full_name !== base
  )
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
  // Keyless lines only for a keyless run: most runs have none of it.
  if (settings.federationRuleId) {
    log(
      'federation-rule-id',
      `${settings.federationRuleId} (${settings.federationRuleIdFrom ?? ''})`
    )
    log('oidc-audience', settings.oidcAudience ?? 'none')
    log(
      'workload-identity-context',
      settings.workloadIdentityContext ? 'set' : 'none'
    )
    log('identity-token-file-mode', settings.identityTokenFileMode)
    const oidc = settings.githubOidc
    log(
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      oidc?.requestUrl ? withoutQuery(oidc.requestUrl) : 'unset'
    )
    log('ACTIONS_ID_TOKEN_REQUEST_TOKEN', oidc?.requestToken ? 'set' : 'unset')
  }
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
