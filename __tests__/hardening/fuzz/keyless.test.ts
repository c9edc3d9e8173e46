/**
 * Bad-input fuzzing (fast-check) of workload identity's outside documents:
 * the token exchange's reply and refusals, GitHub's OIDC reply, and the
 * claims of an OIDC token shown in a message. Each ends in a value or one
 * clean ActionError, never a crash; no message holds a token sent or an
 * unescaped control character (a value can neither start a log line nor
 * turn text around). The keyless inputs are fuzzed with the others in
 * inputs.test.ts and main-step.test.ts.
 */
import fc from 'fast-check'
import {
  CLAIM_VALUE_LIMIT,
  MESSAGE_CLAIMS,
  oidcClaimsForMessage,
  OidcRequestError,
  requestOidcToken
} from '../../../src/clients/github-oidc.js'
import type { HttpClient, HttpResponse } from '../../../src/clients/http.js'
import {
  exchangeWorkloadToken,
  parseExchangeReply,
  refusalDetail
} from '../../../src/clients/token-exchange.js'
import {
  anyText,
  jsonText,
  jwtLike,
  secretInput,
  secretValue
} from '../../support/fuzz/arbitraries.js'
import { expectClean } from '../../support/fuzz/clean-errors.js'
import { NUM_RUNS, runCounter } from '../../support/fuzz/runs.js'

const count = runCounter('keyless')

/** What no message may hold as is: C0, DEL, C1, line separators, bidi. */
const UNESCAPED =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

const response = (
  status: number,
  body: string,
  truncated = false
): HttpResponse => ({ status, reason: '', headers: {}, body, truncated })

/** A JWT (unsigned) whose payload is `payload`. */
const jwtOf = (payload: unknown): string =>
  [
    Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString(
      'base64url'
    ),
    Buffer.from(JSON.stringify(payload) ?? 'null').toString('base64url'),
    'c2ln'
  ].join('.')

/** Claim values as a workflow could make them: any text, any JSON. */
const claimValue = fc.oneof(
  anyText,
  fc.jsonValue(),
  fc.string({ minLength: CLAIM_VALUE_LIMIT - 2, maxLength: 400 }),
  fc.constantFrom('\u202eevil', 'a\nb', '"quoted"', '\u2028::error::x')
)

/** OIDC tokens with GitHub's claim names holding anything. */
const oidcToken = fc.oneof(
  jwtLike,
  fc
    .record(
      Object.fromEntries(MESSAGE_CLAIMS.map((c) => [c, claimValue])) as Record<
        (typeof MESSAGE_CLAIMS)[number],
        fc.Arbitrary<unknown>
      >,
      { requiredKeys: [] }
    )
    .map(jwtOf),
  fc.jsonValue().map(jwtOf)
)

/** A user id, and an access token that does or does not carry it. */
const accessToken = fc.oneof(
  jwtLike,
  fc
    .tuple(fc.oneof(fc.constant('user-1'), anyText), fc.boolean())
    .map(([id, chatgpt]) =>
      jwtOf({
        'https://api.openai.com/auth': chatgpt
          ? { chatgpt_user_id: id }
          : { user_id: id }
      })
    )
)

/** Codex's reply with one field dropped or replaced: near misses, and hits. */
const nearMiss = fc
  .tuple(
    fc.constantFrom(
      'none',
      'access_token',
      'chatgpt_account_id',
      'chatgpt_account_user_id',
      'chatgpt_plan_type',
      'expires_in',
      'issued_token_type',
      'scope',
      'token_type',
      'user_id'
    ),
    fc.option(fc.oneof(anyText, fc.jsonValue()), { nil: undefined })
  )
  .map(([field, value]) => {
    const reply: Record<string, unknown> = {
      access_token: jwtOf({
        'https://api.openai.com/auth': { chatgpt_user_id: 'user-1' }
      }),
      chatgpt_account_id: 'acct-1',
      chatgpt_account_user_id: 'user-1__acct-1',
      chatgpt_plan_type: 'business',
      expires_in: 3600,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      scope: 'openid',
      token_type: 'bearer',
      user_id: 'user-1'
    }
    if (field !== 'none') {
      if (value === undefined) delete reply[field]
      else reply[field] = value
    }
    return JSON.stringify(reply)
  })

/** Exchange replies: any text or JSON, and Codex's shape with any field off. */
const exchangeBody = fc.oneof(
  nearMiss,
  anyText,
  jsonText,
  fc
    .record(
      {
        access_token: fc.oneof(accessToken, fc.jsonValue()),
        chatgpt_account_id: fc.oneof(fc.constant('acct-1'), anyText),
        chatgpt_account_user_id: fc.oneof(
          fc.constant('user-1__acct-1'),
          anyText
        ),
        chatgpt_plan_type: fc.oneof(fc.constant('business'), fc.jsonValue()),
        expires_in: fc.oneof(
          fc.integer({ min: -5, max: 4000 }),
          fc.double(),
          fc.jsonValue()
        ),
        issued_token_type: fc.oneof(
          fc.constant('urn:ietf:params:oauth:token-type:access_token'),
          anyText
        ),
        scope: fc.oneof(fc.constant('openid'), anyText),
        token_type: fc.oneof(
          fc.constantFrom('bearer', 'Bearer', 'BEARER'),
          anyText
        ),
        user_id: fc.oneof(fc.constant('user-1'), anyText)
      },
      { requiredKeys: [] }
    )
    .map((r) => JSON.stringify(r))
)

