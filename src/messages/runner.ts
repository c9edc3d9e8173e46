/**
 * Texts of the runner's command files and job summary: ours.
 *
 * Each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

// ---- Ours: the runner --------------------------------------------------------

// Without its command file, @actions/core would print the value on stdout.
export const GITHUB_ENV_UNSET =
  'GITHUB_ENV is not set: this runner cannot receive exported variables safely'
export const GITHUB_OUTPUT_UNSET =
  'GITHUB_OUTPUT is not set: this runner cannot receive outputs safely'
export const GITHUB_STATE_UNSET =
  'GITHUB_STATE is not set: the post step would not run'

export const summaryWriteFailed = (err: string): string =>
  `Could not write the job summary: ${err}`
