/**
 * Makes text that came from outside (a server's task id or error body, an
 * account id, a token claim) inert where it is shown: on a log line, where
 * the runner would otherwise read a workflow command in it, and in the job
 * summary, where markdown and HTML would otherwise render.
 */

/**
 * Control characters (C0, DEL, C1, the Unicode line and paragraph
 * separators, and the bidirectional overrides that can reorder what a reader
 * sees). ANSI escape sequences start with ESC, so they are covered too.
 */
const CONTROL =
  // eslint-disable-next-line no-control-regex -- matching them is the point
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** Shows each control character as `\uXXXX`. */
export function showControls(text: string): string {
  return text.replace(
    CONTROL,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/**
 * One log line that the runner will not read as a command: control
 * characters shown as `\uXXXX` (so no line break starts a new line), the
 * old-style `##[command]`, which the runner finds anywhere in a line, broken
 * as `##\u005b`, and a `::` at the start of the line (a workflow command)
 * broken as `:\u003a`.
 */
export function inertLogLine(text: string): string {
  return showControls(text)
    .replace(/##\[/g, '##\\u005b')
    .replace(/^(\s*):/, '$1\\u003a')
}

/**
 * The punctuation that can start markup in the middle of a line: emphasis,
 * code, links and images, headings, table cells, strikethrough, and the
 * `:` and `@` of autolinked URLs and email addresses. (`(`, `.` and `-`
 * only mean something after one of these, after `www`, or at the start of
 * a line, which a value never is.)
 */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]#!|~:@]/g

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;'
}

/**
 * Text that renders as itself in GitHub markdown, in a table cell too:
 * markdown punctuation backslash-escaped (so no emphasis, link, image,
 * heading, autolink or cell break), HTML special characters as entities (so
 * no tag), control characters as `\uXXXX` (so no line break).
 */
export function inertMarkdown(text: string): string {
  return (
    showControls(text)
      .replace(MARKDOWN_PUNCTUATION, '\\$&')
      // GitHub also links a bare `www.` host.
      .replace(/(www)\./gi, '$1\\.')
      .replace(/[&<>]/g, (c) => HTML_ENTITIES[c] ?? c)
  )
}

/**
 * The text {@link inertCode} shows: controls as `\uXXXX`, and a backslash
 * right before a `|` as `\u005c` (in a table, `\\|` would end the cell).
 */
export function codeText(text: string): string {
  return showControls(text).replace(/\\(?=\|)/g, '\\u005c')
}

/**
 * A code span showing {@link codeText}, safe in a table cell: fenced with
 * one backtick more than the longest run inside, `|` escaped (GitHub splits
 * table cells before it reads code spans). Nothing inside a code span is
 * markdown, HTML or a link.
 */
export function inertCode(text: string): string {
  const shown = codeText(text).replace(/\|/g, '\\|')
  const longest = Math.max(
    0,
    ...[...shown.matchAll(/`+/g)].map((m) => m[0].length)
  )
  const fence = '`'.repeat(longest + 1)
  // A space keeps a leading or trailing backtick from joining the fence.
  const pad = /^`|`$|^ .* $/.test(shown) || shown === '' ? ' ' : ''
  return `${fence}${pad}${shown}${pad}${fence}`
}
