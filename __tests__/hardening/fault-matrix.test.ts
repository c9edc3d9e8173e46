/**
 * The fault matrix: every backend call the action makes (JWKS, task
 * registration, whoami, token refresh, and for workload identity GitHub's
 * OIDC token request and the token exchange) against every fault the dev
 * backend can inject, through the whole pipeline (`run` from src/main.ts
 * with the real runner protocol, writing real GITHUB_* files).
 *
 * Workload identity runs with a stand-in token source (the real helper is
 * a separate bundle, covered with faults by the leak scanner's keyless
 * scenarios and its own tests): the OIDC requests counted here are the
 * preflight's, one per exchange attempt, each for a never-used token, and
 * the token source's first, which the main step requests once the
 * preflight's first came.
 *
 * Each case checks the documented outcome (retried and succeeded, or one
 * clear final error), how many requests reached the backend, that no secret
 * is in any channel, that nothing is exported or left behind on failure, and
 * that the total time stays bounded.
 *
 * Time: the HTTP helper takes its clock and sleep as dependencies, and
 * here both are a virtual clock. A sleep returns at once and moves the
 * clock by what was asked. A request moves it by what the fault it met
 * costs, read from the dev backend's request log: a hang costs the attempt's
 * whole timeout (cut to what is left of the budget), a slow answer its
 * declared delay (at most the timeout), anything else nothing. Real timers
 * run SCALE times faster so that a hang ends in real time too (a 10 s
 * timeout fires after 200 ms); their real durations are never measured. No
 * test waits for a real timeout, and the bounds below are exact.
 */
import { jest } from '@jest/globals'
import * as fs from 'node:fs'
import {
  startDevBackend,
  type DevBackend,
  type FaultSpec
} from '../../dev/backend/index.js'
import {
  ACTION_TIME_BUDGET_MS,
  createHttpClient,
  MAX_RETRY_DELAY_MS,
  type HttpClient,
  type RequestSpec
} from '../../src/clients/http.js'
import { TASK_ID_MAX, ACCOUNT_ID_MAX } from '../../src/clients/reply.js'
import { taskIdTooLong } from '../../src/messages/agent-identity.js'
import { whoamiValueTooLong } from '../../src/messages/pat.js'
import { OIDC_REPLY_INVALID } from '../../src/messages/workload-identity.js'
import { run } from '../../src/main.js'
import { createActionsRunner } from '../../src/runner/actions.js'
import { describeFindings, scanRun, type Secret } from '../support/leak-scan.js'
import { standInTokenSource } from '../support/stand-in-token-source.js'
import { runnerStepEnv } from '../../dev/runner-sim.js'
import {
  EMPTY_PLAN,
  collectRun,
  makeRunnerDirs,
  type RunnerDirs,
  type RunResult
} from '../support/run-action.js'

/** Real per-attempt timeouts and injected delays run this much faster. */
const SCALE = 50

/** A virtual clock for the HTTP helper, and what it recorded. */
interface VirtualHttp {
  client: HttpClient
  /** Virtual milliseconds spent so far: waits plus what each fault cost. */
  elapsed(): number
  sleeps: number[]
  specs: RequestSpec[]
}

/** A slow answer of `virtualMs` on the virtual clock. */
function slowAnswer(virtualMs: number, times?: number): FaultSpec {
  return {
    kind: 'delay',
    ms: virtualMs / SCALE,
    ...(times === undefined ? {} : { times })
  }
}

/**
 * An HTTP client on a virtual clock that the dev backend's request log
 * moves: see the file comment. `faults` are the ones injected for the case
 * (a slow answer's virtual delay is read from them). With `call`, only that
 * call's attempts get the scaled-down real timeout: a healthy request made
 * alongside (the token source's first OIDC token, during the exchange) keeps
 * its own, so a busy machine cannot time it out for real.
 */
