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
} from '../messages.js'
import type { Runner } from '../runner/port.js'
import { decodeState, STATE_KEY, type CleanupAction } from './plan.js'

type WriteBack = Extract<CleanupAction, { kind: 'write-back' }>

/** Runs the post step. Never throws. */
export function runCleanup(runner: Runner): void {
  const actions = decodeState(runner.getState(STATE_KEY))
  for (const action of actions) {
    try {
      perform(runner, action)
    } catch (err) {
      runner.warning(cleanupFailed(describe(action), describeError(err)))
    }
  }
}

function describe(action: CleanupAction): string {
  return action.kind === 'remove-home'
    ? cleanupRemove(action.path)
    : cleanupWriteBack(action.target)
}

function perform(runner: Runner, action: CleanupAction): void {
  switch (action.kind) {
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
