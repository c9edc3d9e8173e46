/**
 * What the credential schemas share: the caps on values the action keeps or
 * exports, the field types built on them, and the one way zod's issues
 * become user-facing text.
 *
 * Issue texts name the field and the types, never the value: claims and
 * records carry private keys and tokens.
 */
import * as z from 'zod/mini'
import {
  fieldEmpty,
  fieldInvalid,
  fieldTypeInvalid,
  valueTooLong
} from '../messages/inputs.js'

/** Longest account (workspace) id accepted. */
export const ACCOUNT_ID_MAX = 256
/** Longest plan type accepted. */
export const PLAN_TYPE_MAX = 64
/** Longest task id accepted. */
export const TASK_ID_MAX = 256
/** Longest token (JWT, API key, refresh token…) accepted: 16 KiB. */
export const TOKEN_MAX = 16 * 1024

/** An account id: any string up to {@link ACCOUNT_ID_MAX}. */
export const accountIdField = z.string().check(z.maxLength(ACCOUNT_ID_MAX))
/** A plan type: any string up to {@link PLAN_TYPE_MAX}. */
export const planTypeField = z.string().check(z.maxLength(PLAN_TYPE_MAX))
/** A task id: any string up to {@link TASK_ID_MAX}. */
export const taskIdField = z.string().check(z.maxLength(TASK_ID_MAX))
/** A token or key as stored: any string up to {@link TOKEN_MAX}. */
export const tokenField = z.string().check(z.maxLength(TOKEN_MAX))

/** One zod issue, with the input it was raised on. */
export type Issue = z.core.$ZodIssue

/** The outcome of {@link check}. */
export type Checked<T> = { ok: true; value: T } | { ok: false; issues: Issue[] }

/**
 * Validates a value against a schema, keeping each issue's input so texts
 * can name the received type and a length.
 *
 * @param schema - the schema
 * @param value - the decoded JSON
 * @returns the parsed value, or every issue in schema order
 */
export function check<T>(schema: z.ZodMiniType<T>, value: unknown): Checked<T> {
  const result = schema.safeParse(value, { reportInput: true })
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, issues: result.error.issues }
}

/** A field's path as users read it: `tokens.account_id`. */
export function pathText(issue: Issue): string {
  return issue.path.map(String).join('.')
}

/**
 * The error for the first value over its cap, if any issue is one: names the
 * field and its length, never the value.
 *
 * @param issues - the schema's issues
 * @param source - the credential's source label
 * @param prefix - put before the field's path (`agent_identity.`)
 */
export function capExceeded(
  issues: readonly Issue[],
  source: string,
  prefix = ''
): string | undefined {
  for (const issue of issues) {
    if (issue.code === 'too_big' && typeof issue.input === 'string') {
      return valueTooLong(
        prefix + pathText(issue),
        source,
        issue.input.length,
        Number(issue.maximum)
      )
    }
  }
  return undefined
}

/**
 * Every issue on one line, joined by `; `: what was expected, what came, and
 * where (`Invalid input: expected string, received number → at email`).
 */
export function issuesText(issues: readonly Issue[]): string {
  return issues.map(issueText).join('; ')
}

function issueText(issue: Issue): string {
  const path = pathText(issue)
  switch (issue.code) {
    case 'invalid_type':
      return fieldTypeInvalid(issue.expected, typeName(issue.input), path)
    case 'too_small':
      return fieldEmpty(path)
    default:
      return fieldInvalid(path)
  }
}

/** A JSON value's type as issue texts name it (`Infinity` is not a number). */
export function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value)
  }
  return typeof value
}
