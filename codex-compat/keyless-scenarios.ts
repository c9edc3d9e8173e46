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
import type { FederationRule, LoggedRequest } from '../dev/backend/index.js'
import { tail } from './checks.js'
import {
  runCodex,
  runCodexExec,
  runCodexLoginStatus,
  type CodexRun
} from './codex.js'
import { KEYLESS_AUDIENCE } from './keyless.js'
import {
  abbreviate,
  checkAllHeaders,
  describeRequests,
  requireTurnCompleted,
  routeCounts,
  withFiles,
  withHome,
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
 * Headers Codex never sends on the exchange (SPEC 12: no user agent, no
 * originator; no credential of any kind). 0.169.0 sends exactly
 * content-type, accept, host, content-length; 0.171.0 adds accept-encoding.
 */
const NOT_ON_EXCHANGE = ['user-agent', 'originator', 'authorization', 'cookie']
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
  label: string
): LoggedRequest[] {
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
      NOT_ON_EXCHANGE.some((name) => r.headers[name] !== undefined) ||
      r.headers['accept'] !== '*/*' ||
      r.headers['content-type'] !== 'application/x-www-form-urlencoded' ||
      [...new URLSearchParams(r.body).keys()].join(',') !==
        EXCHANGE_FIELDS.join(',')
  )
  ctx.checks.check(
    bad.length === 0,
    `${label}: every exchange went to auth.openai.com with Codex's headers and form, for the rule, and got 200`,
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

/** The keyless scenarios, run after the others. */
export const KEYLESS_SCENARIOS: Scenario[] = [keylessTokenFile]
