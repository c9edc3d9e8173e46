/**
 * The post step: carries out the cleanup actions the main step saved, and
 * nothing else. It never fails the job: a cleanup problem is a warning.
 */
import * as fs from 'node:fs'
import { describeError } from '../errors.js'
import { digestFile } from '../export.js'
import { writeFileAtomic } from '../files/safe-write.js'
import { readMarker } from '../codex-home/marker.js'
import type { Runner } from '../runner/runner.js'
import { decodeState, STATE_KEY, type CleanupAction } from './plan.js'

/** Runs the post step. Never throws. */
export function runCleanup(runner: Runner): void {
  const actions = decodeState(runner.getState(STATE_KEY))
  for (const action of actions) {
    try {
      perform(runner, action)
    } catch (err) {
      runner.warning(
        `Codex auth cleanup: could not ${describe(action)}: ${describeError(err)}`
      )
    }
  }
}

function describe(action: CleanupAction): string {
  return action.kind === 'remove-home'
    ? `remove ${action.path}`
    : `write the rotated auth.json back to ${action.target}`
}

function perform(runner: Runner, action: CleanupAction): void {
  switch (action.kind) {
    case 'remove-home':
      if (!fs.existsSync(action.path)) {
        runner.info(`Primed Codex home ${action.path} is already gone.`)
        return
      }
      // Defence in depth: delete only a directory that says it is the home
      // this action primed, whatever the state claims.
      if (!readMarker(action.path)) {
        runner.warning(
          `Codex auth cleanup: ${action.path} has no marker of a primed Codex home; left in place.`
        )
        return
      }
      fs.rmSync(action.path, { recursive: true, force: true })
      runner.info(`Removed the primed Codex home ${action.path}.`)
      return
    case 'write-back': {
      if (!fs.existsSync(action.primedAuthFile)) return
      if (digestFile(action.primedAuthFile) === action.exportedDigest) return
      // A later Codex rotated the refresh token in the primed copy: the
      // newest file is the only valid one, so it replaces the runner's.
      writeFileAtomic(
        action.target,
        fs.readFileSync(action.primedAuthFile, 'utf8')
      )
      runner.info(`Wrote the rotated ChatGPT tokens back to ${action.target}.`)
      return
    }
  }
}
