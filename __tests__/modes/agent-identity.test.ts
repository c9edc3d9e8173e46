/**
 * The Agent Identity mode end to end, with the network faked by nock at the
 * production endpoints (nothing can leave the process: net connect is off).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import nock from 'nock'
import {
  mintAgentIdentity,
  type MintAgentIdentityOptions
} from '../../dev/backend/identity.js'
import { jwksDocument } from '../../dev/backend/routes/jwks.js'
import { renderAuthJson } from '../../src/codex-home/auth-json.js'
import { createHttpClient, type HttpClient } from '../../src/clients/http.js'
import type { CodexConfig } from '../../src/sources/codex-config.js'
import type {
  AgentIdentityCredential,
  CredentialSource,
  Resolved
} from '../../src/credentials/types.js'
import { resolveEndpoints } from '../../src/endpoints/resolve.js'
import { readSettings } from '../../src/inputs.js'
import { run } from '../../src/main.js'
import { resolveAgentIdentity } from '../../src/modes/agent-identity.js'
import type { ModeContext } from '../../src/modes/context.js'
import { resolvePolicy } from '../../src/policy/rules.js'
import { fakeRunner, type FakeRunner } from '../support/fake-runner.js'
import {
  ASSERTION_HEADER,
  PKCS8_V1_B64,
  REGISTRATION_BODY,
  RUNTIME_ID,
  SEED,
  TASK_ID,
  TIMESTAMP
} from '../crypto/vectors.js'
import { instantHttpDeps } from '../support/instant-http.js'
import { tempDir } from '../support/temp-dirs.js'
import { rejection as rejected } from '../support/rejection.js'
import { useNockOffline } from '../support/nock-offline.js'

const NOW_MS = Date.parse(TIMESTAMP)
const CHATGPT = 'https://chatgpt.com'
const JWKS_PATH = '/backend-api/wham/agent-identities/jwks'
const AUTHAPI = 'https://auth.openai.com'
const registerPath = (runtimeId: string): string =>
  `/api/accounts/v1/agent/${runtimeId}/task/register`

const API_LOGIN_REQUIRED =
  'API key login is required, but ChatGPT is currently being used. Logging out.'
const UNVERIFIED =
  'An unverified agent identity cannot satisfy forced-workspace-id; remove verify-identity: false'
const UNSUPPORTED =
  'Agent Identity only supports production and staging ChatGPT environments'

useNockOffline()

// ---- Fixtures -----------------------------------------------------------------

function mint(
  options: MintAgentIdentityOptions = {}
): ReturnType<typeof mintAgentIdentity> {
  return mintAgentIdentity(
    { seed: SEED, runtimeId: RUNTIME_ID, accountId: 'acct-1', ...options },
    NOW_MS
  )
}

interface Setup {
  inputs?: Record<string, string>
  env?: Record<string, string>
  config?: Partial<CodexConfig>
}

interface Harness {
  ctx: ModeContext
  runner: FakeRunner
  /** How often the mode asked for the HTTP client. */
  httpRequests(): number
}

function harness(setup: Setup = {}): Harness {
  const runner = fakeRunner(setup.inputs ?? {}, setup.env ?? {})
  const settings = readSettings(runner)
  const config: CodexConfig = {
    path: '/runner/.codex/config.toml',
    exists: true,
    table: {},
    ...setup.config
  }
  let asked = 0
  const client: HttpClient = createHttpClient(instantHttpDeps(NOW_MS))
  return {
    runner,
    httpRequests: () => asked,
    ctx: {
      runner,
      settings,
      config,
      policy: resolvePolicy(settings, config),
      endpoints: resolveEndpoints(settings, config),
      http: () => {
        asked++
        return Promise.resolve(client)
      },
      now: () => new Date(NOW_MS)
    }
  }
}

function jwtCredential(
  jwt: string,
  source: CredentialSource = { label: 'input access-token' }
): AgentIdentityCredential {
  return { mode: 'agentIdentity', source, material: { kind: 'jwt', jwt } }
}

