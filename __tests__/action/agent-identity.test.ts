/**
 * The built action (dist/) with an Agent Identity, run like a runner runs it
 * against the loopback dev backend: what a workflow author sees in env,
 * outputs, files, the log, the exit code, and what reached the backend.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  startDevBackend,
  type DevBackend,
  type MintAgentIdentityOptions,
  type MintedAgentIdentity
} from '../../dev/backend/index.js'
import {
  EMPTY_PLAN,
  findLeaks,
  listFiles,
  makeRunnerDirs,
  runAction,
  runPost,
  writeCodexHome,
  type RunResult
} from '../support/run-action.js'

let backend: DevBackend

beforeAll(async () => {
  backend = await startDevBackend()
})
afterAll(() => backend.close())

/** The three endpoint inputs that point the action at the dev backend. */
function endpoints(): Record<string, string> {
  return {
    'chatgpt-base-url': backend.chatgptBaseUrl,
    'jwks-base-url': backend.jwksBaseUrl,
    'authapi-base-url': backend.authapiBaseUrl
  }
}

function mint(options: MintAgentIdentityOptions = {}): MintedAgentIdentity {
  return backend.mintAgentIdentity({ accountId: 'acct-agent', ...options })
}

/** Registration requests the backend received for one identity. */
function registrations(minted: MintedAgentIdentity): number {
  return backend.requestsFor(
    (r) => r.route === 'register' && r.path.includes(`/${minted.runtimeId}/`)
  ).length
}

function jwksCount(): number {
  return backend.requestsFor('jwks').length
}

function expectCleanFailure(result: RunResult, message: string): void {
  expect(result.code).toBe(1)
  expect(result.error).toBe(message)
  expect(result.commands.filter((c) => c.name === 'error')).toHaveLength(1)
  expect(result.stderr).toBe('')
  expect(result.raw.env).toBe('')
  expect(result.raw.output).toBe('')
  expect(result.state).toEqual(EMPTY_PLAN)
  expect(listFiles(result.dirs.runnerTemp)).toEqual([])
}

function secretsOf(minted: MintedAgentIdentity, result: RunResult): string[] {
  return [
    minted.jwt,
    minted.privateKeyB64,
    minted.privateKeyPkcs8V1B64,
    result.outputs['authorization'] ?? 'no-authorization-output'
  ]
}