function virtualHttp(
  faults: readonly FaultSpec[] = [],
  call?: string
): VirtualHttp {
  const t0 = Date.now()
  const deadline = t0 + ACTION_TIME_BUDGET_MS
  let clock = t0
  let logged = 0
  let timeoutMs = 0
  const slow = faults.find(
    (f): f is Extract<FaultSpec, { kind: 'delay' }> =>
      typeof f !== 'number' && f.kind === 'delay'
  )
  const sleeps: number[] = []
  const specs: RequestSpec[] = []
  // Each logged request is one attempt: charge what its fault costs, with
  // the attempt's timeout cut to the budget left when it started.
  const absorb = (): void => {
    for (const request of backend.requests.slice(logged)) {
      logged++
      const attemptTimeout = Math.max(0, Math.min(timeoutMs, deadline - clock))
      if (request.fault === 'hang') clock += attemptTimeout
      if (request.fault === 'delay') {
        clock += Math.min((slow?.ms ?? 0) * SCALE, attemptTimeout)
      }
    }
  }
  const now = (): number => {
    absorb()
    return clock
  }
  const inner = createHttpClient({
    sleep: (ms) => {
      absorb()
      sleeps.push(ms)
      clock += ms
      return Promise.resolve()
    },
    random: Math.random,
    now,
    userAgent: 'codex_github_action/fault-matrix',
    originator: 'codex_github_action',
    deadline
  })
  return {
    client: {
      request: async (spec) => {
        specs.push(spec)
        absorb()
        // Requests nest: the exchange mints its OIDC token (a request of its
        // own) before each attempt, and its attempts are charged its timeout.
        const outer = timeoutMs
        timeoutMs = spec.timeoutMs
        try {
          const scaled = call === undefined || spec.what === call
          return await inner.request({
            ...spec,
            timeoutMs: scaled
              ? Math.max(1, Math.round(spec.timeoutMs / SCALE))
              : spec.timeoutMs
          })
        } finally {
          absorb()
          timeoutMs = outer
        }
      }
    },
    elapsed: () => now() - t0,
    sleeps,
    specs
  }
}

/** One in-process run of the main step, captured like a runner would. */
async function runInProcess(
  dirs: RunnerDirs,
  inputs: Record<string, string>,
  http: VirtualHttp,
  env: Record<string, string> = {}
): Promise<RunResult> {
  // The real runner is @actions/core: it reads process.env and prints on
  // process.stdout, so the run gets the step's env and its stdout is caught.
  const savedEnv = process.env
  process.env = runnerStepEnv(dirs, inputs, env)
  let stdout = ''
  const spy = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk)
      return true
    })
  try {
    await run(createActionsRunner(), {
      now: () => new Date(),
      createHttp: () => Promise.resolve(http.client),
      // A stand-in token source (see the file comment).
      ...standInTokenSource({ dirPrefix: 'codex-token-' }).deps
    })
  } finally {
    spy.mockRestore()
    process.env = savedEnv
  }
  const code = process.exitCode === 1 ? 1 : 0
  process.exitCode = 0
  // Each case gets fresh runner dirs: everything in the files is this run's.
  const empty = { env: '', output: '', state: '', summary: '' }
  return collectRun(dirs, empty, { code, stdout, stderr: '' })
}

// ---- Routes -----------------------------------------------------------------------

type Route =
  'jwks' | 'register' | 'whoami' | 'refresh' | 'oidc-token' | 'token-exchange'

/** What a route's case runs with, and the secrets to look for. */
interface Prepared {
  inputs: Record<string, string>
  env?: Record<string, string>
  secrets: Secret[]
  /** Secrets known only after the run (tokens the backend issued). */
  learn?: () => Secret[]
}

/** What a route's final error looks like, by failure class. */
interface RouteInfo {
  route: Route
  /**
   * The call's name (`RequestSpec.what`): only its attempts meet the fault,
   * so only they run on the scaled-down real timeout.
   */
  call: string
  /** Per-attempt timeout of the call, as the action sets it. */
  timeoutMs: number
  /** Attempts in all for a transient failure. */
  maxAttempts: number
  /** Sets up the credential whose resolution makes this call. */
  prepare(b: DevBackend): Prepared
  /** Further checks of the requests, once the outcome is known. */
  requests?(b: DevBackend, outcome: Outcome): void
  /** Requests of the route beyond the call's own attempts (default 0). */
  extra?(outcome: Outcome): number
  /** Every attempt failed in transport; `detail` is the helper's cause. */
  transport(detail: string): RegExp
  /** The final answer had this status. */
  status(code: number, reason: string, attempts: number): RegExp | string
  /** A 2xx answer that is not what the call expects. */
  undecodable: RegExp | string
}

const re = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

let backend: DevBackend

function endpointInputs(): Record<string, string> {
  return {
    'chatgpt-base-url': backend.chatgptBaseUrl,
    'jwks-base-url': backend.chatgptBaseUrl,
    'authapi-base-url': backend.authapiBaseUrl,
    'refresh-token-url': backend.refreshTokenUrl
  }
}

