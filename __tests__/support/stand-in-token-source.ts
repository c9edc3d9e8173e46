/**
 * A stand-in for the token source the main step launches (workload
 * identity): a fresh directory under RUNNER_TEMP and a handle, no process
 * and no request (the real helper is a separate bundle with tests of its
 * own). Like the real launcher it serves once it holds the first token the
 * mode handed over, and without one, or when that one failed, it removes
 * its directory and fails with an ActionError; stopping removes the
 * directory. It records what it was asked, for the tests that look.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ActionError, describeError } from '../../src/errors.js'
import type { MainDeps, TokenSourceSpec } from '../../src/main.js'
import {
  TOKEN_SOURCE_NO_FIRST_TOKEN,
  tokenSourceFailed,
  tokenSourceFirstMintFailed
} from '../../src/messages/token-source.js'
import type { EarlyTokenSource } from '../../src/token-source/early.js'
import type { Token, TokenSourceHandle } from '../../src/token-source/launch.js'
import { DIR_PREFIX } from '../../src/token-source/layout.js'

/** What a test may change; every field has the real launcher's default. */
export interface StandInOptions {
  /** The directory's name prefix under RUNNER_TEMP. */
  dirPrefix?: string
  /** The handle's process identity (the default names no process). */
  identity?: Pick<TokenSourceHandle, 'pid' | 'startTime' | 'nonce'>
  /** The failure when the first token could not be minted. */
  firstTokenFailed?: (err: unknown) => string
  /** The failure when no first token was handed over. */
  noFirstToken?: string
  /** Launching rejects (with a plain Error) and makes nothing. */
  startFails?: boolean
  /** Holding its first token, it still does not serve. */
  readyFails?: boolean
  /** Where to note `start`, `ready` and `stop`, in the order they came. */
  events?: string[]
}

/** The deps to pass to `run`, and what they were asked. */
export interface StandInTokenSource {
  deps: Required<Pick<MainDeps, 'launchTokenSource' | 'stopTokenSource'>>
  /** The specs it was launched with. */
  started: TokenSourceSpec[]
  /** The early token source passed with each launch, if any. */
  early: (EarlyTokenSource | undefined)[]
  /** The handles it made, one per launch that did not fail. */
  launched: TokenSourceHandle[]
  /** The first tokens it held when asked whether it serves. */
  handed: Token[]
  /** The handles it was asked to stop. */
  stopped: TokenSourceHandle[]
}

/** A fresh {@link StandInTokenSource}. */
export function standInTokenSource(
  options: StandInOptions = {}
): StandInTokenSource {
  const {
    dirPrefix = DIR_PREFIX,
    identity = { pid: 0, startTime: '0', nonce: 'stand-in' },
    firstTokenFailed = (err: unknown): string =>
      tokenSourceFailed(tokenSourceFirstMintFailed(describeError(err))),
    noFirstToken = tokenSourceFailed(TOKEN_SOURCE_NO_FIRST_TOKEN),
    events
  } = options
  const source: StandInTokenSource = {
    started: [],
    early: [],
    launched: [],
    handed: [],
    stopped: [],
    deps: {
      launchTokenSource: (spec, early) => {
        source.started.push(spec)
        source.early.push(early)
        events?.push('start')
        if (options.startFails) {
          return Promise.reject(new Error('could not start'))
        }
        const dir = fs.mkdtempSync(path.join(spec.runnerTemp, dirPrefix))
        const handle = { dir, path: path.join(dir, 'token'), ...identity }
        source.launched.push(handle)
        // As the real launcher: stopped and removed before it throws.
        const failed = (why: string): never => {
          fs.rmSync(dir, { recursive: true, force: true })
          throw new ActionError(why)
        }
        let first: Promise<Token> | undefined
        return Promise.resolve({
          handle,
          handOver: (token) => {
            first ??= token
          },
          ready: async () => {
            events?.push('ready')
            if (first === undefined) return failed(noFirstToken)
            try {
              source.handed.push(await first)
            } catch (err) {
              return failed(firstTokenFailed(err))
            }
            if (options.readyFails) return failed('did not serve')
            return handle
          }
        })
      },
      stopTokenSource: (handle) => {
        source.stopped.push(handle)
        events?.push('stop')
        fs.rmSync(handle.dir, { recursive: true, force: true })
        return Promise.resolve()
      }
    }
  }
  return source
}
