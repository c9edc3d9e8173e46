/**
 * The workload identity exchange: Codex's request bytes, a newly minted OIDC
 * token on every attempt, Codex's reply rules, and refusals that show the
 * OAuth error and the claims sent but never a token.
 */
import nock from 'nock'
import { createHttpClient, type HttpClient } from '../../src/clients/http.js'
import {
  exchangeRequestBody,
  exchangeWorkloadToken,
  refusalDetail,
  type WorkloadTokens
} from '../../src/clients/token-exchange.js'
import { ActionError } from '../../src/errors.js'
import {
  WORKLOAD_EXCHANGE_INVALID,
  WORKLOAD_REPLY_PROBLEMS,
  workloadExchangeInvalid,
  workloadReplyValueTooLong
} from '../../src/messages/workload-identity.js'
import {
  instantHttpDeps,
  TEST_ORIGINATOR,
  TEST_USER_AGENT
} from '../support/instant-http.js'
import { useNockOffline } from '../support/nock-offline.js'
import { fakeJwt, githubOidcToken } from '../support/oidc-tokens.js'
import { rejection } from '../support/rejection.js'

useNockOffline()

const ORIGIN = 'https://auth.example.test'
const URL_ = `${ORIGIN}/oauth/token`
const RULE = 'idpm_0123456789abcdef'
const GRANT = 'urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer'

function accessToken(auth: Record<string, unknown> = {}): string {
  return fakeJwt({
    iss: 'https://auth.openai.com',
    sub: 'user-1',
    exp: 1_790_003_600,
    'https://api.openai.com/auth': {
      chatgpt_account_id: 'acct-1',
      chatgpt_user_id: 'user-1',
      user_id: 'user-1',
      ...auth
    }
  })
}

const ACCESS = accessToken()

function reply(
  overrides: Record<string, unknown> = {}
): Record<string, unknown> {
  return {
    access_token: ACCESS,
    chatgpt_account_id: 'acct-1',
    chatgpt_account_user_id: 'user-1__acct-1',
    chatgpt_plan_type: 'enterprise',
    expires_in: 3600,
    issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    scope: 'openid profile email',
    token_type: 'bearer',
    user_id: 'user-1',
    ...overrides
  }
}

interface Seen {
  body: string
  headers: Record<string, unknown>
}

/** Answers the exchange with these replies in turn, recording each request. */
function endpoint(
  ...replies: Array<[number, unknown, Record<string, string>?]>
): Seen[] {
  const seen: Seen[] = []
  const scope = nock(ORIGIN)
  for (const [status, body, headers] of replies) {
    scope.post('/oauth/token').reply(function (_, requestBody) {
      seen.push({ body: asText(requestBody), headers: { ...this.req.headers } })
      return [status, body as nock.Body, headers ?? {}]
    })
  }
  return seen
}

interface Setup {
  http: HttpClient
  sleeps: number[]
  minted: string[]
  mint: () => Promise<string>
}

function setup(claims: Record<string, unknown> = {}): Setup {
  const sleeps: number[] = []
  const minted: string[] = []
  return {
    http: createHttpClient(instantHttpDeps(Date.UTC(2026, 11, 5), sleeps)),
    sleeps,
    minted,
    mint: () => {
      const token = githubOidcToken(claims)
      minted.push(token)
      return Promise.resolve(token)
    }
  }
}

function exchange(
  s: Setup,
  extra: { workloadIdentityContext?: string } = {}
): Promise<WorkloadTokens> {
  return exchangeWorkloadToken({
    http: s.http,
    url: URL_,
    mint: s.mint,
    federationRuleId: RULE,
    ...extra
  })
}

/** A request body as nock hands it over (a form body stays a string). */
const asText = (body: nock.Body): string =>
  typeof body === 'string' ? body : JSON.stringify(body)

const assertionOf = (body: string): string =>
  new URLSearchParams(body).get('assertion') ?? ''