function identityPrepare(b: DevBackend): {
  inputs: Record<string, string>
  secrets: Secret[]
} {
  const id = b.mintAgentIdentity()
  return {
    inputs: { 'access-token': id.jwt, ...endpointInputs() },
    secrets: [
      { label: 'JWT', value: id.jwt },
      { label: 'agent_private_key', value: id.privateKeyB64 }
    ]
  }
}

const KEYLESS_AUDIENCE = 'https://example.test/fault-matrix'

/** The path of the OIDC token request (its query is never shown). */
const OIDC_PATH =
  '/_apis/distributedtask/hubs/Actions/plans/dev-plan/jobs/dev-job/idtoken'

/** Workload identity through a rule the dev backend accepts. */
function keylessPrepare(b: DevBackend): Prepared {
  const rule = b.createFederationRule({ audiences: [KEYLESS_AUDIENCE] })
  return {
    inputs: {
      'federation-rule-id': rule.id,
      'oidc-audience': KEYLESS_AUDIENCE,
      'refresh-token-url': b.refreshTokenUrl
    },
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: b.oidcRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: b.oidcRequestToken
    },
    secrets: [{ label: 'OIDC request token', value: b.oidcRequestToken }],
    learn: () => [
      ...b.oidcTokens().map((t) => ({ label: 'OIDC token', value: t.jwt })),
      ...b
        .workloadAccessTokens()
        .map((t) => ({ label: 'exchanged access token', value: t.token }))
    ]
  }
}

const EXPIRED_NOTE = re(
  '. The ChatGPT access token has already expired, so it cannot be used instead.'
)

