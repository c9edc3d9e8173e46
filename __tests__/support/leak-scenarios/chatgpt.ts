/**
 * Leak scenarios of ChatGPT-token mode: refresh faults, echoes, rotation.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type {
  DevBackend,
  FaultSpec,
  FaultTarget
} from '../../../dev/backend/index.js'
import type { Secret } from '../leak-scan.js'
import type { RunResult } from '../run-action.js'
import { randomToken } from '../../hardening/support/harness.js'
import {
  endpoints,
  withEchoes,
  writeHomeAuth,
  type Scenario
} from './common.js'

function chatgptSecrets(doc: {
  tokens: { id_token: string; access_token: string; refresh_token: string }
}): Secret[] {
  return [
    { label: 'id_token', value: doc.tokens.id_token },
    { label: 'access_token', value: doc.tokens.access_token },
    { label: 'refresh_token', value: doc.tokens.refresh_token }
  ]
}

/** The tokens the backend issued since (a refresh rotated them in). */
function rotated(b: DevBackend, accountId: string): () => Secret[] {
  return () => {
    const now = b.chatgptTokens(accountId)
    return now ? chatgptSecrets({ tokens: toDoc(now) }) : []
  }
}

function toDoc(t: {
  idToken: string
  accessToken: string
  refreshToken: string
}): {
  id_token: string
  access_token: string
  refresh_token: string
} {
  return {
    id_token: t.idToken,
    access_token: t.accessToken,
    refresh_token: t.refreshToken
  }
}

interface ChatgptOptions {
  /** Pass the auth-json input as base64 (URL-safe when 'url'). */
  base64?: 'std' | 'url'
  /** Access token lifetime: ≤ 0 expired (refresh, no fallback). */
  expiresIn?: number
  fromHome?: boolean
  inputs?: Record<string, string>
  echo?: boolean
  timeScale?: number
  mutate?: (doc: Record<string, unknown>) => void
  check?: (main: RunResult) => void
}

function chatgptScenario(
  path: string,
  outcome: Scenario['outcome'],
  faults: [FaultTarget, FaultSpec][] = [],
  options: ChatgptOptions = {}
): Scenario {
  return {
    mode: 'chatgpt',
    path,
    outcome,
    ...(options.timeScale ? { timeScale: options.timeScale } : {}),
    prepare: (b, dirs) => {
      const accountId = `ws-chatgpt-${randomToken(6)}`
      const auth = b.mintChatgptAuth({
        accountId,
        accessTokenExpiresIn: options.expiresIn ?? 3600
      })
      const doc = JSON.parse(JSON.stringify(auth)) as Record<string, unknown>
      options.mutate?.(doc)
      const secrets = chatgptSecrets(auth)
      const { faults: resolved, echoed } = withEchoes(
        faults,
        options.echo,
        secrets
      )
      const inputs: Record<string, string> = {
        ...endpoints(b),
        ...options.inputs
      }
      if (options.fromHome) writeHomeAuth(dirs, doc)
      else if (options.base64) {
        inputs['auth-json'] = Buffer.from(JSON.stringify(doc)).toString(
          options.base64 === 'url' ? 'base64url' : 'base64'
        )
      } else inputs['auth-json'] = JSON.stringify(doc, null, 2)
      return {
        inputs,
        secrets: [...secrets, ...echoed],
        faults: resolved,
        learn: rotated(b, accountId),
        ...(options.check ? { check: options.check } : {})
      }
    }
  }
}

const EXPIRED = -60
const EXPIRING = 120

/**
 * `scenario` with RUNNER_TEMP pointing at a regular file: the step must fail
 * on that before the refresh, which would rotate (and so use up) the stored
 * refresh token.
 */
function runnerTempIsAFile(scenario: Scenario): Scenario {
  return {
    ...scenario,
    prepare: (b, dirs) => {
      const file = path.join(dirs.root, 'runner-temp-is-a-file')
      fs.writeFileSync(file, '')
      b.clearRequests()
      const prepared = scenario.prepare(b, dirs)
      return {
        ...prepared,
        env: { ...prepared.env, RUNNER_TEMP: file },
        check: () => expect(b.requestsFor('refresh')).toHaveLength(0)
      }
    }
  }
}

