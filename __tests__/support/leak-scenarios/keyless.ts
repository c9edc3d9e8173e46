/**
 * Leak scenarios of workload identity (keyless CI): GitHub's OIDC token
 * service and OpenAI's exchange failing every way they can, replies that
 * echo what they were sent, the restrictions, a job without the id-token
 * permission and a token source that cannot mint.
 *
 * Secrets: the job's OIDC request token, every OIDC token the backend
 * minted (read from it after main and again after post: the token source
 * mints in the background), every access token an exchange issued, an
 * ignored CODEX_API_KEY, and made-up ones a careless server echoes.
 */
import type {
  DevBackend,
  FaultSpec,
  FaultTarget,
  FederationRuleOptions
} from '../../../dev/backend/index.js'
import type { Secret } from '../leak-scan.js'
import type { RunResult } from '../run-action.js'
import { randomToken } from '../../hardening/support/harness.js'
import { unknownEchoes, withEchoes, type Scenario } from './common.js'

const AUDIENCE = 'https://example.test/codex-leaks'

/** Every token the backend handed out: OIDC tokens and access tokens. */
function issuedSecrets(b: DevBackend): Secret[] {
  return [
    ...b
      .oidcTokens()
      .map((t) => ({ label: `OIDC token ${t.jti}`, value: t.jwt })),
    ...b
      .workloadAccessTokens()
      .map((t) => ({ label: 'exchanged access token', value: t.token }))
  ]
}

/** The assertion of the exchange request the backend received last. */
function lastAssertion(b: DevBackend): string {
  const sent = b.requestsFor('token-exchange').at(-1)
  return new URLSearchParams(sent?.body ?? '').get('assertion') ?? ''
}

/**
 * A refusal whose body echoes the OIDC token it was sent (known only when
 * the request arrives: the backend reads a status fault's body when it
 * answers, so a getter builds it then) and `others`.
 */
function echoingRefusal(
  b: DevBackend,
  status: number,
  others: readonly Secret[]
): FaultSpec {
  return {
    kind: 'status',
    status,
    get body(): unknown {
      return {
        error: 'invalid_grant',
        error_description: `assertion ${lastAssertion(b)} was refused (${others.map((s) => s.value).join(', ')})`
      }
    }
  }
}

/** A 200 reply of the wrong shape whose fields hold what was sent. */
function echoingReply(b: DevBackend, others: readonly Secret[]): FaultSpec {
  return {
    kind: 'status',
    status: 200,
    get body(): unknown {
      return {
        access_token: lastAssertion(b),
        token_type: 'bearer',
        user_id: others.map((s) => s.value).join(' '),
        expires_in: 'soon'
      }
    }
  }
}

interface KeylessOptions {
  rule?: FederationRuleOptions
  inputs?: Record<string, string>
  /** Which of the runner's OIDC variables the job has (default both). */
  oidcEnv?: 'both' | 'token-only' | 'none'
  /** Status faults echo the request token and made-up secrets. */
  echo?: boolean
  timeScale?: number
  check?: (b: DevBackend, main: RunResult) => void
}

type Faults =
  | [FaultTarget, FaultSpec][]
  | ((b: DevBackend, echoed: readonly Secret[]) => [FaultTarget, FaultSpec][])

