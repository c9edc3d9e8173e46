/**
 * Keyless CI with the real Codex (issue 14, SPEC 12): Codex does the
 * workload identity exchange itself, at https://auth.openai.com/oauth/token,
 * and sends the result to https://chatgpt.com; both names reach the keyless
 * backend through a hosts file bind-mounted on /etc/hosts for each run
 * (keyless.ts). Every exchange is checked in the backend's request log:
 * status, rule id and the `jti` of the OIDC token it used.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type {
  FederationRule,
  FederationRuleOptions,
  LoggedRequest
} from '../dev/backend/index.js'
import type { ActionRun } from './action.js'
import { tail } from './checks.js'
import {
  runCodex,
  runCodexExec,
  runCodexLoginStatus,
  type CodexRun
} from './codex.js'
import { KEYLESS_AUDIENCE, processesMentioning } from './keyless.js'
import {
  abbreviate,
  checkAllHeaders,
  checkSandboxHides,
  countRoute,
  describeRequests,
  primedFile,
  requireTurnCompleted,
  routeCounts,
  runActionOk,
  withFiles,
  withHome,
  workspaceMismatch,
  type CodexAfter,
  type Scenario,
  type ScenarioContext
} from './scenarios.js'

/** What `codex login status` prints for workload identity. */
const LOGGED_IN = 'Logged in using workload identity'
/** Codex's text for a refused exchange (SPEC 12). */
const exchangeRejected = (status: number): string =>
  `the workload identity token exchange was rejected with HTTP ${status}`

/**
 * Headers never sent on the exchange: no credential of any kind, and from
 * Codex (SPEC 12) no user agent and no originator either. 0.169.0 sends
 * exactly content-type, accept, host, content-length; 0.171.0 adds
 * accept-encoding. The action may add its user agent.
 */
const NOT_ON_EXCHANGE = ['authorization', 'cookie']
const NOT_FROM_CODEX = [...NOT_ON_EXCHANGE, 'user-agent', 'originator']
/** The form fields of Codex's exchange body, in Codex's order. */
const EXCHANGE_FIELDS = ['grant_type', 'assertion', 'federation_rule_id']

type CodexCommand = 'exec' | 'login status' | 'sandbox env'

/**
 * Clears the keyless backend's log, runs `command` with `env` (plus the test
 * CA) under the OpenAI hosts file, returns what the backend saw.
 */
async function runKeylessCodex(
  ctx: ScenarioContext,
  env: Record<string, string>,
  command: CodexCommand,
  label: string = command
): Promise<CodexAfter> {
  const { backend, hostsFile } = ctx.keyless
  backend.clearRequests()
  ctx.dns.clear()
  const options = {
    version: ctx.codexVersion,
    env: { ...env, ...ctx.codexPlumbing },
    hostsFile
  }
  const codex =
    command === 'exec'
      ? await runCodexExec(options)
      : command === 'login status'
        ? await runCodexLoginStatus(options)
        : await runCodex({
            ...options,
            args: ['sandbox', '--', '/usr/bin/env']
          })
  const requests = [...backend.requests]
  ctx.checks.note(
    `${label}: exit ${codex.code} in ${(codex.ms / 1000).toFixed(1)} s`
  )
  ctx.checks.detail(`${label}: codex requests: ${routeCounts(requests)}`)
  const names = new Set(ctx.dns.queries)
  if (names.size > 0) {
    ctx.checks.detail(`${label}: looked up (NXDOMAIN): ${[...names].join(' ')}`)
  }
  return { codex, requests }
}

function output(codex: CodexRun): string {
  return codex.stderr + codex.stdout
}

/**
 * The exchanges among `requests`, each checked: answered 200, for `rule`,
 * with exactly Codex's headers and form fields.
 */
