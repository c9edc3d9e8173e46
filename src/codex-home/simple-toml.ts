/**
 * Writes the one kind of config.toml most primed homes need: a flat table of
 * bare keys whose values are strings or lists of strings (the action's own
 * `cli_auth_credentials_store`, `forced_login_method`,
 * `forced_chatgpt_workspace_id`, `chatgpt_base_url`). It saves loading a
 * TOML library on every run; anything else goes to the real serializer.
 *
 * Values are escaped, never pasted: a quote, backslash or line break in an
 * input cannot end the string and start a key of its own.
 */

type SimpleValue = string | string[]

/** A table {@link renderSimpleToml} can write. */
export type SimpleTable = Record<string, SimpleValue>

const BARE_KEY = /^[A-Za-z0-9_-]+$/

/**
 * Whether {@link renderSimpleToml} can write `table`: bare keys, and values
 * that are well-formed strings or lists of them.
 */
export function isSimpleTable(
  table: Record<string, unknown>
): table is SimpleTable {
  return Object.entries(table).every(
    ([key, value]) =>
      BARE_KEY.test(key) &&
      (isWellFormedString(value) ||
        (Array.isArray(value) && value.every(isWellFormedString)))
  )
}

/**
 * Renders a simple table as TOML: `key = "value"` and `key = ["a", "b"]`, one
 * per line, in the table's order.
 *
 * @param table - a table {@link isSimpleTable} accepted
 * @returns the file text, ending in a newline
 */
export function renderSimpleToml(table: SimpleTable): string {
  return Object.entries(table)
    .map(([key, value]) => {
      const text = Array.isArray(value)
        ? `[${value.map(basicString).join(', ')}]`
        : basicString(value)
      return `${key} = ${text}\n`
    })
    .join('')
}

// A lone surrogate cannot be written as UTF-8; leave such a value to the
// real serializer, which rejects it.
function isWellFormedString(value: unknown): value is string {
  return typeof value === 'string' && !/\p{Surrogate}/u.test(value)
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r'
}

/**
 * A TOML basic string. TOML forbids the control characters (U+0000 to
 * U+001F, U+007F) unescaped, as well as `"` and `\`.
 */
function basicString(value: string): string {
  const escaped = value.replace(
    // eslint-disable-next-line no-control-regex -- matching them is the point
    /["\\\u0000-\u001f\u007f]/g,
    (ch) =>
      SHORT_ESCAPES[ch] ??
      `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
  )
  return `"${escaped}"`
}