describe('the request', () => {
  it("is Codex's form body and headers, byte for byte", async () => {
    const seen = endpoint([200, reply()])
    const s = setup()
    await exchange(s)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.body).toBe(
      `grant_type=${GRANT}&assertion=${s.minted[0]}&federation_rule_id=${RULE}`
    )
    const headers = seen[0]!.headers
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(headers['accept']).toBe('*/*')
    // Ours, allowed on top of Codex's (SPEC 12); nothing else is added.
    expect(headers['user-agent']).toBe(TEST_USER_AGENT)
    expect(headers['originator']).toBe(TEST_ORIGINATOR)
    expect(Object.keys(headers).sort()).toEqual(
      [
        'accept',
        'connection',
        'content-length',
        'content-type',
        'host',
        'originator',
        'user-agent'
      ].filter((name) => name in headers)
    )
    expect(headers['authorization']).toBeUndefined()
  })

  it('appends workload_identity_context, form-encoded, when set', async () => {
    const seen = endpoint([200, reply()])
    const s = setup()
    await exchange(s, { workloadIdentityContext: 'env=prod & team/a b~*' })
    expect(seen[0]!.body).toBe(
      `grant_type=${GRANT}&assertion=${s.minted[0]}&federation_rule_id=${RULE}` +
        '&workload_identity_context=env%3Dprod+%26+team%2Fa+b%7E*'
    )
  })

  it('form-encodes every value, as serde_urlencoded does', () => {
    expect(exchangeRequestBody('a.b-c_d', 'idpm_x y', 'é+/?')).toBe(
      `grant_type=${GRANT}&assertion=a.b-c_d&federation_rule_id=idpm_x+y` +
        '&workload_identity_context=%C3%A9%2B%2F%3F'
    )
    expect(exchangeRequestBody('t', 'r', '')).toBe(
      `grant_type=${GRANT}&assertion=t&federation_rule_id=r&workload_identity_context=`
    )
  })
})

describe('retries', () => {
  it('sends a newly minted OIDC token on every attempt, Retry-After honoured', async () => {
    const seen = endpoint(
      [503, 'busy'],
      [429, { error: 'slow_down' }, { 'retry-after': '3' }],
      [200, reply()]
    )
    const s = setup()
    await expect(exchange(s)).resolves.toMatchObject({ accountId: 'acct-1' })
    const sent = seen.map((r) => assertionOf(r.body))
    expect(sent).toEqual(s.minted)
    expect(new Set(sent).size).toBe(3)
    expect(s.sleeps).toEqual([500, 3000])
  })

  it('mints again after a transport failure too', async () => {
    nock(ORIGIN)
      .post('/oauth/token')
      .replyWithError(
        Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      )
    const seen = endpoint([200, reply()])
    const s = setup()
    await exchange(s)
    expect(s.minted).toHaveLength(2)
    expect(s.minted[0]).not.toBe(s.minted[1])
    expect(assertionOf(seen[0]!.body)).toBe(s.minted[1])
    expect(s.sleeps).toEqual([500])
  })

  it("gives up after 3 attempts with Codex's text, the OAuth error and the attempts", async () => {
    const seen = endpoint(
      [500, 'x'],
      [502, 'y'],
      [503, { error: 'temporarily_unavailable', error_description: 'later' }]
    )
    const s = setup()
    const err = await rejection(exchange(s))
    expect(seen).toHaveLength(3)
    expect(err.message).toBe(
      "the workload identity token exchange was rejected with HTTP 503: temporarily_unavailable: later. OpenAI's token endpoint kept failing (3 attempts, each with a new OIDC token): re-run the job later."
    )
  })

  it.each([400, 401, 403, 404, 302])(
    '%i is final after one request and one token',
    async (status) => {
      const seen = endpoint([
        status,
        { error: 'invalid_grant' },
        status === 302 ? { location: `${ORIGIN}/elsewhere` } : {}
      ])
      const s = setup()
      const err = await rejection(exchange(s))
      expect(seen).toHaveLength(1)
      expect(s.minted).toHaveLength(1)
      expect(s.sleeps).toEqual([])
      expect(err.message).toMatch(
        new RegExp(
          `^the workload identity token exchange was rejected with HTTP ${status}: invalid_grant\\. `
        )
      )
    }
  )

  it('what mint() throws ends the exchange, nothing sent', async () => {
    const scope = nock(ORIGIN).post('/oauth/token').reply(200, reply())
    const s = setup()
    const failure = new ActionError('no OIDC token')
    const err = await rejection(
      exchangeWorkloadToken({
        http: s.http,
        url: URL_,
        mint: () => Promise.reject(failure),
        federationRuleId: RULE
      })
    )
    expect(err).toBe(failure)
    expect(scope.isDone()).toBe(false)
  })
})

