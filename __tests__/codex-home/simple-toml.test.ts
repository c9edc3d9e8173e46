import fc from 'fast-check'
import { parse, stringify } from 'smol-toml'
import {
  isSimpleTable,
  renderSimpleToml
} from '../../src/codex-home/simple-toml.js'

describe('isSimpleTable', () => {
  it.each([
    [{}, true],
    [{ a: 'x', 'b-c_1': ['y', 'z'] }, true],
    [{ a: [] }, true],
    [{ 'a.b': 'x' }, false],
    [{ 'a b': 'x' }, false],
    [{ '': 'x' }, false],
    [{ a: 1 }, false],
    [{ a: true }, false],
    [{ a: { b: 'x' } }, false],
    [{ a: ['x', 1] }, false],
    [{ a: 'lone \ud800 surrogate' }, false]
  ])('%j → %s', (table, simple) => {
    expect(isSimpleTable(table)).toBe(simple)
  })
})

describe('renderSimpleToml', () => {
  it('escapes what would end a string or a line', () => {
    const text = renderSimpleToml({
      url: 'a"b\\c\nforced_login_method = "api"\r\t\u0000\u007f\u001b'
    })
    expect(text).toBe(
      'url = "a\\"b\\\\c\\nforced_login_method = \\"api\\"\\r\\t\\u0000\\u007F\\u001B"\n'
    )
    expect(parse(text)).toEqual({
      url: 'a"b\\c\nforced_login_method = "api"\r\t\u0000\u007f\u001b'
    })
  })

  it('reads back as the table it was given, for any simple table', () => {
    const key = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/)
    const value = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }).filter((s) => !/\p{Surrogate}/u.test(s)),
      fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 4 })
    )
    fc.assert(
      fc.property(fc.dictionary(key, value), (table) => {
        expect(isSimpleTable(table)).toBe(true)
        const text = renderSimpleToml(table)
        expect(parse(text)).toEqual(table)
        // Same TOML as the real serializer writes.
        expect(parse(text)).toEqual(parse(stringify(table)))
      }),
      { numRuns: 300 }
    )
  })
})