const ROUTES: RouteInfo[] = [
  {
    route: 'jwks',
    call: 'agent identity JWKS request',
    timeoutMs: 10_000,
    maxAttempts: 3,
    prepare: identityPrepare,
    transport: (detail) =>
      new RegExp(
        `^agent identity JWKS request to http://127\\.0\\.0\\.1:\\d+/backend-api/wham/agent-identities/jwks failed after \\d attempt\\(s\\): ${detail}`
      ),
    status: (code, reason) =>
      new RegExp(
        `^agent identity JWKS endpoint returned an error: ${code} ${re(reason)} from http://127\\.0\\.0\\.1:\\d+/backend-api/wham/agent-identities/jwks`
      ),
    undecodable:
      /^failed to decode agent identity JWKS from .*: (the body is not JSON|it is not an object with a "keys" array)\. Check chatgpt-base-url and jwks-base-url\.$/
  },
  {
    route: 'register',
    call: 'agent task registration',
    timeoutMs: 30_000,
    maxAttempts: 3,
    prepare: identityPrepare,
    transport: (detail) =>
      new RegExp(
        `^retryable agent identity registration failure: agent task registration to http://127\\.0\\.0\\.1:\\d+/api/accounts/v1/agent/[\\w-]+/task/register failed after \\d attempt\\(s\\): ${detail}`
      ),
    status: (code, reason, attempts) =>
      new RegExp(
        `^${attempts > 1 ? re('retryable agent identity registration failure: ') : ''}agent task registration failed with status ${code} ${re(reason)}`
      ),
    undecodable:
      /^(failed to decode agent task registration response|agent task registration response omitted task id)$/
  },
  {
    route: 'whoami',
    call: 'personal access token lookup (whoami)',
    timeoutMs: 10_000,
    maxAttempts: 3,
    prepare: (b) => {
      const pat = b.mintPersonalAccessToken()
      return {
        inputs: { 'access-token': pat.token, ...endpointInputs() },
        secrets: [{ label: 'PAT', value: pat.token }]
      }
    },
    transport: (detail) =>
      new RegExp(
        `^personal access token lookup \\(whoami\\) to http://127\\.0\\.0\\.1:\\d+/api/accounts/v1/user-auth-credential/whoami failed after \\d attempt\\(s\\): ${detail}`
      ),
    status: (code, reason) =>
      code === 401 || code === 403
        ? new RegExp(
            `^The personal access token was rejected by .* \\(status ${code} ${re(reason)}\\)`
          )
        : new RegExp(
            `^personal access token lookup \\(whoami\\) failed with status ${code} ${re(reason)}`
          ),
    undecodable:
      /^personal access token lookup \(whoami\) answered with a body that is not a JSON object/
  },
  {
    route: 'refresh',
    call: 'token refresh',
    timeoutMs: 30_000,
    maxAttempts: 3,
    prepare: (b) => {
      // Expired, so a failed refresh cannot fall back to the current token.
      const auth = b.mintChatgptAuth({ accessTokenExpiresIn: -60 })
      return {
        inputs: { 'auth-json': JSON.stringify(auth), ...endpointInputs() },
        secrets: [
          { label: 'id_token', value: auth.tokens.id_token },
          { label: 'access_token', value: auth.tokens.access_token },
          { label: 'refresh_token', value: auth.tokens.refresh_token }
        ]
      }
    },
    transport: (detail) =>
      new RegExp(
        `^token refresh to http://127\\.0\\.0\\.1:\\d+/oauth/token failed after \\d attempt\\(s\\): ${detail}.*${EXPIRED_NOTE}`
      ),
    status: (code, reason) =>
      code === 401
        ? 'Your access token could not be refreshed. Please log out and sign in again.'
        : new RegExp(
            `^Failed to refresh token: ${code} ${re(reason)}: .*${EXPIRED_NOTE}`
          ),
    undecodable: new RegExp(
      `^${re('Failed to refresh token: the token endpoint answered with a body that is not a token response')}${EXPIRED_NOTE}`
    )
  },
  {
    route: 'oidc-token',
    call: 'GitHub OIDC token request',
    timeoutMs: 10_000,
    maxAttempts: 3,
    prepare: keylessPrepare,
    // The token source's first token, once the preflight's came.
    extra: (outcome) => (outcome.ok ? 1 : 0),
    // The exchange is made only with a token, once.
    requests: (b, outcome) =>
      expect(b.requestsFor('token-exchange')).toHaveLength(outcome.ok ? 1 : 0),
    transport: (detail) =>
      new RegExp(
        `^GitHub OIDC token request to http://127\\.0\\.0\\.1:\\d+${re(OIDC_PATH)} failed after \\d attempt\\(s\\): ${detail}`
      ),
    status: (code, reason) =>
      code === 401 || code === 403
        ? new RegExp(
            `^${re(`GitHub's OIDC token service refused the job's request token (status ${code} ${reason}).`)}`
          )
        : new RegExp(
            `^${re(`GitHub's OIDC token service answered with status ${code} ${reason}`)}`
          ),
    undecodable: OIDC_REPLY_INVALID
  },
  {
    route: 'token-exchange',
    call: 'workload identity token exchange',
    timeoutMs: 30_000,
    maxAttempts: 3,
    prepare: keylessPrepare,
    // A retried exchange never resends a token: one OIDC request, and one
    // new jti, per attempt.
    requests: (b, outcome) => {
      const jtis = b.requestsFor('token-exchange').map((r) => r.jti)
      // And the token source's first (the preflight's first came).
      expect(b.requestsFor('oidc-token')).toHaveLength(outcome.attempts + 1)
      expect(jtis.every((jti) => typeof jti === 'string')).toBe(true)
      expect(new Set(jtis).size).toBe(outcome.attempts)
    },
    transport: (detail) =>
      new RegExp(
        `^workload identity token exchange to http://127\\.0\\.0\\.1:\\d+/oauth/token failed after \\d attempt\\(s\\): ${detail}`
      ),
    status: (code, _reason, attempts) =>
      new RegExp(
        `^the workload identity token exchange was rejected with HTTP ${code}\\b.*${
          attempts > 1
            ? re(`(${attempts} attempts, each with a new OIDC token)`)
            : 'The GitHub OIDC token sent had iss "'
        }`
      ),
    undecodable:
      /^the workload identity token exchange returned an invalid response: /
  }
]

// ---- Faults -----------------------------------------------------------------------

// The whoami wrong-shape body: an object without the documented fields is a
// valid (empty) identity, which then has no account to route requests to.
const WHOAMI_NO_ACCOUNT =
  /^personal access token lookup \(whoami\) named no ChatGPT account/

type Outcome =
  | { ok: true; attempts: number; sleeps?: (sleeps: number[]) => void }
  | { ok: false; attempts: number; message: RegExp | string }

interface FaultCase {
  name: string
  faults: (r: RouteInfo) => FaultSpec[]
  outcome: (r: RouteInfo) => Outcome
}

const forever = (spec: FaultSpec): FaultSpec[] => [spec]
const once = (spec: Exclude<FaultSpec, number>, times = 1): FaultSpec[] => [
  { ...spec, times }
]
const retried = (attempts: number): Outcome => ({ ok: true, attempts })

