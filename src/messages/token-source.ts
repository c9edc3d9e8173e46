/**
 * Texts of the token source (workload identity): the background helper that
 * serves GitHub OIDC tokens at OPENAI_IDENTITY_TOKEN_FILE. Ours.
 *
 * Each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

/** The helper could not be started or did not serve; `reason` says why. */
export const tokenSourceFailed = (reason: string): string =>
  `Could not start the identity token source for Codex: ${reason}. Nothing was exported and no helper process was left running.`

/** The token directory could not be made. */
export const tokenSourceDirFailed = (runnerTemp: string, err: string): string =>
  tokenSourceFailed(
    `could not create its directory under RUNNER_TEMP (${runnerTemp}): ${err}`
  )

/** {@link tokenSourceFailed}'s reason: the process did not start at all. */
export const tokenSourceNotStarted = (err: string): string =>
  `the helper process did not start: ${err}`

/** {@link tokenSourceFailed}'s reason: the helper ended before serving. */
export const tokenSourceExited = (how: string): string =>
  `the helper process ended (${how}) before it served a token`

/** {@link tokenSourceFailed}'s reason: no word from the helper in time. */
export const tokenSourceNotReady = (seconds: number): string =>
  `the helper did not serve a token within ${seconds} s`

/** {@link tokenSourceFailed}'s reason: no FIFO could be made. */
export const tokenSourceNoFifo = (detail: string): string =>
  `could not make the FIFO (${detail}); set identity-token-file-mode: file`

/** {@link tokenSourceFailed}'s reason: GitHub gave the helper no token. */
export const tokenSourceFirstMintFailed = (err: string): string =>
  `its first OIDC token request failed: ${err}`

/**
 * {@link tokenSourceFailed}'s reason: the helper did not get the first token
 * the main step mints for it (the main step ended or sent something else).
 */
export const TOKEN_SOURCE_NO_FIRST_TOKEN = 'it was handed no first OIDC token'

/** Post step: what could not be done (see {@link cleanupFailed}). */
export const cleanupStopTokenSource = (pid: number): string =>
  `stop the identity token source (pid ${pid})`

/** Post step: the helper was stopped and its directory removed. */
export const tokenSourceStopped = (pid: number, dir: string): string =>
  `Stopped the identity token source (pid ${pid}) and removed ${dir}.`

/**
 * Post step: no process with the saved pid, start time and nonce runs any
 * more (it ended, or the pid now belongs to another process, left alone).
 */
export const tokenSourceGone = (pid: number, dir: string): string =>
  `The identity token source (pid ${pid}) had already ended; removed ${dir}.`

/** Post step: not even SIGKILL ended it in time. */
export const tokenSourceSurvived = (pid: number): string =>
  `Codex auth cleanup: the identity token source (pid ${pid}) did not end after SIGTERM and SIGKILL.`