function checkExchanges(
  ctx: ScenarioContext,
  requests: LoggedRequest[],
  rule: FederationRule,
  label: string,
  sender: 'Codex' | 'the action' = 'Codex'
): LoggedRequest[] {
  const forbidden = sender === 'Codex' ? NOT_FROM_CODEX : NOT_ON_EXCHANGE
  const exchanges = requests.filter((r) => r.route === 'token-exchange')
  const describe = (r: LoggedRequest): string =>
    `#${r.id} ${r.listener}:${r.headers['host'] ?? '?'} -> ${r.status ?? '…'} ` +
    `rule=${r.federationRuleId ?? '?'} jti=${r.jti ?? '?'} ` +
    `headers=${JSON.stringify(r.headers)}`
  const bad = exchanges.filter(
    (r) =>
      r.status !== 200 ||
      r.federationRuleId !== rule.id ||
      r.listener !== 'https' ||
      r.headers['host'] !== 'auth.openai.com' ||
      forbidden.some((name) => r.headers[name] !== undefined) ||
      r.headers['accept'] !== '*/*' ||
      r.headers['content-type'] !== 'application/x-www-form-urlencoded' ||
      [...new URLSearchParams(r.body).keys()].join(',') !==
        EXCHANGE_FIELDS.join(',')
  )
  ctx.checks.check(
    bad.length === 0,
    `${label}: every exchange went to auth.openai.com with Codex's form and content type, no ${forbidden.join('/')}, for the rule, and got 200`,
    () => bad.map(describe).join('\n')
  )
  const headerSets = new Set(
    exchanges.map((r) =>
      Object.entries(r.headers)
        .filter(([name]) => name !== 'host' && name !== 'content-length')
        .map(([name, value]) => `${name}: ${value}`)
        .join('; ')
    )
  )
  ctx.checks.detail(`${label}: exchange headers ${[...headerSets].join(' | ')}`)
  ctx.checks.detail(
    `${label}: exchanges ${exchanges.map((r) => `${r.status ?? '…'} jti=${r.jti ?? '?'}`).join(', ') || 'none'}`
  )
  return exchanges
}

/**
 * Every model request carries `Bearer` + an access token the rule issued
 * and `chatgpt-account-id` of the rule's account.
 */
function checkKeylessModel(
  ctx: ScenarioContext,
  after: CodexAfter,
  rule: FederationRule
): void {
  const model = requireTurnCompleted(ctx, after)
  const issued = ctx.keyless.backend.workloadAccessTokens()
  const bad = model.filter((r) => {
    const match = /^Bearer (.+)$/.exec(r.headers['authorization'] ?? '')
    const token = match ? issued.find((t) => t.token === match[1]) : undefined
    return token?.ruleId !== rule.id
  })
  ctx.checks.check(
    bad.length === 0,
    'model requests: Authorization: Bearer <an access token the exchange issued>',
    () => bad.map((r) => abbreviate(r.headers['authorization'])).join(', ')
  )
  checkAllHeaders(
    ctx,
    model,
    'chatgpt-account-id',
    rule.accountId,
    "model requests: chatgpt-account-id = the rule's account"
  )
  ctx.checks.check(
    model.every((r) => r.headers['host'] === 'chatgpt.com'),
    'model requests went to chatgpt.com (the default Responses endpoint)',
    () => model.map((r) => r.headers['host'] ?? '?').join(', ')
  )
}

/** A fresh 0700 directory for a token file, removed afterwards. */
const withTokenDir = <T>(body: (dir: string) => Promise<T>): Promise<T> =>
  withFiles('codex-compat-wif-', {}, async (dir) => {
    fs.chmodSync(dir, 0o700)
    return body(dir)
  })

/**
 * Phase one of the keyless proof, no action involved: a plain token file
 * rewritten (write, rename) before each Codex run, as OpenAI's guidance says.
 */
