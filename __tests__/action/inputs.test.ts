/**
 * Input rules that only the built action can show whole: what the runner
 * prints for a bad input (one error, nothing exported) and how often a
 * warning appears. The rules themselves are unit-tested in inputs.test.ts.
 */
import { EMPTY_PLAN, listFiles, runAction } from '../support/run-action.js'

const KEY = 'sk-test-fake-key-0123456789'

describe('inputs, as the runner shows them', () => {
  it.each([',', ' , ', ',\n,'])(
    'forced-workspace-id %j (two unset variables) is an error, not "no restriction"',
    async (value) => {
      const r = await runAction({
        inputs: { 'api-key': KEY, 'forced-workspace-id': value }
      })
      expect(r.code).toBe(1)
      expect(r.error).toMatch(/^forced-workspace-id '.*' names no workspace id/)
      expect(r.raw.env + r.raw.output).toBe('')
      expect(r.state).toEqual(EMPTY_PLAN)
      expect(listFiles(r.dirs.runnerTemp)).toEqual([])
    }
  )

  it.each([
    ['chatgpt-base-url', 'https://user:pw-secret@host.example:99999/api'],
    ['jwks-base-url', 'https://host.example:99999/x?key=query-secret'],
    ['refresh-token-url', 'not a url?token=query-secret']
  ])('a bad %s never shows its userinfo or query', async (input, value) => {
    const r = await runAction({ inputs: { 'api-key': KEY, [input]: value } })
    expect(r.code).toBe(1)
    expect(r.error).toMatch(new RegExp(`^Invalid ${input} '`))
    expect(r.error).toContain('[redacted]')
    for (const secret of ['pw-secret', 'query-secret']) {
      expect(r.stdout).not.toContain(secret)
      expect(r.stderr).not.toContain(secret)
    }
  })

  it('warns once about a plain-http authapi-base-url, which sets two endpoints', async () => {
    const r = await runAction({
      inputs: {
        'api-key': KEY,
        'authapi-base-url': 'http://auth.example/api/accounts'
      }
    })
    expect(r.code).toBe(0)
    expect(
      r.commands.filter(
        (c) => c.name === 'warning' && c.value.includes('uses plain http')
      )
    ).toHaveLength(1)
  })
})
