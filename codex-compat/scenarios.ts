/**
 * The compatibility scenarios: each runs the built action against the dev
 * backend, then the real `codex exec` with exactly what the action exported
 * (GITHUB_ENV on top of PATH and an empty HOME), and checks from the
 * backend's request log what Codex sent.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type {
  DevBackend,
  LoggedRequest,
  MintedAgentIdentity
} from '../dev/backend/index.js'
import type { ActionRun, ActionRunOptions, BuiltAction } from './action.js'
import { Checks, tail } from './checks.js'
import { runCodex, runCodexExec, type CodexRun } from './codex.js'
import type { DnsSink } from './dns.js'
import type { KeylessBackend } from './keyless.js'

export interface ScenarioContext {
  backend: DevBackend
  action: BuiltAction
  checks: Checks
  /** The Codex release this run of the scenario uses. */
  codexVersion: string
  /** Test plumbing added to every Codex env (the test CA), nothing else. */
  codexPlumbing: Record<string, string>
  /** Host names Codex looked up (all answered NXDOMAIN). */
  dns: DnsSink
  /** The keyless scenarios' backend under OpenAI's host names. */
  keyless: KeylessBackend
}

export interface Scenario {
  name: string
  /** One line: what the scenario proves. */
  summary: string
  run(ctx: ScenarioContext): Promise<void>
}

// Codex prints these exact texts (users grep for them).
const CHATGPT_REQUIRED =
  'ChatGPT login is required, but an API key is currently being used. Logging out.'
const API_REQUIRED =
  'API key login is required, but ChatGPT is currently being used. Logging out.'
export const workspaceMismatch = (ids: string[], actual: string): string =>
  `Login is restricted to workspace(s) ${ids.join(', ')}, but current credentials belong to ${actual}. Logging out.`

/** The action's endpoint inputs, all pointing at the dev backend. */
function endpointInputs(backend: DevBackend): Record<string, string> {
  return {
    'chatgpt-base-url': backend.chatgptBaseUrl,
    'authapi-base-url': backend.authapiBaseUrl,
    'jwks-base-url': backend.jwksBaseUrl,
    'refresh-token-url': backend.refreshTokenUrl
  }
}

/** API-key mode's model endpoint: Codex takes it from `openai_base_url` only. */
function apiKeyModelConfig(backend: DevBackend): string[] {
  return [`openai_base_url="${backend.openaiBaseUrl}"`]
}

/**
 * The model endpoint for ChatGPT-family modes. Codex takes the model
 * provider's base (the models list, and every model call in identity mode)
 * from `openai_base_url`, not from `chatgpt_base_url`: without it, it goes
 * to https://chatgpt.com/backend-api/codex. PAT and ChatGPT model calls go to
 * the `wham/accounts/check` origin, which is this same https listener.
 */
function chatgptModelConfig(backend: DevBackend): string[] {
  return [`openai_base_url="${backend.httpsUrl!}/backend-api/codex"`]
}

/** Runs the action and stops the scenario unless it succeeded. */
export async function runActionOk(
  ctx: ScenarioContext,
  options: ActionRunOptions
): Promise<ActionRun> {
  const run = await ctx.action.run(options)
  ctx.checks.require(
    run.code === 0,
    'action succeeded',
    () =>
      `exit ${run.code}; ${run.error ?? 'no ::error::'}\n` +
      tail(run.stdout + run.stderr)
  )
  ctx.checks.detail(`action exported ${Object.keys(run.env).join(' ')}`)
  return run
}

/**
 * Mints an Agent Identity and runs the action with it as `access-token`
 * (plus `inputs`); stops the scenario unless the action succeeded.
 */
async function runIdentityAction(
  ctx: ScenarioContext,
  mint?: Parameters<DevBackend['mintAgentIdentity']>[0],
  inputs: Record<string, string> = {}
): Promise<{ identity: MintedAgentIdentity; action: ActionRun }> {
  const identity = ctx.backend.mintAgentIdentity(mint)
  const action = await runActionOk(ctx, {
    inputs: {
      'access-token': identity.jwt,
      ...inputs,
      ...endpointInputs(ctx.backend)
    }
  })
  return { identity, action }
}

export interface CodexAfter {
  codex: CodexRun
  requests: LoggedRequest[]
}

/**
 * Clears the log, runs Codex with what the action exported (plus `env`, a
 * later step's own env, which beats GITHUB_ENV), returns what the backend
 * saw.
 */