const keylessTokenFile: Scenario = {
  name: 'keyless: Codex alone with a token file',
  summary:
    'OPENAI_FEDERATION_RULE_ID + a token file → `login status` and `exec` exchange at auth.openai.com, Bearer + chatgpt-account-id at chatgpt.com; the same token again is refused (replay protection)',
  async run(ctx) {
    const { backend } = ctx.keyless
    const rule = backend.createFederationRule({ audiences: [KEYLESS_AUDIENCE] })
    await withTokenDir((dir) =>
      withHome({}, async (home) => {
        const file = path.join(dir, 'token')
        const writeFresh = (): string => {
          const minted = backend.mintOidcToken({ audience: KEYLESS_AUDIENCE })
          fs.writeFileSync(`${file}.next`, minted.jwt, { mode: 0o600 })
          fs.renameSync(`${file}.next`, file)
          return minted.jti
        }
        const env = {
          CODEX_HOME: home,
          OPENAI_FEDERATION_RULE_ID: rule.id,
          OPENAI_IDENTITY_TOKEN_FILE: file
        }

        let jti = writeFresh()
        const login = await runKeylessCodex(ctx, env, 'login status')
        ctx.checks.check(
          login.codex.code === 0 && output(login.codex).includes(LOGGED_IN),
          `login status: exit 0, "${LOGGED_IN}"`,
          () => `exit ${login.codex.code}\n${tail(output(login.codex))}`
        )
        let exchanges = checkExchanges(ctx, login.requests, rule, 'login')
        ctx.checks.equal(
          exchanges.map((r) => r.jti).join(' '),
          jti,
          'login status exchanged the token in the file, once'
        )

        jti = writeFresh()
        const exec = await runKeylessCodex(ctx, env, 'exec')
        checkKeylessModel(ctx, exec, rule)
        exchanges = checkExchanges(ctx, exec.requests, rule, 'exec')
        ctx.checks.equal(
          exchanges.map((r) => r.jti).join(' '),
          jti,
          'exec exchanged the rewritten token, once'
        )
        ctx.checks.check(
          !fs.existsSync(path.join(home, 'auth.json')),
          'Codex wrote no auth.json'
        )

        // Control: the file not rewritten → a replayed jti, refused.
        const replay = await runKeylessCodex(
          ctx,
          env,
          'login status',
          'same token again'
        )
        const refused = replay.requests.filter(
          (r) => r.route === 'token-exchange'
        )
        ctx.checks.check(
          refused.length > 0 && refused.every((r) => r.status === 400),
          'the replayed token was refused (400): replay protection is on',
          () => describeRequests(replay.requests)
        )
        ctx.checks.check(
          replay.codex.code !== 0 &&
            output(replay.codex).includes(exchangeRejected(400)),
          `Codex stopped with "${exchangeRejected(400)}"`,
          () => `exit ${replay.codex.code}\n${tail(output(replay.codex))}`
        )
      })
    )
  }
}

/** The helper the action started, from its saved cleanup plan. */
interface TokenSourceEntry {
  pid: number
  nonce: string
  dir: string
}

function tokenSourceOf(action: ActionRun): TokenSourceEntry | undefined {
  let plan: unknown
  try {
    plan = JSON.parse(action.state['cleanup'] ?? '[]')
  } catch {
    return undefined
  }
  if (!Array.isArray(plan)) return undefined
  const entry = (plan as Record<string, unknown>[]).find(
    (e) => e['kind'] === 'stop-token-source'
  )
  if (
    typeof entry?.['pid'] !== 'number' ||
    typeof entry['nonce'] !== 'string' ||
    typeof entry['dir'] !== 'string'
  ) {
    return undefined
  }
  return { pid: entry['pid'], nonce: entry['nonce'], dir: entry['dir'] }
}

/**
 * Runs the built action in keyless mode for `rule` (job env with
 * `permissions: id-token: write`), under the OpenAI hosts file, trusting the
 * test CA (its preflight exchange goes to auth.openai.com too). Then `body`,
 * then the post step, and checks no helper process and no token directory
 * are left; a helper still running after that is killed.
 */