function recordCredential(
  record: unknown,
  source: CredentialSource = {
    label: '/runner/.codex/auth.json',
    authFilePath: '/runner/.codex/auth.json'
  }
): AgentIdentityCredential {
  return { mode: 'agentIdentity', source, material: { kind: 'record', record } }
}

/** Serves the JWKS and one registration; returns what registration saw. */
function backend(
  runtimeId = RUNTIME_ID,
  reply: Record<string, unknown> = { task_id: TASK_ID }
): { jwks: nock.Scope; register: nock.Scope; bodies: string[] } {
  const bodies: string[] = []
  const jwks = nock(CHATGPT, { badheaders: ['authorization'] })
    .get(JWKS_PATH)
    .reply(200, jwksDocument())
  const register = nock(AUTHAPI, { badheaders: ['authorization'] })
    .post(registerPath(runtimeId), (body: unknown) => {
      bodies.push(JSON.stringify(body))
      return true
    })
    .reply(200, reply)
  return { jwks, register, bodies }
}

function expectNoNetwork(h: Harness): void {
  expect(h.httpRequests()).toBe(0)
  expect(nock.pendingMocks()).toEqual([])
}

// ---- The happy path and the SPEC 4.5 vectors ------------------------------------

describe('a current JWT: verify, register once, prime the record', () => {
  const minted = mint({
    keyFormat: 'pkcs8-v2',
    planType: 'hc',
    email: null,
    fedramp: true,
    chatgptUserId: 'user-1'
  })
  let h: Harness
  let resolved: Resolved
  let seen: ReturnType<typeof backend>

  beforeAll(async () => {
    seen = backend()
    h = harness()
    resolved = await resolveAgentIdentity(jwtCredential(minted.jwt), h.ctx)
  })

  it('fetches the JWKS and registers exactly one task', () => {
    seen.jwks.done()
    seen.register.done()
    expect(seen.bodies).toHaveLength(1)
  })

  it('signs the registration body of the SPEC 4.5 vector, byte for byte', () => {
    expect(seen.bodies[0]).toBe(REGISTRATION_BODY)
  })

  it('makes the SPEC 4.5 AgentAssertion header at export time', () => {
    expect(resolved.authorization).toBe(ASSERTION_HEADER)
  })

  it('resolves the account, plan (mapped), runtime, task and FedRAMP', () => {
    expect(resolved).toMatchObject({
      mode: 'agentIdentity',
      accountId: 'acct-1',
      planType: 'enterprise',
      fedramp: true,
      agentRuntimeId: RUNTIME_ID,
      taskId: TASK_ID,
      env: {},
      config: {}
    })
  })

  it('primes Codex’s record: key re-encoded as v1, email "", keys in order', () => {
    expect(renderAuthJson(resolved.authJson!)).toBe(
      JSON.stringify(
        {
          auth_mode: 'agentIdentity',
          OPENAI_API_KEY: null,
          agent_identity: {
            agent_runtime_id: RUNTIME_ID,
            agent_private_key: PKCS8_V1_B64,
            account_id: 'acct-1',
            chatgpt_user_id: 'user-1',
            email: '',
            plan_type: 'enterprise',
            chatgpt_account_is_fedramp: true,
            task_id: TASK_ID
          }
        },
        null,
        2
      )
    )
  })

  it('masks the key as given and re-encoded, and the header', () => {
    const masks = h.runner.masks()
    for (const secret of [
      minted.jwt,
      minted.privateKeyB64,
      PKCS8_V1_B64,
      ASSERTION_HEADER
    ]) {
      expect(masks).toContain(secret)
      expect(resolved.secrets).toContain(secret)
    }
  })

  it('masks the private key before anything is logged', () => {
    const firstLog = h.runner.events.findIndex((e) => e.kind === 'info')
    const keyMask = h.runner.events.findIndex(
      (e) => e.kind === 'mask' && e.value === minted.privateKeyB64
    )
    expect(keyMask).toBeGreaterThanOrEqual(0)
    expect(keyMask).toBeLessThan(firstLog)
    for (const line of h.runner.logs()) {
      expect(line).not.toContain(minted.privateKeyB64)
      expect(line).not.toContain('AgentAssertion ')
    }
  })

  it('says the exported assertion ages, and lists facts for the summary', () => {
    expect(resolved.warnings).toEqual([
      expect.stringContaining(
        'The exported AgentAssertion header (authorization output, CODEX_AUTHORIZATION) was signed at 2026-01-01T00:00:00Z and ages'
      )
    ])
    expect(resolved.facts).toEqual(
      expect.arrayContaining([
        ['Identity', `JWT verified (RS256) against ${CHATGPT}${JWKS_PATH}`],
        ['Task origin', `registered now at ${AUTHAPI}/api/accounts`],
        ['FedRAMP header', 'X-OpenAI-Fedramp: true on every request']
      ])
    )
  })
})

