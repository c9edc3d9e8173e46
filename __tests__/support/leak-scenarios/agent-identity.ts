/**
 * Leak scenarios of Agent Identity mode: JWKS and registration faults, echoes.
 */
import type {
  DevBackend,
  FaultSpec,
  FaultTarget
} from '../../../dev/backend/index.js'
import { TASK_ID_NOT_PRINTABLE } from '../../../src/messages/agent-identity.js'
import type { Secret } from '../leak-scan.js'
import { parseCommands, type RunResult } from '../run-action.js'
import { randomToken } from '../../hardening/support/harness.js'
import {
  endpoints,
  withEchoes,
  writeHomeAuth,
  type Scenario
} from './common.js'
import { renderGfm } from '../markdown.js'

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
  /** Extra checks on the main run. */
  check?: (main: RunResult) => void
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
      const { faults: resolved, echoed } = withEchoes(faults, options.echo, [
        secrets[0]!
      ])
      const inputs: Record<string, string> = {
        ...endpoints(b),
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
        secrets: [...secrets, ...echoed],
        faults: resolved,
        ...(options.check ? { check: options.check } : {})
      }
    }
  }
}

/**
 * Server text stayed inert in the log: no old-style `##[command]` anywhere,
 * no terminal escape, and no workflow command made of server text (the
 * action's own masks, debug lines and warnings aside, one `::error::` only
 * on failure).
 */
function inertLog(main: RunResult): void {
  const lines = main.stdout.split('\n')
  expect(lines.filter((l) => l.includes('##['))).toEqual([])
  expect(lines.filter((l) => l.includes('\u001b'))).toEqual([])
  const commands = parseCommands(main.stdout)
  expect(
    commands
      .map((c) => c.name)
      .filter((name) => !['add-mask', 'debug', 'warning'].includes(name))
  ).toEqual(main.code === 0 ? [] : ['error'])
  expect(
    commands.filter(
      (c) => c.name === 'warning' && /All.checks|evil/.test(c.value)
    )
  ).toEqual([])
}

/**
 * The job summary rendered as GitHub does (GFM, raw HTML allowed) renders no
 * element made of server text: no image, link or emphasis.
 */
function inertSummary(main: RunResult): void {
  const html = renderGfm(main.summary)
  // (The action's own endpoint URLs are autolinked; the server's are not.)
  expect(html).not.toMatch(/<(img|strong|em)\b|<a href="[^"]*evil/)
  expect(html).toContain('<code>task-##[stop-commands]zz&lt;img/src=x&gt;')
}

/** Markup a hostile server puts in a value, none of which may render. */
const MARKUP = '<img/src=x>**All-checks-passed**[login](https://evil.example)'

export const IDENTITY_SCENARIOS: Scenario[] = [
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
  // A task id carrying "\n::stop-commands::<token>" would turn off the
  // runner's command processing and so every mask after it: it is refused.
  identityScenario(
    'registration reply whose task id carries workflow commands',
    TASK_ID_NOT_PRINTABLE,
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
  ),
  // Printable ASCII, so accepted: the old-style command the runner finds
  // anywhere in a line would stop command processing (every later mask
  // shown raw) unless broken, and the markup must not render in the summary.
  identityScenario(
    'registration reply whose task id carries an old-style command and markup',
    'ok',
    [
      [
        'register',
        {
          kind: 'status',
          status: 200,
          body: { task_id: `task-##[stop-commands]zz${MARKUP}` }
        }
      ]
    ],
    {
      check: (main) => {
        inertLog(main)
        expect(main.outputs['task-id']).toBe(
          `task-##[stop-commands]zz${MARKUP}`
        )
        inertSummary(main)
      }
    }
  ),
  identityScenario(
    'registration error body with ANSI, commands and markup',
    /^agent task registration failed with status 400 Bad Request: /,
    [
      [
        'register',
        {
          kind: 'status',
          status: 400,
          body:
            '\u001b[31mdenied\u001b[0m ##[stop-commands]zz ##[error]fake\r\n' +
            `::warning::All checks passed\r::notice::${MARKUP}`
        }
      ]
    ],
    { check: inertLog }
  ),
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