async function withKeylessAction(
  ctx: ScenarioContext,
  rule: FederationRule,
  inputs: Record<string, string>,
  body: (action: ActionRun, source: TokenSourceEntry) => Promise<void>,
  stepEnv: Record<string, string> = {}
): Promise<void> {
  const { backend, hostsFile } = ctx.keyless
  backend.clearRequests()
  const jobEnv = ctx.keyless.oidcEnv()
  const action = await runActionOk(ctx, {
    inputs: {
      'federation-rule-id': rule.id,
      'oidc-audience': KEYLESS_AUDIENCE,
      ...inputs
    },
    // Test plumbing only: the action's Node trusts the dev backend's CA.
    env: { ...jobEnv, NODE_EXTRA_CA_CERTS: backend.caCertPath!, ...stepEnv },
    hostsFile
  })
  const preflight = [...backend.requests]
  ctx.checks.note(
    `action: ${countRoute(preflight, 'oidc-token')} OIDC, ` +
      `${countRoute(preflight, 'token-exchange')} exchange`
  )
  const source = tokenSourceOf(action)
  try {
    ctx.checks.require(
      source !== undefined,
      'the saved cleanup plan names the token source (pid, nonce, dir)',
      () => `state cleanup: ${action.state['cleanup'] ?? '(none)'}`
    )
    checkExchanges(ctx, preflight, rule, 'action preflight', 'the action')
    ctx.checks.equal(
      countRoute(preflight, 'token-exchange'),
      1,
      'the action made one preflight exchange'
    )
    await body(action, source!)
    ctx.checks.check(
      processesMentioning(source!.nonce).length > 0,
      'the token source was still serving after the Codex runs'
    )
    const post = await ctx.action.post(action, { env: jobEnv })
    ctx.checks.check(
      post.code === 0,
      'post step succeeded',
      () => `exit ${post.code}\n${tail(post.stdout + post.stderr)}`
    )
    ctx.checks.equal(
      processesMentioning(source!.nonce).join(' '),
      '',
      'after the post step no token source process remains'
    )
    ctx.checks.check(
      !fs.existsSync(source!.dir),
      'after the post step the token directory is gone',
      () => `${source!.dir}: ${fs.readdirSync(source!.dir).join(' ')}`
    )
  } finally {
    for (const pid of source ? processesMentioning(source.nonce) : []) {
      ctx.checks.detail(`killed a token source left running (pid ${pid})`)
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // Gone meanwhile.
      }
    }
  }
}

/** What the action exported for keyless mode, checked. */
function checkKeylessExports(
  ctx: ScenarioContext,
  action: ActionRun,
  rule: FederationRule,
  source: TokenSourceEntry
): void {
  const { env, outputs } = action
  ctx.checks.equal(outputs['auth-mode'], 'workloadIdentity', 'auth-mode output')
  ctx.checks.equal(
    env['OPENAI_FEDERATION_RULE_ID'],
    rule.id,
    'exported OPENAI_FEDERATION_RULE_ID = the rule'
  )
  ctx.checks.equal(
    env['OPENAI_IDENTITY_TOKEN_SOURCE'],
    'file',
    'exported OPENAI_IDENTITY_TOKEN_SOURCE=file'
  )
  const file = env['OPENAI_IDENTITY_TOKEN_FILE'] ?? ''
  ctx.checks.equal(
    outputs['identity-token-file'],
    file,
    'identity-token-file output = OPENAI_IDENTITY_TOKEN_FILE'
  )
  let stat: fs.Stats | undefined
  try {
    stat = fs.statSync(file)
  } catch {
    stat = undefined
  }
  ctx.checks.check(
    stat?.isFIFO() === true && path.dirname(file) === source.dir,
    'the token file is a FIFO in the token source directory',
    () => `${file}: ${stat ? 'not a FIFO' : 'missing'} (dir ${source.dir})`
  )
  ctx.checks.equal(
    (fs.statSync(source.dir).mode & 0o777).toString(8),
    '700',
    'the token directory is 0700'
  )
  ctx.checks.equal(
    outputs['account-id'],
    rule.accountId,
    "account-id output = the rule's account"
  )
  ctx.checks.check(
    !fs.existsSync(path.join(env['CODEX_HOME'] ?? '/nonexistent', 'auth.json')),
    'no auth.json primed'
  )
}

/** `jti`s that occur more than once. */
function repeated(jtis: (string | undefined)[]): string[] {
  const seen = new Set<string>()
  const twice = new Set<string>()
  for (const jti of jtis) {
    const key = jti ?? '(none)'
    if (seen.has(key)) twice.add(key)
    seen.add(key)
  }
  return [...twice]
}

