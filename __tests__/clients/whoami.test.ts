import nock from 'nock'
import { createHttpClient, type HttpClient } from '../../src/clients/http.js'
import {
  parseWhoami,
  whoami,
  type WhoamiIdentity
} from '../../src/clients/whoami.js'
import { ActionError } from '../../src/errors.js'
import {
  WHOAMI_REPLY_INVALID,
  whoamiValueTooLong
} from '../../src/messages/pat.js'
import { instantHttpDeps } from '../support/instant-http.js'

const PAT = 'at-personal-access-token-0123456789'
const URL = 'https://auth.test/v1/user-auth-credential/whoami'
const REPLY = {
  email: 'pat@example.com',
  chatgpt_user_id: 'user-1',
  chatgpt_account_id: 'acct-1',
  chatgpt_plan_type: 'enterprise',
  chatgpt_account_is_fedramp: true
}

function fakeClient(): { client: HttpClient; sleeps: number[] } {
  const sleeps: number[] = []
  const deps = instantHttpDeps(Date.UTC(2026, 7, 22), sleeps)
  return { client: createHttpClient(deps), sleeps }
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(ActionError)
    return (err as Error).message
  }
  throw new Error('expected an error')
}

afterEach(() => {
  nock.cleanAll()
})
afterAll(() => {
  nock.restore()
})

describe('whoami', () => {
  it('GETs with the PAT as Bearer and reads the account', async () => {
    const scope = nock('https://auth.test', {
      reqheaders: {
        authorization: `Bearer ${PAT}`,
        originator: 'test_originator'
      }
    })
      .get('/api/accounts/v1/user-auth-credential/whoami')
      .reply(200, REPLY)
    const identity = await whoami({
      http: fakeClient().client,
      url: 'https://auth.test/api/accounts/v1/user-auth-credential/whoami',
      token: PAT
    })
    expect(identity).toEqual<WhoamiIdentity>({
      email: 'pat@example.com',
      chatgptUserId: 'user-1',
      chatgptAccountId: 'acct-1',
      chatgptPlanType: 'enterprise',
      fedramp: true
    })
    scope.done()
  })

  it.each([
    [401, 'Unauthorized'],
    [403, 'Forbidden']
  ])('%i is a clear, final error', async (status, reason) => {
    const scope = nock('https://auth.test')
      .get('/v1/user-auth-credential/whoami')
      .reply(status, { error: { message: `token ${PAT} is revoked` } })
    const { client, sleeps } = fakeClient()
    const message = await errorOf(
      whoami({ http: client, url: URL, token: PAT })
    )
    expect(message).toBe(
      `The personal access token was rejected by https://auth.test/v1/user-auth-credential/whoami (status ${status} ${reason}). It may be expired, revoked or from another environment: create a new one and update the secret, or check authapi-base-url.`
    )
    expect(message).not.toContain(PAT)
    expect(sleeps).toEqual([])
    scope.done()
  })

  it('5xx is retried 3 times, then fails with the (redacted) body', async () => {
    const scope = nock('https://auth.test')
      .get('/v1/user-auth-credential/whoami')
      .times(3)
      .reply(503, `down, token ${PAT}`)
    const { client, sleeps } = fakeClient()
    const message = await errorOf(
      whoami({ http: client, url: URL, token: PAT })
    )
    expect(message).toBe(
      'personal access token lookup (whoami) failed with status 503 Service Unavailable: down, token [redacted]'
    )
    expect(sleeps).toEqual([500, 1000])
    scope.done()
  })

  it.each([
    [404, 'Not Found'],
    [400, 'Bad Request']
  ])('any other non-2xx (%i) fails at once', async (status, reason) => {
    const scope = nock('https://auth.test')
      .get('/v1/user-auth-credential/whoami')
      .reply(status, '')
    const message = await errorOf(
      whoami({ http: fakeClient().client, url: URL, token: PAT })
    )
    expect(message).toBe(
      `personal access token lookup (whoami) failed with status ${status} ${reason}`
    )
    scope.done()
  })

  it('a 200 with a body that is not the whoami object fails', async () => {
    nock('https://auth.test')
      .get('/v1/user-auth-credential/whoami')
      .reply(200, '<html>login</html>')
    expect(
      await errorOf(whoami({ http: fakeClient().client, url: URL, token: PAT }))
    ).toBe(WHOAMI_REPLY_INVALID)
  })
})

describe('parseWhoami', () => {
  it('null and empty fields are absent; fedramp defaults to false', () => {
    expect(
      parseWhoami(
        '{"email":null,"chatgpt_user_id":"","chatgpt_account_id":"a","chatgpt_plan_type":null}'
      )
    ).toEqual({ chatgptAccountId: 'a', fedramp: false })
  })

  it.each([
    '[]',
    'null',
    'nope',
    '{"chatgpt_account_id":5}',
    '{"chatgpt_account_is_fedramp":"true"}'
  ])('rejects %s', (body) => {
    expect(() => parseWhoami(body)).toThrow(WHOAMI_REPLY_INVALID)
  })
})

describe('caps on the values we keep', () => {
  it.each<[string, number]>([
    ['chatgpt_account_id', 256],
    ['chatgpt_plan_type', 64]
  ])(
    '%s: %i characters pass, one more fails naming field and length',
    (field, max) => {
      const body = (length: number): string =>
        JSON.stringify({ ...REPLY, [field]: 'x'.repeat(length) })
      expect(() => parseWhoami(body(max))).not.toThrow()
      expect(() => parseWhoami(body(max + 1))).toThrow(
        new ActionError(whoamiValueTooLong(field, max + 1, max))
      )
      expect(whoamiValueTooLong(field, max + 1, max)).toBe(
        `personal access token lookup (whoami): ${field} is ${max + 1} characters long, over the limit of ${max}; refusing to use it rather than cut it. Check authapi-base-url.`
      )
    }
  )

  it('a 200 KB account id fails the call, never cut', async () => {
    nock('https://auth.test')
      .get('/v1/user-auth-credential/whoami')
      .reply(200, { ...REPLY, chatgpt_account_id: 'a'.repeat(200_000) })
    expect(
      await errorOf(whoami({ http: fakeClient().client, url: URL, token: PAT }))
    ).toBe(whoamiValueTooLong('chatgpt_account_id', 200_000, 256))
  })
})