describe('an identity JWT from the access-token input', () => {
  let minted: MintedAgentIdentity
  let result: RunResult
  let jwksBefore: number
  beforeAll(async () => {
    minted = mint({
      keyFormat: 'pkcs8-v2',
      planType: 'hc',
      email: null,
      fedramp: true
    })
    jwksBefore = jwksCount()
    result = await runAction({
      inputs: {
        'access-token': minted.jwt,
        'forced-login-method': 'chatgpt',
        'forced-workspace-id': 'acct-agent',
        ...endpoints()
      }
    })
  })

  it('succeeds after one JWKS fetch and exactly one task registration', () => {
    expect(result.error).toBeUndefined()
    expect(result.code).toBe(0)
    expect(jwksCount() - jwksBefore).toBe(1)
    expect(registrations(minted)).toBe(1)
    expect(backend.tasksFor(minted.runtimeId)).toHaveLength(1)
  })

  it('registers without any Authorization header', () => {
    const [req] = backend.requestsFor(
      (r) => r.route === 'register' && r.path.includes(minted.runtimeId)
    )
    expect(req?.headers['authorization']).toBeUndefined()
    expect(req?.headers['content-type']).toBe('application/json')
    expect(req?.status).toBe(200)
  })

  it('exports an AgentAssertion the backend accepts for that task', () => {
    const check = backend.verifyAssertion(result.outputs['authorization'])
    expect(check.problems).toEqual([])
    expect(check.valid).toBe(true)
    expect(check.envelope?.task_id).toBe(backend.tasksFor(minted.runtimeId)[0])
    expect(result.env['CODEX_AUTHORIZATION']).toBe(
      result.outputs['authorization']
    )
  })

  it('sets the outputs', () => {
    const home = result.outputs['codex-home']!
    expect(result.outputs).toEqual({
      'auth-mode': 'agentIdentity',
      authorization: expect.stringMatching(/^AgentAssertion [\w-]+$/),
      'account-id': 'acct-agent',
      'plan-type': 'enterprise',
      'agent-runtime-id': minted.runtimeId,
      'task-id': backend.tasksFor(minted.runtimeId)[0],
      fedramp: 'true',
      'codex-home': home,
      'auth-file': path.join(home, 'auth.json')
    })
  })

  it('exports env for later steps, endpoint overrides included', () => {
    expect(result.env).toEqual({
      CODEX_HOME: result.outputs['codex-home'],
      CODEX_AUTHORIZATION: result.outputs['authorization'],
      CODEX_CHATGPT_ACCOUNT_ID: 'acct-agent',
      CODEX_AGENT_IDENTITY_JWKS_BASE_URL: backend.jwksBaseUrl,
      CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: backend.authapiBaseUrl,
      // The authapi-base-url input moves whoami too (SPEC 2).
      CODEX_AUTHAPI_BASE_URL: backend.authapiBaseUrl
    })
  })

  it('primes the record with its task, a v1 key and Codex’s key order', () => {
    const home = result.outputs['codex-home']!
    expect(fs.readFileSync(path.join(home, 'auth.json'), 'utf8')).toBe(
      JSON.stringify(
        {
          auth_mode: 'agentIdentity',
          OPENAI_API_KEY: null,
          agent_identity: {
            agent_runtime_id: minted.runtimeId,
            agent_private_key: minted.privateKeyPkcs8V1B64,
            account_id: 'acct-agent',
            chatgpt_user_id: minted.chatgptUserId,
            email: '',
            plan_type: 'enterprise',
            chatgpt_account_is_fedramp: true,
            task_id: backend.tasksFor(minted.runtimeId)[0]
          }
        },
        null,
        2
      )
    )
    const config = fs.readFileSync(path.join(home, 'config.toml'), 'utf8')
    expect(config).toContain('cli_auth_credentials_store = "file"')
    expect(config).toContain(`chatgpt_base_url = "${backend.chatgptBaseUrl}"`)
    expect(config).toContain('forced_login_method = "chatgpt"')
    expect(config).toMatch(
      /^forced_chatgpt_workspace_id = \[\s*"acct-agent"\s*\]$/m
    )
    // The exported AgentAssertion stays out of the commands the model runs.
    expect(config).toMatch(
      /^\[shell_environment_policy\]\nexclude = \[\s*"CODEX_AUTHORIZATION"\s*\]$/m
    )
  })

  it('masks the JWT first, and every secret form before it appears', () => {
    expect(result.commands[0]).toEqual({
      name: 'add-mask',
      value: minted.jwt,
      line: 0
    })
    for (const secret of secretsOf(minted, result)) {
      expect(result.masks).toContain(secret)
      expect(findLeaks(result, secret)).toEqual([])
    }
  })

  it('says in the summary that the header ages, without secrets', () => {
    expect(result.summary).toContain(
      '| Mode | Agent Identity (`agentIdentity`) |'
    )
    expect(result.summary).toContain('and ages')
    expect(result.summary).toContain('X-OpenAI-Fedramp: true')
    for (const secret of secretsOf(minted, result)) {
      expect(result.summary).not.toContain(secret)
    }
  })

  it('post step removes the primed home', async () => {
    const home = result.outputs['codex-home']!
    expect((await runPost(result)).code).toBe(0)
    expect(fs.existsSync(home)).toBe(false)
  })
})

