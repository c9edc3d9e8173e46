/**
 * The secret-leak scanner: every credential mode through every failure path
 * (and its success path), run as the built action plus its post step, with
 * every channel a later step or a log reader could see scanned for every
 * form of every secret. The only acceptable number of findings is zero.
 *
 * Secrets scanned per run: the credential's own values, the values the
 * server may echo back (known and unknown to the action), the tokens a
 * refresh rotated in, the `authorization` output, and every secret the
 * primed auth.json holds.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  startDevBackend,
  type DevBackend,
  type FaultSpec,
  type FaultTarget
} from '../../dev/backend/index.js'
import {
  describeFindings,
  scanRun,
  snapshotFiles,
  type Secret
} from '../support/leak-scan.js'
import type { RunnerDirs, RunResult } from '../support/run-action.js'
import {
  compressedTime,
  expectCleanFailure,
  randomToken,
  runScanned,
  scannedDirs
} from './support/harness.js'

type Mode = 'apikey' | 'agentIdentity' | 'personalAccessToken' | 'chatgpt'

/** What a scenario hands to the runner. */
interface Prepared {
  inputs?: Record<string, string>
  env?: Record<string, string>
  secrets: Secret[]
  faults?: [FaultTarget, FaultSpec][]
  /** Secrets known only after main ran (rotated tokens). */
  learn?: (main: RunResult) => Secret[]
  /** Extra checks on the main run. */
  check?: (main: RunResult) => void
}

interface Scenario {
  mode: Mode
  path: string
  /**
   * `'ok'`, `'any'` (only the scan matters), or the failure message (exact
   * text or pattern).
   */
  outcome: RegExp | string
  /** Timers compressed by this factor (hang and retry paths). */
  timeScale?: number
  prepare(backend: DevBackend, dirs: RunnerDirs): Prepared
}

let backend: DevBackend
beforeAll(async () => {
  backend = await startDevBackend()
})
afterAll(async () => {
  await backend.close()
})
afterEach(() => backend.clearFaults())

/** Endpoint inputs pointing every call at the dev backend. */
function endpoints(): Record<string, string> {
  return {
    'chatgpt-base-url': backend.chatgptBaseUrl,
    'jwks-base-url': backend.chatgptBaseUrl,
    'authapi-base-url': backend.authapiBaseUrl,
    'refresh-token-url': backend.refreshTokenUrl
  }
}

/** Secret-looking values a server might echo that the action never saw. */
function unknownEchoes(): Secret[] {
  return [
    { label: 'echoed unknown sk- key', value: `sk-proj-${randomToken(30)}` },
    { label: 'echoed unknown rt- token', value: `rt-${randomToken(30)}` },
    { label: 'echoed unknown at- token', value: `at-${randomToken(30)}` },
    {
      label: 'echoed unknown base64 run',
      value: Buffer.from(randomToken(48)).toString('base64')
    }
  ]
}

/** A server error body that echoes secrets back, as a careless one would. */
function echoBody(secrets: readonly Secret[]): string {
  return JSON.stringify({
    error: {
      code: 'server_error',
      message: `request failed for ${secrets.map((s) => s.value).join(' and ')}`
    },
    echo: secrets.map((s) => s.value)
  })
}

function writeHomeAuth(dirs: RunnerDirs, doc: unknown): string {
  const home = path.join(dirs.home, '.codex')
  fs.mkdirSync(home, { recursive: true })
  const file = path.join(home, 'auth.json')
  fs.writeFileSync(file, JSON.stringify(doc, null, 2))
  return file
}

function writeHomeConfig(dirs: RunnerDirs, toml: string): void {
  const home = path.join(dirs.home, '.codex')
  fs.mkdirSync(home, { recursive: true })
  fs.writeFileSync(path.join(home, 'config.toml'), toml)
}

// ---- API keys ----------------------------------------------------------------

function apiKey(): Secret {
  return { label: 'API key', value: `sk-proj-${randomToken(36)}` }
}