async function runCodexAfter(
  ctx: ScenarioContext,
  exported: Record<string, string>,
  options: {
    env?: Record<string, string>
    config?: string[]
    label?: string
    /** Stands in for /etc/codex during the run. */
    systemLayer?: string
  }
): Promise<CodexAfter> {
  ctx.backend.clearRequests()
  ctx.dns.clear()
  const codex = await runCodexExec({
    version: ctx.codexVersion,
    env: { ...exported, ...ctx.codexPlumbing, ...options.env },
    ...(options.config ? { config: options.config } : {}),
    ...(options.systemLayer ? { systemLayer: options.systemLayer } : {})
  })
  const requests = [...ctx.backend.requests]
  const label = options.label ? `${options.label}: ` : ''
  ctx.checks.note(
    `${label}codex exit ${codex.code} in ${(codex.ms / 1000).toFixed(1)} s`
  )
  ctx.checks.detail(`${label}codex requests: ${routeCounts(requests)}`)
  const unknown = new Set(
    requests
      .filter((r) => r.route === 'not-found')
      .map((r) => `${r.method} ${r.path}`)
  )
  if (unknown.size > 0) {
    ctx.checks.detail(`${label}answered 404: ${[...unknown].join(', ')}`)
  }
  const names = new Set(ctx.dns.queries)
  if (names.size > 0) {
    ctx.checks.detail(`${label}looked up (NXDOMAIN): ${[...names].join(' ')}`)
  }
  return { codex, requests }
}

/** Codex finished its turn: exit 0, model requests, the answer on stdout. */
export function requireTurnCompleted(
  ctx: ScenarioContext,
  { codex, requests }: CodexAfter
): LoggedRequest[] {
  ctx.checks.require(
    codex.code === 0,
    'codex exec exited 0',
    () =>
      `exit ${codex.code}; requests: ${describeRequests(requests)}\n` +
      tail(codex.stderr + codex.stdout, 25)
  )
  const model = requests.filter(
    (r) => r.route === 'responses' && r.method === 'POST'
  )
  ctx.checks.require(
    model.length > 0,
    'codex sent a model request',
    () => `requests: ${describeRequests(requests)}`
  )
  ctx.checks.check(
    codex.stdout.includes('dev backend'),
    'codex printed the model answer',
    () => tail(codex.stdout)
  )
  return model
}

/** `GET http:/path -> 200, …` for failure details. */
export function describeRequests(requests: LoggedRequest[]): string {
  if (requests.length === 0) return '(none)'
  return requests
    .map((r) => `${r.method} ${r.listener}:${r.path} -> ${r.status ?? '…'}`)
    .join(', ')
}

/** `responses whoami×4` style summary of a request list. */
export function routeCounts(requests: LoggedRequest[]): string {
  const counts = new Map<string, number>()
  for (const r of requests) counts.set(r.route, (counts.get(r.route) ?? 0) + 1)
  if (counts.size === 0) return 'none'
  return [...counts]
    .map(([route, n]) => (n > 1 ? `${route}×${n}` : route))
    .join(' ')
}

export function countRoute(requests: LoggedRequest[], route: string): number {
  return requests.filter((r) => r.route === route).length
}

/** Every model request carries this exact header value. */
export function checkAllHeaders(
  ctx: ScenarioContext,
  model: LoggedRequest[],
  header: string,
  expected: string | undefined,
  name: string
): void {
  const wrong = model.filter((r) => r.headers[header] !== expected)
  ctx.checks.check(
    wrong.length === 0,
    name,
    () =>
      `expected ${header}: ${abbreviate(expected)}; got ` +
      wrong.map((r) => abbreviate(r.headers[header])).join(', ')
  )
}

export function abbreviate(value: string | undefined): string {
  if (value === undefined) return '(absent)'
  return value.length > 60 ? `${value.slice(0, 56)}…` : value
}

/** The primed home's config.toml, for checks and failure details. */
export function primedFile(action: ActionRun, name: string): string {
  const home = action.env['CODEX_HOME'] ?? action.outputs['codex-home']
  if (!home) return '(no primed home)'
  try {
    return fs.readFileSync(path.join(home, name), 'utf8')
  } catch (error) {
    return `(unreadable: ${String(error)})`
  }
}