export const CHATGPT_SCENARIOS: Scenario[] = [
  chatgptScenario('success, no refresh due', 'ok'),
  chatgptScenario('success, refreshed (input)', 'ok', [], {
    expiresIn: EXPIRED
  }),
  chatgptScenario('success, refreshed (URL-safe base64 input)', 'ok', [], {
    expiresIn: EXPIRED,
    base64: 'url'
  }),
  chatgptScenario('success, refreshed and written back (home)', 'ok', [], {
    expiresIn: EXPIRED,
    fromHome: true
  }),
  chatgptScenario(
    'refresh 503 ×3, token still valid: warns, uses it',
    'ok',
    [['refresh', { kind: 'status', status: 503 }]],
    {
      expiresIn: EXPIRING,
      echo: true,
      timeScale: 50,
      check: (main) =>
        expect(
          main.commands.some(
            (c) =>
              c.name === 'warning' &&
              c.value.startsWith('Failed to refresh token: 503')
          )
        ).toBe(true)
    }
  ),
  chatgptScenario(
    'restriction (forced api), logging out of the home auth.json',
    'API key login is required, but ChatGPT is currently being used. Logging out.',
    [],
    { fromHome: true, inputs: { 'forced-login-method': 'api' } }
  ),
  chatgptScenario(
    'restriction (workspace) before the refresh',
    /^Login is restricted to workspace\(s\) ws-elsewhere, but current credentials belong to ws-chatgpt-/,
    [],
    { expiresIn: EXPIRED, inputs: { 'forced-workspace-id': 'ws-elsewhere' } }
  ),
  chatgptScenario(
    'bad input (id_token not a JWT)',
    /^tokens\.id_token in the ChatGPT auth\.json from input auth-json is not a JWT/,
    [],
    {
      mutate: (doc) => {
        const tokens = doc['tokens'] as Record<string, unknown>
        tokens['id_token'] = `not-a-jwt-${String(tokens['refresh_token'])}`
      }
    }
  ),
  chatgptScenario('bad input (no last_refresh)', /has no last_refresh/, [], {
    mutate: (doc) => delete doc['last_refresh']
  }),
  chatgptScenario(
    'refresh 401 (permanent)',
    'Your access token could not be refreshed. Please log out and sign in again.',
    [['refresh', 401]],
    { expiresIn: EXPIRED }
  ),
  chatgptScenario(
    'refresh token reused (permanent)',
    'Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.',
    [
      [
        'refresh',
        {
          kind: 'status',
          status: 400,
          body: { error: { code: 'refresh_token_reused' } }
        }
      ]
    ],
    { expiresIn: EXPIRED }
  ),
  chatgptScenario(
    'refresh 500 echoing every token, access token expired',
    /^Failed to refresh token: 500 Internal Server Error: .*The ChatGPT access token has already expired/,
    [['refresh', { kind: 'status', status: 500 }]],
    { expiresIn: EXPIRED, echo: true, timeScale: 50 }
  ),
  chatgptScenario(
    'refresh 400 echoing every token',
    /^Failed to refresh token: 400 Bad Request: /,
    [['refresh', { kind: 'status', status: 400 }]],
    { expiresIn: EXPIRED, echo: true }
  ),
  chatgptScenario(
    'refresh timeout, access token expired',
    /^token refresh to .* failed after 3 attempt\(s\): no complete response/,
    [['refresh', { kind: 'hang' }]],
    { expiresIn: EXPIRED, timeScale: 50 }
  ),
  chatgptScenario(
    'refresh bad JSON',
    /^Failed to refresh token: the token endpoint answered with a body that is not a token response/,
    [['refresh', { kind: 'invalid-json' }]],
    { expiresIn: EXPIRED }
  ),
  chatgptScenario(
    'refresh reply with a bad id_token, after the server rotated',
    // The rotated tokens are kept, and the message says where.
    /^Failed to refresh token: invalid ID token format\. The token endpoint had already rotated the refresh token, so the one stored in input auth-json is now used up\. The new ChatGPT tokens are kept in \S+\/codex-auth-rotated-\w+\/auth\.json until the job ends: /,
    [
      [
        'refresh',
        {
          kind: 'status',
          status: 200,
          body: {
            id_token: 'not-a-jwt',
            access_token: `at-reply-${randomToken()}`,
            refresh_token: `rt-reply-${randomToken()}`
          }
        }
      ]
    ],
    { expiresIn: EXPIRED }
  ),
  // Checked before any request: no refresh, so nothing rotated to lose.
  runnerTempIsAFile(
    chatgptScenario(
      'RUNNER_TEMP is a file, token due for a refresh',
      /^Could not write the primed Codex home at \S+\/runner-temp-is-a-file: .*Check that RUNNER_TEMP is writable\.$/,
      [],
      { expiresIn: EXPIRED }
    )
  )
]
