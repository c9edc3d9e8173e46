/**
 * Leak scenarios of personal-access-token mode: whoami faults and echoes.
 */
import type {
  DevBackend,
  FaultSpec,
  FaultTarget
} from '../../../dev/backend/index.js'
import type { Secret } from '../leak-scan.js'
import { endpoints, withEchoes, type Scenario } from './common.js'

function pat(b: DevBackend, accountId?: string): Secret {
  const minted = b.mintPersonalAccessToken(accountId ? { accountId } : {})
  return { label: 'personal access token', value: minted.token }
}

function patScenario(
  path: string,
  outcome: Scenario['outcome'],
  faults: [FaultTarget, FaultSpec][] = [],
  extra: Partial<Scenario> & {
    inputs?: (token: string) => Record<string, string>
    echo?: boolean
    fromEnv?: boolean
  } = {}
): Scenario {
  return {
    mode: 'personalAccessToken',
    path,
    outcome,
    ...(extra.timeScale ? { timeScale: extra.timeScale } : {}),
    prepare: (b) => {
      const token = pat(b, 'ws-pat')
      const { faults: resolved, echoed } = withEchoes(faults, extra.echo, [
        token
      ])
      return {
        inputs: {
          ...(extra.fromEnv ? {} : { 'access-token': token.value }),
          ...endpoints(b),
          ...(extra.inputs ? extra.inputs(token.value) : {})
        },
        ...(extra.fromEnv ? { env: { CODEX_ACCESS_TOKEN: token.value } } : {}),
        secrets: [token, ...echoed],
        faults: resolved
      }
    }
  }
}

export const PAT_SCENARIOS: Scenario[] = [
  patScenario('success', 'ok'),
  patScenario('success, env CODEX_ACCESS_TOKEN', 'ok', [], { fromEnv: true }),
  patScenario(
    'restriction (forced api) before whoami',
    'API key login is required, but ChatGPT is currently being used. Logging out.',
    [],
    { inputs: () => ({ 'forced-login-method': 'api' }) }
  ),
  patScenario(
    'restriction (workspace) after whoami',
    'Login is restricted to workspace(s) ws-other, but current credentials belong to ws-pat. Logging out.',
    [],
    { inputs: () => ({ 'forced-workspace-id': 'ws-other' }) }
  ),
  patScenario('bad input (token with a line break)', /line break/, [], {
    inputs: (t) => ({ 'access-token': `${t}\n${t}` })
  }),
  patScenario(
    'whoami 401',
    /^The personal access token was rejected by .* \(status 401 Unauthorized\)/,
    [['whoami', 401]]
  ),
  patScenario(
    'whoami 500 echoing the token and other secrets',
    /^personal access token lookup \(whoami\) failed with status 500 Internal Server Error: /,
    [['whoami', { kind: 'status', status: 500 }]],
    { echo: true, timeScale: 50 }
  ),
  patScenario(
    'whoami 400 echoing the token and other secrets',
    /^personal access token lookup \(whoami\) failed with status 400 Bad Request: /,
    [['whoami', { kind: 'status', status: 400 }]],
    { echo: true }
  ),
  patScenario(
    'whoami timeout',
    /^personal access token lookup \(whoami\) to .* failed after 3 attempt\(s\): no complete response/,
    [['whoami', { kind: 'hang' }]],
    { timeScale: 50 }
  ),
  patScenario(
    'whoami reset',
    /failed after 3 attempt\(s\): connection reset/,
    [['whoami', { kind: 'reset' }]],
    { timeScale: 50 }
  ),
  patScenario(
    'whoami bad JSON',
    /^personal access token lookup \(whoami\) answered with a body that is not a JSON object/,
    [['whoami', { kind: 'invalid-json' }]]
  ),
  patScenario(
    'whoami truncated',
    /failed after 3 attempt\(s\): the connection closed before the response was complete/,
    [['whoami', { kind: 'truncate' }]],
    { timeScale: 50 }
  )
]