/** Codex refused to run: exit 1, the exact message, no model request. */
function checkRefused(
  ctx: ScenarioContext,
  { codex, requests }: CodexAfter,
  message: string
): void {
  ctx.checks.check(
    codex.code === 1,
    'codex exec exited 1',
    () => `exit ${codex.code}\n${tail(codex.stderr + codex.stdout)}`
  )
  ctx.checks.check(
    (codex.stderr + codex.stdout).includes(message),
    `codex printed "${message}"`,
    () => tail(codex.stderr + codex.stdout)
  )
  ctx.checks.equal(
    countRoute(requests, 'responses'),
    0,
    'no model request was made'
  )
}

/**
 * What Codex sent in identity mode: a valid assertion for the one task the
 * action registered, the account header, and no bootstrap of its own.
 */
function checkIdentityTurn(
  ctx: ScenarioContext,
  identity: MintedAgentIdentity,
  action: ActionRun,
  after: CodexAfter
): void {
  const { backend } = ctx
  const task = action.outputs['task-id'] ?? '(no task-id output)'
  const model = requireTurnCompleted(ctx, after)
  const bad = model
    .map((r) => ({
      header: r.headers['authorization'],
      check: backend.verifyAssertion(r.headers['authorization'])
    }))
    .filter(({ check }) => !check.valid || check.envelope?.task_id !== task)
  ctx.checks.check(
    bad.length === 0,
    "Authorization: AgentAssertion, valid, naming the action's task",
    () =>
      bad
        .map(
          ({ header, check }) =>
            `${abbreviate(header)} task=${check.envelope?.task_id ?? '?'} ` +
            `(expected ${task}) ${check.problems.join('; ')}`
        )
        .join('\n')
  )
  checkAllHeaders(
    ctx,
    model,
    'chatgpt-account-id',
    identity.accountId,
    'chatgpt-account-id = the identity account'
  )
  ctx.checks.equal(
    countRoute(after.requests, 'jwks'),
    0,
    'Codex made zero JWKS requests'
  )
  ctx.checks.equal(
    countRoute(after.requests, 'register'),
    0,
    'Codex made zero task registrations'
  )
  ctx.checks.equal(
    backend.tasksFor(identity.runtimeId).length,
    1,
    'still exactly one task registered'
  )
}

/** The action registered exactly one task and reported it. */
function requireOneTask(
  ctx: ScenarioContext,
  identity: MintedAgentIdentity,
  action: ActionRun
): void {
  const tasks = ctx.backend.tasksFor(identity.runtimeId)
  ctx.checks.require(
    tasks.length === 1,
    'the action registered exactly one task',
    () => `tasks: ${JSON.stringify(tasks)}`
  )
  ctx.checks.equal(
    action.outputs['task-id'],
    tasks[0],
    'task-id output = the registered task'
  )
  const exported = ctx.backend.verifyAssertion(
    action.env['CODEX_AUTHORIZATION']
  )
  ctx.checks.check(
    exported.valid && exported.envelope?.task_id === tasks[0],
    'exported CODEX_AUTHORIZATION is a valid assertion for that task',
    () => exported.problems.join('; ') || `task ${exported.envelope?.task_id}`
  )
}

const apiKey: Scenario = {
  name: 'api-key',
  summary:
    'CODEX_API_KEY → Authorization: Bearer <key>; a sandboxed command sees neither exported credential variable',
  async run(ctx) {
    const key = `sk-codex-compat-${Date.now()}`
    const action = await runActionOk(ctx, { inputs: { 'api-key': key } })
    ctx.checks.equal(
      action.env['CODEX_API_KEY'],
      key,
      'action exported CODEX_API_KEY'
    )
    const after = await runCodexAfter(ctx, action.env, {
      config: apiKeyModelConfig(ctx.backend)
    })
    const model = requireTurnCompleted(ctx, after)
    checkAllHeaders(
      ctx,
      model,
      'authorization',
      `Bearer ${key}`,
      'Authorization: Bearer <key>'
    )
    checkAllHeaders(
      ctx,
      model,
      'authorization',
      action.env['CODEX_AUTHORIZATION'],
      'exported CODEX_AUTHORIZATION = what Codex sent'
    )
    await checkSandboxHides(
      ctx,
      action.env,
      ['CODEX_API_KEY', 'CODEX_AUTHORIZATION'],
      'CODEX_API_KEY or CODEX_AUTHORIZATION'
    )
  }
}

