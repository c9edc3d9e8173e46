/**
 * The post step: carries out the cleanup actions the main step saved, and
 * nothing else. It never fails the job: a cleanup problem is a warning.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { readMarker } from '../codex-home/marker.js'
import { parseAuthJson, resolveAuthMode } from '../credentials/auth-json.js'
import { parseChatgptAuth } from '../credentials/chatgpt-tokens.js'
import { describeError } from '../errors.js'
import { digestFile } from '../files/digest.js'
import { readRegularFile } from '../files/safe-read.js'
import { writeBackAuthJson } from '../codex-home/write-back.js'
import {
  cleanupFailed,
  cleanupRemove,
  cleanupWriteBack,
  primedHomeGone,
  primedHomeRemoved,
  primedHomeUnmarked,
  postStepWroteBack,
  WRITE_BACK_NOT_CHATGPT,
  WRITE_BACK_SOURCE_NOT_PRIMED,
  WRITE_BACK_TARGET_NOT_SOURCE,
  writeBackRefused
} from '../messages/post-step.js'
import {
  cleanupStopTokenSource,
  tokenSourceGone,
  tokenSourceStopped,
  tokenSourceSurvived
} from '../messages/token-source.js'
import type { Runner } from '../runner/port.js'
import { stopHelper, type StopDeps } from '../token-source/stop.js'
import { decodeState, STATE_KEY, type CleanupAction } from './plan.js'

type WriteBack = Extract<CleanupAction, { kind: 'write-back' }>
type StopTokenSource = Extract<CleanupAction, { kind: 'stop-token-source' }>

/**
 * Runs the post step. Never throws.
 *
 * @param stopDeps how the token source is stopped; tests fake the system
 */
export function runCleanup(runner: Runner, stopDeps?: StopDeps): void {
  const actions = decodeState(runner.getState(STATE_KEY))
  // Processes first: a helper still serving from a directory being removed
  // would hand out tokens until the end of the job.
  const ordered = [
    ...actions.filter((a) => a.kind === 'stop-token-source'),
    ...actions.filter((a) => a.kind !== 'stop-token-source')
  ]
  for (const action of ordered) {
    try {
      perform(runner, action, stopDeps)
    } catch (err) {
      runner.warning(cleanupFailed(describe(action), describeError(err)))
    }
  }
}

function describe(action: CleanupAction): string {
  switch (action.kind) {
    case 'remove-home':
      return cleanupRemove(action.path)
    case 'write-back':
      return cleanupWriteBack(action.target)
    case 'stop-token-source':
      return cleanupStopTokenSource(action.pid)
  }
}

function perform(
  runner: Runner,
  action: CleanupAction,
  stopDeps?: StopDeps
): void {
  switch (action.kind) {
    case 'stop-token-source':
      stopTokenSource(runner, action, stopDeps)
      return
    case 'remove-home':
      if (!fs.existsSync(action.path)) {
        runner.info(primedHomeGone(action.path))
        return
      }
      // Defence in depth: delete only a directory that says it is the home
      // this action primed, whatever the state claims.
      if (!readMarker(action.path)) {
        runner.warning(primedHomeUnmarked(action.path))
        return
      }
      fs.rmSync(action.path, { recursive: true, force: true })
      runner.info(primedHomeRemoved(action.path))
      return
    case 'write-back':
      writeBack(runner, action)
      return
  }
}

/**
 * Copies a primed auth.json that a later Codex rotated back over the runner
 * file it came from: the newest file holds the only valid refresh token.
 * State is data a later step could have tampered with, so the copy happens
 * only from a marked primed home to the home its marker names, and only when
 * the content is a ChatGPT auth.json.
 */
function writeBack(runner: Runner, action: WriteBack): void {
  const refuse = (why: string): void =>
    runner.warning(writeBackRefused(action.target, why))
  const home = path.dirname(action.primedAuthFile)
  const marker =
    path.basename(action.primedAuthFile) === 'auth.json'
      ? readMarker(home)
      : undefined
  if (!marker) return refuse(WRITE_BACK_SOURCE_NOT_PRIMED)
  if (action.target !== path.join(marker.sourceHome, 'auth.json')) {
    return refuse(WRITE_BACK_TARGET_NOT_SOURCE)
  }
  if (!fs.existsSync(action.primedAuthFile)) return
  if (digestFile(action.primedAuthFile) === action.exportedDigest) return
  const content = readRegularFile(action.primedAuthFile)
  if (!isChatgptAuthJson(content)) return refuse(WRITE_BACK_NOT_CHATGPT)
  writeBackAuthJson(action.target, content)
  runner.info(postStepWroteBack(action.target))
}

/**
 * Stops the token source helper, whether or not `cleanup` is true (the main
 * step saves this action either way), and removes its directory.
 */
function stopTokenSource(
  runner: Runner,
  action: StopTokenSource,
  stopDeps?: StopDeps
): void {
  const outcome = stopHelper(action, stopDeps)
  if (outcome === 'survived') runner.warning(tokenSourceSurvived(action.pid))
  else if (outcome === 'gone')
    runner.info(tokenSourceGone(action.pid, action.dir))
  else runner.info(tokenSourceStopped(action.pid, action.dir))
}

function isChatgptAuthJson(text: string): boolean {
  try {
    const doc = parseAuthJson(text, 'the primed auth.json')
    if (resolveAuthMode(doc) !== 'chatgpt') return false
    parseChatgptAuth(doc, 'the primed auth.json')
    return true
  } catch {
    return false
  }
}