describe('plain and sealed task ids, through the mode', () => {
  it('a camelCase taskId works', async () => {
    const seen = backend(RUNTIME_ID, { taskId: 'task-camel' })
    const resolved = await resolveAgentIdentity(
      jwtCredential(mint().jwt),
      harness().ctx
    )
    expect(resolved.taskId).toBe('task-camel')
    seen.register.done()
  })
})

// ---- Restrictions: before any network call ---------------------------------------

describe('restrictions run on the unverified claims before any network call', () => {
  it('forced api rejects an identity (it counts as chatgpt)', async () => {
    const h = harness({ inputs: { 'forced-login-method': 'api' } })
    const err = await rejected(
      resolveAgentIdentity(jwtCredential(mint().jwt), h.ctx)
    )
    expect(err.message).toBe(API_LOGIN_REQUIRED)
    expectNoNetwork(h)
  })

  it('forced chatgpt accepts an identity', async () => {
    backend()
    const h = harness({ inputs: { 'forced-login-method': 'chatgpt' } })
    await expect(
      resolveAgentIdentity(jwtCredential(mint().jwt), h.ctx)
    ).resolves.toMatchObject({ mode: 'agentIdentity' })
  })

  it('a workspace mismatch from env fails with Codex’s text and no request', async () => {
    const h = harness({
      inputs: { 'forced-workspace-id': 'org_mine' },
      env: { CODEX_ACCESS_TOKEN: 'ignored-here' }
    })
    const err = await rejected(
      resolveAgentIdentity(
        jwtCredential(mint({ accountId: 'org_another_org' }).jwt, {
          label: 'env CODEX_ACCESS_TOKEN'
        }),
        h.ctx
      )
    )
    expect(err.message).toBe(
      'Login is restricted to workspace(s) org_mine, but current credentials belong to org_another_org. Logging out.'
    )
    // Not from a Codex home file: nothing to delete.
    expect(err.logoutPath).toBeUndefined()
    expectNoNetwork(h)
  })

  it('a workspace match from env proceeds', async () => {
    const seen = backend()
    const h = harness({ inputs: { 'forced-workspace-id': 'other, acct-1' } })
    const resolved = await resolveAgentIdentity(
      jwtCredential(mint().jwt, { label: 'env CODEX_AGENT_IDENTITY' }),
      h.ctx
    )
    expect(resolved.accountId).toBe('acct-1')
    seen.register.done()
  })

  it('a workspace list from config.toml must hold too', async () => {
    const h = harness({
      config: { forcedWorkspaceIds: ['org_config'] }
    })
    const err = await rejected(
      resolveAgentIdentity(jwtCredential(mint().jwt), h.ctx)
    )
    expect(err.message).toBe(
      'Login is restricted to workspace(s) org_config, but current credentials belong to acct-1. Logging out.'
    )
    expectNoNetwork(h)
  })

  it('an identity without an account fails a workspace rule', async () => {
    const h = harness({ inputs: { 'forced-workspace-id': 'org_mine' } })
    const err = await rejected(
      resolveAgentIdentity(jwtCredential(mint({ accountId: '' }).jwt), h.ctx)
    )
    expect(err.message).toBe(
      'Login is restricted to workspace(s) org_mine, but current credentials lack a workspace identifier. Logging out.'
    )
    expectNoNetwork(h)
  })

  it('an unverified JWT never satisfies a workspace list, even a matching one', async () => {
    const h = harness({
      inputs: { 'forced-workspace-id': 'acct-1', 'verify-identity': 'false' }
    })
    const err = await rejected(
      resolveAgentIdentity(jwtCredential(mint().jwt), h.ctx)
    )
    expect(err.message).toBe(UNVERIFIED)
    expectNoNetwork(h)
  })

  it('a mismatching auth.json record is logged out (its file is named)', async () => {
    const h = harness({ inputs: { 'forced-workspace-id': 'org_mine' } })
    const err = await rejected(
      resolveAgentIdentity(
        recordCredential({
          workspace_id: 'org_another_org',
          agent_runtime_id: 'agent_123',
          agent_private_key: PKCS8_V1_B64,
          registered_at: '2026-04-13T12:00:00Z'
        }),
        h.ctx
      )
    )
    expect(err.message).toBe(
      'Login is restricted to workspace(s) org_mine, but current credentials belong to org_another_org. Logging out.'
    )
    expect(err.logoutPath).toBe('/runner/.codex/auth.json')
    expectNoNetwork(h)
  })
})