describe('a refusal', () => {
  it('shows the status, the OAuth error and the claims of the token sent', async () => {
    endpoint([
      400,
      {
        error: 'invalid_grant',
        error_description: 'The assertion sub does not match the rule.'
      }
    ])
    const s = setup({ environment: 'production' })
    const err = await rejection(exchange(s))
    expect(err.message).toBe(
      'the workload identity token exchange was rejected with HTTP 400: invalid_grant: The assertion sub does not match the rule. ' +
        'The GitHub OIDC token sent had iss "https://token.actions.githubusercontent.com", sub "repo:octo-org/octo-repo:ref:refs/heads/main", aud "https://example.test/codex", repository "octo-org/octo-repo", ref "refs/heads/main", environment "production", job_workflow_ref "octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main". ' +
        `Federation rule ${RULE} must trust that issuer and accept that subject, that audience (input oidc-audience) and those claims: compare them with the rule's settings. invalid_client means no rule has that id: check federation-rule-id. A refused jti means the rule allows each token once.`
    )
  })

  it('never holds the OIDC token, even when the server echoes it', async () => {
    const s = setup()
    nock(ORIGIN)
      .post('/oauth/token')
      .reply(400, (_, body) => ({
        error: 'invalid_grant',
        error_description: `bad assertion ${assertionOf(asText(body))} and ${assertionOf(asText(body)).slice(0, 30)}`
      }))
    const err = await rejection(exchange(s))
    expect(err.message).toContain('bad assertion [redacted] and')
    expect(err.message).not.toContain(s.minted[0]!)
    expect(err.message).not.toContain(s.minted[0]!.split('.')[1]!)
  })

  it('refusalDetail removes the token from the decoded OAuth error too', () => {
    // Not JWT-shaped, with a quote: JSON escapes it, so only the decoded
    // values hold it (found by fuzzing).
    const token = '\u{10000}\u{10000} \u{10000}"'
    const body = JSON.stringify({
      error: token,
      error_description: `x ${token}`
    })
    expect(body).not.toContain(token)
    expect(refusalDetail(body, token)).toBe('[redacted]: x [redacted]')
  })

  it('escapes and caps what the server and the claims carry', async () => {
    endpoint([
      403,
      {
        error: `access_denied\n::error::${'e '.repeat(100)}`,
        error_description: `line\r\nbreak\u202e ${'d '.repeat(600)}`
      }
    ])
    const s = setup({
      ref: 'refs/heads/x"\n::warning::y',
      environment: 'a\u2028b'
    })
    const err = await rejection(exchange(s))
    expect(err.message).not.toMatch(/[\r\n\u2028\u202e]/)
    expect(err.message).toContain('HTTP 403: access_denied\\u000a::error::e e')
    expect(err.message).toContain('line\\u000d\\u000abreak\\u202e d')
    expect(err.message).not.toContain('e '.repeat(40))
    expect(err.message).not.toContain('d '.repeat(300))
    expect(err.message).toContain('ref "refs/heads/x\\"\\n::warning::y"')
    expect(err.message).toContain('environment "a\\u2028b"')
  })

  it('shows a body that is not an OAuth error, redacted', async () => {
    endpoint([404, `<html>no route ${ACCESS}</html>`])
    const s = setup()
    const err = await rejection(exchange(s))
    expect(err.message).toMatch(
      /^the workload identity token exchange was rejected with HTTP 404: <html>no route \[redacted\]<\/html>\. The GitHub OIDC token sent had iss /
    )
    expect(err.message).not.toContain(ACCESS)
  })

  it('an empty body adds nothing after the status', async () => {
    endpoint([401, ''])
    const err = await rejection(exchange(setup()))
    expect(err.message).toMatch(
      /^the workload identity token exchange was rejected with HTTP 401\. The GitHub OIDC token sent had /
    )
  })
})

