/**
 * Bad-input fuzzing (fast-check): every parser and every input, fed
 * arbitrary and half-valid data. The property is always the same: a valid
 * result, or one clear error the pipeline knows how to report (ActionError,
 * or CryptoError from the crypto layer), with a message that carries no
 * stack and no secret. Never another exception, never an unhandled
 * rejection, and the whole pipeline never reaches its "Unexpected error"
 * branch.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import fc from 'fast-check'
import { mintAgentIdentity } from '../../dev/backend/identity.js'
import { jwksDocument } from '../../dev/backend/routes/jwks.js'
import {
  authJsonSecrets,
  credentialFromAuthJson,
  decodeAuthJsonInput,
  parseAuthJson
} from '../../src/credentials/auth-json.js'
import { renderAuthJson } from '../../src/codex-home/auth-json.js'
import {
  HttpTransportError,
  parseRetryAfter,
  type HttpClient,
  type HttpResponse
} from '../../src/clients/http.js'
import {
  checkJwtHeader,
  verifyAgentIdentityJwt
} from '../../src/clients/jwks.js'
import {
  MESSAGE_BODY_LIMIT,
  TRUNCATION_MARK,
  bodyForMessage,
  redactSecrets,
  redactUrl
} from '../../src/clients/redact.js'
import { taskIdFromResponse } from '../../src/clients/task-registration.js'
import {
  classifyRefreshFailure,
  parseRefreshReply,
  refreshErrorCode
} from '../../src/clients/token-refresh.js'
import { parseWhoami } from '../../src/clients/whoami.js'
import { parseCodexConfig } from '../../src/sources/config-toml.js'
import { parseSystemPolicy } from '../../src/policy/system.js'
import { resolvePolicy } from '../../src/policy/rules.js'
import { parse as parseToml } from 'smol-toml'
import {
  decodeAgentIdentityJwt,
  decodeJwtHeader,
  identityFromClaims,
  identityFromRecord
} from '../../src/credentials/agent-identity.js'
import {
  parseChatgptAuth,
  parseRfc3339
} from '../../src/credentials/chatgpt-tokens.js'
import { decodeJwtPayload } from '../../src/credentials/jwt.js'
import { parseAgentPrivateKey } from '../../src/crypto/agent-key.js'
import {
  decodeBase64,
  decodeBase64Url,
  encodeBase64,
  encodeBase64Url
} from '../../src/crypto/base64.js'
import { CryptoError } from '../../src/crypto/errors.js'
import { ActionError } from '../../src/errors.js'
import {
  parseWorkspaceList,
  readSettings,
  type Settings
} from '../../src/inputs.js'
import { run } from '../../src/main.js'
import {
  UNEXPECTED_ERROR_PREFIX,
  workspaceListEmpty
} from '../../src/messages.js'
import { checkProxySettings } from '../../src/clients/http/proxy.js'
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import {
  decodeState,
  encodeState,
  STATE_KEY,
  type CleanupAction
} from '../../src/cleanup/plan.js'
import { runCleanup } from '../../src/cleanup/run.js'
import { MARKER_FILE } from '../../src/codex-home/marker.js'
import { ChatgptAccounts } from '../../dev/backend/chatgpt.js'
import { applyMasks } from '../support/leak-scan.js'
import { fakeRunner } from '../support/fake-runner.js'
import { PKCS8_V1_B64, PKCS8_V2_B64 } from '../crypto/vectors.js'

// ---- Bookkeeping --------------------------------------------------------------------

const runs = new Map<string, number>()
const count = (name: string): void => {
  runs.set(name, (runs.get(name) ?? 0) + 1)
}

// An unhandled rejection fails the test it happens in (jest's own check), so
// "never an unhandled rejection" needs no bookkeeping here.
afterAll(() => {
  const total = [...runs]
    .filter(([name]) => !/ (ok|failed)$/.test(name))
    .reduce((a, [, n]) => a + n, 0)
  console.log(
    `fuzz: ${total} runs over ${runs.size} targets (` +
      [...runs].map(([name, n]) => `${name} ${n}`).join(', ') +
      ')'
  )
})

const chatgptAccounts = new ChatgptAccounts(Date.now)
/** A valid ChatGPT auth.json document, as the dev backend mints them. */
const mintChatgptDoc = (): unknown => chatgptAccounts.mint()

/** A thrown value the pipeline reports as is: ours, one line, no secret. */
function expectClean(err: unknown, secrets: readonly string[] = []): void {
  if (!(err instanceof ActionError) && !(err instanceof CryptoError)) {
    throw new Error(
      `not an ActionError/CryptoError: ${String(err)}${err instanceof Error ? `\n${err.stack}` : ''}`
    )
  }
  expect(err.message.trim()).not.toBe('')
  expect(err.message).not.toMatch(/\n\s+at \S+/)
  expect(err.message).not.toMatch(/^Unexpected error/)
  for (const s of secrets) {
    if (s.trim().length >= 8) expect(err.message).not.toContain(s.trim())
  }
}

/** Runs `fn`; a result is fine, an error must be clean. */
function settle<T>(
  fn: () => T,
  secrets: readonly string[] = []
): T | undefined {
  try {
    return fn()
  } catch (err) {
    expectClean(err, secrets)
    return undefined
  }
}

async function settleAsync<T>(
  fn: () => Promise<T>,
  secrets: readonly string[] = []
): Promise<T | undefined> {
  try {
    return await fn()
  } catch (err) {
    expectClean(err, secrets)
    return undefined
  }
}

/** Runs per property; `FUZZ_RUNS=5000 npm test` digs deeper. */
const NUM_RUNS = Number(process.env['FUZZ_RUNS'] ?? '300')

// ---- Arbitraries --------------------------------------------------------------------

/** Any text: ASCII, any Unicode (control characters and lone surrogates included). */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' })
)

const B64URL = [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
]

