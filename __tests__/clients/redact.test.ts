import fc from 'fast-check'
import {
  MESSAGE_BODY_LIMIT,
  REDACTED,
  bodyForMessage,
  redactSecrets,
  redactUrl,
  truncateBody
} from '../../src/clients/redact.js'
import { invalidUrl } from '../../src/messages/inputs.js'

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJhY2NvdW50X2lkIjoiYWNjdC0xIn0.c2lnbmF0dXJlLWJ5dGVz'
const UNSIGNED_JWT = 'eyJhbGciOiJub25lIn0.eyJ3b3Jrc3BhY2VfaWQiOiJ3cyJ9.'
const B64_40 = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk' // exactly 40
const B64_PADDED =
  'MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH'

describe('redactSecrets', () => {
  it.each([
    ['a signed JWT', `token ${JWT} rejected`, `token ${REDACTED} rejected`],
    [
      'an unsigned JWT (the dot stays)',
      `got ${UNSIGNED_JWT} here`,
      `got ${REDACTED}. here`
    ],
    ['a JWT in JSON', `{"id_token":"${JWT}"}`, `{"id_token":"${REDACTED}"}`],
    ['a JWT after Bearer', `Bearer ${JWT}`, `Bearer ${REDACTED}`],
    [
      'a JWT-shaped token without eyJ',
      'x AAAAAAAAAAAAAAAAbb.BBBBBBBBBBBBBBBBcc.CCCCCCCCCCCCCCCCdd y',
      `x ${REDACTED} y`
    ],
    ['an API key', 'key sk-abcdefgh12345678 is bad', `key ${REDACTED} is bad`],
    ['a project API key', 'sk-proj-AbC_dEf-123456789012345678', REDACTED],
    ['a personal access token', '"at-0123456789abcdef"', `"${REDACTED}"`],
    [
      'a refresh token',
      'refresh_token=rt-XYZ_abc-12345678',
      `refresh_token=${REDACTED}`
    ],
    ['a 40-character base64 run', `k=${B64_40};`, `k=${REDACTED};`],
    [
      'padded base64 with + and /',
      `key ${B64_PADDED} end`,
      `key ${REDACTED} end`
    ],
    ['base64url', 'abcdefghijklmnopqrstuvwxyz-_ABCDEFGHIJKLMNOP', REDACTED],
    [
      'two secrets',
      `${JWT} and sk-0123456789abcdef`,
      `${REDACTED} and ${REDACTED}`
    ]
  ])('redacts %s', (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected)
  })

  it.each([
    ['a short error', '{"error":"invalid_grant","message":"nope"}'],
    ['a host name', 'could not reach auth.openai.com or chatgpt.com'],
    ['a version', 'codex_github_action/1.0.0 node/24.1.0'],
    ['a UUID account id', 'account 123e4567-e89b-12d3-a456-426614174000'],
    ['a 39-character run', B64_40.slice(1)],
    ['ordinary hyphenated words', 'look at-it, ask-me, sk-short, art-deco'],
    ['a prefix inside a word', 'task-registration desk-12345678'],
    ['empty text', '']
  ])('leaves %s alone', (_name, input) => {
    expect(redactSecrets(input)).toBe(input)
  })

  it('leaves no fragment of a generated secret behind', () => {
    const b64 = fc.string({
      unit: fc.constantFrom(
        ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
      ),
      minLength: 40,
      maxLength: 200
    })
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        b64,
        fc.string({ maxLength: 20 }),
        (before, secret, after) => {
          expect(redactSecrets(`${before} ${secret} ${after}`)).not.toContain(
            secret.slice(0, 40)
          )
        }
      )
    )
  })

  it('stays fast on a 1 MiB body with no separators', () => {
    // A quadratic pattern would take minutes here; linear takes milliseconds.
    const body = 'eyJ' + 'a'.repeat(1024 * 1024)
    expect(redactSecrets(body)).toBe(REDACTED)
    const words = 'x-'.repeat(512 * 1024)
    expect(redactSecrets(words)).toBe(REDACTED)
  })
})