function keylessScenario(
  path: string,
  outcome: Scenario['outcome'],
  faults: Faults = [],
  options: KeylessOptions = {}
): Scenario {
  return {
    mode: 'workloadIdentity',
    path,
    outcome,
    ...(options.timeScale ? { timeScale: options.timeScale } : {}),
    prepare: (b) => {
      b.clearRequests()
      const rule = b.createFederationRule({
        audiences: [AUDIENCE],
        accountId: `ws-keyless-${randomToken(6)}`,
        ...options.rule
      })
      const ignoredKey: Secret = {
        label: 'ignored CODEX_API_KEY',
        value: `sk-proj-${randomToken(30)}`
      }
      const requestToken: Secret = {
        label: 'OIDC request token',
        value: b.oidcRequestToken
      }
      const made = unknownEchoes()
      const listed =
        typeof faults === 'function'
          ? faults(b, [requestToken, ...made])
          : faults
      const { faults: resolved, echoed } = withEchoes(listed, options.echo, [
        requestToken
      ])
      const oidcEnv = options.oidcEnv ?? 'both'
      return {
        inputs: {
          'federation-rule-id': rule.id,
          'oidc-audience': AUDIENCE,
          // The exchange at the dev backend (Codex's URL otherwise).
          'refresh-token-url': b.refreshTokenUrl,
          ...options.inputs
        },
        env: {
          CODEX_API_KEY: ignoredKey.value,
          ...(oidcEnv === 'both'
            ? { ACTIONS_ID_TOKEN_REQUEST_URL: b.oidcRequestUrl }
            : {}),
          ...(oidcEnv === 'none'
            ? {}
            : { ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken.value })
        },
        secrets: [requestToken, ignoredKey, ...made, ...echoed],
        faults: resolved,
        learn: () => issuedSecrets(b),
        ...(options.check
          ? { check: (main: RunResult) => options.check?.(b, main) }
          : {})
      }
    }
  }
}

/** The first OIDC request (the preflight's) is answered; later ones not. */
const afterFirstToken = (spec: FaultSpec): [FaultTarget, FaultSpec][] => [
  ['oidc-token', { kind: 'delay', ms: 0, times: 1 }],
  ['oidc-token', spec]
]