const agentIdentity: Scenario = {
  name: 'agent-identity',
  summary:
    "access-token JWT → AgentAssertion for the action's task, no JWKS or registration by Codex; a sandboxed command does not see CODEX_AUTHORIZATION",
  async run(ctx) {
    const { identity, action } = await runIdentityAction(ctx)
    requireOneTask(ctx, identity, action)
    const after = await runCodexAfter(ctx, action.env, {
      config: chatgptModelConfig(ctx.backend)
    })
    checkIdentityTurn(ctx, identity, action, after)
    await checkSandboxHides(
      ctx,
      action.env,
      ['CODEX_AUTHORIZATION'],
      'CODEX_AUTHORIZATION'
    )
  }
}

const agentIdentityFromEnv: Scenario = {
  name: 'agent-identity (CODEX_ACCESS_TOKEN in job env)',
  summary:
    'a JWT in job env → the action blanks CODEX_ACCESS_TOKEN, so Codex uses the primed home',
  async run(ctx) {
    const identity = ctx.backend.mintAgentIdentity()
    const jobEnv = { CODEX_ACCESS_TOKEN: identity.jwt }
    const action = await runActionOk(ctx, {
      env: jobEnv,
      inputs: endpointInputs(ctx.backend)
    })
    ctx.checks.equal(
      action.env['CODEX_ACCESS_TOKEN'],
      '',
      'action exported CODEX_ACCESS_TOKEN as ""'
    )
    requireOneTask(ctx, identity, action)
    // Job env first, GITHUB_ENV over it: the runner's order.
    const after = await runCodexAfter(
      ctx,
      { ...jobEnv, ...action.env },
      { config: chatgptModelConfig(ctx.backend) }
    )
    checkIdentityTurn(ctx, identity, action, after)
  }
}

const agentIdentityEnterprise: Scenario = {
  name: 'agent-identity (plan hc → enterprise)',
  summary:
    'plan_type hc primed as enterprise → Codex loads the workspace config bundle and runs',
  async run(ctx) {
    const { identity, action } = await runIdentityAction(ctx, {
      planType: 'hc'
    })
    ctx.checks.equal(
      action.outputs['plan-type'],
      'enterprise',
      'plan-type output = enterprise'
    )
    requireOneTask(ctx, identity, action)
    const after = await runCodexAfter(ctx, action.env, {
      config: chatgptModelConfig(ctx.backend)
    })
    checkIdentityTurn(ctx, identity, action, after)
    ctx.checks.check(
      after.requests.some(
        (r) => r.route === 'config-bundle' && r.status === 200
      ),
      'Codex fetched wham/config/bundle (an enterprise plan)',
      () => `requests: ${describeRequests(after.requests)}`
    )
  }
}

const chatgptTokens: Scenario = {
  name: 'chatgpt-tokens',
  summary:
    'stale ChatGPT tokens → the action refreshes once, Codex sends the new Bearer and does not refresh',
  async run(ctx) {
    const { backend } = ctx
    // Expires within the 5-minute window: the action must refresh.
    const auth = backend.mintChatgptAuth({ accessTokenExpiresIn: 120 })
    const accountId = auth.tokens.account_id!
    const action = await runActionOk(ctx, {
      inputs: { 'auth-json': JSON.stringify(auth), ...endpointInputs(backend) }
    })
    const refreshed = backend.chatgptTokens(accountId)!
    ctx.checks.require(
      refreshed.refreshCount === 1,
      'the action refreshed once',
      () => `refreshes: ${refreshed.refreshCount}`
    )
    const after = await runCodexAfter(ctx, action.env, {
      config: chatgptModelConfig(backend)
    })
    const model = requireTurnCompleted(ctx, after)
    checkAllHeaders(
      ctx,
      model,
      'authorization',
      `Bearer ${refreshed.accessToken}`,
      'Authorization: Bearer <the refreshed access token>'
    )
    checkAllHeaders(
      ctx,
      model,
      'chatgpt-account-id',
      accountId,
      'chatgpt-account-id = tokens.account_id'
    )
    checkAllHeaders(
      ctx,
      model,
      'authorization',
      action.env['CODEX_AUTHORIZATION'],
      'exported CODEX_AUTHORIZATION = what Codex sent'
    )
    ctx.checks.equal(
      countRoute(after.requests, 'refresh'),
      0,
      'Codex made no second refresh'
    )
    ctx.checks.equal(
      backend.chatgptTokens(accountId)!.refreshCount,
      1,
      'the backend saw one refresh in all'
    )
  }
}