describe('identity sources (seeds’ cases)', () => {
  it('env CODEX_ACCESS_TOKEN: used, then neutralised for later steps', async () => {
    const minted = mint()
    const r = await runAction({
      inputs: endpoints(),
      env: { CODEX_ACCESS_TOKEN: minted.jwt }
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      'Using the Codex credential from env CODEX_ACCESS_TOKEN.'
    )
    expect(r.env['CODEX_ACCESS_TOKEN']).toBe('')
    expect(registrations(minted)).toBe(1)
    expect(findLeaks(r, minted.jwt)).toEqual([])
  })

  it('env CODEX_AGENT_IDENTITY (the seed’s name) works', async () => {
    const minted = mint()
    const r = await runAction({
      inputs: endpoints(),
      env: { CODEX_AGENT_IDENTITY: minted.jwt }
    })
    expect(r.code).toBe(0)
    expect(r.outputs['agent-runtime-id']).toBe(minted.runtimeId)
    expect(r.env['CODEX_ACCESS_TOKEN']).toBeUndefined()
  })

  it('the agent-identity input, with a sealed task id', async () => {
    const minted = mint({ taskIdDelivery: 'encrypted_task_id' })
    const r = await runAction({
      inputs: { 'agent-identity': minted.jwt, ...endpoints() }
    })
    expect(r.code).toBe(0)
    expect(r.outputs['task-id']).toBe(backend.tasksFor(minted.runtimeId)[0])
    expect(backend.verifyAssertion(r.outputs['authorization']).valid).toBe(true)
  })

  it('identity-only auth.json (no ChatGPT tokens): a stored task, no network', async () => {
    const minted = mint()
    const dirs = makeRunnerDirs()
    writeCodexHome(dirs, {
      'auth.json': JSON.stringify({
        auth_mode: 'chatgpt',
        OPENAI_API_KEY: null,
        agent_identity: {
          workspace_id: 'acct-agent',
          chatgpt_user_id: null,
          agent_runtime_id: minted.runtimeId,
          agent_private_key: minted.privateKeyB64,
          registered_at: '2026-04-13T12:00:00Z',
          background_task_id: 'task_seed_123'
        }
      })
    })
    const before = backend.requests.length
    const r = await runAction({
      dirs,
      inputs: { 'forced-workspace-id': 'acct-agent', ...endpoints() }
    })
    expect(r.code).toBe(0)
    expect(backend.requests.length).toBe(before)
    expect(r.outputs['task-id']).toBe('task_seed_123')
    const check = backend.verifyAssertion(r.outputs['authorization'])
    expect(check.signatureValid).toBe(true)
    expect(check.envelope?.task_id).toBe('task_seed_123')
    expect(findLeaks(r, minted.privateKeyB64)).toEqual([])
  })

  it('an API key still wins over an identity, and the backend sees nothing', async () => {
    const minted = mint()
    const before = backend.requests.length
    const r = await runAction({
      inputs: {
        'api-key': 'sk-test-precedence-0123456789',
        'access-token': minted.jwt,
        ...endpoints()
      }
    })
    expect(r.code).toBe(0)
    expect(r.outputs['auth-mode']).toBe('apikey')
    expect(r.stdout).toContain(
      'Ignoring input access-token: input api-key takes precedence.'
    )
    expect(backend.requests.length).toBe(before)
    expect(findLeaks(r, minted.jwt)).toEqual([])
  })

  it('register-task: false primes the JWT itself and registers nothing', async () => {
    const minted = mint()
    const r = await runAction({
      inputs: {
        'access-token': minted.jwt,
        'register-task': 'false',
        ...endpoints()
      }
    })
    expect(r.code).toBe(0)
    expect(registrations(minted)).toBe(0)
    const auth = JSON.parse(
      fs.readFileSync(r.outputs['auth-file']!, 'utf8')
    ) as Record<string, unknown>
    expect(auth['agent_identity']).toBe(minted.jwt)
    expect(r.outputs['authorization']).toBe('')
    expect(r.commands).toContainEqual(
      expect.objectContaining({
        name: 'warning',
        value: expect.stringMatching(/^register-task is false/)
      })
    )
  })
})

describe('restrictions fail fast, before any request', () => {
  it('a workspace mismatch from env', async () => {
    const minted = mint({ accountId: 'org_another_org' })
    const before = backend.requests.length
    const r = await runAction({
      inputs: { 'forced-workspace-id': 'org_mine', ...endpoints() },
      env: { CODEX_ACCESS_TOKEN: minted.jwt }
    })
    expectCleanFailure(
      r,
      'Login is restricted to workspace(s) org_mine, but current credentials belong to org_another_org. Logging out.'
    )
    expect(backend.requests.length).toBe(before)
    expect(findLeaks(r, minted.jwt)).toEqual([])
  })

  it('a workspace mismatch from auth.json deletes that auth.json', async () => {
    const minted = mint({ accountId: 'org_another_org' })
    const dirs = makeRunnerDirs()
    const codexHome = writeCodexHome(dirs, {
      'auth.json': JSON.stringify({
        auth_mode: 'agentIdentity',
        agent_identity: minted.jwt
      }),
      'config.toml': 'forced_chatgpt_workspace_id = "org_mine"\n'
    })
    const authFile = path.join(codexHome, 'auth.json')
    const before = backend.requests.length
    const r = await runAction({ dirs, inputs: endpoints() })
    expectCleanFailure(
      r,
      'Login is restricted to workspace(s) org_mine, but current credentials belong to org_another_org. Logging out.'
    )
    expect(fs.existsSync(authFile)).toBe(false)
    expect(backend.requests.length).toBe(before)
  })

  it('an unverified identity cannot satisfy forced-workspace-id', async () => {
    const minted = mint()
    const before = backend.requests.length
    const r = await runAction({
      inputs: {
        'access-token': minted.jwt,
        'verify-identity': 'false',
        'forced-workspace-id': 'acct-agent',
        ...endpoints()
      }
    })
    expectCleanFailure(
      r,
      'An unverified agent identity cannot satisfy forced-workspace-id; remove verify-identity: false'
    )
    expect(backend.requests.length).toBe(before)
  })

  it('forced api refuses an identity', async () => {
    const r = await runAction({
      inputs: {
        'access-token': mint().jwt,
        'forced-login-method': 'api',
        ...endpoints()
      }
    })
    expectCleanFailure(
      r,
      'API key login is required, but ChatGPT is currently being used. Logging out.'
    )
  })

  it('a custom backend without the JWKS/AuthAPI overrides', async () => {
    const before = backend.requests.length
    const r = await runAction({
      inputs: {
        'access-token': mint().jwt,
        'chatgpt-base-url': backend.chatgptBaseUrl
      }
    })
    expectCleanFailure(
      r,
      'Agent Identity only supports production and staging ChatGPT environments'
    )
    expect(backend.requests.length).toBe(before)
  })
})

describe('invalid identities and backend failures', () => {
  it('an invalid JWT is rejected with Codex’s text and its source', async () => {
    const r = await runAction({
      inputs: { 'access-token': 'not-a-jwt', ...endpoints() }
    })
    expectCleanFailure(
      r,
      'invalid agent identity JWT format (agent identity from input access-token)'
    )
  })

  it('a JWT signed by another key fails verification and registers nothing', async () => {
    const minted = mint({ signingKey: 'untrusted' })
    const r = await runAction({
      inputs: { 'access-token': minted.jwt, ...endpoints() }
    })
    expectCleanFailure(
      r,
      'failed to verify agent identity JWT: the signature does not match the trusted key (agent identity from input access-token)'
    )
    expect(registrations(minted)).toBe(0)
  })

  it('the seeds’ legacy shape works only unverified', async () => {
    const minted = mint({ legacy: true })
    const refused = await runAction({
      inputs: { 'access-token': minted.jwt, ...endpoints() }
    })
    expect(refused.code).toBe(1)
    expect(refused.error).toMatch(/older shape \(claim workspace_id\)/)
    const accepted = await runAction({
      inputs: {
        'access-token': minted.jwt,
        'verify-identity': 'false',
        ...endpoints()
      }
    })
    expect(accepted.code).toBe(0)
    expect(accepted.outputs['plan-type']).toBe('unknown')
    expect(
      backend.verifyAssertion(accepted.outputs['authorization']).valid
    ).toBe(true)
  })

  it('a 503 from registration is retried once and succeeds', async () => {
    const minted = mint()
    backend.inject('register', { kind: 'status', status: 503, times: 1 })
    try {
      const r = await runAction({
        inputs: { 'access-token': minted.jwt, ...endpoints() }
      })
      expect(r.code).toBe(0)
      expect(registrations(minted)).toBe(2)
      expect(backend.tasksFor(minted.runtimeId)).toHaveLength(1)
    } finally {
      backend.clearFaults('register')
    }
  })

  it('a 200 KB task id fails the step naming the field and its length', async () => {
    const minted = mint()
    backend.inject('register', {
      kind: 'status',
      status: 200,
      body: { task_id: 't'.repeat(200_000) }
    })
    try {
      const r = await runAction({
        inputs: { 'access-token': minted.jwt, ...endpoints() }
      })
      expectCleanFailure(
        r,
        'agent task registration: task id is 200000 characters long, over the limit of 256; refusing to use it rather than cut it. Check authapi-base-url.'
      )
      expect(registrations(minted)).toBe(1)
    } finally {
      backend.clearFaults('register')
    }
  })

  it('a 403 from registration is final, with Codex’s text', async () => {
    const minted = mint()
    backend.inject('register', {
      kind: 'status',
      status: 403,
      body: { error: 'forbidden', detail: `key ${minted.privateKeyB64}` }
    })
    try {
      const r = await runAction({
        inputs: { 'access-token': minted.jwt, ...endpoints() }
      })
      expectCleanFailure(
        r,
        'agent task registration failed with status 403 Forbidden: {"error":"forbidden","detail":"key [redacted]"}'
      )
      expect(registrations(minted)).toBe(1)
    } finally {
      backend.clearFaults('register')
    }
  })
})