/** A secret-looking value with a marker, long enough to be looked for. */
const secretValue = fc
  .tuple(
    fc.constantFrom('sk-proj-', 'at-', 'rt-', 'SECRET-', ''),
    fc.string({
      unit: fc.constantFrom(...B64URL),
      minLength: 12,
      maxLength: 48
    })
  )
  .map(([prefix, body]) => `${prefix}${body}Zz9`)

/** A secret, or a mangled one (quotes, line breaks, control characters). */
const secretInput = fc.oneof(
  { weight: 4, arbitrary: secretValue },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        secretValue,
        fc.constantFrom('\n', '\r\n', '\t', '\u0000', '"', ' ')
      )
      .map(([s, junk]) => `${s}${junk}${s.slice(0, 4)}`)
  }
)

/** JSON text of arbitrary shape. */
const jsonText = fc.jsonValue().map((v) => JSON.stringify(v))

const base64Of = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(text, fc.boolean())
    .map(([t, url]) =>
      Buffer.from(t, 'utf8').toString(url ? 'base64url' : 'base64')
    )

/** Values a field of a document might hold, right type or not. */
const fieldValue = (right: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: right },
    {
      weight: 1,
      arbitrary: fc.constantFrom(null, undefined, '', ' ', 0, true)
    },
    { weight: 1, arbitrary: fc.jsonValue() }
  )

const now = Date.now()
const identities = [
  mintAgentIdentity({}, now),
  mintAgentIdentity({ keyFormat: 'pkcs8-v2', accountId: 'ws-fuzz' }, now),
  mintAgentIdentity({ expiresIn: -7200 }, now),
  mintAgentIdentity({ legacy: true }, now),
  mintAgentIdentity({ signingKey: 'untrusted' }, now),
  mintAgentIdentity({ kid: 'unknown-kid' }, now),
  mintAgentIdentity({ header: { alg: 'HS256' } }, now),
  mintAgentIdentity({ claims: { aud: ['codex-app-server'] } }, now),
  mintAgentIdentity({ claims: { account_id: 42 } }, now),
  mintAgentIdentity({ privateKeyText: 'not base64!' }, now)
] satisfies ReturnType<typeof mintAgentIdentity>[]
const mintedJwt = fc.constantFrom(...identities.map((i) => i.jwt))

/** A JWT with one part replaced, dropped, duplicated or re-encoded. */
const mutatedJwt = fc
  .tuple(
    mintedJwt,
    fc.nat(2),
    anyText,
    fc.constantFrom('replace', 'drop', 'dup', 'json')
  )
  .map(([jwt, i, text, how]) => {
    const parts = jwt.split('.')
    if (how === 'replace') parts[i] = text
    if (how === 'drop') parts.splice(i, 1)
    if (how === 'dup') parts.splice(i, 0, parts[i] ?? '')
    if (how === 'json') parts[i] = Buffer.from(text).toString('base64url')
    return parts.join('.')
  })

/** An arbitrary three-part token with JSON-ish parts. */
const structuredJwt = fc
  .tuple(fc.jsonValue(), fc.jsonValue(), anyText)
  .map(
    ([h, p, s]) =>
      `${Buffer.from(JSON.stringify(h)).toString('base64url')}.${Buffer.from(JSON.stringify(p)).toString('base64url')}.${Buffer.from(s).toString('base64url')}`
  )

const jwtLike = fc.oneof(mintedJwt, mutatedJwt, structuredJwt, anyText)

/** Agent identity claims with right and wrong types, the key a marked secret. */
const claims = fc.record(
  {
    iss: fieldValue(
      fc.constant('https://chatgpt.com/codex-backend/agent-identity')
    ),
    aud: fieldValue(fc.constant('codex-app-server')),
    exp: fieldValue(fc.integer()),
    agent_runtime_id: fieldValue(fc.string()),
    agent_private_key: fieldValue(secretValue),
    account_id: fieldValue(fc.string()),
    workspace_id: fieldValue(fc.string()),
    chatgpt_user_id: fieldValue(fc.string()),
    email: fieldValue(fc.string()),
    plan_type: fieldValue(fc.string()),
    chatgpt_account_is_fedramp: fieldValue(fc.boolean()),
    task_id: fieldValue(fc.string()),
    background_task_id: fieldValue(fc.string())
  },
  { requiredKeys: [] }
)

/** An auth.json document of every mode, with right and wrong field types. */
const authDoc = fc.record(
  {
    auth_mode: fieldValue(
      fc.constantFrom(
        'apikey',
        'chatgpt',
        'agentIdentity',
        'personalAccessToken',
        'chatgptAuthTokens',
        'headers',
        'bedrockApiKey'
      )
    ),
    OPENAI_API_KEY: fieldValue(secretInput),
    personal_access_token: fieldValue(secretInput),
    agent_identity: fc.oneof(fieldValue(jwtLike), claims),
    tokens: fieldValue(
      fc.record(
        {
          id_token: fieldValue(jwtLike),
          access_token: fieldValue(secretInput),
          refresh_token: fieldValue(secretInput),
          account_id: fieldValue(fc.string())
        },
        { requiredKeys: [] }
      )
    ),
    last_refresh: fieldValue(
      fc.oneof(
        fc
          .date()
          .map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
        fc.string()
      )
    )
  },
  { requiredKeys: [] }
)

/** Every string leaf of a document: the values that may be secrets. */
function secretLeaves(value: unknown): string[] {
  const out: string[] = []
  const visit = (v: unknown, key: string): void => {
    if (typeof v === 'string') {
      if (
        !/^(auth_mode|account_id|workspace_id|email|plan_type|chatgpt_user_id|last_refresh|iss|aud|task_id|background_task_id|agent_runtime_id)$/.test(
          key
        )
      ) {
        out.push(v)
      }
      return
    }
    // Array items inherit the field they sit in.
    if (Array.isArray(v)) for (const child of v) visit(child, key)
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) visit(child, k)
    }
  }
  visit(value, '')
  return out
}

// ---- Inputs -------------------------------------------------------------------------

