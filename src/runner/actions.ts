/**
 * The real runner: `@actions/core`, which reads `process.env` and writes
 * workflow commands to stdout and file commands to the runner's files.
 * Every line it prints goes through `inertLogLine`: a message can quote a
 * server (an id, an error body), and the runner must never read a command,
 * a line break or a terminal escape in it.
 */
import * as fs from 'node:fs'
import {
  debug,
  exportVariable,
  getInput,
  getState,
  info,
  saveState,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from '@actions/core'
import { ActionError } from '../errors.js'
import {
  GITHUB_ENV_UNSET,
  GITHUB_OUTPUT_UNSET,
  GITHUB_STATE_UNSET,
  summaryWriteFailed
} from '../messages/runner.js'
import { checkCommandFiles, COMMAND_FILES } from './command-files.js'
import { inertLogLine } from './inert.js'
import type { Runner } from './port.js'

// core's `summary` remembers the file of its first write for the life of the
// process; each runner gets its own instance of core's class, so a runner
// writes the summary file of its own step (tests run many in one process).
type Summary = typeof summary
const SummaryClass = summary.constructor as new () => Summary

/** The runner for this process. */
export function createActionsRunner(): Runner {
  const env = process.env
  const masked = new Set<string>()
  const jobSummary = new SummaryClass()

  // Without its file, core falls back to a stdout command that would print
  // the value in the log: refuse instead.
  const requireFile = (variable: string, refusal: string): void => {
    if (!env[variable]) throw new ActionError(refusal)
  }

  return {
    input: (name) => getInput(name),
    env,
    mask: (secret) => {
      if (secret === '' || masked.has(secret)) return
      masked.add(secret)
      setSecret(secret)
    },
    exportVariable: (name, value) => {
      requireFile('GITHUB_ENV', GITHUB_ENV_UNSET)
      exportVariable(name, value)
    },
    setOutput: (name, value) => {
      requireFile('GITHUB_OUTPUT', GITHUB_OUTPUT_UNSET)
      setOutput(name, value)
    },
    saveState: (name, value) => {
      requireFile('GITHUB_STATE', GITHUB_STATE_UNSET)
      saveState(name, value)
    },
    getState: (name) => getState(name),
    info: (message) => info(inertLogLine(message)),
    warning: (message) => warning(inertLogLine(message)),
    debug: (message) => debug(inertLogLine(message)),
    appendSummary: async (markdown) => {
      // Outside a runner (a local run) there is no summary file, and a
      // missing summary is not worth failing the step for.
      if (!env['GITHUB_STEP_SUMMARY']) return
      try {
        await jobSummary.addRaw(markdown).write()
      } catch (err) {
        // Everything has been exported by now; a summary is not worth
        // failing the step over.
        jobSummary.emptyBuffer()
        warning(
          inertLogLine(
            summaryWriteFailed(err instanceof Error ? err.message : String(err))
          )
        )
      }
    },
    fail: (message) => setFailed(inertLogLine(message)),
    checkCommandFiles: () => checkCommandFiles(env),
    checkpoint: () => {
      const files = COMMAND_FILES.map(([variable]) => env[variable])
        .filter((file): file is string => file !== undefined && file !== '')
        .map((file) => ({ file, size: fileSize(file) }))
      const savedEnv = { ...env }
      return () => {
        for (const { file, size } of files) fs.truncateSync(file, size)
        for (const name of Object.keys(env)) {
          if (!(name in savedEnv)) delete env[name]
        }
        Object.assign(env, savedEnv)
      }
    }
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}