// ---- Seeds' cases ------------------------------------------------------------------

describe('the seeds’ identity-only auth (records are trusted local state)', () => {
  const seedRecord = {
    workspace_id: 'org_mine',
    chatgpt_user_id: 'user-123',
    agent_runtime_id: RUNTIME_ID,
    agent_private_key: PKCS8_V1_B64,
    registered_at: '2026-04-13T12:00:00Z',
    background_task_id: TASK_ID
  }

  it('a record with a task needs no network and satisfies the workspace', async () => {
    const h = harness({ inputs: { 'forced-workspace-id': 'org_mine' } })
    const resolved = await resolveAgentIdentity(
      recordCredential(seedRecord),
      h.ctx
    )
    expectNoNetwork(h)
    expect(resolved.authorization).toBe(ASSERTION_HEADER)
    expect(resolved.authJson!.agent_identity).toEqual({
      agent_runtime_id: RUNTIME_ID,
      agent_private_key: PKCS8_V1_B64,
      account_id: 'org_mine',
      chatgpt_user_id: 'user-123',
      email: '',
      plan_type: 'unknown',
      chatgpt_account_is_fedramp: false,
      task_id: TASK_ID
    })
    expect(resolved.facts).toEqual(
      expect.arrayContaining([
        ['Task origin', 'reused from /runner/.codex/auth.json']
      ])
    )
  })

  it('a record with a task skips the environment rule (no bootstrap ahead)', async () => {
    const h = harness({
      inputs: { 'chatgpt-base-url': 'http://127.0.0.1:9/backend-api' }
    })
    await expect(
      resolveAgentIdentity(recordCredential(seedRecord), h.ctx)
    ).resolves.toMatchObject({ taskId: TASK_ID })
    expectNoNetwork(h)
  })

  it('a record without a task registers one (no JWKS: nothing to verify)', async () => {
    const register = nock(AUTHAPI)
      .post(registerPath(RUNTIME_ID), REGISTRATION_BODY)
      .reply(200, { task_id: 'task-new' })
    const h = harness()
    const noTask: Record<string, unknown> = { ...seedRecord }
    delete noTask['background_task_id']
    const resolved = await resolveAgentIdentity(recordCredential(noTask), h.ctx)
    register.done()
    expect(resolved.taskId).toBe('task-new')
  })

  it('a record’s invalid key fails with Codex’s text, naming the file', async () => {
    const h = harness()
    const err = await rejected(
      resolveAgentIdentity(
        recordCredential({ ...seedRecord, agent_private_key: 'AAAA' }),
        h.ctx
      )
    )
    expect(err.message).toBe(
      'stored agent identity private key is not valid PKCS#8 (agent identity from /runner/.codex/auth.json)'
    )
    expectNoNetwork(h)
  })
})