const personalAccessToken: Scenario = {
  name: 'personal-access-token',
  summary: 'PAT → Bearer at-… with the whoami account id',
  async run(ctx) {
    const { backend } = ctx
    const pat = backend.mintPersonalAccessToken()
    const action = await runActionOk(ctx, {
      inputs: { 'access-token': pat.token, ...endpointInputs(backend) }
    })
    ctx.checks.equal(
      action.outputs['account-id'],
      pat.accountId,
      'account-id output = the whoami account'
    )
    const after = await runCodexAfter(ctx, action.env, {
      config: chatgptModelConfig(backend)
    })
    const model = requireTurnCompleted(ctx, after)
    checkAllHeaders(
      ctx,
      model,
      'authorization',
      `Bearer ${pat.token}`,
      'Authorization: Bearer at-…'
    )
    checkAllHeaders(
      ctx,
      model,
      'chatgpt-account-id',
      pat.accountId,
      'chatgpt-account-id = the whoami account'
    )
    checkAllHeaders(
      ctx,
      model,
      'authorization',
      action.env['CODEX_AUTHORIZATION'],
      'exported CODEX_AUTHORIZATION = what Codex sent'
    )
  }
}

/**
 * Runs the action with a restriction among `inputs` and checks that the
 * primed config.toml `says` it (`holds` tests the file).
 */
async function primeWithPolicy(
  ctx: ScenarioContext,
  inputs: Record<string, string>,
  says: string,
  holds: (config: string) => boolean
): Promise<ActionRun> {
  const action = await runActionOk(ctx, {
    inputs: { ...inputs, ...endpointInputs(ctx.backend) }
  })
  const config = primedFile(action, 'config.toml')
  ctx.checks.check(holds(config), `primed config.toml ${says}`, () => config)
  return action
}

const policyChatgpt: Scenario = {
  name: 'policy: forced chatgpt stops an API key',
  summary:
    'home primed with forced_login_method = "chatgpt", then CODEX_API_KEY → Codex logs out',
  async run(ctx) {
    const { backend } = ctx
    const pat = backend.mintPersonalAccessToken()
    const action = await primeWithPolicy(
      ctx,
      { 'access-token': pat.token, 'forced-login-method': 'chatgpt' },
      'says forced_login_method = "chatgpt"',
      (config) => /^forced_login_method = "chatgpt"$/m.test(config)
    )
    const after = await runCodexAfter(ctx, action.env, {
      env: { CODEX_API_KEY: 'sk-codex-compat-violator' },
      config: apiKeyModelConfig(backend)
    })
    checkRefused(ctx, after, CHATGPT_REQUIRED)
    const authFile = path.join(action.env['CODEX_HOME'] ?? '', 'auth.json')
    ctx.checks.detail(
      `primed auth.json after Codex logged out: ${fs.existsSync(authFile) ? 'still there' : 'removed'}`
    )
  }
}

const policyApi: Scenario = {
  name: 'policy: forced api stops a PAT',
  summary:
    'home primed with forced_login_method = "api", then CODEX_ACCESS_TOKEN=at-… → Codex logs out',
  async run(ctx) {
    const { backend } = ctx
    const action = await primeWithPolicy(
      ctx,
      { 'api-key': 'sk-codex-compat-policy', 'forced-login-method': 'api' },
      'says forced_login_method = "api"',
      (config) => /^forced_login_method = "api"$/m.test(config)
    )
    const pat = backend.mintPersonalAccessToken()
    // A later step's own env: a PAT, and the exported API key blanked.
    const after = await runCodexAfter(ctx, action.env, {
      env: {
        CODEX_API_KEY: '',
        CODEX_ACCESS_TOKEN: pat.token,
        CODEX_AUTHAPI_BASE_URL: backend.authapiBaseUrl
      },
      config: chatgptModelConfig(backend)
    })
    checkRefused(ctx, after, API_REQUIRED)
  }
}