/** Refusal bodies: any text, OAuth errors, some echoing `assertion`. */
const refusalBody = (assertion: string): fc.Arbitrary<string> =>
  fc.oneof(
    anyText,
    jsonText,
    fc
      .record(
        {
          error: fc.oneof(anyText, fc.jsonValue(), fc.constant(assertion)),
          error_description: fc.oneof(
            anyText,
            fc.jsonValue(),
            anyText.map((t) => `${t}${assertion}${t}`)
          )
        },
        { requiredKeys: [] }
      )
      .map((r) => JSON.stringify(r)),
    anyText.map((t) => `${t} ${assertion} ${t}`)
  )

/** A message is one clean, bounded line without the secrets. */
function expectSafeMessage(message: string, secrets: readonly string[]): void {
  expect(message).not.toMatch(UNESCAPED)
  expect(message.length).toBeLessThan(4000)
  for (const s of secrets) {
    if (s.trim().length >= 8) expect(message).not.toContain(s.trim())
  }
}

/** A client that answers every request with `reply` (making each body). */
function cannedHttp(reply: HttpResponse): HttpClient {
  return {
    request: async (spec) => {
      if (spec.bodyPerAttempt) await spec.bodyPerAttempt()
      return reply
    }
  }
}

describe('workload identity replies', () => {
  it('parseExchangeReply: tokens Codex would accept, or one clean error quoting nothing', () => {
    fc.assert(
      fc.property(exchangeBody, fc.boolean(), (body, truncated) => {
        count('exchange reply')
        let tokens
        try {
          tokens = parseExchangeReply(response(200, body, truncated))
        } catch (err) {
          expectClean(err)
          expectSafeMessage((err as Error).message, [])
          // Codex's text first; no reply value is quoted.
          expect((err as Error).message).toMatch(
            /^the workload identity token exchange returned an invalid response: /
          )
          return
        }
        count('exchange reply ok')
        expect(tokens.expiresIn).toBeGreaterThanOrEqual(1)
        expect(tokens.expiresIn).toBeLessThanOrEqual(3600)
        expect(tokens.accountId).not.toMatch(UNESCAPED)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('refusalDetail: escaped, cut, without the assertion sent', () => {
    fc.assert(
      fc.property(
        secretValue.chain((assertion) =>
          fc.tuple(fc.constant(assertion), refusalBody(assertion))
        ),
        ([assertion, body]) => {
          count('refusal detail')
          const detail = refusalDetail(body, assertion)
          expectSafeMessage(detail, [assertion])
          expect(detail.length).toBeLessThan(1500)
        }
      ),
      { numRuns: NUM_RUNS }
    )
  })

  it('exchangeWorkloadToken: tokens or one clean error, never the OIDC token sent', async () => {
    const cases = fc
      .tuple(
        oidcToken,
        fc.constantFrom(200, 201, 302, 400, 401, 403, 404, 429, 500, 503),
        fc.boolean(),
        anyText
      )
      .chain(([token, status, reply, ruleId]) =>
        (reply || status === 200 ? exchangeBody : refusalBody(token)).map(
          (body) => ({ token, status, body, ruleId })
        )
      )
    await fc.assert(
      fc.asyncProperty(cases, async ({ token, status, body, ruleId }) => {
        count('exchange')
        try {
          await exchangeWorkloadToken({
            http: cannedHttp(response(status, body)),
            url: 'https://auth.openai.example/oauth/token',
            mint: () => Promise.resolve(token),
            federationRuleId: ruleId
          })
        } catch (err) {
          expectClean(err)
          expectSafeMessage((err as Error).message, [token])
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('requestOidcToken: a token or one clean OidcRequestError, never the request token', async () => {
    const cases = fc
      .tuple(
        secretInput,
        fc.constantFrom(200, 204, 400, 401, 403, 404, 429, 500, 502)
      )
      .chain(([requestToken, status]) =>
        fc
          .oneof(
            anyText,
            jsonText,
            jwtLike.map((value) => JSON.stringify({ value })),
            anyText.map((t) => JSON.stringify({ value: requestToken, t })),
            anyText.map((t) => `${t}${requestToken}${t}`)
          )
          .map((body) => ({ requestToken, status, body }))
      )
    await fc.assert(
      fc.asyncProperty(cases, async ({ requestToken, status, body }) => {
        count('OIDC request')
        try {
          const token = await requestOidcToken({
            http: cannedHttp(response(status, body)),
            url: 'https://token.actions.example/idtoken?api-version=2.0',
            requestToken,
            audience: 'aud'
          })
          expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
        } catch (err) {
          expect(err).toBeInstanceOf(OidcRequestError)
          expectClean(err, [requestToken])
          expectSafeMessage((err as Error).message, [requestToken])
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('oidcClaimsForMessage: a bounded, escaped line for any token, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(oidcToken, anyText), (token) => {
        count('claims for message')
        const shown = oidcClaimsForMessage(token)
        expect(typeof shown).toBe('string')
        expect(shown).not.toMatch(UNESCAPED)
        // Seven claims of at most 200 characters, each escaped (\uXXXX: 6
        // per character at worst) and quoted; an aud array shows 5 items.
        expect(shown.length).toBeLessThan(
          MESSAGE_CLAIMS.length * 6 * (CLAIM_VALUE_LIMIT * 6 + 20)
        )
      }),
      { numRuns: NUM_RUNS }
    )
  })
})