function statusFailure(
  code: number,
  reason: string,
  retryable: boolean
): (r: RouteInfo) => Outcome {
  return (r) => {
    const attempts = retryable ? r.maxAttempts : 1
    return { ok: false, attempts, message: r.status(code, reason, attempts) }
  }
}

const FAULTS: FaultCase[] = [
  {
    name: 'timeout on every attempt',
    faults: () => forever({ kind: 'hang' }),
    outcome: (r) => ({
      ok: false,
      attempts: r.maxAttempts,
      message: r.transport(`no complete response within \\d+ ms`)
    })
  },
  {
    name: 'timeout once, then an answer',
    faults: () => once({ kind: 'hang' }),
    outcome: () => retried(2)
  },
  {
    name: 'connection reset on every attempt',
    faults: () => forever({ kind: 'reset' }),
    outcome: (r) => ({
      ok: false,
      attempts: r.maxAttempts,
      message: r.transport(
        '(connection reset|the connection closed before the response was complete)'
      )
    })
  },
  {
    name: 'connection reset twice, then an answer',
    faults: () => once({ kind: 'reset' }, 2),
    outcome: () => retried(3)
  },
  ...[500, 502, 503].map((code): FaultCase => ({
    name: `${code} on every attempt`,
    faults: () => forever(code),
    outcome: (r) =>
      statusFailure(
        code,
        {
          500: 'Internal Server Error',
          502: 'Bad Gateway',
          503: 'Service Unavailable'
        }[code] ?? '',
        true
      )(r)
  })),
  {
    name: '500 twice, then an answer',
    faults: () => once({ kind: 'status', status: 500 }, 2),
    outcome: () => retried(3)
  },
  {
    name: '429 without Retry-After, then an answer',
    faults: () => once({ kind: 'status', status: 429 }),
    outcome: () => ({
      ok: true,
      attempts: 2,
      // Jittered backoff around 500 ms: 0.5 to 1.5 times.
      sleeps: (s) => {
        expect(s).toHaveLength(1)
        expect(s[0]).toBeGreaterThanOrEqual(250)
        expect(s[0]).toBeLessThanOrEqual(750)
      }
    })
  },
  {
    name: '429 with Retry-After: 3 (seconds), then an answer',
    faults: () => once({ kind: 'status', status: 429, retryAfter: 3 }),
    outcome: () => ({
      ok: true,
      attempts: 2,
      sleeps: (s) => expect(s).toEqual([3000])
    })
  },
  {
    name: '429 with Retry-After: 120 (capped at 10 s), then an answer',
    faults: () => once({ kind: 'status', status: 429, retryAfter: 120 }),
    outcome: () => ({
      ok: true,
      attempts: 2,
      sleeps: (s) => expect(s).toEqual([MAX_RETRY_DELAY_MS])
    })
  },
  {
    name: '503 with Retry-After as an HTTP-date a minute away (capped), then an answer',
    faults: () =>
      once({
        kind: 'status',
        status: 503,
        retryAfter: new Date(Date.now() + 60_000).toUTCString()
      }),
    outcome: () => ({
      ok: true,
      attempts: 2,
      sleeps: (s) => expect(s).toEqual([MAX_RETRY_DELAY_MS])
    })
  },
  {
    name: '429 with Retry-After as an HTTP-date in the past, then an answer',
    faults: () =>
      once({
        kind: 'status',
        status: 429,
        retryAfter: new Date(Date.now() - 60_000).toUTCString()
      }),
    outcome: () => ({
      ok: true,
      attempts: 2,
      sleeps: (s) => expect(s).toEqual([0])
    })
  },
  {
    name: '429 on every attempt',
    faults: () => forever({ kind: 'status', status: 429, retryAfter: 1 }),
    outcome: statusFailure(429, 'Too Many Requests', true)
  },
  ...(
    [
      [400, 'Bad Request'],
      [401, 'Unauthorized'],
      [403, 'Forbidden'],
      [404, 'Not Found']
    ] as const
  ).map(([code, reason]): FaultCase => ({
    name: `${code} (final, never retried)`,
    faults: () => forever(code),
    outcome: statusFailure(code, reason, false)
  })),
  {
    name: 'empty 200 body',
    faults: () => forever({ kind: 'status', status: 200, body: '' }),
    outcome: (r) => ({ ok: false, attempts: 1, message: r.undecodable })
  },
  {
    name: 'non-JSON 200 body (an HTML page)',
    faults: () =>
      forever({
        kind: 'status',
        status: 200,
        body: '<html><body>Sign in to continue</body></html>',
        headers: { 'content-type': 'text/html' }
      }),
    outcome: (r) => ({ ok: false, attempts: 1, message: r.undecodable })
  },
  {
    name: 'invalid JSON 200 body',
    faults: () => forever({ kind: 'invalid-json' }),
    outcome: (r) => ({ ok: false, attempts: 1, message: r.undecodable })
  },
  {
    name: 'JSON 200 body of the wrong shape',
    faults: () =>
      forever({ kind: 'status', status: 200, body: { unexpected: [1, 2] } }),
    outcome: (r) => ({
      ok: false,
      attempts: 1,
      message: r.route === 'whoami' ? WHOAMI_NO_ACCOUNT : r.undecodable
    })
  },
  {
    name: 'truncated body on every attempt',
    faults: () => forever({ kind: 'truncate' }),
    outcome: (r) => ({
      ok: false,
      attempts: r.maxAttempts,
      message: r.transport(
        'the connection closed before the response was complete'
      )
    })
  },
  {
    name: 'truncated body once, then an answer',
    faults: () => once({ kind: 'truncate' }),
    outcome: () => retried(2)
  },
  {
    name: 'huge 200 body (2 MiB, read up to the 1 MiB cap)',
    faults: () => forever({ kind: 'huge', bytes: 2 * 1024 * 1024 }),
    outcome: (r) => ({ ok: false, attempts: 1, message: r.undecodable })
  },
  {
    name: 'huge 500 body on every attempt (quoted at most 512 characters)',
    faults: () =>
      forever({ kind: 'huge', bytes: 2 * 1024 * 1024, status: 500 }),
    outcome: statusFailure(500, 'Internal Server Error', true)
  },
  {
    name: 'slow answer within the timeout',
    faults: (r) => [slowAnswer(r.timeoutMs * 0.2, 1)],
    outcome: () => retried(1)
  },
  {
    name: 'slow answer past the timeout on every attempt',
    faults: (r) => [slowAnswer(r.timeoutMs * 1.5)],
    outcome: (r) => ({
      ok: false,
      attempts: r.maxAttempts,
      message: r.transport(`no complete response within \\d+ ms`)
    })
  }
]

