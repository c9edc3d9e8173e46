/**
 * Makes server-supplied text and URLs safe to put in an error message.
 *
 * A backend may echo a credential back in an error body, and the runner only
 * masks values it was told about, not a token we never saw (a rotated refresh
 * token, a signed assertion). So every piece of server text is redacted before
 * it reaches a message, and cut to a readable length.
 */

/** What a secret-looking run is replaced with. */
export const REDACTED = '[redacted]'

/** Longest server body quoted in a message, in characters, as Codex cuts it. */
export const MESSAGE_BODY_LIMIT = 512

/** Appended to a body that was cut. */
export const TRUNCATION_MARK = '...'

// Every pattern is anchored to the start of a run (the look-behinds) so that
// the engine tries each run once: without them a 1 MiB body of letters would
// cost quadratic time in backtracking.
const SECRET_PATTERNS: readonly RegExp[] = [
  // A JWT (or JWE) whose header is base64url JSON: `eyJ` is how `{"` encodes.
  // The signature may be empty (unsigned identities), so only one dot is
  // required after the header.
  /(?<![\w-])eyJ[\w-]*(?:\.[\w-]+)+/g,
  // A JWT-shaped token whose header does not start with `{"`. Each part must
  // be long so host names and version numbers are left alone.
  /(?<![\w-])[\w-]{16,}\.[\w-]{16,}\.[\w-]{16,}/g,
  // OpenAI API keys (`sk-`, `sk-proj-`), personal access tokens (`at-`) and
  // refresh tokens (`rt-`). Eight characters after the prefix keeps words like
  // `at-risk` readable; a real token is far longer.
  /(?<![\w-])(?:sk|at|rt)-[\w-]{8,}/g,
  // Anything else that looks like key material: base64 or base64url runs.
  /[A-Za-z0-9+/_-]{40,}={0,2}/g
]

/**
 * Replaces secret-looking runs with `[redacted]`: JWT-shaped tokens, `sk-…`,
 * `at-…` and `rt-…` tokens, and base64/base64url runs of 40 or more
 * characters.
 *
 * Deliberately greedy: a long URL path or hex digest may be redacted too. A
 * lost diagnostic detail is cheap; a leaked token is not.
 */
export function redactSecrets(text: string): string {
  let out = text
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED)
  return out
}

/**
 * Cuts `body` to its first `limit` characters plus `...` when it is longer.
 * Characters are Unicode code points, so a cut never leaves half of a
 * surrogate pair behind.
 *
 * Does not redact: use {@link bodyForMessage} for server text.
 */
export function truncateBody(
  body: string,
  limit: number = MESSAGE_BODY_LIMIT
): string {
  // Code units are at least as many as code points: short strings are done.
  if (body.length <= limit) return body
  let end = 0
  let points = 0
  while (end < body.length && points < limit) {
    const code = body.codePointAt(end) ?? 0
    end += code > 0xffff ? 2 : 1
    points++
  }
  return end >= body.length ? body : body.slice(0, end) + TRUNCATION_MARK
}

// Redaction only ever looks at a bounded prefix of a body, at least this
// long. Even if every character of it belonged to a secret that shrank to
// `[redacted]` (the worst case, a 50-character three-part token, keeps one
// fifth), the redacted prefix is still longer than the part shown, so a secret
// cut at the window's edge can never reach the output. It keeps a 1 MiB error
// page from being scanned four times for 512 characters.
const REDACTION_WINDOW = 64 * 1024

/**
 * Server text as it may appear in a message: redacted first, then cut to
 * {@link MESSAGE_BODY_LIMIT} characters plus `...`.
 *
 * Redacting before cutting is the safe order: cutting first could shorten a
 * secret below a pattern's minimum length (an `sk-` key cut to `sk-abc`, a
 * base64 run cut to 30 characters) and the fragment would be shown.
 */
export function bodyForMessage(
  body: string,
  limit: number = MESSAGE_BODY_LIMIT
): string {
  const window = Math.max(REDACTION_WINDOW, limit * 8)
  return truncateBody(redactSecrets(body.slice(0, window)), limit)
}

/**
 * A URL as it may appear in a message, whether or not it parses: any
 * `user:password@` becomes `[redacted]@`, and a query string or fragment
 * `?[redacted]` / `#[redacted]`. Text with neither comes back unchanged.
 *
 * Works on the text, not a parsed URL, because the URLs that most need it are
 * the ones that do not parse (`https://user:pw@host:99999/api`). Greedy on
 * purpose: everything before the last `@` of the part before `?` or `#` is
 * taken for credentials, so a password holding a `/` is still hidden.
 */
export function redactUrl(text: string): string {
  let head = text
  let tail = ''
  const cut = head.search(/[?#]/)
  if (cut >= 0) {
    tail = `${head[cut]}${REDACTED}`
    head = head.slice(0, cut)
  }
  const at = head.lastIndexOf('@')
  if (at >= 0) {
    // Only a leading `scheme://` is kept: a `//` further on may be inside
    // the password (`https:/user:p//w@host`).
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(head)?.[0] ?? ''
    const from = scheme.length <= at ? scheme.length : 0
    head = `${head.slice(0, from)}${REDACTED}${head.slice(at)}`
  }
  return head + tail
}