const policyWorkspace: Scenario = {
  name: 'policy: forced workspace stops another account',
  summary:
    'home primed with forced_chatgpt_workspace_id = [id] runs for that account and refuses a PAT of another',
  async run(ctx) {
    const { backend } = ctx
    const identity = backend.mintAgentIdentity()
    const action = await primeWithPolicy(
      ctx,
      {
        'access-token': identity.jwt,
        'forced-workspace-id': identity.accountId
      },
      'has the list form of forced_chatgpt_workspace_id',
      (config) =>
        config.includes(
          `forced_chatgpt_workspace_id = [ "${identity.accountId}" ]`
        ) ||
        config.includes(
          `forced_chatgpt_workspace_id = ["${identity.accountId}"]`
        )
    )
    // Positive control: Codex accepts the list form and the right account.
    const allowed = await runCodexAfter(ctx, action.env, {
      config: chatgptModelConfig(backend),
      label: 'same account'
    })
    requireTurnCompleted(ctx, allowed)

    const other = backend.mintPersonalAccessToken()
    const refused = await runCodexAfter(ctx, action.env, {
      env: {
        CODEX_ACCESS_TOKEN: other.token,
        CODEX_AUTHAPI_BASE_URL: backend.authapiBaseUrl
      },
      config: chatgptModelConfig(backend),
      label: 'other account'
    })
    checkRefused(
      ctx,
      refused,
      workspaceMismatch([identity.accountId], other.accountId)
    )
  }
}

/**
 * Runs `body` with a throwaway directory holding `files` (mode 0600), removed
 * afterwards: a Codex home of its own (no auth.json unless given), or an
 * /etc/codex for a run given it as `systemLayer`.
 */
export async function withFiles<T>(
  prefix: string,
  files: Record<string, string>,
  body: (dir: string) => Promise<T>
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), text, { mode: 0o600 })
    }
    return await body(dir)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const withSystemLayer = <T>(
  files: Record<string, string>,
  body: (dir: string) => Promise<T>
): Promise<T> => withFiles('codex-compat-etc-', files, body)

export const withHome = <T>(
  files: Record<string, string>,
  body: (home: string) => Promise<T>
): Promise<T> => withFiles('codex-compat-home-', files, body)

/**
 * Runs `codex sandbox -- /usr/bin/env` with `env`: a command under Codex's
 * sandbox gets the environment Codex builds for the commands the model runs
 * (its Codex home's `shell_environment_policy`).
 */
export type SandboxEnvRun = (
  env: Record<string, string>,
  label: string
) => Promise<CodexRun>

/** The names of the variables `/usr/bin/env` printed. */
function envNames(codex: CodexRun): string[] {
  return codex.stdout.split('\n').map((line) => line.split('=')[0] ?? '')
}

/**
 * A command the model runs through Codex sees none of `hidden` with the
 * primed home of `env` (what the action exported), and, the control that
 * lets the check fail, does see each of `control` (default: `hidden`) when
 * the Codex home has no policy.
 */
export async function checkSandboxHides(
  ctx: ScenarioContext,
  env: Record<string, string>,
  hidden: readonly string[],
  what: string,
  options: { control?: readonly string[]; run?: SandboxEnvRun } = {}
): Promise<void> {
  const run: SandboxEnvRun =
    options.run ??
    ((runEnv) =>
      runCodex({
        version: ctx.codexVersion,
        env: { ...runEnv, ...ctx.codexPlumbing },
        args: ['sandbox', '--', '/usr/bin/env']
      }))
  const visible = 'CODEX_COMPAT_VISIBLE'
  const sandbox = await run({ ...env, [visible]: '1' }, 'sandbox env')
  const names = envNames(sandbox)
  ctx.checks.check(
    sandbox.code === 0 && names.includes(visible),
    '`codex sandbox -- env` ran under the primed config (control variable seen)',
    () => `exit ${sandbox.code}\n${tail(sandbox.stderr + sandbox.stdout)}`
  )
  ctx.checks.equal(
    names.filter((name) => hidden.includes(name)).join(' '),
    '',
    `a sandboxed command sees no ${what}`
  )
  const control = options.control ?? hidden
  await withHome({}, async (home) => {
    const bare = await run(
      { ...env, CODEX_HOME: home, [visible]: '1' },
      'sandbox env, no policy'
    )
    const seen = envNames(bare)
    const missing = control.filter((name) => !seen.includes(name))
    ctx.checks.check(
      seen.includes(visible) && missing.length === 0,
      `control: without the primed policy a sandboxed command sees ${control.join(', ')}`,
      () =>
        `exit ${bare.code}; not seen: ${missing.join(' ') || '-'}\n` +
        tail(bare.stderr + bare.stdout)
    )
  })
}

/** The line of Codex's output that says why it stopped, for the report. */
function firstErrorLine(codex: CodexRun): string {
  const text = (codex.stderr + codex.stdout).trim()
  const line =
    text.split('\n').find((l) => /error|required|restricted/i.test(l)) ??
    text.split('\n').at(-1) ??
    ''
  return line.length > 240 ? `${line.slice(0, 236)}…` : line
}

