import { checkFields, field } from '../../src/credentials/fields.js'

const rules = {
  name: field.nonEmptyString(),
  count: field.number(),
  flag: field.boolean('optional'),
  note: field.string('nullish')
} as const

function issues(value: Record<string, unknown>): string | undefined {
  const result = checkFields(value, rules)
  return result.ok ? undefined : result.issues
}

describe('checkFields', () => {
  it('accepts a valid object and ignores keys it has no rule for', () => {
    const value = { name: 'a', count: 1, flag: true, note: null, extra: [1] }
    expect(checkFields(value, rules)).toEqual({ ok: true, value })
  })

  it('lets optional fields be missing, and nullish ones be null', () => {
    expect(issues({ name: 'a', count: 0 })).toBeUndefined()
    expect(issues({ name: 'a', count: 0, note: null })).toBeUndefined()
  })

  it.each([
    [
      { count: 1 },
      'Invalid input: expected string, received undefined → at name'
    ],
    [
      { name: 7, count: 1 },
      'Invalid input: expected string, received number → at name'
    ],
    [
      { name: ['a'], count: 1 },
      'Invalid input: expected string, received array → at name'
    ],
    [
      { name: {}, count: 1 },
      'Invalid input: expected string, received object → at name'
    ],
    [
      { name: '', count: 1 },
      'Too small: expected string to have >=1 characters → at name'
    ],
    [
      { name: 'a', count: '1' },
      'Invalid input: expected number, received string → at count'
    ],
    [
      { name: 'a', count: Infinity },
      'Invalid input: expected number, received Infinity → at count'
    ],
    [
      { name: 'a', count: NaN },
      'Invalid input: expected number, received NaN → at count'
    ],
    [
      { name: 'a', count: 1, flag: null },
      'Invalid input: expected boolean, received null → at flag'
    ],
    [
      { name: 'a', count: 1, note: false },
      'Invalid input: expected string, received boolean → at note'
    ]
  ])('names the field and both types: %j', (value, expected) => {
    expect(issues(value)).toBe(expected)
  })

  it('reports every failing field on one line, in rule order', () => {
    expect(issues({ note: 1, count: null })).toBe(
      'Invalid input: expected string, received undefined → at name; ' +
        'Invalid input: expected number, received null → at count; ' +
        'Invalid input: expected string, received number → at note'
    )
  })

  it('never quotes a value', () => {
    const secret = 'MC4CAQAwBQYDK2VwBCIEI-secret'
    const text = checkFields({ name: 'a', count: secret }, rules)
    expect(text.ok).toBe(false)
    expect(JSON.stringify(text)).not.toContain(secret)
  })
})
