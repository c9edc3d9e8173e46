import fc from 'fast-check'
import {
  decodeBase64,
  decodeBase64Url,
  encodeBase64,
  encodeBase64Url
} from '../../src/crypto/base64.js'

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values)
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('decodeBase64 (standard, padded, strict)', () => {
  it.each<[string, string, Uint8Array]>([
    ['empty', '', bytes()],
    ['two pad characters', 'Zg==', text('f')],
    ['one pad character', 'Zm8=', text('fo')],
    ['no padding needed', 'Zm9v', text('foo')],
    ['+ and / alphabet', '+/8=', bytes(0xfb, 0xff)],
    ['several groups', 'Zm9vYmFy', text('foobar')]
  ])('accepts %s', (_name, input, expected) => {
    expect(decodeBase64(input)).toEqual(expected)
  })

  it.each<[string, string]>([
    ['missing padding', 'Zg'],
    ['short padding', 'Zg='],
    ['extra padding', 'Zg==='],
    ['padding in the middle', 'Zg==Zm9v'],
    ['padding only', '===='],
    ['a single character', 'Z'],
    ['URL-safe alphabet', '-_8='],
    ['trailing newline', 'Zm9v\n'],
    ['leading space', ' Zm9v'],
    ['inner space', 'Zm9v Zm9v'],
    ['CRLF-wrapped lines', 'Zm9v\r\nYmFy'],
    ['non-zero trailing bits after ==', 'Zh=='],
    ['non-zero trailing bits after =', 'Zm9='],
    ['non-ASCII', 'Zm9é'],
    [
      'PEM armour',
      '-----BEGIN PRIVATE KEY-----\nZm9v\n-----END PRIVATE KEY-----'
    ]
  ])('rejects %s', (_name, input) => {
    expect(decodeBase64(input)).toBeNull()
  })
})

describe('decodeBase64Url (no padding, strict)', () => {
  it.each<[string, string, Uint8Array]>([
    ['empty', '', bytes()],
    ['two characters', 'Zg', text('f')],
    ['three characters', 'Zm8', text('fo')],
    ['four characters', 'Zm9v', text('foo')],
    ['- and _ alphabet', '-_8', bytes(0xfb, 0xff)]
  ])('accepts %s', (_name, input, expected) => {
    expect(decodeBase64Url(input)).toEqual(expected)
  })

  it.each<[string, string]>([
    ['padding', 'Zg=='],
    ['standard alphabet', '+/8'],
    ['a 4n+1 length', 'Zm9vY'],
    ['non-zero trailing bits', 'Zh'],
    ['whitespace', 'Zm9v '],
    ['a dot (JWT separator)', 'Zm9v.Zm9v']
  ])('rejects %s', (_name, input) => {
    expect(decodeBase64Url(input)).toBeNull()
  })
})

describe('encoders', () => {
  // 0xfb 0xff exercises the characters where the two alphabets differ.
  it.each<[string, Uint8Array, string, string]>([
    ['empty', bytes(), '', ''],
    ['one byte', text('f'), 'Zg==', 'Zg'],
    ['two bytes', bytes(0xfb, 0xff), '+/8=', '-_8'],
    ['three bytes', text('foo'), 'Zm9v', 'Zm9v']
  ])('encode %s', (_name, input, standard, url) => {
    expect(encodeBase64(input)).toBe(standard)
    expect(encodeBase64Url(input)).toBe(url)
  })

  it('encodes only the viewed bytes of a subarray', () => {
    const view = text('xxfooxx').subarray(2, 5)
    expect(encodeBase64(view)).toBe('Zm9v')
    expect(encodeBase64Url(view)).toBe('Zm9v')
  })

  it('round-trips every length through both codecs', () => {
    for (let length = 0; length < 70; length++) {
      const input = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff)
      expect(decodeBase64(encodeBase64(input))).toEqual(input)
      expect(decodeBase64Url(encodeBase64Url(input))).toEqual(input)
    }
  })
})

describe('strictness on arbitrary text', () => {
  // The grammars the decoders must accept, written independently of them.
  const STANDARD =
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$/
  const URL_NO_PAD =
    /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-][AQgw]|[A-Za-z0-9_-]{2}[AEIMQUYcgkosw048])?$/
  // Mostly alphabet characters, so that near-misses are common.
  const nearBase64 = fc.string({
    unit: fc.constantFrom(...'AZagw09+/-_= \n.Q8'.split('')),
    maxLength: 12
  })

  it('decodeBase64 accepts exactly the canonical standard grammar', () => {
    fc.assert(
      fc.property(nearBase64, (input) => {
        expect(decodeBase64(input) !== null).toBe(STANDARD.test(input))
      }),
      { numRuns: 2000 }
    )
  })

  it('decodeBase64Url accepts exactly the canonical unpadded grammar', () => {
    fc.assert(
      fc.property(nearBase64, (input) => {
        expect(decodeBase64Url(input) !== null).toBe(URL_NO_PAD.test(input))
      }),
      { numRuns: 2000 }
    )
  })
})