const INPUT_NAMES = [
  'api-key',
  'access-token',
  'agent-identity',
  'auth-json',
  'codex-home',
  'forced-login-method',
  'forced-workspace-id',
  'chatgpt-base-url',
  'authapi-base-url',
  'jwks-base-url',
  'refresh-token-url',
  'verify-identity',
  'register-task',
  'export-env',
  'cleanup'
] as const

const SECRET_INPUTS = new Set(['api-key', 'access-token', 'agent-identity'])

/** Mostly a valid value, sometimes junk: every branch of the pipeline is walked. */
const mostly = <T>(
  valid: fc.Arbitrary<T>,
  junk: fc.Arbitrary<T>
): fc.Arbitrary<T> =>
  fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: junk })

const urlish = mostly(
  fc.constantFrom(
    'https://chatgpt.com/backend-api/',
    'https://chatgpt.com/backend-api',
    'https://auth.openai.com/api/accounts',
    'http://127.0.0.1:1/backend-api',
    'http://example.com/x'
  ),
  fc.oneof(
    fc.constantFrom(
      'https://h/p?q=1',
      'ftp://x',
      'https://u:p@h/',
      'not a url',
      ''
    ),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    anyText
  )
)

const inputValue = (name: string): fc.Arbitrary<string> => {
  if (SECRET_INPUTS.has(name)) return fc.oneof(secretInput, jwtLike)
  if (name === 'auth-json') {
    return fc.oneof(
      authDoc.map((d) => JSON.stringify(d)),
      authDoc.map((d) => JSON.stringify(d, null, 2)),
      base64Of(authDoc.map((d) => JSON.stringify(d))),
      base64Of(anyText),
      anyText
    )
  }
  if (name.endsWith('-url')) return urlish
  if (name === 'forced-login-method') {
    return mostly(fc.constantFrom('chatgpt', 'api', ' api '), anyText)
  }
  if (name === 'forced-workspace-id') {
    return mostly(
      fc.constantFrom('ws-fuzz', 'a, ws-fuzz', 'b\nc', ',,'),
      anyText
    )
  }
  if (name === 'codex-home') return fc.constantFrom('', '~', '~/x', 'rel/dir')
  return mostly(
    fc.constantFrom('true', 'false', 'False', 'TRUE'),
    fc.oneof(fc.constantFrom('yes', '1', 'on'), anyText)
  )
}

/** Inputs, each one absent more often than not (as in a real workflow). */
const inputsArb = fc
  .record(
    Object.fromEntries(
      INPUT_NAMES.map((n) => [
        n,
        fc.oneof(
          {
            weight: SECRET_INPUTS.has(n) ? 1 : 3,
            arbitrary: fc.constant(undefined)
          },
          { weight: 1, arbitrary: inputValue(n) }
        )
      ])
    ) as Record<(typeof INPUT_NAMES)[number], fc.Arbitrary<string | undefined>>
  )
  .map(
    (r) =>
      Object.fromEntries(
        Object.entries(r).filter(([, v]) => v !== undefined)
      ) as Record<string, string>
  )

const ENV_NAMES = [
  'CODEX_API_KEY',
  'CODEX_ACCESS_TOKEN',
  'CODEX_AGENT_IDENTITY',
  'OPENAI_API_KEY',
  'CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL',
  'CODEX_AUTHAPI_BASE_URL',
  'CODEX_AGENT_IDENTITY_JWKS_BASE_URL',
  'CODEX_REFRESH_TOKEN_URL_OVERRIDE'
] as const

/** Env vars, each one absent more often than not. */
const envArb = fc
  .record(
    Object.fromEntries(
      ENV_NAMES.map((n) => [
        n,
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          {
            weight: 1,
            arbitrary:
              n.endsWith('_URL') || n.endsWith('URL_OVERRIDE')
                ? urlish
                : fc.oneof(secretInput, jwtLike)
          }
        )
      ])
    ) as Record<(typeof ENV_NAMES)[number], fc.Arbitrary<string | undefined>>
  )
  .map(
    (r) =>
      Object.fromEntries(
        Object.entries(r).filter(([, v]) => v !== undefined)
      ) as Record<string, string>
  )

