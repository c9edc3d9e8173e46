/**
 * Bad-input fuzzing (fast-check) of redaction: URLs that do or do not parse,
 * planted secrets in any server text, and huge bodies.
 */
import fc from 'fast-check'
import {
  MESSAGE_BODY_LIMIT,
  TRUNCATION_MARK,
  bodyForMessage,
  redactSecrets,
  redactUrl
} from '../../../src/clients/redact.js'
import { anyText, B64URL, mintedJwt } from '../../support/fuzz/arbitraries.js'
import { NUM_RUNS, runCounter } from '../../support/fuzz/runs.js'

const count = runCounter('redaction')

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