// ---- The matrix -------------------------------------------------------------------

const counts = { cases: 0, faults: 0, requests: 0, maxVirtualMs: 0 }

beforeAll(async () => {
  backend = await startDevBackend()
})
afterAll(async () => {
  await backend.close()
  console.log(
    `fault matrix: ${counts.cases} cases (${ROUTES.length} calls × ${FAULTS.length} faults, plus whole-action worst cases), ` +
      `${counts.faults} faults injected, ${counts.requests} requests served; ` +
      `longest virtual run ${(counts.maxVirtualMs / 1000).toFixed(1)} s ` +
      `(budget ${ACTION_TIME_BUDGET_MS / 1000} s)`
  )
})
afterEach(() => {
  backend.clearFaults()
  process.exitCode = 0
})

/** The worst case one call can take: every attempt times out, every wait is 10 s. */
function callBound(r: RouteInfo): number {
  return r.maxAttempts * r.timeoutMs + (r.maxAttempts - 1) * MAX_RETRY_DELAY_MS
}

describe.each(ROUTES.map((r) => [r.route, r] as const))('%s', (_name, r) => {
  for (const fault of FAULTS) {
    it(fault.name, async () => {
      const dirs = makeRunnerDirs()
      const prepared = r.prepare(backend)
      const specs = fault.faults(r)
      for (const spec of specs) backend.inject(r.route, spec)
      backend.clearRequests()
      const http = virtualHttp(specs, r.call)

      const result = await runInProcess(
        dirs,
        prepared.inputs,
        http,
        prepared.env
      )
      const outcome = fault.outcome(r)
      const secrets = [...prepared.secrets, ...(prepared.learn?.() ?? [])]

      counts.cases++
      counts.faults += specs.length
      counts.requests += backend.requests.length
      counts.maxVirtualMs = Math.max(counts.maxVirtualMs, http.elapsed())

      // The documented outcome, after exactly this many requests.
      expect(backend.requestsFor(r.route)).toHaveLength(
        outcome.attempts + (r.extra?.(outcome) ?? 0)
      )
      r.requests?.(backend, outcome)
      if (outcome.ok) {
        expect({ code: result.code, error: result.error }).toEqual({
          code: 0,
          error: undefined
        })
        outcome.sleeps?.(http.sleeps)
      } else {
        expect(result.code).toBe(1)
        expect(result.commands.filter((c) => c.name === 'error')).toHaveLength(
          1
        )
        if (typeof outcome.message === 'string') {
          expect(result.error).toBe(outcome.message)
        } else {
          expect(result.error).toMatch(outcome.message)
        }
        // One line, no stack, and server text cut short.
        expect(result.error).not.toMatch(/\n|^Unexpected error|\bat .+:\d+:\d+/)
        expect((result.error ?? '').length).toBeLessThan(1500)
        // Nothing for later steps, nothing left behind.
        expect(result.raw.env).toBe('')
        expect(result.raw.output).toBe('')
        expect(result.state).toEqual(EMPTY_PLAN)
        expect(fs.readdirSync(dirs.runnerTemp)).toEqual([])
      }

      // No secret in any channel (the message included).
      expect(describeFindings(scanRun(result, secrets).findings)).toEqual([])

      // Bounded: never more than the call's worst case, nor the action's
      // budget, whatever the fault; every wait at most 10 s.
      for (const ms of http.sleeps)
        expect(ms).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS)
      for (const spec of http.specs) {
        expect(spec.maxAttempts).toBeLessThanOrEqual(3)
      }
      const bound = Math.min(
        http.specs.reduce(
          (sum, spec) =>
            sum +
            spec.maxAttempts * spec.timeoutMs +
            (spec.maxAttempts - 1) * MAX_RETRY_DELAY_MS,
          0
        ),
        ACTION_TIME_BUDGET_MS
      )
      expect(http.elapsed()).toBeLessThanOrEqual(bound)
      expect(http.elapsed()).toBeLessThanOrEqual(callBound(r) * 2)
    })
  }
})