/** The credential values among inputs and env: none may appear in a message. */
function credentialValues(
  inputs: Partial<Record<string, string>>,
  env: Partial<Record<string, string>>
): string[] {
  const values: string[] = []
  for (const name of SECRET_INPUTS) {
    const v = inputs[name]
    if (v !== undefined) values.push(v)
  }
  for (const name of [
    'CODEX_API_KEY',
    'CODEX_ACCESS_TOKEN',
    'CODEX_AGENT_IDENTITY',
    'OPENAI_API_KEY'
  ]) {
    const v = env[name]
    if (v !== undefined) values.push(v)
  }
  // Only whole lines are looked for: a mangled value's parts are what it holds.
  // eslint-disable-next-line no-control-regex
  return values.flatMap((v) => v.split(/[\r\n\t\u0000"]/)).map((v) => v.trim())
}

describe('inputs', () => {
  it('readSettings: settings or one clean error, never quoting a credential', () => {
    fc.assert(
      fc.property(inputsArb, envArb, (inputs, env) => {
        count('readSettings')
        const runner = fakeRunner(inputs, {
          HOME: os.tmpdir(),
          RUNNER_TEMP: os.tmpdir(),
          ...env
        })
        settle(() => readSettings(runner), credentialValues(inputs, env))
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('parseWorkspaceList: trimmed, non-empty ids without separators; stable', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        count('parseWorkspaceList')
        const ids = parseWorkspaceList(raw)
        for (const id of ids) {
          expect(id).toBe(id.trim())
          expect(id).not.toBe('')
          expect(id).not.toMatch(/[,\r\n]/)
        }
        expect(parseWorkspaceList(ids.join(','))).toEqual(ids)
      }),
      { numRuns: NUM_RUNS }
    )
  })
  // A list that parses to nothing must not silently mean "no restriction".
  it('a non-blank forced-workspace-id naming no id is one clean error', () => {
    const separators = fc
      .array(fc.constantFrom(',', ' ', '\t', ',,', ' , '), {
        minLength: 1,
        maxLength: 8
      })
      .map((parts) => `,${parts.join('')}`)
    fc.assert(
      fc.property(separators, (value) => {
        count('empty workspace list')
        const runner = fakeRunner(
          { 'api-key': 'sk-fuzz-0123456789', 'forced-workspace-id': value },
          { HOME: os.tmpdir(), RUNNER_TEMP: os.tmpdir() }
        )
        expect(() => readSettings(runner)).toThrow(
          new ActionError(workspaceListEmpty(value.trim()))
        )
      }),
      { numRuns: NUM_RUNS }
    )
  })

  // http-client goes direct when it cannot use a proxy value: a value we
  // accept must be one it uses, and one we refuse is never quoted with its
  // password.
  it('proxy variables: used as a proxy by http-client, or refused; never direct', () => {
    const password = fc.string({
      unit: fc.constantFrom(...'abcXYZ019%-_.~'),
      minLength: 6,
      maxLength: 12
    })
    const value = fc.oneof(
      anyText,
      urlish,
      fc
        .tuple(
          fc.constantFrom('', 'http://', 'https://', 'socks5://', 'http:/'),
          fc.constantFrom('', 'user:'),
          password,
          fc.constantFrom('proxy.test', 'localhost', '127.0.0.1', '', '[::1]'),
          fc.constantFrom('', ':3128', ':99999', ':x')
        )
        .map(([scheme, user, pw, host, port]) =>
          user
            ? `${scheme}${user}PW${pw}@${host}${port}`
            : `${scheme}${host}${port}`
        )
    )
    const saved = { ...process.env }
    try {
      for (const name of [
        'http_proxy',
        'https_proxy',
        'no_proxy',
        'NO_PROXY'
      ]) {
        delete process.env[name]
      }
      fc.assert(
        fc.property(value, (proxy) => {
          count('proxy settings')
          process.env['HTTPS_PROXY'] = proxy
          const target = new URL('https://api.openai.example/v1')
          let refused: unknown
          try {
            checkProxySettings(target)
          } catch (error) {
            refused = error
          }
          if (refused === undefined) {
            if (proxy === '') return
            const used = getProxyUrl(target)
            expect(used).toBeDefined()
            expect(used!.hostname).not.toBe('')
            expect(['http:', 'https:']).toContain(used!.protocol)
            expect(() => decodeURIComponent(used!.password)).not.toThrow()
          } else {
            expect(refused).toBeInstanceOf(ActionError)
            const message = (refused as Error).message
            expect(message).toContain("HTTPS_PROXY='")
            const pw = /PW([^@]*)@/.exec(proxy)?.[1]
            if (pw) expect(message).not.toContain(`PW${pw}`)
          }
        }),
        { numRuns: NUM_RUNS }
      )
    } finally {
      process.env = saved
    }
  })
})

describe('system policy', () => {
  const ids = fc.constantFrom('ws-a', 'ws-b', 'ws-c', ' ws-a ', '')
  const list = fc.array(ids, { maxLength: 3 })
  const method = fc.constantFrom('chatgpt', 'api', 'API', '')
  const tomlList = (values: string[]): string =>
    `[${values.map((v) => JSON.stringify(v)).join(', ')}]`
  // Each file: the keys this action reads, as lists, strings or tables, or
  // text that is not TOML; undefined is no file.
  const requirements = fc.option(
    fc.oneof(
      fc
        .record(
          {
            methods: fc.option(fc.array(method, { maxLength: 3 })),
            workspaces: fc.option(
              fc.oneof(
                list.map(tomlList),
                fc.constant('{ ids = ["ws-a"] }'),
                ids.map((v) => JSON.stringify(v))
              )
            )
          },
          { requiredKeys: [] }
        )
        .map(
          (r) =>
            (r.methods
              ? `allowed_login_methods = ${tomlList(r.methods)}\n`
              : '') +
            (r.workspaces
              ? `allowed_chatgpt_workspaces = ${r.workspaces}\n`
              : '')
        ),
      anyText
    ),
    { nil: undefined }
  )
  const managed = fc.option(
    fc.oneof(
      fc
        .record(
          {
            method: fc.option(method),
            workspaces: fc.option(
              fc.oneof(
                list.map(tomlList),
                ids.map((v) => JSON.stringify(v))
              )
            )
          },
          { requiredKeys: [] }
        )
        .map(
          (r) =>
            (typeof r.method === 'string'
              ? `forced_login_method = "${r.method}"\n`
              : '') +
            (r.workspaces
              ? `forced_chatgpt_workspace_id = ${r.workspaces}\n`
              : '')
        ),
      anyText
    ),
    { nil: undefined }
  )
  const inputs = fc.record({
    forcedLoginMethod: fc.option(
      fc.constantFrom('chatgpt' as const, 'api' as const),
      { nil: undefined }
    ),
    forcedWorkspaceIds: fc.option(
      fc.array(fc.constantFrom('ws-a', 'ws-b', 'ws-c'), {
        minLength: 1,
        maxLength: 3
      }),
      { nil: undefined }
    )
  })

  // Whatever the layers say, the result is one clean error or a policy that
  // every layer agrees with: the primed list lies inside every list, and the
  // forced method is one the administrator allows.
  it('composition: one clean error, or a policy inside every layer', () => {
    fc.assert(
      fc.property(requirements, managed, inputs, (req, man, input) => {
        count('system policy')
        const system = settle(() =>
          parseSystemPolicy(
            { path: '/etc/codex/requirements.toml', text: req },
            { path: '/etc/codex/managed_config.toml', text: man },
            parseToml
          )
        )
        if (system === undefined) return
        const settings = {
          credentials: {},
          ...(input.forcedLoginMethod
            ? { forcedLoginMethod: input.forcedLoginMethod }
            : {}),
          ...(input.forcedWorkspaceIds
            ? { forcedWorkspaceIds: input.forcedWorkspaceIds }
            : {})
        } as unknown as Settings
        const policy = settle(() =>
          resolvePolicy(
            settings,
            parseCodexConfig('', '/h/config.toml'),
            system
          )
        )
        if (policy === undefined) return
        const lists = [
          input.forcedWorkspaceIds,
          system.managedWorkspaces,
          system.allowedWorkspaces
        ].filter((l): l is string[] => l !== undefined)
        if (lists.length > 0) {
          expect(policy.primedWorkspaceIds?.length).toBeGreaterThan(0)
          for (const id of policy.primedWorkspaceIds ?? []) {
            for (const l of lists) expect(l).toContain(id)
          }
        }
        const allowed = system.allowedLoginMethods
        if (allowed) {
          if (policy.loginMethod) expect(allowed).toContain(policy.loginMethod)
          if (allowed.length === 1) expect(policy.loginMethod).toBe(allowed[0])
        }
        if (system.managedLoginMethod) {
          expect(policy.loginMethod).toBe(system.managedLoginMethod)
        }
        if (input.forcedLoginMethod) {
          expect(policy.loginMethod).toBe(input.forcedLoginMethod)
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('auth.json', () => {
  const input = fc.oneof(
    authDoc.map((d) => JSON.stringify(d)),
    authDoc.map((d) => JSON.stringify(d, null, 2)),
    base64Of(authDoc.map((d) => JSON.stringify(d))),
    base64Of(jsonText),
    base64Of(anyText),
    jsonText,
    anyText,
    // Nested past any real document (a recursive walk would overflow).
    fc
      .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'))
      .map(
        ([depth, open]) =>
          `{"auth_mode":"chatgpt","tokens":${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}}`
      )
  )

  it('decode → parse → credential: a credential or one clean error', () => {
    fc.assert(
      fc.property(input, (raw) => {
        count('auth-json')
        const leaves = (() => {
          try {
            return secretLeaves(JSON.parse(decodeAuthJsonInput(raw)))
          } catch {
            return []
          }
        })()
        const doc = settle(
          () => parseAuthJson(decodeAuthJsonInput(raw), 'input auth-json'),
          leaves
        )
        if (doc === undefined) return
        // What is masked is what the document holds, and rendering the
        // primed copy keeps every one of those secrets.
        const secrets = authJsonSecrets(doc)
        expect(secretLeaves(doc).map((s) => s.trim())).toEqual(
          expect.arrayContaining(secrets)
        )
        expect(
          authJsonSecrets(JSON.parse(renderAuthJson(doc)) as typeof doc)
        ).toEqual(secrets)
        const credential = settle(
          () => credentialFromAuthJson(doc, { label: 'input auth-json' }),
          leaves
        )
        if (credential?.mode === 'chatgpt') {
          settle(
            () => parseChatgptAuth(credential.doc, 'input auth-json'),
            leaves
          )
        }
        if (
          credential?.mode === 'agentIdentity' &&
          credential.material.kind === 'record'
        ) {
          settle(
            () =>
              identityFromRecord(
                credential.material.kind === 'record'
                  ? credential.material.record
                  : undefined,
                'x'
              ),
            leaves
          )
        }
      }),
      { numRuns: NUM_RUNS * 2 }
    )
  })
})

describe('config.toml', () => {
  const secret = 'sk-proj-config-secret-0123456789'
  const tomlish = fc.oneof(
    anyText,
    fc
      .tuple(
        anyText,
        fc.constantFrom(
          'forced_login_method',
          'forced_chatgpt_workspace_id',
          'chatgpt_base_url',
          'model'
        ),
        fc.jsonValue()
      )
      .map(
        ([junk, key, value]) => `${key} = ${JSON.stringify(value)}\n${junk}`
      ),
    fc
      .tuple(fc.jsonValue(), fc.jsonValue())
      .map(
        ([a, b]) =>
          `forced_login_method = ${JSON.stringify(a)}\nforced_chatgpt_workspace_id = ${JSON.stringify(b)}\n`
      ),
    anyText.map((junk) => `api_key = "${secret}"\n${junk}\nx = ${secret}\n`)
  )

  it('parseCodexConfig: a config or one clean, one-line error; never echoes the file', () => {
    fc.assert(
      fc.property(tomlish, (text) => {
        count('parseCodexConfig')
        const config = settle(
          () => parseCodexConfig(text, '/home/x/.codex/config.toml'),
          [secret]
        )
        try {
          parseCodexConfig(text, '/home/x/.codex/config.toml')
        } catch (err) {
          expect((err as Error).message).not.toContain('\n')
        }
        if (config?.forcedWorkspaceIds) {
          for (const id of config.forcedWorkspaceIds) expect(id).not.toBe('')
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('Agent Identity', () => {
  it('JWT decoding and claims: an identity or one clean error, never the key', () => {
    fc.assert(
      fc.property(jwtLike, fc.boolean(), (jwt, unsigned) => {
        count('JWT decode')
        const decoded = settle(() =>
          decodeAgentIdentityJwt(jwt, 'input access-token', unsigned)
        )
        if (decoded === undefined) return
        const secrets = secretLeaves(decoded.payload)
        const header = settle(() => decodeJwtHeader(decoded.headerPart, 'x'))
        if (header) settle(() => checkJwtHeader(header, 'x'), secrets)
        settle(
          () => identityFromClaims(decoded.payload, 'x', unsigned),
          secrets
        )
      }),
      { numRuns: NUM_RUNS * 2 }
    )
  })

  it('claims and records of any shape: an identity or one clean error, never the key', () => {
    fc.assert(
      fc.property(claims, fc.boolean(), (payload, legacy) => {
        count('claims/records')
        const secrets = secretLeaves(payload)
        settle(
          () =>
            identityFromClaims(payload as Record<string, unknown>, 'x', legacy),
          secrets
        )
        settle(() => identityFromRecord(payload, 'x'), secrets)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('verification against the JWKS: a payload or one clean error', async () => {
    const jwks = jwksDocument()
    await fc.assert(
      fc.asyncProperty(fc.oneof(mintedJwt, mutatedJwt), async (jwt) => {
        count('JWT verify')
        const decoded = settle(() => decodeAgentIdentityJwt(jwt, 'x', false))
        if (decoded === undefined) return
        const header = settle(() => decodeJwtHeader(decoded.headerPart, 'x'))
        if (header === undefined) return
        await settleAsync(
          () =>
            verifyAgentIdentityJwt({
              jwt,
              header,
              jwks,
              now: new Date(now),
              from: 'x'
            }),
          secretLeaves(decoded.payload)
        )
      }),
      { numRuns: 100 }
    )
  })

  const keyText = fc.oneof(
    anyText,
    fc
      .uint8Array({ maxLength: 100 })
      .map((b) => Buffer.from(b).toString('base64')),
    fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((seed) =>
        Buffer.concat([
          Buffer.from('302e020100300506032b657004220420', 'hex'),
          seed
        ]).toString('base64')
      ),
    fc
      .tuple(
        fc.constantFrom(PKCS8_V1_B64, PKCS8_V2_B64),
        fc.nat(200),
        fc.constantFrom('A', '/', '+', '=', '-', '_', '\n', '')
      )
      .map(([k, i, c]) => {
        const at = i % (k.length + 1)
        return k.slice(0, at) + c + k.slice(at + 1)
      }),
    fc.constantFrom(
      PKCS8_V1_B64,
      PKCS8_V2_B64,
      PKCS8_V1_B64.replace(/=+$/, ''),
      Buffer.from(PKCS8_V1_B64, 'base64').toString('base64url'),
      `-----BEGIN PRIVATE KEY-----\n${PKCS8_V1_B64}\n-----END PRIVATE KEY-----`
    )
  )

  it('private key parsing: a key or a CryptoError with one of the two texts', () => {
    fc.assert(
      fc.property(keyText, (text) => {
        count('key parser')
        try {
          const key = parseAgentPrivateKey(text)
          expect(key.publicKey).toHaveLength(32)
        } catch (err) {
          expect(err).toBeInstanceOf(CryptoError)
          expect([
            'stored agent identity private key is not valid base64',
            'stored agent identity private key is not valid PKCS#8'
          ]).toContain((err as Error).message)
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('registration replies: a task id or one clean error', async () => {
    const key = parseAgentPrivateKey(PKCS8_V1_B64)
    const reply = fc.oneof(
      anyText,
      jsonText,
      fc
        .record(
          {
            task_id: fc.jsonValue(),
            taskId: fc.jsonValue(),
            encrypted_task_id: fc.oneof(
              fc.jsonValue(),
              fc.base64String(),
              anyText
            ),
            encryptedTaskId: fc.jsonValue()
          },
          { requiredKeys: [] }
        )
        .map((r) => JSON.stringify(r))
    )
    await fc.assert(
      fc.asyncProperty(reply, async (body) => {
        count('registration reply')
        const id = await settleAsync(() => taskIdFromResponse(body, key))
        if (id !== undefined) expect(id.trim()).not.toBe('')
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('backend replies', () => {
  const response = (status: number, body: string): HttpResponse => ({
    status,
    reason: '',
    headers: {},
    body,
    truncated: false
  })
  const replyBody = fc.oneof(
    anyText,
    jsonText,
    fc
      .record(
        {
          email: fc.jsonValue(),
          chatgpt_user_id: fc.jsonValue(),
          chatgpt_account_id: fc.jsonValue(),
          chatgpt_plan_type: fc.jsonValue(),
          chatgpt_account_is_fedramp: fc.jsonValue(),
          id_token: fc.oneof(jwtLike, fc.jsonValue()),
          access_token: fc.oneof(secretInput, fc.jsonValue()),
          refresh_token: fc.oneof(secretInput, fc.jsonValue()),
          error: fc.oneof(
            fc.jsonValue(),
            fc.record({ code: fc.jsonValue(), message: fc.jsonValue() })
          ),
          code: fc.jsonValue()
        },
        { requiredKeys: [] }
      )
      .map((r) => JSON.stringify(r))
  )

  it('whoami, token refresh and error classification: a value or one clean error', () => {
    fc.assert(
      fc.property(
        replyBody,
        fc.integer({ min: 200, max: 599 }),
        (body, status) => {
          count('backend replies')
          settle(() => parseWhoami(body))
          settle(() => parseRefreshReply(response(status, body)))
          const code = refreshErrorCode(body)
          // The code is a value the server sent, never made up.
          if (code !== undefined) {
            expect(secretLeaves(JSON.parse(body))).toContain(code)
          }
          const failure = classifyRefreshFailure(response(status, body))
          expectClean(failure)
          // Server text in a message is cut short.
          expect(failure.message.length).toBeLessThan(
            MESSAGE_BODY_LIMIT * 2 + 200
          )
        }
      ),
      { numRuns: NUM_RUNS }
    )
  })

  it('Retry-After: a finite wait of at least 0, or none', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          fc.nat().map(String),
          fc
            .date()
            .map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toUTCString()))
        ),
        (value) => {
          count('Retry-After')
          const ms = parseRetryAfter(value, now)
          if (ms !== undefined) {
            expect(Number.isFinite(ms)).toBe(true)
            expect(ms).toBeGreaterThanOrEqual(0)
          }
        }
      ),
      { numRuns: NUM_RUNS }
    )
  })

  it('saved state: a list of actions or none, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, jsonText), (raw) => {
        count('state')
        expect(Array.isArray(decodeState(raw))).toBe(true)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  // State is data a later step can forge (a STATE_cleanup through
  // GITHUB_ENV): whatever the plan says, the post step deletes only a marked
  // primed home and writes only its source home's auth.json, with a valid
  // ChatGPT auth.json from that primed home.
  it('the post step under a forged plan: touches nothing but a marked home and its source auth.json', () => {
    const chatgpt = JSON.stringify(mintChatgptDoc(), null, 2)
    const names = [
      'secret.json',
      'precious',
      'unmarked',
      'unmarked/auth.json',
      'source',
      'source/auth.json',
      'primed',
      'primed/auth.json',
      'primed/config.toml',
      'missing/auth.json'
    ]
    // Each step: write-back or remove-home, two paths from the pool (or
    // `/`), and an exported digest.
    const steps = fc.array(
      fc.tuple(
        fc.boolean(),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('x', 'digest')
      ),
      { maxLength: 6 }
    )
    fc.assert(
      fc.property(steps, fc.boolean(), (picked, rotated) => {
        count('post step, forged plan')
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-post-'))
        try {
          const at = (name: string): string => path.join(root, name)
          for (const dir of ['unmarked', 'source', 'primed']) {
            fs.mkdirSync(at(dir))
          }
          // Valid ChatGPT auth.json content everywhere a forged copy
          // could take it from.
          for (const file of [
            'secret.json',
            'unmarked/auth.json',
            'primed/config.toml'
          ]) {
            fs.writeFileSync(at(file), chatgpt.replace('{', `{"f":"${file}",`))
          }
          fs.writeFileSync(at('precious'), 'keep me')
          fs.writeFileSync(at('source/auth.json'), 'the runner copy')
          const primedText = rotated ? chatgpt : 'as exported'
          fs.writeFileSync(at('primed/auth.json'), primedText)
          fs.writeFileSync(
            at(`primed/${MARKER_FILE}`),
            JSON.stringify({
              primedHome: at('primed'),
              sourceHome: at('source')
            })
          )
          const pick = (n: number): string =>
            n % 7 === 6 ? '/' : at(names[n % names.length]!)
          const plan: CleanupAction[] = picked.map(
            ([writeBack, a, b, digest]) =>
              writeBack
                ? {
                    kind: 'write-back',
                    primedAuthFile: pick(a),
                    target: pick(b),
                    exportedDigest: digest
                  }
                : { kind: 'remove-home', path: pick(a) }
          )
          const before = new Map(
            ['secret.json', 'precious', 'unmarked/auth.json'].map((f) => [
              f,
              fs.readFileSync(at(f), 'utf8')
            ])
          )
          runCleanup(fakeRunner({}, {}, { [STATE_KEY]: encodeState(plan) }))
          for (const [file, text] of before) {
            expect(fs.readFileSync(at(file), 'utf8')).toBe(text)
          }
          expect(fs.existsSync(at('unmarked'))).toBe(true)
          expect(fs.existsSync(at('source'))).toBe(true)
          const source = fs.readFileSync(at('source/auth.json'), 'utf8')
          expect(['the runner copy', chatgpt]).toContain(source)
        } finally {
          fs.rmSync(root, { recursive: true, force: true })
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('RFC 3339 and JWT payloads: a value or undefined, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, jwtLike), (text) => {
        count('rfc3339/jwt payload')
        parseRfc3339(text)
        decodeJwtPayload(text)
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('base64', () => {
  it('strict decoders: canonical text round-trips, anything else is null', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), anyText, (bytes, text) => {
        count('base64')
        expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes)
        expect(decodeBase64Url(encodeBase64Url(bytes))).toEqual(bytes)
        const std = decodeBase64(text)
        if (std !== null) expect(encodeBase64(std)).toBe(text)
        const url = decodeBase64Url(text)
        if (url !== null) expect(encodeBase64Url(url)).toBe(text)
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('redaction', () => {
  const B64 = [
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  ]
  const tokenChars = fc.string({
    unit: fc.constantFrom(...B64URL),
    minLength: 20,
    maxLength: 60
  })
  const plantedSecret = fc.oneof(
    tokenChars.map((t) => `sk-proj-${t}`),
    tokenChars.map((t) => `sk-${t}`),
    tokenChars.map((t) => `at-${t}`),
    tokenChars.map((t) => `rt-${t}`),
    mintedJwt,
    fc.string({ unit: fc.constantFrom(...B64), minLength: 40, maxLength: 120 }),
    fc
      .uint8Array({ minLength: 30, maxLength: 90 })
      .map((b) => Buffer.from(b).toString('base64'))
  )
  // What a server puts around an echoed value: JSON, form fields, HTML, text.
  const separator = fc.constantFrom(
    ' ',
    '"',
    "'",
    '=',
    ':',
    ',',
    '\n',
    '<',
    '>',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '&',
    ';'
  )
  const context = fc.string({ maxLength: 600 })

  it('redactUrl never shows userinfo or a query, whether or not the URL parses', () => {
    const part = fc.string({
      unit: fc.constantFrom(...'abcXYZ019-_.~%:/'),
      minLength: 1,
      maxLength: 12
    })
    fc.assert(
      fc.property(
        fc.constantFrom('https://', 'http://', 'ftp://', '', 'https:/'),
        part,
        part,
        fc.constantFrom('host.test', '127.0.0.1', 'h', '[::1]', ''),
        fc.constantFrom('', ':443', ':99999', ':x'),
        fc.constantFrom('', '/api', '/a b', '/%zz'),
        fc.constantFrom('?key=', '#', '?a=1&token='),
        part,
        (scheme, user, pw, host, port, path, sep, query) => {
          count('redactUrl')
          const url = `${scheme}${user}:SECRETPW${pw}@${host}${port}${path}${sep}QUERY${query}`
          const shown = redactUrl(url)
          expect(shown).not.toContain('SECRETPW')
          expect(shown).not.toContain('QUERY')
          expect(shown).toContain(`${host}${port}${path}`)
        }
      ),
      { numRuns: NUM_RUNS }
    )
  })

  it('bodyForMessage never shows a planted secret, and is cut to 512 characters', () => {
    fc.assert(
      fc.property(
        context,
        separator,
        plantedSecret,
        separator,
        context,
        (before, s1, secret, s2, after) => {
          count('redaction')
          const text = `${before}${s1}${secret}${s2}${after}`
          const shown = bodyForMessage(text)
          expect(shown).not.toContain(secret)
          expect(redactSecrets(text)).not.toContain(secret)
          expect([...shown].length).toBeLessThanOrEqual(
            MESSAGE_BODY_LIMIT + TRUNCATION_MARK.length
          )
        }
      ),
      { numRuns: NUM_RUNS * 2 }
    )
  })

  it('never shows a run of 40 base64 characters, whatever the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        count('redaction')
        expect(redactSecrets(text)).not.toMatch(/[A-Za-z0-9+/_-]{40,}/)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('a huge body is redacted and cut in bounded time', () => {
    const body = `{"error":"${'a'.repeat(1024 * 1024)}"}`
    const start = Date.now()
    expect(bodyForMessage(body).length).toBeLessThanOrEqual(
      MESSAGE_BODY_LIMIT + 3
    )
    expect(bodyForMessage('x'.repeat(1024 * 1024)).length).toBeLessThanOrEqual(
      MESSAGE_BODY_LIMIT + 3
    )
    // Quadratic backtracking would take minutes; generous for a loaded CI box.
    expect(Date.now() - start).toBeLessThan(10_000)
  })
})

// ---- The whole pipeline ------------------------------------------------------------

describe('the whole main step', () => {
  const id = identities[1]!
  const jwks = JSON.stringify(jwksDocument())
  const canned = fc.oneof(
    fc.constantFrom(
      { status: 200, body: jwks },
      { status: 200, body: JSON.stringify({ task_id: 'task-fuzz' }) },
      {
        status: 200,
        body: JSON.stringify({
          email: 'a@b.c',
          chatgpt_user_id: 'u',
          chatgpt_account_id: 'ws-fuzz',
          chatgpt_plan_type: 'plus',
          chatgpt_account_is_fedramp: false
        })
      },
      {
        status: 200,
        body: JSON.stringify({ access_token: 'at-new-token-0000000000' })
      },
      { status: 401, body: '{"error":{"code":"refresh_token_reused"}}' },
      { status: 503, body: '' },
      'transport' as const
    ),
    fc.record({
      status: fc.constantFrom(200, 400, 429, 500),
      body: fc.oneof(anyText, jsonText)
    })
  )

  const homeFiles = fc.record(
    {
      auth: fc.oneof(
        authDoc.map((d) => JSON.stringify(d, null, 2)),
        anyText
      ),
      config: fc.oneof(
        fc.constantFrom(
          'forced_login_method = "chatgpt"\n',
          'forced_login_method = "api"\n',
          'forced_chatgpt_workspace_id = ["ws-fuzz"]\n',
          'forced_chatgpt_workspace_id = "a,b"\n',
          'cli_auth_credentials_store = "keyring"\n'
        ),
        anyText
      )
    },
    { requiredKeys: [] }
  )

  it('always ends in success or exactly one clean failure; secrets masked before use', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-auth-fuzz-'))
    try {
      await fc.assert(
        fc.asyncProperty(
          inputsArb,
          envArb,
          homeFiles,
          fc.array(canned, { minLength: 1, maxLength: 4 }),
          fc.boolean(),
          async (inputs, env, home, replies, useIdentity) => {
            count('main step')
            const codexHome = path.join(root, 'home')
            const temp = path.join(root, 'temp')
            fs.rmSync(codexHome, { recursive: true, force: true })
            fs.rmSync(temp, { recursive: true, force: true })
            fs.mkdirSync(codexHome, { recursive: true })
            if (home.auth !== undefined)
              fs.writeFileSync(path.join(codexHome, 'auth.json'), home.auth)
            if (home.config !== undefined)
              fs.writeFileSync(path.join(codexHome, 'config.toml'), home.config)
            const allInputs: Record<string, string> = { ...inputs }
            delete allInputs['codex-home']
            // Sometimes a real identity, so the happy path is walked too.
            if (useIdentity) {
              allInputs['access-token'] = id.jwt
              delete allInputs['api-key']
            }
            const runner = fakeRunner(allInputs, {
              HOME: root,
              CODEX_HOME: codexHome,
              RUNNER_TEMP: temp,
              ...env
            })
            let n = 0
            const http: HttpClient = {
              request: (spec) => {
                const reply = replies[n++ % replies.length]!
                if (reply === 'transport') {
                  return Promise.reject(
                    new HttpTransportError(
                      spec.what,
                      spec.url,
                      3,
                      'transport',
                      'connection refused'
                    )
                  )
                }
                return Promise.resolve({
                  ...reply,
                  reason: '',
                  headers: {},
                  truncated: false
                })
              }
            }
            await run(runner, {
              now: () => new Date(now),
              createHttp: () => Promise.resolve(http)
            })

            const failures = runner.failures()
            count(failures.length === 0 ? 'main step ok' : 'main step failed')
            expect(failures.length).toBeLessThanOrEqual(1)
            if (failures.length === 1) {
              expect(failures[0]).not.toMatch(
                new RegExp(
                  `^${UNEXPECTED_ERROR_PREFIX.replace(/[()]/g, '\\$&')}`
                )
              )
              expect(runner.outputs()).toEqual({})
              expect(runner.exported()).toEqual({})
              expect(fs.existsSync(temp) ? fs.readdirSync(temp) : []).toEqual(
                []
              )
            } else {
              expect(runner.outputs()['auth-mode']).toBeDefined()
            }
            // Every value written for later steps or the log is masked first.
            const secrets = [
              ...credentialValues(allInputs, env),
              ...(useIdentity ? [id.jwt, id.privateKeyB64] : [])
            ].filter((s) => s.length >= 8)
            const masks: string[] = []
            for (const event of runner.events) {
              if (event.kind === 'mask') {
                masks.push(event.value)
                continue
              }
              const shown = applyMasks(event.value, masks)
              for (const s of secrets) expect(shown).not.toContain(s)
            }
          }
        ),
        { numRuns: NUM_RUNS }
      )
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  })
})