function keylessRule(
  ctx: ScenarioContext,
  options: FederationRuleOptions = {}
): FederationRule {
  return ctx.keyless.backend.createFederationRule({
    audiences: [KEYLESS_AUDIENCE],
    ...options
  })
}

const keylessFifo: Scenario = {
  name: "keyless: Codex exchanges from the action's FIFO",
  summary:
    'federation-rule-id + oidc-audience → with exactly the exported env Codex exchanges a never-used OIDC token from the helper and sends Bearer + chatgpt-account-id; a sandboxed command sees neither the OIDC request variables nor CODEX_AUTHORIZATION; the post step stops the helper',
  async run(ctx) {
    const rule = keylessRule(ctx)
    await withKeylessAction(ctx, rule, {}, async (action, source) => {
      const preflightJtis = ctx.keyless.backend
        .requestsFor('token-exchange')
        .map((r) => r.jti)
      checkKeylessExports(ctx, action, rule, source)
      const config = primedFile(action, 'config.toml')
      ctx.checks.check(
        /^\[shell_environment_policy\]$/m.test(config),
        'primed config.toml has a [shell_environment_policy] table',
        () => config
      )

      const exec = await runKeylessCodex(ctx, action.env, 'exec')
      checkKeylessModel(ctx, exec, rule)
      const exchanges = checkExchanges(ctx, exec.requests, rule, 'exec')
      ctx.checks.check(exchanges.length > 0, 'Codex exchanged itself', () =>
        describeRequests(exec.requests)
      )
      const fromService = new Set(
        ctx.keyless.backend
          .oidcTokens()
          .filter((t) => t.source === 'request')
          .map((t) => t.jti)
      )
      ctx.checks.check(
        exchanges.every((r) => r.jti !== undefined && fromService.has(r.jti)),
        "each of Codex's assertions was minted by the OIDC service",
        () => exchanges.map((r) => r.jti ?? '?').join(' ')
      )
      const twice = repeated([...preflightJtis, ...exchanges.map((r) => r.jti)])
      ctx.checks.equal(
        twice.join(' '),
        '',
        'no jti was exchanged twice (preflight and Codex)'
      )

      // The job env of a later step carries the OIDC request variables (and
      // the exported header): the primed policy must keep them from the
      // commands the model runs.
      await checkSandboxHides(
        ctx,
        { ...ctx.keyless.oidcEnv(), ...action.env },
        [
          'ACTIONS_ID_TOKEN_REQUEST_URL',
          'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
          'OPENAI_FEDERATION_RULE_ID',
          'OPENAI_IDENTITY_TOKEN_FILE',
          'OPENAI_IDENTITY_TOKEN_SOURCE',
          'OPENAI_WORKLOAD_IDENTITY_CONTEXT',
          'CODEX_AUTHORIZATION'
        ],
        'ACTIONS_ID_TOKEN_REQUEST_*, OPENAI_* workload variable or CODEX_AUTHORIZATION',
        {
          // Codex drops its own workload variables from a command's
          // environment by itself; these it passes on unless told not to.
          control: [
            'ACTIONS_ID_TOKEN_REQUEST_URL',
            'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
            'CODEX_AUTHORIZATION'
          ],
          run: async (env, label) =>
            (await runKeylessCodex(ctx, env, 'sandbox env', label)).codex
        }
      )
    })
  }
}