describe('the whole action under the worst faults', () => {
  it('identity: every call times out twice before answering; stays within the budget', async () => {
    const dirs = makeRunnerDirs()
    const { inputs, secrets } = identityPrepare(backend)
    backend.inject('jwks', { kind: 'hang', times: 2 })
    backend.inject('register', { kind: 'hang', times: 2 })
    backend.clearRequests()
    const http = virtualHttp()
    const result = await runInProcess(dirs, inputs, http)
    counts.cases++
    counts.faults += 2
    counts.requests += backend.requests.length
    counts.maxVirtualMs = Math.max(counts.maxVirtualMs, http.elapsed())
    // 2 × 10 s + 2 × 30 s of timeouts plus waits: the third registration
    // attempt gets only what is left of the 120 s budget, or none at all.
    expect(http.elapsed()).toBeLessThanOrEqual(ACTION_TIME_BUDGET_MS)
    expect(http.elapsed()).toBeGreaterThan(80_000)
    expect(describeFindings(scanRun(result, secrets).findings)).toEqual([])
    if (result.code === 0) {
      expect(backend.requestsFor('register')).toHaveLength(3)
    } else {
      expect(result.error).toMatch(
        /^retryable agent identity registration failure: agent task registration to .* failed after [23] attempt\(s\)/
      )
      expect(result.raw.output).toBe('')
      expect(fs.readdirSync(dirs.runnerTemp)).toEqual([])
    }
  })

  it('keyless: every OIDC request and every exchange times out twice; a fresh token each attempt, within the budget', async () => {
    const dirs = makeRunnerDirs()
    const prepared = keylessPrepare(backend)
    backend.inject('oidc-token', { kind: 'hang', times: 2 })
    backend.inject('token-exchange', { kind: 'hang', times: 2 })
    backend.clearRequests()
    const http = virtualHttp()
    const result = await runInProcess(dirs, prepared.inputs, http, prepared.env)
    counts.cases++
    counts.faults += 2
    counts.requests += backend.requests.length
    counts.maxVirtualMs = Math.max(counts.maxVirtualMs, http.elapsed())
    // 2 × 10 s of OIDC timeouts, then 2 × 30 s of exchange timeouts, plus
    // the waits between: about 85 s of the 120 s budget.
    expect({ code: result.code, error: result.error }).toEqual({
      code: 0,
      error: undefined
    })
    expect(http.elapsed()).toBeLessThanOrEqual(ACTION_TIME_BUDGET_MS)
    expect(http.elapsed()).toBeGreaterThan(80_000)
    // 3 for the first token, 2 for the retried exchanges, 1 for the token
    // source's first token.
    expect(backend.requestsFor('oidc-token')).toHaveLength(6)
    const jtis = backend.requestsFor('token-exchange').map((r) => r.jti)
    expect(jtis).toHaveLength(3)
    expect(new Set(jtis).size).toBe(3)
    expect(result.outputs['auth-mode']).toBe('workloadIdentity')
    const secrets = [...prepared.secrets, ...(prepared.learn?.() ?? [])]
    expect(describeFindings(scanRun(result, secrets).findings)).toEqual([])
  })

  it('keyless: every call hangs forever; fails within the budget without an exchange', async () => {
    const dirs = makeRunnerDirs()
    const prepared = keylessPrepare(backend)
    backend.inject('*', { kind: 'hang' })
    backend.clearRequests()
    const http = virtualHttp()
    const result = await runInProcess(dirs, prepared.inputs, http, prepared.env)
    counts.cases++
    counts.faults += 1
    counts.requests += backend.requests.length
    expect(result.error).toMatch(
      /^GitHub OIDC token request to .* failed after 3 attempt\(s\): no complete response/
    )
    expect(backend.requestsFor('token-exchange')).toHaveLength(0)
    expect(result.raw.env).toBe('')
    expect(result.raw.output).toBe('')
    expect(result.state).toEqual(EMPTY_PLAN)
    expect(fs.readdirSync(dirs.runnerTemp)).toEqual([])
    expect(http.elapsed()).toBeLessThanOrEqual(
      3 * 10_000 + 2 * MAX_RETRY_DELAY_MS
    )
  })

  it('identity: every call hangs forever; fails within the budget without a registration', async () => {
    const dirs = makeRunnerDirs()
    const { inputs } = identityPrepare(backend)
    backend.inject('*', { kind: 'hang' })
    backend.clearRequests()
    const http = virtualHttp()
    const result = await runInProcess(dirs, inputs, http)
    counts.cases++
    counts.faults += 1
    counts.requests += backend.requests.length
    expect(result.error).toMatch(
      /^agent identity JWKS request to .* failed after 3 attempt\(s\): no complete response/
    )
    expect(backend.requestsFor('register')).toHaveLength(0)
    expect(http.elapsed()).toBeLessThanOrEqual(
      3 * 10_000 + 2 * MAX_RETRY_DELAY_MS
    )
  })

  // A server value is capped where it is kept, never cut: at the cap it is
  // used, one character over it fails the step naming the field and length.
  it('server values over their caps: one clean failure naming field and length, nothing exported', async () => {
    const whoami = ROUTES.find((r) => r.route === 'whoami')!
    const cases = [
      {
        route: 'register' as const,
        prepare: identityPrepare,
        body: (n: number) => ({ task_id: 'T'.repeat(n) }),
        max: TASK_ID_MAX,
        message: taskIdTooLong(TASK_ID_MAX + 1, TASK_ID_MAX),
        output: 'task-id'
      },
      {
        route: 'whoami' as const,
        prepare: whoami.prepare,
        body: (n: number) => ({
          email: 'pat@example.test',
          chatgpt_user_id: 'user-1',
          chatgpt_account_id: 'A'.repeat(n),
          chatgpt_plan_type: 'plus',
          chatgpt_account_is_fedramp: false
        }),
        max: ACCOUNT_ID_MAX,
        message: whoamiValueTooLong(
          'chatgpt_account_id',
          ACCOUNT_ID_MAX + 1,
          ACCOUNT_ID_MAX
        ),
        output: 'account-id'
      }
    ]
    for (const c of cases) {
      for (const length of [c.max, c.max + 1]) {
        const dirs = makeRunnerDirs()
        const { inputs, secrets } = c.prepare(backend)
        backend.clearFaults()
        backend.inject(c.route, {
          kind: 'status',
          status: 200,
          body: c.body(length)
        })
        const result = await runInProcess(dirs, inputs, virtualHttp())
        counts.cases++
        counts.faults++
        expect(describeFindings(scanRun(result, secrets).findings)).toEqual([])
        if (length === c.max) {
          expect({ code: result.code, error: result.error }).toEqual({
            code: 0,
            error: undefined
          })
          expect(result.outputs[c.output]).toHaveLength(c.max)
        } else {
          expect(result.code).toBe(1)
          expect(result.error).toBe(c.message)
          expect(result.raw.env).toBe('')
          expect(result.raw.output).toBe('')
          expect(result.state).toEqual(EMPTY_PLAN)
          expect(fs.readdirSync(dirs.runnerTemp)).toEqual([])
        }
      }
    }
  })
})