describe('the seeds’ older JWT shape', () => {
  const legacy = (): string =>
    mint({ legacy: true, accountId: 'ws-1', chatgptUserId: 'u' }).jwt

  it('is refused with verify-identity on, before any request', async () => {
    const h = harness()
    const err = await rejected(
      resolveAgentIdentity(jwtCredential(legacy()), h.ctx)
    )
    expect(err.message).toMatch(/has the older shape \(claim workspace_id\)/)
    expectNoNetwork(h)
  })

  it('with verify-identity off: registered, primed as a record, warned', async () => {
    const register = nock(AUTHAPI)
      .post(registerPath(RUNTIME_ID))
      .reply(200, { task_id: TASK_ID })
    const h = harness({ inputs: { 'verify-identity': 'false' } })
    const resolved = await resolveAgentIdentity(jwtCredential(legacy()), h.ctx)
    register.done()
    expect(resolved.authJson!.agent_identity).toEqual({
      agent_runtime_id: RUNTIME_ID,
      agent_private_key: PKCS8_V1_B64,
      account_id: 'ws-1',
      chatgpt_user_id: 'u',
      email: '',
      plan_type: 'unknown',
      chatgpt_account_is_fedramp: false,
      task_id: TASK_ID
    })
    expect(resolved.warnings[0]).toMatch(/^verify-identity is false/)
  })

  it('an unsigned current-shape token stays invalid even unverified', async () => {
    const minted = mint({ signature: '' })
    const h = harness({ inputs: { 'verify-identity': 'false' } })
    const err = await rejected(
      resolveAgentIdentity(jwtCredential(minted.jwt), h.ctx)
    )
    expect(err.message).toBe(
      'invalid agent identity JWT format (agent identity from input access-token)'
    )
  })
})

// ---- Options ----------------------------------------------------------------------

describe('register-task: false', () => {
  it('verifies, registers nothing and primes the JWT as it is', async () => {
    const jwks = nock(CHATGPT).get(JWKS_PATH).reply(200, jwksDocument())
    const minted = mint()
    const h = harness({ inputs: { 'register-task': 'false' } })
    const resolved = await resolveAgentIdentity(
      jwtCredential(minted.jwt),
      h.ctx
    )
    jwks.done()
    expect(resolved.authJson).toEqual({
      auth_mode: 'agentIdentity',
      OPENAI_API_KEY: null,
      agent_identity: minted.jwt
    })
    expect(resolved.authorization).toBe('')
    expect(resolved.taskId).toBeUndefined()
    expect(resolved.warnings).toEqual([
      expect.stringMatching(/^register-task is false/)
    ])
  })

  it('still enforces the environment rule (a later Codex bootstraps)', async () => {
    const h = harness({
      inputs: {
        'register-task': 'false',
        'verify-identity': 'false',
        'chatgpt-base-url': 'http://127.0.0.1:9/backend-api'
      }
    })
    const err = await rejected(
      resolveAgentIdentity(jwtCredential(mint().jwt), h.ctx)
    )
    expect(err.message).toBe(UNSUPPORTED)
  })
})