const keylessReplay: Scenario = {
  name: 'keyless: a fresh jti for every exchange',
  summary:
    'rule with replay protection and 4 s tokens; `login status`, `exec`, and an `exec` whose model reply takes 5 s → several exchanges (two in the slow run), every one a different jti, none refused',
  async run(ctx) {
    const rule = keylessRule(ctx, { expiresIn: 4, replayProtection: true })
    await withKeylessAction(ctx, rule, {}, async (action) => {
      const all: LoggedRequest[] = [
        ...ctx.keyless.backend.requestsFor('token-exchange')
      ]
      const login = await runKeylessCodex(ctx, action.env, 'login status')
      ctx.checks.check(
        login.codex.code === 0 && output(login.codex).includes(LOGGED_IN),
        `login status: exit 0, "${LOGGED_IN}"`,
        () => `exit ${login.codex.code}\n${tail(output(login.codex))}`
      )
      all.push(...checkExchanges(ctx, login.requests, rule, 'login'))
      const exec = await runKeylessCodex(ctx, action.env, 'exec', 'exec')
      checkKeylessModel(ctx, exec, rule)
      all.push(...checkExchanges(ctx, exec.requests, rule, 'exec'))
      // A model reply slower than the token's life: Codex must exchange
      // again within the same run, reading the FIFO a second time.
      ctx.keyless.backend.inject('responses', {
        kind: 'delay',
        ms: 5_000,
        times: 1
      })
      const slow = await runKeylessCodex(ctx, action.env, 'exec', 'slow exec')
      ctx.keyless.backend.clearFaults('responses')
      checkKeylessModel(ctx, slow, rule)
      const again = checkExchanges(ctx, slow.requests, rule, 'slow exec')
      all.push(...again)
      ctx.checks.check(
        again.length >= 2,
        'the slow run exchanged again (a second FIFO read in one Codex process)',
        () => `${again.length} exchange(s): ${describeRequests(slow.requests)}`
      )
      ctx.checks.note(`${all.length} exchanges`)
      ctx.checks.check(
        all.length >= 5,
        'five or more exchanges (preflight, login status, exec, slow exec twice)',
        () => `${all.length}`
      )
      ctx.checks.check(
        all.every((r) => r.federationRuleId === rule.id && r.status === 200),
        'every exchange named the rule and was accepted'
      )
      ctx.checks.equal(
        repeated(all.map((r) => r.jti)).join(' '),
        '',
        'every exchange used a different jti'
      )
    })
  }
}

const keylessWorkspace: Scenario = {
  name: 'keyless: primed workspace list excludes the account',
  summary:
    'forced-workspace-id = the account passes the action; the primed forced_chatgpt_workspace_id edited to another id → Codex stops with its own message',
  async run(ctx) {
    const rule = keylessRule(ctx)
    const inputs = { 'forced-workspace-id': rule.accountId }
    await withKeylessAction(ctx, rule, inputs, async (action) => {
      const home = action.env['CODEX_HOME'] ?? ''
      const configPath = path.join(home, 'config.toml')
      const config = primedFile(action, 'config.toml')
      const line = /^forced_chatgpt_workspace_id = .*$/m
      ctx.checks.require(
        line.test(config) && config.includes(rule.accountId),
        "primed config.toml forces the rule's workspace",
        () => config
      )
      const other = 'ws-codex-compat-not-this-one'
      fs.writeFileSync(
        configPath,
        config.replace(line, `forced_chatgpt_workspace_id = [ "${other}" ]`)
      )
      const after = await runKeylessCodex(ctx, action.env, 'exec')
      // For workload identity Codex stops without logging out (nothing to
      // log out of): the text up to the account, with no period.
      const message = workspaceMismatch([other], rule.accountId).replace(
        /\. Logging out\.$/,
        ''
      )
      ctx.checks.check(
        after.codex.code === 1,
        'codex exec exited 1',
        () => `exit ${after.codex.code}\n${tail(output(after.codex))}`
      )
      ctx.checks.check(
        output(after.codex).includes(message),
        `codex printed "${message}"`,
        () => tail(output(after.codex))
      )
      ctx.checks.detail(
        `codex said: ${
          output(after.codex)
            .split('\n')
            .find((l) => l.includes('restricted')) ?? '(nothing)'
        }`
      )
      ctx.checks.equal(
        countRoute(after.requests, 'responses'),
        0,
        'no model request was made'
      )
    })
  }
}

/** The token source's test-only period of `file` mode (serve-file.ts). */
const TEST_FILE_PERIOD_ENV = 'CODEX_AUTH_TEST_TOKEN_FILE_PERIOD_MS'
const FILE_PERIOD_MS = 2_500

