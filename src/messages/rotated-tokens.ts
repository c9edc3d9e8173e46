/**
 * Texts of ChatGPT tokens rotated by a refresh in a step that then failed, or
 * that could not be written back: the main step says where the new tokens
 * went, so every run loads them (the refresh texts are in chatgpt.ts).
 *
 * Each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

import { sentence } from './shared.js'

// ---- Ours: rotated ChatGPT tokens -------------------------------------------

/** Ours: the refreshed tokens could not be written back to the runner file. */
export const refreshWriteBackFailed = (path: string, err: string): string =>
  `The ChatGPT tokens were refreshed, but writing them back to ${path} failed: ${err}. The refresh token in that file is now used up; the valid copy is the primed auth.json (output auth-file). Copy it over ${path} before the job ends.`

/** Ours: the step failed after a rotation; the new tokens went back to the runner file. */
export const rotatedTokensWrittenBack = (
  message: string,
  file: string
): string =>
  `${sentence(message)} The token endpoint had already rotated the refresh token; the new ChatGPT tokens were written back to ${file}.`

/** Ours: the step failed after a rotation; the new tokens are kept under RUNNER_TEMP. */
export const rotatedTokensKept = (
  message: string,
  from: string,
  file: string
): string =>
  `${sentence(message)} The token endpoint had already rotated the refresh token, so the one stored in ${from} is now used up. The new ChatGPT tokens are kept in ${file} until the job ends: save that file (for example in an \`if: failure()\` step) and store it in place of the old auth.json.`

/** Ours: the step failed after a rotation, and the new tokens could not be kept. */
export const rotatedTokensLost = (
  message: string,
  from: string,
  err: string
): string =>
  `${sentence(message)} The token endpoint had already rotated the refresh token, so the one stored in ${from} is now used up, and the new tokens could not be kept: ${err}. Sign in again with \`codex login\` and store the new auth.json.`
