/**
 * What every leak scenario is made of: the scenario shape, the endpoint
 * inputs, server echoes and Codex home files the scenarios share.
 */
import * as path from 'node:path'
import type {
  DevBackend,
  FaultSpec,
  FaultTarget
} from '../../../dev/backend/index.js'
import type { Secret } from '../leak-scan.js'
import {
  writeCodexHome,
  type RunnerDirs,
  type RunResult
} from '../run-action.js'
import { randomToken } from '../../hardening/support/harness.js'

export type Mode =
  | 'apikey'
  | 'agentIdentity'
  | 'personalAccessToken'
  | 'chatgpt'
  | 'workloadIdentity'

/** What a scenario hands to the runner. */
export interface Prepared {
  inputs?: Record<string, string>
  env?: Record<string, string>
  secrets: Secret[]
  faults?: [FaultTarget, FaultSpec][]
  /** Secrets known only after main ran (rotated tokens). */
  learn?: (main: RunResult) => Secret[]
  /** Extra checks on the main run. */
  check?: (main: RunResult) => void
}

export interface Scenario {
  mode: Mode
  path: string
  /**
   * `'ok'`, `'any'` (only the scan matters), or the failure message (exact
   * text or pattern).
   */
  outcome: RegExp | string
  /** Timers compressed by this factor (hang and retry paths). */
  timeScale?: number
  prepare(backend: DevBackend, dirs: RunnerDirs): Prepared
}

/** Endpoint inputs pointing every call at the dev backend. */
export function endpoints(backend: DevBackend): Record<string, string> {
  return {
    'chatgpt-base-url': backend.chatgptBaseUrl,
    'jwks-base-url': backend.chatgptBaseUrl,
    'authapi-base-url': backend.authapiBaseUrl,
    'refresh-token-url': backend.refreshTokenUrl
  }
}

/** Secret-looking values a server might echo that the action never saw. */
export function unknownEchoes(): Secret[] {
  return [
    { label: 'echoed unknown sk- key', value: `sk-proj-${randomToken(30)}` },
    { label: 'echoed unknown rt- token', value: `rt-${randomToken(30)}` },
    { label: 'echoed unknown at- token', value: `at-${randomToken(30)}` },
    {
      label: 'echoed unknown base64 run',
      value: Buffer.from(randomToken(48)).toString('base64')
    }
  ]
}

/**
 * `faults` as a careless server would answer them when `echo` is set: every
 * status fault's body echoes `known` secrets and new made-up ones back
 * (`echoed`, to be scanned for too).
 */
export function withEchoes(
  faults: [FaultTarget, FaultSpec][],
  echo: boolean | undefined,
  known: readonly Secret[]
): { faults: [FaultTarget, FaultSpec][]; echoed: Secret[] } {
  if (!echo) return { faults, echoed: [] }
  const echoed = unknownEchoes()
  const body = echoBody([...known, ...echoed])
  return {
    faults: faults.map(([route, fault]) => [
      route,
      typeof fault !== 'number' && fault.kind === 'status'
        ? { ...fault, body }
        : fault
    ]),
    echoed
  }
}

/** A server error body that echoes secrets back, as a careless one would. */
export function echoBody(secrets: readonly Secret[]): string {
  return JSON.stringify({
    error: {
      code: 'server_error',
      message: `request failed for ${secrets.map((s) => s.value).join(' and ')}`
    },
    echo: secrets.map((s) => s.value)
  })
}

export function writeHomeAuth(dirs: RunnerDirs, doc: unknown): string {
  const home = writeCodexHome(dirs, {
    'auth.json': JSON.stringify(doc, null, 2)
  })
  return path.join(home, 'auth.json')
}

export function writeHomeConfig(dirs: RunnerDirs, toml: string): void {
  writeCodexHome(dirs, { 'config.toml': toml })
}