/** Resolves once `file` holds a token other than `previous` (or times out). */
async function nextFileToken(file: string, previous: string): Promise<string> {
  const deadline = Date.now() + FILE_PERIOD_MS * 3
  for (;;) {
    let text = ''
    try {
      text = fs.readFileSync(file, 'utf8').trim()
    } catch {
      // Between the write and the rename: look again.
    }
    if (text !== '' && text !== previous) return text
    if (Date.now() > deadline) return ''
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function jwtJti(jwt: string): string | undefined {
  try {
    const claims = JSON.parse(
      Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')
    ) as { jti?: unknown }
    return typeof claims.jti === 'string' ? claims.jti : undefined
  } catch {
    return undefined
  }
}

const keylessFileMode: Scenario = {
  name: 'keyless: identity-token-file-mode file',
  summary: `a regular file replaced every period (${FILE_PERIOD_MS / 1000} s here, through ${TEST_FILE_PERIOD_ENV}) → Codex exchanges what it holds; a second exchange within one period reuses the token, which replay protection refuses (README); the next period works again`,
  async run(ctx) {
    const rule = keylessRule(ctx)
    await withKeylessAction(
      ctx,
      rule,
      { 'identity-token-file-mode': 'file' },
      async (action, source) => {
        const file = action.env['OPENAI_IDENTITY_TOKEN_FILE'] ?? ''
        const stat = fs.statSync(file, { throwIfNoEntry: false })
        ctx.checks.check(
          stat?.isFile() === true &&
            (stat.mode & 0o777) === 0o600 &&
            path.dirname(file) === source.dir,
          'the token file is a regular 0600 file in the token directory',
          () => `${file}: ${stat ? (stat.mode & 0o777).toString(8) : 'missing'}`
        )
        // Right after a replacement, so both runs fall in one period.
        const first = await nextFileToken(
          file,
          fs.readFileSync(file, 'utf8').trim()
        )
        ctx.checks.require(first !== '', 'the helper replaced the file')
        const ok = await runKeylessCodex(ctx, action.env, 'login status')
        ctx.checks.check(
          ok.codex.code === 0 && output(ok.codex).includes(LOGGED_IN),
          `login status: exit 0, "${LOGGED_IN}"`,
          () => `exit ${ok.codex.code}\n${tail(output(ok.codex))}`
        )
        const used = checkExchanges(ctx, ok.requests, rule, 'login')
        ctx.checks.equal(
          used.map((r) => r.jti).join(' '),
          jwtJti(first) ?? '?',
          'Codex exchanged the token the file held'
        )
        const again = await runKeylessCodex(
          ctx,
          action.env,
          'login status',
          'same period'
        )
        const refused = again.requests.filter(
          (r) => r.route === 'token-exchange'
        )
        ctx.checks.check(
          refused.length > 0 &&
            refused.every((r) => r.status === 400 && r.jti === jwtJti(first)),
          'a second exchange within the period reused the token and was refused (400)',
          () => describeRequests(again.requests)
        )
        ctx.checks.check(
          again.codex.code !== 0 &&
            output(again.codex).includes(exchangeRejected(400)),
          `Codex stopped with "${exchangeRejected(400)}"`,
          () => `exit ${again.codex.code}\n${tail(output(again.codex))}`
        )
        const second = await nextFileToken(file, first)
        ctx.checks.require(
          second !== '',
          'the helper replaced the file again within three periods'
        )
        const exec = await runKeylessCodex(
          ctx,
          action.env,
          'exec',
          'next period'
        )
        checkKeylessModel(ctx, exec, rule)
        const fresh = checkExchanges(ctx, exec.requests, rule, 'next period')
        ctx.checks.check(
          fresh.length > 0 && fresh.every((r) => r.jti === jwtJti(second)),
          'the next period: Codex exchanged the new token and ran',
          () => describeRequests(exec.requests)
        )
      },
      { [TEST_FILE_PERIOD_ENV]: String(FILE_PERIOD_MS) }
    )
  }
}

/** The keyless scenarios, run after the others. */
export const KEYLESS_SCENARIOS: Scenario[] = [
  keylessTokenFile,
  keylessFifo,
  keylessReplay,
  keylessWorkspace,
  keylessFileMode
]