const systemPolicyPrimed: Scenario = {
  name: 'system policy: /etc/codex primed into the home',
  summary:
    'requirements.toml allows chatgpt and one workspace; the action primes a ChatGPT home; Codex with CODEX_API_KEY, or another account, logs out',
  async run(ctx) {
    const { backend } = ctx
    const auth = backend.mintChatgptAuth()
    const accountId = auth.tokens.account_id ?? ''
    const requirements =
      'allowed_login_methods = ["chatgpt"]\n' +
      `allowed_chatgpt_workspaces = ["${accountId}"]\n`
    await withSystemLayer(
      { 'requirements.toml': requirements },
      async (systemLayer) => {
        // Fresh tokens: no request, so no endpoint input (which the system
        // policy would refuse anyway).
        const action = await runActionOk(ctx, {
          inputs: { 'auth-json': JSON.stringify(auth) },
          systemLayer
        })
        const config = primedFile(action, 'config.toml')
        ctx.checks.check(
          /^forced_login_method = "chatgpt"$/m.test(config) &&
            config.includes(`forced_chatgpt_workspace_id = [ "${accountId}" ]`),
          'primed config.toml forces chatgpt and the allowed workspace',
          () => config
        )
        const apiKey = await runCodexAfter(ctx, action.env, {
          env: { CODEX_API_KEY: 'sk-codex-compat-violator' },
          config: apiKeyModelConfig(backend),
          systemLayer,
          label: 'api key'
        })
        checkRefused(ctx, apiKey, CHATGPT_REQUIRED)

        // Another account, outside the list: the primed workspace list holds.
        const other = backend.mintPersonalAccessToken()
        const refused = await runCodexAfter(ctx, action.env, {
          env: {
            CODEX_ACCESS_TOKEN: other.token,
            CODEX_AUTHAPI_BASE_URL: backend.authapiBaseUrl
          },
          config: chatgptModelConfig(backend),
          systemLayer,
          label: 'other account'
        })
        checkRefused(
          ctx,
          refused,
          workspaceMismatch([accountId], other.accountId)
        )
      }
    )
  }
}

/**
 * What Codex itself does with /etc/codex alone, without the action's primed
 * config (recorded in README "Compatibility with the Codex CLI"): each check
 * holds the behaviour observed on 0.169.0 and 0.171.0, so a release that
 * changes it shows up here.
 */
const systemPolicyCodexAlone: Scenario = {
  name: 'system policy: what Codex does with /etc/codex alone',
  summary:
    'allowed_login_methods alone lets CODEX_API_KEY run, allowed_chatgpt_workspaces alone lets another account run; managed_config.toml forced_login_method beats the home config.toml; the table form of allowed_chatgpt_workspaces is refused',
  async run(ctx) {
    const { backend } = ctx
    const apiKey = {
      env: { CODEX_API_KEY: 'sk-codex-compat-system-alone' },
      config: apiKeyModelConfig(backend)
    }

    let after = await codexUnderSystemLayer(ctx, {
      label: 'requirements.toml alone + CODEX_API_KEY',
      system: { 'requirements.toml': 'allowed_login_methods = ["chatgpt"]\n' },
      ...apiKey
    })
    requireTurnCompleted(ctx, after)

    after = await codexUnderSystemLayer(ctx, {
      label:
        'managed_config.toml forced_login_method = "chatgpt" over config.toml "api" + CODEX_API_KEY',
      system: { 'managed_config.toml': 'forced_login_method = "chatgpt"\n' },
      home: { 'config.toml': 'forced_login_method = "api"\n' },
      ...apiKey
    })
    checkRefused(ctx, after, CHATGPT_REQUIRED)

    const pat = backend.mintPersonalAccessToken()
    after = await codexUnderSystemLayer(ctx, {
      label:
        'requirements.toml allowed_chatgpt_workspaces alone + a PAT of another account',
      system: {
        'requirements.toml': 'allowed_chatgpt_workspaces = ["ws-not-it"]\n'
      },
      env: {
        CODEX_ACCESS_TOKEN: pat.token,
        CODEX_AUTHAPI_BASE_URL: backend.authapiBaseUrl
      },
      config: chatgptModelConfig(backend)
    })
    requireTurnCompleted(ctx, after)

    after = await codexUnderSystemLayer(ctx, {
      label: 'requirements.toml table-form allowed_chatgpt_workspaces',
      system: {
        'requirements.toml':
          '[allowed_chatgpt_workspaces]\nids = ["ws-table-form"]\n'
      },
      ...apiKey
    })
    ctx.checks.check(
      after.codex.code !== 0 &&
        (after.codex.stderr + after.codex.stdout).includes(
          'allowed_chatgpt_workspaces'
        ),
      'Codex refuses the table form, naming allowed_chatgpt_workspaces',
      () => tail(after.codex.stderr + after.codex.stdout)
    )
  }
}