describe('the reply', () => {
  async function parsed(body: unknown): Promise<WorkloadTokens> {
    endpoint([200, body])
    return exchange(setup())
  }

  async function refused(body: unknown): Promise<string> {
    endpoint([200, body])
    return (await rejection(exchange(setup()))).message
  }

  it('yields the tokens', async () => {
    await expect(parsed(reply())).resolves.toEqual<WorkloadTokens>({
      accessToken: ACCESS,
      accountId: 'acct-1',
      accountUserId: 'user-1__acct-1',
      userId: 'user-1',
      expiresIn: 3600,
      planType: 'enterprise',
      scope: 'openid profile email'
    })
  })

  it.each<[string, Record<string, unknown>]>([
    ['token_type Bearer', { token_type: 'Bearer' }],
    ['token_type BEARER', { token_type: 'BEARER' }],
    ['expires_in 1', { expires_in: 1 }],
    ['no chatgpt_plan_type', { chatgpt_plan_type: undefined }],
    ['a null chatgpt_plan_type', { chatgpt_plan_type: null }],
    ['an empty chatgpt_plan_type', { chatgpt_plan_type: '' }],
    ['extra fields', { refresh_token: 'rt-x', id_token: 'x' }],
    [
      'a user id only as user_id in the access token',
      { access_token: accessToken({ chatgpt_user_id: undefined }) }
    ]
  ])('accepts %s', async (_, overrides) => {
    const tokens = await parsed(
      JSON.parse(JSON.stringify(reply(overrides))) as unknown
    )
    expect(tokens.userId).toBe('user-1')
  })

  it('leaves planType out when the reply has none', async () => {
    const tokens = await parsed(reply({ chatgpt_plan_type: null }))
    expect('planType' in tokens).toBe(false)
  })

  const P = WORKLOAD_REPLY_PROBLEMS
  it.each<[string, unknown, string]>([
    ['not JSON', 'access_token=x', P.body!],
    ['a JSON array', [reply()], P.body!],
    ['no access_token', reply({ access_token: undefined }), P.access_token!],
    [
      'an access_token that is not a JWT',
      reply({ access_token: 'opaque-token' }),
      P.access_token!
    ],
    [
      'an access_token with an empty signature',
      reply({ access_token: ACCESS.replace(/[^.]+$/, '') }),
      P.access_token!
    ],
    [
      'an access_token with a space',
      reply({ access_token: `${ACCESS} ` }),
      P.access_token!
    ],
    [
      'no chatgpt_account_id',
      reply({ chatgpt_account_id: undefined }),
      P.chatgpt_account_id!
    ],
    [
      'an empty chatgpt_account_id',
      reply({ chatgpt_account_id: '' }),
      P.chatgpt_account_id!
    ],
    [
      'a chatgpt_account_id with a line break',
      reply({ chatgpt_account_id: 'a\nb' }),
      P.chatgpt_account_id!
    ],
    [
      'a numeric chatgpt_account_id',
      reply({ chatgpt_account_id: 7 }),
      P.chatgpt_account_id!
    ],
    [
      'no chatgpt_account_user_id',
      reply({ chatgpt_account_user_id: undefined }),
      P.chatgpt_account_user_id!
    ],
    [
      'a numeric chatgpt_plan_type',
      reply({ chatgpt_plan_type: 3 }),
      P.chatgpt_plan_type!
    ],
    ['no expires_in', reply({ expires_in: undefined }), P.expires_in!],
    ['expires_in 0', reply({ expires_in: 0 }), P.expires_in!],
    ['expires_in 3601', reply({ expires_in: 3601 }), P.expires_in!],
    ['expires_in 1.5', reply({ expires_in: 1.5 }), P.expires_in!],
    ['expires_in "3600"', reply({ expires_in: '3600' }), P.expires_in!],
    [
      'no issued_token_type',
      reply({ issued_token_type: undefined }),
      P.issued_token_type!
    ],
    [
      'another issued_token_type',
      reply({ issued_token_type: 'urn:ietf:params:oauth:token-type:jwt' }),
      P.issued_token_type!
    ],
    ['no scope', reply({ scope: undefined }), P.scope!],
    ['an empty scope', reply({ scope: '' }), P.scope!],
    ['no token_type', reply({ token_type: undefined }), P.token_type!],
    ['token_type mac', reply({ token_type: 'mac' }), P.token_type!],
    ['token_type "bearer "', reply({ token_type: 'bearer ' }), P.token_type!],
    ['no user_id', reply({ user_id: undefined }), P.user_id!],
    ['an empty user_id', reply({ user_id: '' }), P.user_id!],
    [
      'another user in the access token',
      reply({ access_token: accessToken({ chatgpt_user_id: 'user-2' }) }),
      P.user_mismatch!
    ],
    [
      'chatgpt_user_id winning over user_id',
      reply({
        access_token: accessToken({
          chatgpt_user_id: 'user-2',
          user_id: 'user-1'
        })
      }),
      P.user_mismatch!
    ],
    [
      'no auth claim in the access token',
      reply({ access_token: fakeJwt({ sub: 'user-1' }) }),
      P.user_mismatch!
    ],
    [
      'a user id that is not a string',
      reply({
        access_token: accessToken({ chatgpt_user_id: 1, user_id: undefined })
      }),
      P.user_mismatch!
    ]
  ])('refuses %s', async (_, body, reason) => {
    const message = await refused(JSON.parse(JSON.stringify(body)) as unknown)
    expect(message).toBe(workloadExchangeInvalid(reason))
    expect(message.startsWith(WORKLOAD_EXCHANGE_INVALID)).toBe(true)
    expect(message).not.toContain(ACCESS)
  })

  it.each<[string, number]>([
    ['chatgpt_account_id', 256],
    ['chatgpt_account_user_id', 256],
    ['user_id', 256],
    ['chatgpt_plan_type', 64],
    ['scope', 1024]
  ])('refuses a %s over %i characters with its length', async (field, max) => {
    const message = await refused(reply({ [field]: 'v'.repeat(max + 1) }))
    expect(message).toBe(workloadReplyValueTooLong(field, max + 1, max))
    expect(message.startsWith(`${WORKLOAD_EXCHANGE_INVALID}: `)).toBe(true)
  })

  it('refuses an access_token over 16 KiB with its length, not its value', async () => {
    const long = accessToken({ pad: 'p'.repeat(16 * 1024) })
    const message = await refused(reply({ access_token: long }))
    expect(message).toBe(
      workloadReplyValueTooLong('access_token', long.length, 16 * 1024)
    )
  })

  it('accepts values at their caps', async () => {
    const id = 'a'.repeat(256)
    const tokens = await parsed(
      reply({ chatgpt_account_id: id, chatgpt_plan_type: 'p'.repeat(64) })
    )
    expect(tokens.accountId).toBe(id)
  })
})
