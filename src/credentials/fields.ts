/**
 * A small checker for flat JSON objects (JWT claims, auth.json records):
 * each named field is a string, number or boolean, required, optional or
 * nullable. It replaces a schema library on the Agent Identity start-up
 * path, where loading and building schemas cost more than the whole check.
 *
 * Issue texts name the field and the types, never the value (claims carry a
 * private key): `Invalid input: expected string, received number → at email`.
 */

type FieldType = 'string' | 'number' | 'boolean'

/** A decoded JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** What absence a field tolerates: none, a missing key, or also `null`. */
type Presence = 'required' | 'optional' | 'nullish'

/** One field's rule. */
export interface FieldRule {
  type: FieldType
  presence: Presence
  /** Strings only: the value must not be empty. */
  nonEmpty?: boolean
}

/** A flat object's rules, in the order issues are reported. */
export type FieldRules = Readonly<Record<string, FieldRule>>

type Value<R extends FieldRule> = R['type'] extends 'string'
  ? string
  : R['type'] extends 'number'
    ? number
    : boolean

/** The checked object's type: absent fields are `undefined` or `null`. */
export type Checked<S extends FieldRules> = {
  [K in keyof S]: S[K]['presence'] extends 'required'
    ? Value<S[K]>
    : S[K]['presence'] extends 'optional'
      ? Value<S[K]> | undefined
      : Value<S[K]> | null | undefined
}

/** Shorthands for rules, keeping their literal types for {@link Checked}. */
export const field = {
  string: <P extends Presence = 'required'>(
    presence: P = 'required' as P
  ): { type: 'string'; presence: P } => ({ type: 'string', presence }),
  nonEmptyString: (): {
    type: 'string'
    presence: 'required'
    nonEmpty: true
  } => ({ type: 'string', presence: 'required', nonEmpty: true }),
  number: <P extends Presence = 'required'>(
    presence: P = 'required' as P
  ): { type: 'number'; presence: P } => ({ type: 'number', presence }),
  boolean: <P extends Presence = 'required'>(
    presence: P = 'required' as P
  ): { type: 'boolean'; presence: P } => ({ type: 'boolean', presence })
} as const

/** The outcome of {@link checkFields}. */
export type FieldCheck<S extends FieldRules> =
  { ok: true; value: Checked<S> } | { ok: false; issues: string }

/**
 * Checks the fields `rules` names; other keys are ignored.
 *
 * @param value - a decoded JSON object
 * @param rules - the fields to check
 * @returns the object typed by `rules`, or every issue on one line, joined
 *   by `; `
 */
export function checkFields<S extends FieldRules>(
  value: Record<string, unknown>,
  rules: S
): FieldCheck<S> {
  const issues: string[] = []
  for (const [name, rule] of Object.entries(rules)) {
    const issue = fieldIssue(value[name], rule)
    if (issue !== undefined) issues.push(`${issue} → at ${name}`)
  }
  return issues.length === 0
    ? { ok: true, value: value as Checked<S> }
    : { ok: false, issues: issues.join('; ') }
}

function fieldIssue(value: unknown, rule: FieldRule): string | undefined {
  if (value === undefined && rule.presence !== 'required') return undefined
  if (value === null && rule.presence === 'nullish') return undefined
  const received = typeName(value)
  if (received !== rule.type) {
    return `Invalid input: expected ${rule.type}, received ${received}`
  }
  if (rule.nonEmpty === true && value === '') {
    return 'Too small: expected string to have >=1 characters'
  }
  return undefined
}

/** A value's type as issue texts name it (`Infinity` is not a number). */
function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value)
  }
  return typeof value
}