describe('endpoints', () => {
  const DEV = 'http://dev.example.test:8080'

  it('a custom base without both overrides fails before any request', async () => {
    const h = harness({ inputs: { 'chatgpt-base-url': `${DEV}/backend-api` } })
    const err = await rejected(
      resolveAgentIdentity(jwtCredential(mint().jwt), h.ctx)
    )
    expect(err.message).toBe(UNSUPPORTED)
    expectNoNetwork(h)
  })

  it('a custom base with both overrides uses them and exports both', async () => {
    const jwks = nock(DEV)
      .get('/backend-api/wham/agent-identities/jwks')
      .reply(200, jwksDocument())
    const register = nock(DEV)
      .post(`/api/accounts/v1/agent/${RUNTIME_ID}/task/register`)
      .reply(200, { task_id: TASK_ID })
    const h = harness({
      inputs: {
        'chatgpt-base-url': `${DEV}/backend-api`,
        'jwks-base-url': `${DEV}/backend-api/`,
        'authapi-base-url': `${DEV}/api/accounts`
      }
    })
    const resolved = await resolveAgentIdentity(
      jwtCredential(mint().jwt),
      h.ctx
    )
    jwks.done()
    register.done()
    expect(resolved.agentRuntimeId).toBe(RUNTIME_ID)
  })

  it('env overrides work on a known base', async () => {
    const jwks = nock('https://keys.example.test')
      .get('/agent-identities/jwks')
      .reply(200, jwksDocument())
    const register = nock('https://auth.example.test')
      .post(`/v1/agent/${RUNTIME_ID}/task/register`)
      .reply(200, { task_id: TASK_ID })
    const h = harness({
      env: {
        CODEX_AGENT_IDENTITY_JWKS_BASE_URL: 'https://keys.example.test',
        CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: 'https://auth.example.test'
      }
    })
    const resolved = await resolveAgentIdentity(
      jwtCredential(mint().jwt),
      h.ctx
    )
    jwks.done()
    register.done()
    expect(resolved.taskId).toBe(TASK_ID)
  })

  it('a runtime id that would change the URL fails before any request', async () => {
    const h = harness()
    const err = await rejected(
      resolveAgentIdentity(
        jwtCredential(mint({ runtimeId: '../admin' }).jwt),
        h.ctx
      )
    )
    expect(err.message).toMatch(/agent_runtime_id containing '\/'/)
    expectNoNetwork(h)
  })
})

// ---- Invalid identities ---------------------------------------------------------

describe('invalid identities fail with Codex’s texts', () => {
  it.each<[string, string, string]>([
    [
      'not a JWT',
      'not-a-jwt',
      'invalid agent identity JWT format (agent identity from input access-token)'
    ],
    [
      'a missing claim',
      mint({ claims: { account_id: undefined } }).jwt,
      'failed to decode agent identity JWT: invalid credential JSON (Invalid input: expected string, received undefined → at account_id) (agent identity from input access-token)'
    ],
    [
      'an array aud (jose would accept it, Codex cannot parse it)',
      mint({ claims: { aud: ['codex-app-server'] } }).jwt,
      'failed to decode agent identity JWT: invalid credential JSON (Invalid input: expected string, received array → at aud) (agent identity from input access-token)'
    ],
    [
      'a base64url key',
      mint({ privateKeyText: PKCS8_V1_B64.replace(/\+/g, '-') + '_' }).jwt,
      'stored agent identity private key is not valid base64 (agent identity from input access-token)'
    ],
    [
      'no kid',
      mint({ header: { kid: undefined } }).jwt,
      'agent identity JWT header does not include a kid (agent identity from input access-token)'
    ],
    [
      'alg none',
      mint({ header: { alg: 'none' } }).jwt,
      'failed to decode agent identity JWT header (agent identity from input access-token)'
    ]
  ])('%s, before any request', async (_name, jwt, message) => {
    const h = harness()
    const err = await rejected(resolveAgentIdentity(jwtCredential(jwt), h.ctx))
    expect(err.message).toBe(message)
    expectNoNetwork(h)
  })

  it('a token the JWKS cannot verify registers nothing', async () => {
    const jwks = nock(CHATGPT).get(JWKS_PATH).reply(200, jwksDocument())
    const register = nock(AUTHAPI)
      .post(registerPath(RUNTIME_ID))
      .reply(200, { task_id: TASK_ID })
    const err = await rejected(
      resolveAgentIdentity(
        jwtCredential(mint({ signingKey: 'untrusted' }).jwt),
        harness().ctx
      )
    )
    expect(err.message).toBe(
      'failed to verify agent identity JWT: the signature does not match the trusted key (agent identity from input access-token)'
    )
    jwks.done()
    expect(register.isDone()).toBe(false)
  })

  it('a registration failure fails the mode with Codex’s text', async () => {
    nock(CHATGPT).get(JWKS_PATH).reply(200, jwksDocument())
    nock(AUTHAPI).post(registerPath(RUNTIME_ID)).reply(403, 'no')
    const err = await rejected(
      resolveAgentIdentity(jwtCredential(mint().jwt), harness().ctx)
    )
    expect(err.message).toBe(
      'agent task registration failed with status 403 Forbidden: no'
    )
  })
})

