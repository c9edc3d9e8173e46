/**
 * The HTTP helper under nock, as the endpoint clients' tests run it. nock is
 * imported before the helper, so its interceptor is in place when
 * @actions/http-client first takes node's http module.
 */
import nock from 'nock'
import { createHttpClient } from '../../../src/clients/http.js'
import {
  fake,
  isolateClientEnv,
  spec,
  transportError
} from '../../support/http-fixtures.js'

isolateClientEnv()

afterEach(() => {
  nock.cleanAll()
})
afterAll(() => {
  nock.restore()
})

describe('under nock', () => {
  it('is intercepted, headers and body included', async () => {
    const scope = nock('https://auth.example.test', {
      reqheaders: {
        originator: 'test_originator',
        'user-agent': 'test-agent/1.0'
      }
    })
      .post('/v1/agent/a/task/register', '{"timestamp":"t","signature":"s"}')
      .reply(200, { task_id: 'task-1' })
    const { deps } = fake()
    const res = await createHttpClient(deps).request(
      spec('https://auth.example.test/v1/agent/a/task/register', {
        method: 'POST',
        body: '{"timestamp":"t","signature":"s"}',
        headers: { 'content-type': 'application/json' }
      })
    )
    expect(JSON.parse(res.body)).toEqual({ task_id: 'task-1' })
    scope.done()
  })

  it('retries an intercepted connection error', async () => {
    const scope = nock('https://auth.example.test')
      .get('/jwks')
      .replyWithError('socket hang up')
      .get('/jwks')
      .reply(429, '', { 'Retry-After': '1' })
      .get('/jwks')
      .reply(200, '{}')
    const { deps, sleeps } = fake()
    const res = await createHttpClient(deps).request(
      spec('https://auth.example.test/jwks', { timeoutMs: 1000 })
    )
    expect(res.status).toBe(200)
    expect(sleeps).toEqual([500, 1000])
    scope.done()
  })

  it('reports an intercepted error that ends the last attempt', async () => {
    nock('https://auth.example.test').get('/jwks').replyWithError('boom')
    const { deps } = fake()
    const err = await transportError(
      createHttpClient(deps).request(
        spec('https://auth.example.test/jwks', {
          maxAttempts: 1,
          timeoutMs: 1000
        })
      )
    )
    expect([err.kind, err.message]).toEqual([
      'transport',
      'test call to https://auth.example.test/jwks failed after 1 attempt(s): boom'
    ])
  })
})