/**
 * Runs Codex alone (no action) with a fresh home holding `home`, under an
 * /etc/codex holding `system`, and records its exit and first error line.
 */
async function codexUnderSystemLayer(
  ctx: ScenarioContext,
  options: {
    label: string
    system: Record<string, string>
    home?: Record<string, string>
    env: Record<string, string>
    config: string[]
  }
): Promise<CodexAfter> {
  return withSystemLayer(options.system, (systemLayer) =>
    withHome(options.home ?? {}, async (home) => {
      const after = await runCodexAfter(
        ctx,
        { CODEX_HOME: home },
        {
          env: options.env,
          config: options.config,
          systemLayer,
          label: options.label
        }
      )
      ctx.checks.detail(
        `${options.label}: exit ${after.codex.code}; ${firstErrorLine(after.codex)}`
      )
      return after
    })
  )
}

/**
 * Controls: they show the request log really sees Codex's own bootstrap, so
 * the "zero JWKS / registration / refresh requests" checks above can fail.
 */
const controlIdentityEnvWins: Scenario = {
  name: 'control: CODEX_ACCESS_TOKEN left set → Codex bootstraps',
  summary:
    'if the action did not blank CODEX_ACCESS_TOKEN, Codex would fetch the JWKS and register its own tasks',
  async run(ctx) {
    const { identity, action } = await runIdentityAction(ctx)
    const after = await runCodexAfter(ctx, action.env, {
      // What a later step would get if the action did not blank it.
      env: { CODEX_ACCESS_TOKEN: identity.jwt },
      config: chatgptModelConfig(ctx.backend)
    })
    requireTurnCompleted(ctx, after)
    ctx.checks.check(
      countRoute(after.requests, 'jwks') > 0 &&
        countRoute(after.requests, 'register') > 0,
      'Codex fetched the JWKS and registered tasks itself',
      () => `requests: ${describeRequests(after.requests)}`
    )
    ctx.checks.detail(
      `Codex registered ${ctx.backend.tasksFor(identity.runtimeId).length - 1} task(s) of its own`
    )
  }
}

const controlStaleTokensRefresh: Scenario = {
  name: 'control: stale tokens given to Codex → Codex refreshes',
  summary:
    'the same stale auth.json handed to Codex directly makes it refresh, so "no second refresh" can fail',
  async run(ctx) {
    const { backend } = ctx
    const auth = backend.mintChatgptAuth({ accessTokenExpiresIn: 120 })
    let after: CodexAfter
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-compat-home-'))
    try {
      fs.writeFileSync(
        path.join(home, 'auth.json'),
        JSON.stringify(auth, null, 2),
        { mode: 0o600 }
      )
      fs.writeFileSync(
        path.join(home, 'config.toml'),
        'cli_auth_credentials_store = "file"\n' +
          `chatgpt_base_url = "${backend.chatgptBaseUrl}"\n`
      )
      after = await runCodexAfter(
        ctx,
        {
          CODEX_HOME: home,
          CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.refreshTokenUrl
        },
        { config: chatgptModelConfig(backend) }
      )
    } finally {
      fs.rmSync(home, { recursive: true, force: true })
    }
    requireTurnCompleted(ctx, after)
    ctx.checks.check(
      countRoute(after.requests, 'refresh') > 0,
      'Codex refreshed the stale token itself',
      () => `requests: ${describeRequests(after.requests)}`
    )
  }
}

export const SCENARIOS: Scenario[] = [
  apiKey,
  agentIdentity,
  agentIdentityFromEnv,
  agentIdentityEnterprise,
  chatgptTokens,
  personalAccessToken,
  policyChatgpt,
  policyApi,
  policyWorkspace,
  systemPolicyPrimed,
  systemPolicyCodexAlone,
  controlIdentityEnvWins,
  controlStaleTokensRefresh
]
