import { decodeJwt } from 'jose'
import {
  decodeJwtHeaderPart,
  decodeJwtParts,
  decodeJwtPayload
} from '../../src/credentials/jwt.js'

const b64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url')
const HEADER = b64url({ alg: 'RS256', kid: 'k' })
// `{"a":1}` encodes to `eyJhIjoxfQ`, whose last character carries two unused
// bits: `eyJhIjoxfR` decodes to the same bytes but is not canonical.
const PAYLOAD = b64url({ a: 1 })

describe('decodeJwtParts: Codex is stricter than jose about the encoding', () => {
  it.each([
    ['padding', `${PAYLOAD}==`],
    ['a line break', `${PAYLOAD.slice(0, 4)}\n${PAYLOAD.slice(4)}`],
    ['non-zero unused bits', `${PAYLOAD.slice(0, -1)}R`]
  ])('rejects a payload with %s, which jose alone would take', (_n, part) => {
    const token = `${HEADER}.${part}.sig`
    expect(decodeJwt(token)).toEqual({ a: 1 })
    expect(decodeJwtParts(token)).toBeUndefined()
    expect(decodeJwtPayload(token)).toBeUndefined()
  })

  it('decodes a canonical token with jose', () => {
    expect(decodeJwtParts(`${HEADER}.${PAYLOAD}.sig`)).toEqual({
      headerPart: HEADER,
      payload: { a: 1 },
      signaturePart: 'sig'
    })
  })

  it('takes an empty signature only when told to', () => {
    expect(decodeJwtParts(`${HEADER}.${PAYLOAD}.`)).toBeUndefined()
    expect(decodeJwtParts(`${HEADER}.${PAYLOAD}.`, true)?.payload).toEqual({
      a: 1
    })
  })

  it('rejects a payload that is not UTF-8', () => {
    const bytes = Buffer.from([
      0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d
    ])
    expect(
      decodeJwtParts(`${HEADER}.${bytes.toString('base64url')}.sig`)
    ).toBeUndefined()
  })
})

describe('decodeJwtHeaderPart', () => {
  it('decodes a header object', () => {
    expect(decodeJwtHeaderPart(HEADER)).toEqual({ alg: 'RS256', kid: 'k' })
  })

  it.each([
    ['padded', `${HEADER}=`],
    ['an array', b64url([1])],
    ['empty', '']
  ])('rejects a header part that is %s', (_n, part) => {
    expect(decodeJwtHeaderPart(part)).toBeUndefined()
  })
})