describe('truncateBody', () => {
  it.each([
    ['short', 'abc', 5, 'abc'],
    ['exactly the limit', 'abcde', 5, 'abcde'],
    ['one over', 'abcdef', 5, 'abcde...'],
    ['astral characters counted once', '🙂🙂🙂', 2, '🙂🙂...'],
    ['an astral character at the cut', 'ab🙂🙂', 3, 'ab🙂...'],
    ['astral characters within the limit', '🙂🙂', 2, '🙂🙂']
  ])('%s', (_name, body, limit, expected) => {
    expect(truncateBody(body, limit)).toBe(expected)
  })

  it('defaults to 512 characters', () => {
    expect(MESSAGE_BODY_LIMIT).toBe(512)
    expect(truncateBody('x'.repeat(600))).toBe('x'.repeat(512) + '...')
    expect(truncateBody('x'.repeat(512))).toBe('x'.repeat(512))
  })
})

describe('bodyForMessage', () => {
  it('redacts before cutting, so a secret across the 512 boundary leaves no fragment', () => {
    // The key starts at 505: cut first, `sk-abcd` (too short to match) would
    // be shown.
    const body = 'x '.repeat(252) + ' sk-abcdefghijklmnop and more'
    const shown = bodyForMessage(body)
    expect(shown).not.toContain('sk-a')
    expect(shown).not.toContain('abcd')
    expect(shown.endsWith('...')).toBe(true)
  })

  it('leaves no fragment of a base64 run cut at the boundary', () => {
    const body = '{"detail":"' + ' '.repeat(490) + B64_PADDED + '"}'
    const shown = bodyForMessage(body)
    expect(shown).not.toMatch(/MC4C/)
    expect(shown.length).toBeLessThanOrEqual(512 + 3)
  })

  it('redacts a short body without cutting it', () => {
    expect(bodyForMessage(`{"error":"${JWT}"}`)).toBe(`{"error":"${REDACTED}"}`)
  })

  it('cuts a huge body to the limit', () => {
    const body = 'y '.repeat(400_000) + `sk-${'z'.repeat(100)}`
    const shown = bodyForMessage(body)
    expect(shown).toBe('y '.repeat(256) + '...')
  })

  it('never shows a secret cut at the edge of the scanned window', () => {
    // Secrets packed end to end, so the scanned window's edge falls inside
    // one. Whatever survives must be no more than the redaction marks.
    const body = `${B64_40} `.repeat(5000)
    const shown = bodyForMessage(body)
    // Every secret starts with `Q`; the marks and `...` have no capitals.
    expect(shown).toMatch(/^[[\]a-z .]+$/)
    expect(shown.endsWith('...')).toBe(true)
  })
})

describe('redactUrl', () => {
  it.each([
    // Parseable or not, credentials and queries never show.
    ['https://user:pw@host:99999/api', 'https://[redacted]@host:99999/api'],
    ['https://user:pw@host/api', 'https://[redacted]@host/api'],
    ['https://host/api?key=sekrit', 'https://host/api?[redacted]'],
    ['https://host/api#access_token=sekrit', 'https://host/api#[redacted]'],
    ['https://u:p@h:0x/a?key=k#f', 'https://[redacted]@h:0x/a?[redacted]'],
    // A password holding a `/` is still hidden: the last `@` decides.
    ['http://user:pa/ss@proxy:3128', 'http://[redacted]@proxy:3128'],
    ['user:pw@proxy:3128', '[redacted]@proxy:3128'],
    ['not a url ?key=sekrit', 'not a url ?[redacted]'],
    // Nothing to hide: unchanged, byte for byte.
    ['localhost:3128', 'localhost:3128'],
    ['HTTPS://Host/Path/', 'HTTPS://Host/Path/'],
    ['not a url', 'not a url'],
    ['', '']
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown)
  })

  it('never leaves a userinfo password or a query value in the output', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.stringMatching(/^[A-Za-z0-9]{12,20}$/),
        (url, secret) => {
          const withCreds = url.replace('://', `://user:${secret}@`)
          const withQuery = `${url.split(/[?#]/)[0]}?token=${secret}`
          for (const text of [withCreds, withQuery]) {
            expect(redactUrl(text)).not.toContain(secret)
          }
        }
      )
    )
  })

  it('is applied to every bad URL input quoted in a message', () => {
    expect(
      invalidUrl(
        'jwks-base-url',
        'https://user:pw@host:99999/api?key=k',
        'not an absolute URL (expected https://host/path)'
      )
    ).toBe(
      "Invalid jwks-base-url 'https://[redacted]@host:99999/api?[redacted]': not an absolute URL (expected https://host/path)."
    )
  })
})
