/**
 * Texts of the files the main step writes: ours.
 *
 * Each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

// ---- Ours: files -------------------------------------------------------------

export const runnerTempInWorkspace = (
  temp: string,
  workspace: string
): string =>
  `RUNNER_TEMP (${temp}) is inside GITHUB_WORKSPACE (${workspace}); the primed Codex home holds credentials and must not be written into the workspace, which may be uploaded or cached. Point RUNNER_TEMP elsewhere.`

export const primeFailed = (path: string, why: string): string =>
  `Could not write the primed Codex home at ${path}: ${why}. Check that RUNNER_TEMP is writable.`

/** Ours: a command file the runner named cannot be appended to. */
export const commandFileUnwritable = (
  name: string,
  file: string,
  why: string
): string =>
  `${name} (${file}) cannot be written: ${why}. The runner could not receive this step's results, so the step stopped before any request.`

export const UNEXPECTED_ERROR_PREFIX =
  'Unexpected error (please report it, with this message): '