// ---- Through main: Logging out deletes the loaded auth.json ----------------------

describe('through main.run', () => {
  let root: string
  beforeEach(() => {
    root = tempDir('identity-mode-')
  })
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

  function runnerWithHome(
    authJson: unknown,
    inputs: Record<string, string> = {}
  ): { runner: FakeRunner; authFile: string } {
    const codexHome = path.join(root, 'home', '.codex')
    fs.mkdirSync(codexHome, { recursive: true })
    const authFile = path.join(codexHome, 'auth.json')
    fs.writeFileSync(authFile, JSON.stringify(authJson))
    const runner = fakeRunner(inputs, {
      HOME: path.join(root, 'home'),
      RUNNER_TEMP: path.join(root, 'temp')
    })
    fs.mkdirSync(path.join(root, 'temp'))
    return { runner, authFile }
  }

  const deps = {
    now: () => new Date(NOW_MS),
    createHttp: () =>
      Promise.resolve(
        createHttpClient({
          sleep: () => Promise.resolve(),
          random: () => 0.5,
          now: () => NOW_MS,
          userAgent: 'test-agent/1.0',
          originator: 'test_originator'
        })
      )
  }

  afterEach(() => {
    process.exitCode = undefined
  })

  it('a mismatching identity JWT in auth.json: file deleted, no request', async () => {
    const { runner, authFile } = runnerWithHome(
      {
        auth_mode: 'chatgpt',
        agent_identity: mint({ accountId: 'org_another_org' }).jwt
      },
      { 'forced-workspace-id': 'org_mine' }
    )
    await run(runner, deps)
    expect(runner.failures()).toEqual([
      'Login is restricted to workspace(s) org_mine, but current credentials belong to org_another_org. Logging out.'
    ])
    expect(fs.existsSync(authFile)).toBe(false)
    expect(nock.pendingMocks()).toEqual([])
    expect(runner.exported()).toEqual({})
  })

  it('a matching identity-only record in auth.json is primed and kept', async () => {
    const { runner, authFile } = runnerWithHome(
      {
        auth_mode: 'chatgpt',
        OPENAI_API_KEY: null,
        tokens: null,
        agent_identity: {
          workspace_id: 'org_mine',
          chatgpt_user_id: null,
          agent_runtime_id: RUNTIME_ID,
          agent_private_key: PKCS8_V1_B64,
          registered_at: '2026-04-13T12:00:00Z',
          background_task_id: TASK_ID
        }
      },
      { 'forced-workspace-id': 'org_mine' }
    )
    await run(runner, deps)
    expect(runner.failures()).toEqual([])
    expect(fs.existsSync(authFile)).toBe(true)
    const env = runner.exported()
    expect(env['CODEX_AUTHORIZATION']).toBe(ASSERTION_HEADER)
    expect(env['CODEX_CHATGPT_ACCOUNT_ID']).toBe('org_mine')
    expect(runner.outputs()).toMatchObject({
      'auth-mode': 'agentIdentity',
      'account-id': 'org_mine',
      'plan-type': 'unknown',
      'agent-runtime-id': RUNTIME_ID,
      'task-id': TASK_ID,
      fedramp: 'false'
    })
    const primed = JSON.parse(
      fs.readFileSync(path.join(env['CODEX_HOME']!, 'auth.json'), 'utf8')
    ) as Record<string, unknown>
    expect(primed['agent_identity']).toMatchObject({ task_id: TASK_ID })
  })
})