const FIRST_MINT_REFUSED =
  /^Could not start the identity token source for Codex: its first OIDC token request failed: GitHub's OIDC token service refused the job's request token \(status 403\b.*Nothing was exported and no helper process was left running\.$/

/** Each exchange attempt sent its own, never-used OIDC token. */
function distinctJtis(attempts: number) {
  return (b: DevBackend): void => {
    const jtis = b.requestsFor('token-exchange').map((r) => r.jti)
    expect(jtis).toHaveLength(attempts)
    expect(new Set(jtis).size).toBe(attempts)
  }
}

export const KEYLESS_SCENARIOS: Scenario[] = [
  keylessScenario('success (fifo), CODEX_API_KEY ignored', 'ok', [], {
    check: (b, main) => {
      expect(main.outputs['auth-mode']).toBe('workloadIdentity')
      expect(b.requestsFor('token-exchange')).toHaveLength(1)
    }
  }),
  keylessScenario('success (file mode, with a context)', 'ok', [], {
    inputs: {
      'identity-token-file-mode': 'file',
      'workload-identity-context': 'leak-scan context'
    },
    check: (_b, main) =>
      expect(main.env['OPENAI_WORKLOAD_IDENTITY_CONTEXT']).toBe(
        'leak-scan context'
      )
  }),
  keylessScenario(
    'OIDC service down (503 echoing the request token, every attempt)',
    /^GitHub's OIDC token service answered with status 503\b/,
    [['oidc-token', { kind: 'status', status: 503 }]],
    {
      echo: true,
      timeScale: 50,
      check: (b) => {
        expect(b.requestsFor('oidc-token')).toHaveLength(3)
        expect(b.requestsFor('token-exchange')).toHaveLength(0)
      }
    }
  ),
  keylessScenario(
    'OIDC service unreachable (connection reset)',
    /^GitHub OIDC token request to .* failed after 3 attempt\(s\)/,
    [['oidc-token', { kind: 'reset' }]],
    { timeScale: 50 }
  ),
  keylessScenario(
    'OIDC 403 (the request token refused)',
    /^GitHub's OIDC token service refused the job's request token \(status 403\b/,
    [['oidc-token', 403]],
    { echo: true }
  ),
  keylessScenario(
    'OIDC 200 reply that is no token, but the request token',
    /^GitHub's OIDC token service answered with a body that is not a JSON object whose "value" is a JWT\./,
    (b) => [
      [
        'oidc-token',
        {
          kind: 'status',
          status: 200,
          body: { value: `not-a-jwt ${b.oidcRequestToken}` }
        }
      ]
    ]
  ),
  keylessScenario(
    'exchange 400 with an OAuth error echoing the assertion',
    /^the workload identity token exchange was rejected with HTTP 400: invalid_grant: assertion \[redacted\] was refused/,
    (b, others) => [['token-exchange', echoingRefusal(b, 400, others)]]
  ),
  keylessScenario(
    'exchange 403 (rule disabled)',
    /^the workload identity token exchange was rejected with HTTP 403\b.*The GitHub OIDC token sent had iss "/,
    [],
    { rule: { disabled: true } }
  ),
  keylessScenario(
    'exchange 403 echoing the assertion',
    /^the workload identity token exchange was rejected with HTTP 403: invalid_grant: /,
    (b, others) => [['token-exchange', echoingRefusal(b, 403, others)]]
  ),
  keylessScenario(
    'exchange 429 on every attempt, each with a new OIDC token',
    /^the workload identity token exchange was rejected with HTTP 429\b.*\(3 attempts, each with a new OIDC token\)/,
    [['token-exchange', { kind: 'status', status: 429, retryAfter: 1 }]],
    { echo: true, timeScale: 50, check: distinctJtis(3) }
  ),
  keylessScenario(
    'exchange 502 echoing every secret, every attempt',
    /^the workload identity token exchange was rejected with HTTP 502\b/,
    [['token-exchange', { kind: 'status', status: 502 }]],
    { echo: true, timeScale: 50, check: distinctJtis(3) }
  ),
  keylessScenario(
    'exchange times out on every attempt',
    /^workload identity token exchange to .* failed after 3 attempt\(s\): no complete response/,
    [['token-exchange', { kind: 'hang' }]],
    { timeScale: 50, check: distinctJtis(3) }
  ),
  keylessScenario(
    'exchange 200 with invalid JSON',
    /^the workload identity token exchange returned an invalid response: /,
    [['token-exchange', { kind: 'invalid-json' }]]
  ),
  keylessScenario(
    'exchange 200 of the wrong shape, its fields holding the assertion',
    /^the workload identity token exchange returned an invalid response: /,
    (b, others) => [['token-exchange', echoingReply(b, others)]]
  ),
  keylessScenario(
    'restriction (workspace) after the exchange',
    /^Login is restricted to workspace\(s\) ws-elsewhere, but current credentials belong to ws-keyless-\S+\. Logging out\.$/,
    [],
    {
      inputs: { 'forced-workspace-id': 'ws-elsewhere' },
      check: (b) => expect(b.requestsFor('token-exchange')).toHaveLength(1)
    }
  ),
  keylessScenario(
    'restriction (forced api) before any request',
    'API key login is required, but ChatGPT is currently being used. Logging out.',
    [],
    {
      inputs: { 'forced-login-method': 'api' },
      check: (b) => expect(b.requests).toHaveLength(0)
    }
  ),
  keylessScenario(
    'no id-token permission (no OIDC variables)',
    /^Workload identity needs the job's GitHub OIDC token, but ACTIONS_ID_TOKEN_REQUEST_URL is not set/,
    [],
    { oidcEnv: 'none' }
  ),
  keylessScenario(
    'no id-token permission (a stray request token, no URL)',
    /^Workload identity needs the job's GitHub OIDC token, but ACTIONS_ID_TOKEN_REQUEST_URL is not set/,
    [],
    {
      oidcEnv: 'token-only',
      check: (b) => expect(b.requests).toHaveLength(0)
    }
  ),
  keylessScenario(
    'a token source that cannot mint (fifo): 403 after the preflight',
    FIRST_MINT_REFUSED,
    afterFirstToken(403),
    { echo: true }
  ),
  keylessScenario(
    'a token source that cannot mint (file mode): 403 after the preflight',
    FIRST_MINT_REFUSED,
    afterFirstToken(403),
    { echo: true, inputs: { 'identity-token-file-mode': 'file' } }
  )
]
