/**
 * The token source's directory, which the main step creates and the helper
 * owns from then on: one fresh 0700 directory under RUNNER_TEMP holding the
 * token path Codex reads, the helper's log and its status file.
 */
import * as path from 'node:path'

/** Prefix of the directory's name under RUNNER_TEMP (mkdtemp adds six). */
export const DIR_PREFIX = 'codex-identity-'

/** What `stopTokenSource` accepts as a directory to remove. */
const DIR_NAME = /^codex-identity-[A-Za-z0-9]{6}$/

/** Codex reads this path (`OPENAI_IDENTITY_TOKEN_FILE`). */
export const TOKEN_NAME = 'token'
/** The helper's stdout and stderr; never the step log. */
export const LOG_NAME = 'helper.log'
/** The helper says here whether it is serving (see `status.ts`). */
export const STATUS_NAME = 'status.json'

/** Paths inside one token source directory. */
export interface Layout {
  dir: string
  token: string
  log: string
  status: string
}

/** The paths of the token source living in `dir`. */
export function layout(dir: string): Layout {
  return {
    dir,
    token: path.join(dir, TOKEN_NAME),
    log: path.join(dir, LOG_NAME),
    status: path.join(dir, STATUS_NAME)
  }
}

/**
 * Whether `dir` has the name of a token source directory: saved state is
 * data a later step could have changed, so the post step removes only a
 * directory that looks like one this action made.
 */
export function isTokenSourceDirName(dir: string): boolean {
  return path.isAbsolute(dir) && DIR_NAME.test(path.basename(dir))
}
