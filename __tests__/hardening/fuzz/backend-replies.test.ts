/**
 * Bad-input fuzzing (fast-check) of backend replies: whoami, token refresh
 * and error classification, Retry-After, RFC 3339 dates and JWT payloads.
 */
import fc from 'fast-check'
import {
  parseRetryAfter,
  type HttpResponse
} from '../../../src/clients/http.js'
import { MESSAGE_BODY_LIMIT } from '../../../src/clients/redact.js'
import {
  classifyRefreshFailure,
  parseRefreshReply,
  refreshErrorCode
} from '../../../src/clients/token-refresh.js'
import { parseWhoami } from '../../../src/clients/whoami.js'
import { parseRfc3339 } from '../../../src/credentials/chatgpt-tokens.js'
import { decodeJwtPayload } from '../../../src/credentials/jwt.js'
import {
  anyText,
  jsonText,
  jwtLike,
  now,
  secretInput,
  secretLeaves
} from '../../support/fuzz/arbitraries.js'
import { expectClean, settle } from '../../support/fuzz/clean-errors.js'
import { NUM_RUNS, runCounter } from '../../support/fuzz/runs.js'

const count = runCounter('backend-replies')

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