const API_KEY_SCENARIOS: Scenario[] = [
  {
    mode: 'apikey',
    path: 'success, input',
    outcome: 'ok',
    prepare: () => {
      const key = apiKey()
      return { inputs: { 'api-key': key.value }, secrets: [key] }
    }
  },
  {
    mode: 'apikey',
    path: 'success, auth-json input as base64',
    outcome: 'ok',
    prepare: () => {
      const key = apiKey()
      const doc = JSON.stringify({ OPENAI_API_KEY: key.value }, null, 2)
      return {
        inputs: { 'auth-json': Buffer.from(doc).toString('base64') },
        secrets: [key]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'success, multi-line auth-json input',
    outcome: 'ok',
    prepare: () => {
      const key = apiKey()
      const doc = JSON.stringify(
        { auth_mode: 'apikey', OPENAI_API_KEY: key.value },
        null,
        2
      )
      return { inputs: { 'auth-json': doc }, secrets: [key] }
    }
  },
  {
    mode: 'apikey',
    path: 'success, Codex home auth.json, with CODEX_ACCESS_TOKEN set',
    outcome: 'ok',
    prepare: (_b, dirs) => {
      const key = apiKey()
      const stale = {
        label: 'stale access token',
        value: `at-${randomToken()}`
      }
      writeHomeAuth(dirs, { OPENAI_API_KEY: key.value })
      return {
        env: { CODEX_API_KEY: key.value, CODEX_ACCESS_TOKEN: stale.value },
        secrets: [key, stale]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'bad input (forced-login-method)',
    outcome: "Invalid forced-login-method 'API'. Expected 'chatgpt' or 'api'.",
    prepare: () => {
      const key = apiKey()
      return {
        inputs: { 'api-key': key.value, 'forced-login-method': 'API' },
        secrets: [key]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'bad input (key with a line break)',
    outcome: /^The credential from input api-key contains a line break/,
    prepare: () => {
      const a = apiKey()
      const b = apiKey()
      return {
        inputs: { 'api-key': `${a.value}\n${b.value}` },
        secrets: [a, b]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'bad input (auth-json that is not JSON, holding the key)',
    outcome:
      'The auth.json from input auth-json is not valid: it is not valid JSON.',
    prepare: () => {
      const key = apiKey()
      return {
        inputs: {
          'auth-json': `{\n  "OPENAI_API_KEY": "${key.value}",\n  oops\n}`
        },
        secrets: [key]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'bad input (auth-json base64 of garbage)',
    outcome: /^The auth\.json from input auth-json is not valid/,
    prepare: () => {
      const key = apiKey()
      return {
        inputs: {
          'auth-json': Buffer.from(`OPENAI_API_KEY=${key.value}`).toString(
            'base64'
          )
        },
        secrets: [key]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'restriction (forced chatgpt), logging out of the home auth.json',
    outcome:
      'ChatGPT login is required, but an API key is currently being used. Logging out.',
    prepare: (_b, dirs) => {
      const key = apiKey()
      writeHomeAuth(dirs, { OPENAI_API_KEY: key.value })
      writeHomeConfig(dirs, 'forced_login_method = "chatgpt"\n')
      return { secrets: [key] }
    }
  },
  {
    mode: 'apikey',
    path: 'bad config.toml next to the key',
    outcome: /^The Codex config .*config\.toml is not valid/,
    prepare: (_b, dirs) => {
      const key = apiKey()
      writeHomeAuth(dirs, { OPENAI_API_KEY: key.value })
      // A config line holding the key: a parse error must not quote it.
      writeHomeConfig(dirs, `model = "o3"\napi_key = ${key.value}\n`)
      return { secrets: [key] }
    }
  }
]

// ---- Personal access tokens ----------------------------------------------------

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
      const echoes = extra.echo ? [token, ...unknownEchoes()] : []
      const resolved = faults.map(
        ([route, fault]): [FaultTarget, FaultSpec] => [
          route,
          extra.echo && typeof fault !== 'number' && fault.kind === 'status'
            ? { ...fault, body: echoBody(echoes) }
            : fault
        ]
      )
      return {
        inputs: {
          ...(extra.fromEnv ? {} : { 'access-token': token.value }),
          ...endpoints(),
          ...(extra.inputs ? extra.inputs(token.value) : {})
        },
        ...(extra.fromEnv ? { env: { CODEX_ACCESS_TOKEN: token.value } } : {}),
        secrets: [token, ...echoes.slice(1)],
        faults: resolved
      }
    }
  }
}

const PAT_SCENARIOS: Scenario[] = [
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

// ---- ChatGPT tokens ------------------------------------------------------------

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
      const echoes = options.echo ? [...secrets, ...unknownEchoes()] : []
      const resolved = faults.map(
        ([route, fault]): [FaultTarget, FaultSpec] => [
          route,
          options.echo && typeof fault !== 'number' && fault.kind === 'status'
            ? { ...fault, body: echoBody(echoes) }
            : fault
        ]
      )
      const inputs: Record<string, string> = {
        ...endpoints(),
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
        secrets: [...secrets, ...echoes.slice(secrets.length)],
        faults: resolved,
        learn: rotated(b, accountId),
        ...(options.check ? { check: options.check } : {})
      }
    }
  }
}

const EXPIRED = -60
const EXPIRING = 120

const CHATGPT_SCENARIOS: Scenario[] = [
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
  )
]

// ---- Agent Identity ------------------------------------------------------------

interface IdentityOptions {
  mint?: Parameters<DevBackend['mintAgentIdentity']>[0]
  inputs?: Record<string, string>
  echo?: boolean
  timeScale?: number
  /** Put the JWT in the Codex home's auth.json instead of the input. */
  fromHome?: boolean
  /** Use the auth.json record form (trusted local state). */
  record?: boolean
  /** Pass the JWT as env CODEX_ACCESS_TOKEN (then exported as empty). */
  fromEnv?: boolean
}

function identityScenario(
  path: string,
  outcome: Scenario['outcome'],
  faults: [FaultTarget, FaultSpec][] = [],
  options: IdentityOptions = {}
): Scenario {
  return {
    mode: 'agentIdentity',
    path,
    outcome,
    ...(options.timeScale ? { timeScale: options.timeScale } : {}),
    prepare: (b, dirs) => {
      const id = b.mintAgentIdentity({
        accountId: 'ws-agent',
        ...options.mint
      })
      const secrets: Secret[] = [
        { label: 'agent identity JWT', value: id.jwt },
        { label: 'agent_private_key', value: id.privateKeyB64 },
        { label: 'agent key PKCS#8 v1', value: id.privateKeyPkcs8V1B64 },
        { label: 'agent key PKCS#8 v2', value: id.privateKeyPkcs8V2B64 },
        { label: 'agent key seed (hex)', value: id.seed.toString('hex') }
      ]
      const echoes = options.echo ? [secrets[0]!, ...unknownEchoes()] : []
      const resolved = faults.map(
        ([route, fault]): [FaultTarget, FaultSpec] => [
          route,
          options.echo && typeof fault !== 'number' && fault.kind === 'status'
            ? { ...fault, body: echoBody(echoes) }
            : fault
        ]
      )
      const inputs: Record<string, string> = {
        ...endpoints(),
        ...options.inputs
      }
      if (options.record) {
        writeHomeAuth(dirs, {
          auth_mode: 'agentIdentity',
          OPENAI_API_KEY: null,
          agent_identity: {
            agent_runtime_id: id.runtimeId,
            agent_private_key: id.privateKeyB64,
            account_id: id.accountId,
            chatgpt_user_id: id.chatgptUserId,
            email: '',
            plan_type: 'plus',
            chatgpt_account_is_fedramp: false
          }
        })
      } else if (options.fromHome) {
        writeHomeAuth(dirs, {
          auth_mode: 'agentIdentity',
          OPENAI_API_KEY: null,
          agent_identity: id.jwt
        })
      } else if (!options.fromEnv) {
        inputs['access-token'] = id.jwt
      }
      return {
        inputs,
        ...(options.fromEnv ? { env: { CODEX_ACCESS_TOKEN: id.jwt } } : {}),
        secrets: [...secrets, ...echoes.slice(1)],
        faults: resolved
      }
    }
  }
}

const IDENTITY_SCENARIOS: Scenario[] = [
  identityScenario('success, JWT input', 'ok'),
  identityScenario('success, v2 key, plain task id', 'ok', [], {
    mint: { keyFormat: 'pkcs8-v2', taskIdDelivery: 'task_id' }
  }),
  identityScenario('success, env CODEX_ACCESS_TOKEN', 'ok', [], {
    fromEnv: true
  }),
  identityScenario(
    'success, older unsigned shape with verify-identity false',
    'ok',
    [],
    { mint: { legacy: true }, inputs: { 'verify-identity': 'false' } }
  ),
  identityScenario('success, auth.json record in the home', 'ok', [], {
    record: true
  }),
  identityScenario('success, register-task false', 'ok', [], {
    inputs: { 'register-task': 'false' }
  }),
  identityScenario(
    'restriction (workspace) before any request, logging out',
    'Login is restricted to workspace(s) ws-other, but current credentials belong to ws-agent. Logging out.',
    [],
    { fromHome: true, inputs: { 'forced-workspace-id': 'ws-other' } }
  ),
  identityScenario(
    'restriction (forced api)',
    'API key login is required, but ChatGPT is currently being used. Logging out.',
    [],
    { inputs: { 'forced-login-method': 'api' } }
  ),
  identityScenario(
    'unverified JWT against a workspace list',
    'An unverified agent identity cannot satisfy forced-workspace-id; remove verify-identity: false',
    [],
    {
      inputs: { 'verify-identity': 'false', 'forced-workspace-id': 'ws-agent' }
    }
  ),
  identityScenario(
    'bad input (key that is not base64)',
    /^stored agent identity private key is not valid base64/,
    [],
    { mint: { privateKeyText: `-----BEGIN PRIVATE KEY-----${randomToken()}` } }
  ),
  identityScenario(
    'untrusted signer',
    /^failed to verify agent identity JWT/,
    [],
    { mint: { signingKey: 'untrusted' } }
  ),
  identityScenario(
    'expired JWT',
    /^failed to verify agent identity JWT: the token expired/,
    [],
    { mint: { expiresIn: -3600 } }
  ),
  identityScenario(
    'legacy shape without verify-identity false',
    /has the older shape \(claim workspace_id\)/,
    [],
    { mint: { legacy: true } }
  ),
  identityScenario(
    'JWKS 500',
    /^agent identity JWKS endpoint returned an error: 500 Internal Server Error/,
    [['jwks', 500]],
    { timeScale: 50 }
  ),
  identityScenario(
    'JWKS timeout',
    /^agent identity JWKS request to .* failed after 3 attempt\(s\): no complete response/,
    [['jwks', { kind: 'hang' }]],
    { timeScale: 50 }
  ),
  identityScenario(
    'JWKS bad JSON',
    /^failed to decode agent identity JWKS from .*: the body is not JSON/,
    [['jwks', { kind: 'invalid-json' }]]
  ),
  identityScenario(
    'registration 500 echoing the JWT and other secrets',
    /^retryable agent identity registration failure: agent task registration failed with status 500 Internal Server Error: /,
    [['register', { kind: 'status', status: 500 }]],
    { echo: true, timeScale: 50 }
  ),
  identityScenario(
    'registration 403 echoing the JWT and other secrets',
    /^agent task registration failed with status 403 Forbidden: /,
    [['register', { kind: 'status', status: 403 }]],
    { echo: true }
  ),
  identityScenario(
    'registration timeout',
    /^retryable agent identity registration failure: agent task registration to .* failed after 3 attempt\(s\): no complete response/,
    [['register', { kind: 'hang' }]],
    { timeScale: 50 }
  ),
  identityScenario(
    'registration reset',
    /^retryable agent identity registration failure: .*connection reset/,
    [['register', { kind: 'reset' }]],
    { timeScale: 50 }
  ),
  identityScenario(
    'registration bad JSON',
    'failed to decode agent task registration response',
    [['register', { kind: 'invalid-json' }]]
  ),
  identityScenario(
    'registration reply without a task id',
    'agent task registration response omitted task id',
    [['register', { kind: 'status', status: 200, body: { ok: true } }]]
  ),
  // BUG: the task id a server returns is printed with runner.info(), which
  // does not escape line breaks, so a task id carrying
  // "\n::stop-commands::<token>" turns off the runner's command processing:
  // the `::add-mask::AgentAssertion …` line that follows is shown in clear,
  // and the authorization output and CODEX_AUTHORIZATION are never masked.
  // Any workflow command can be injected the same way. Proposed fixes
  // (both): runner.ts info() escapes \r and \n as commands do (or prints
  // each line prefixed); task-registration.ts rejects a task id that is not
  // printable ASCII without whitespace (REGISTRATION_RESPONSE_UNDECODABLE).
  {
    ...identityScenario(
      'registration reply whose task id carries workflow commands',
      'any',
      [
        [
          'register',
          {
            kind: 'status',
            status: 200,
            body: { task_id: 'task-1\n::stop-commands::pause-1' }
          }
        ]
      ]
    )
  },
  identityScenario(
    'registration reply with a sealed id that does not open',
    /^failed to decrypt encrypted task id|^encrypted task id is not valid base64/,
    [
      [
        'register',
        {
          kind: 'status',
          status: 200,
          body: {
            encrypted_task_id: Buffer.from(randomToken(80)).toString('base64')
          }
        }
      ]
    ]
  )
]

const SCENARIOS: Scenario[] = [
  ...API_KEY_SCENARIOS,
  ...PAT_SCENARIOS,
  ...CHATGPT_SCENARIOS,
  ...IDENTITY_SCENARIOS
]

const counts = {
  scenarios: 0,
  runs: 0,
  forms: 0,
  channels: 0,
  findings: 0,
  modes: new Set<Mode>(),
  paths: new Map<Mode, number>()
}

afterAll(() => {
  const perMode = [...counts.paths]
    .map(([mode, n]) => `${mode} ${n}`)
    .join(', ')
  console.log(
    `leak scanner: ${counts.modes.size} modes × paths = ${counts.scenarios} scenarios (${perMode}); ` +
      `${counts.runs} runs (main + post) scanned, ${counts.forms} secret forms, ` +
      `${counts.channels} channels (stdout lines, stderr, command files, other files); ` +
      `${counts.findings} findings`
  )
})

describe.each(['apikey', 'personalAccessToken', 'chatgpt', 'agentIdentity'])(
  '%s',
  (mode) => {
    const scenarios = SCENARIOS.filter((s) => s.mode === mode)
    for (const scenario of scenarios) {
      it(`${scenario.path}: no secret in any channel`, async () => {
        const dirs = scannedDirs()
        const prepared = scenario.prepare(backend, dirs)
        for (const [route, fault] of prepared.faults ?? []) {
          backend.inject(route, fault)
        }
        const run = await runScanned(
          dirs,
          {
            inputs: prepared.inputs ?? {},
            env: {
              ...prepared.env,
              ...(scenario.timeScale ? compressedTime(scenario.timeScale) : {})
            }
          },
          prepared.secrets,
          prepared.learn
        )

        counts.scenarios++
        counts.runs += 2
        counts.forms += run.forms
        counts.channels += run.channels
        counts.findings += run.findings.length
        counts.modes.add(scenario.mode)
        counts.paths.set(
          scenario.mode,
          (counts.paths.get(scenario.mode) ?? 0) + 1
        )

        expect(describeFindings(run.findings)).toEqual([])
        if (scenario.outcome === 'any') {
          // Only the scan matters.
        } else if (scenario.outcome === 'ok') {
          expect({ code: run.main.code, error: run.main.error }).toEqual({
            code: 0,
            error: undefined
          })
          expect(run.main.stderr).toBe('')
        } else {
          expectCleanFailure(run.main, scenario.outcome)
        }
        prepared.check?.(run.main)
        // A server echo must have been redacted, not merely masked: the
        // unknown secrets in it were never registered with the runner.
        if (/echoing/.test(scenario.path) && scenario.outcome !== 'ok') {
          expect(run.main.error).toContain('[redacted]')
        }
        // The post step never fails and leaves nothing in RUNNER_TEMP but
        // rotated tokens that the failure message names.
        expect(run.post.code).toBe(0)
        expect(run.post.stderr).toBe('')
        expect(
          fs
            .readdirSync(dirs.runnerTemp)
            .filter(
              (entry) =>
                !/^codex-auth-rotated-/.test(entry) ||
                !run.main.error?.includes(`${dirs.runnerTemp}/${entry}/`)
            )
        ).toEqual([])
      })
    }
  }
)

// ---- The scanner itself ----------------------------------------------------------
// A scanner that cannot fail proves nothing: each channel and form is shown
// to be caught, on synthetic runs and on a real run that echoes a value.

function syntheticRun(parts: {
  stdout?: string
  stderr?: string
  env?: string
  summary?: string
}): RunResult {
  const dirs = scannedDirs()
  return {
    code: 0,
    stdout: parts.stdout ?? '',
    stderr: parts.stderr ?? '',
    dirs,
    env: {},
    outputs: {},
    state: {},
    summary: parts.summary ?? '',
    raw: {
      env: parts.env ?? '',
      output: '',
      state: '',
      summary: parts.summary ?? ''
    },
    commands: [],
    masks: []
  }
}

describe('the scanner finds what it is meant to find', () => {
  const secret: Secret = { label: 'S', value: 'sk-proj-scanner-self-test-0123' }
  const scan = (run: RunResult): string[] =>
    describeFindings(scanRun(run, [secret]).findings)

  it('a value on stdout before its mask, but not after it', () => {
    const v = secret.value
    expect(
      scan(syntheticRun({ stdout: `x ${v}\n::add-mask::${v}\ny ${v}\n` }))
    ).toEqual(['S (as is) in stdout line 1'])
  })

  it('derived forms: base64, base64url, JSON-escaped, header, lines', () => {
    const v = secret.value
    const b64 = Buffer.from(v).toString('base64')
    const findings = scan(
      syntheticRun({ stdout: `::add-mask::${v}\n${b64}\nBearer ${v}\n` })
    )
    // The header is covered by the value's mask; the base64 form is not.
    expect(findings).toEqual(['S (base64) in stdout line 2'])
    const multi: Secret = {
      label: 'M',
      value: 'first-line-abc\nsecond-line-xyz'
    }
    expect(
      describeFindings(
        scanRun(syntheticRun({ stdout: 'second-line-xyz\n' }), [multi]).findings
      )
    ).toEqual(['M (line 2) in stdout line 1'])
  })

  it('stderr always, even after a mask', () => {
    const v = secret.value
    expect(
      scan(syntheticRun({ stdout: `::add-mask::${v}\n`, stderr: v }))
    ).toEqual(['S (as is) in stderr'])
  })

  it('a mask registered while commands are stopped does not count', () => {
    const v = secret.value
    expect(
      scan(
        syntheticRun({
          stdout: `::stop-commands::tok\n::add-mask::${v}\n::tok::\nnow ${v}\n`
        })
      )
    ).toEqual(['S (as is) in stdout line 2', 'S (as is) in stdout line 4'])
  })

  it('a command file without a mask, and a decoded ::error:: line', () => {
    const v = 'sk-proj-percent%secret-000'
    const s: Secret = { label: 'P', value: v }
    const run = syntheticRun({
      stdout: `::error::failed for sk-proj-percent%25secret-000\n`,
      env: `X<<EOF\n${v}\nEOF\n`
    })
    expect(describeFindings(scanRun(run, [s]).findings)).toEqual([
      'P (as is) in stdout line 1',
      'P (as is) in env file'
    ])
  })

  it('a file written outside the primed home, not one inside it', () => {
    const run = syntheticRun({ stdout: '' })
    const roots = [run.dirs.root]
    const before = snapshotFiles(roots)
    const home = path.join(run.dirs.runnerTemp, 'codex-home-x')
    fs.mkdirSync(home)
    fs.writeFileSync(path.join(home, 'auth.json'), secret.value)
    fs.writeFileSync(path.join(run.dirs.workspace, 'debug.log'), secret.value)
    expect(
      describeFindings(
        scanRun(run, [secret], { roots, before, primedHomes: [home] }).findings
      )
    ).toEqual([
      `S (as is) in file ${path.join(run.dirs.workspace, 'debug.log')}`
    ])
  })

  it('a real run that echoes an unmasked value is caught', async () => {
    // export-env is not a secret input, so its bad value is quoted back:
    // exactly what the scanner must notice if it were a secret.
    const dirs = scannedDirs()
    const run = await runScanned(
      dirs,
      {
        inputs: {
          'api-key': 'sk-proj-real-key-000000000',
          'export-env': secret.value
        }
      },
      [secret]
    )
    expect(run.main.code).toBe(1)
    expect(describeFindings(run.findings)).toEqual([
      expect.stringMatching(/^S \(as is\) in stdout line \d+$/)
    ])
  })
})

// ---- What the runner is told to mask, for later steps ------------------------------

describe('masks registered for what later steps may print', () => {
  it('PAT: the token itself and the full header', async () => {
    const pat = backend.mintPersonalAccessToken()
    const r = await runScanned(
      scannedDirs(),
      { inputs: { 'access-token': pat.token, ...endpoints() } },
      []
    )
    expect(r.main.masks).toEqual(
      expect.arrayContaining([pat.token, `Bearer ${pat.token}`])
    )
  })

  // A later step may print the token part alone (e.g.
  // `${CODEX_AUTHORIZATION#AgentAssertion }` or a tool logging the
  // credential without its scheme); the runner does not mask parts of a
  // registered value, so export.ts masks the part after the scheme too.
  it('Agent Identity: the assertion token without its scheme too', async () => {
    const id = backend.mintAgentIdentity()
    const r = await runScanned(
      scannedDirs(),
      { inputs: { 'access-token': id.jwt, ...endpoints() } },
      []
    )
    const header = r.main.outputs['authorization'] ?? ''
    expect(header).toMatch(/^AgentAssertion \S+$/)
    expect(r.main.masks).toContain(header.slice('AgentAssertion '.length))
  })
})
