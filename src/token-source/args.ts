/**
 * The helper's command line. Only what `ps` may show: the nonce, the mode,
 * the directory and the audience. The request URL and token come through
 * the environment, which other users cannot read.
 */
import { parseArgs } from 'node:util'
import { NONCE_FLAG } from './process-identity.js'

/** How the token path is served. */
export type TokenFileMode = 'fifo' | 'file'

/** The helper's parsed arguments. */
export interface HelperArgs {
  nonce: string
  mode: TokenFileMode
  dir: string
  audience: string
}

/** The argv the launcher passes after the script. */
export function helperArgv(args: HelperArgs): string[] {
  return [
    NONCE_FLAG,
    args.nonce,
    '--mode',
    args.mode,
    '--dir',
    args.dir,
    '--audience',
    args.audience
  ]
}

/**
 * Parses {@link helperArgv}'s output.
 *
 * @throws Error when an argument is missing or unknown
 */
export function parseHelperArgs(argv: readonly string[]): HelperArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      nonce: { type: 'string' },
      mode: { type: 'string' },
      dir: { type: 'string' },
      audience: { type: 'string' }
    }
  })
  const { nonce, mode, dir, audience } = values
  if (!nonce || !dir || !audience || (mode !== 'fifo' && mode !== 'file')) {
    throw new Error('usage: --nonce N --mode fifo|file --dir D --audience A')
  }
  return { nonce, mode, dir, audience }
}
