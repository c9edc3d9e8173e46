/**
 * Bad-input fuzzing (fast-check) of the strict base64 decoders: canonical
 * text round-trips, anything else is null.
 */
import fc from 'fast-check'
import {
  decodeBase64,
  decodeBase64Url,
  encodeBase64,
  encodeBase64Url
} from '../../../src/crypto/base64.js'
import { anyText } from '../../support/fuzz/arbitraries.js'
import { NUM_RUNS, runCounter } from '../../support/fuzz/runs.js'

const count = runCounter('base64')

describe('base64', () => {
  it('strict decoders: canonical text round-trips, anything else is null', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), anyText, (bytes, text) => {
        count('base64')
        expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes)
        expect(decodeBase64Url(encodeBase64Url(bytes))).toEqual(bytes)
        const std = decodeBase64(text)
        if (std !== null) expect(encodeBase64(std)).toBe(text)
        const url = decodeBase64Url(text)
        if (url !== null) expect(encodeBase64Url(url)).toBe(text)
      }),
      { numRuns: NUM_RUNS }
    )
  })
})
