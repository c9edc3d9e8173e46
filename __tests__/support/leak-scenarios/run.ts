/**
 * Runs leak scenarios as jest tests: each one as the built action plus its
 * post step against the dev backend, every channel scanned for every form
 * of every secret; prints what was covered (the report) when done.
 */
import * as fs from 'node:fs'
import { startDevBackend, type DevBackend } from '../../../dev/backend/index.js'
import { describeFindings } from '../leak-scan.js'
import {
  compressedTime,
  expectCleanFailure,
  lingeringTokenSources,
  runScanned,
  savedTokenSourceNonce,
  scannedDirs
} from '../../hardening/support/harness.js'
import type { Mode, Scenario } from './common.js'

/**
 * Declares one test per scenario of `mode` (with its own dev backend) and
 * logs the counts: scenarios, runs, secret forms, channels, findings.
 */
export function describeLeakScenarios(
  mode: Mode,
  scenarios: readonly Scenario[]
): void {
  let backend: DevBackend
  beforeAll(async () => {
    backend = await startDevBackend()
  })
  afterAll(async () => {
    await backend.close()
  })
  afterEach(() => backend.clearFaults())

  const counts = { scenarios: 0, runs: 0, forms: 0, channels: 0, findings: 0 }

  afterAll(() => {
    console.log(
      `leak scanner, ${mode}: ${counts.scenarios} scenarios; ` +
        `${counts.runs} runs (main + post) scanned, ${counts.forms} secret forms, ` +
        `${counts.channels} channels (stdout lines, stderr, command files, other files); ` +
        `${counts.findings} findings`
    )
  })

  describe(mode, () => {
    for (const scenario of scenarios) {
      it(`${scenario.path}: no secret in any channel`, async () => {
        const dirs = scannedDirs()
        const prepared = scenario.prepare(backend, dirs)
        for (const [route, fault] of prepared.faults ?? []) {
          backend.inject(route, fault)
        }
        const run = await runScanned(
          dirs,
          {
            inputs: prepared.inputs ?? {},
            env: {
              ...prepared.env,
              ...(scenario.timeScale ? compressedTime(scenario.timeScale) : {})
            }
          },
          prepared.secrets,
          prepared.learn
        )

        counts.scenarios++
        counts.runs += 2
        counts.forms += run.forms
        counts.channels += run.channels
        counts.findings += run.findings.length

        expect(describeFindings(run.findings)).toEqual([])
        if (scenario.outcome === 'any') {
          // Only the scan matters.
        } else if (scenario.outcome === 'ok') {
          expect({ code: run.main.code, error: run.main.error }).toEqual({
            code: 0,
            error: undefined
          })
          expect(run.main.stderr).toBe('')
        } else {
          expectCleanFailure(run.main, scenario.outcome)
        }
        prepared.check?.(run.main)
        // A server echo must have been redacted, not merely masked: the
        // unknown secrets in it were never registered with the runner.
        if (/echoing/.test(scenario.path) && scenario.outcome !== 'ok') {
          expect(run.main.error).toContain('[redacted]')
        }
        // The post step never fails and leaves nothing in RUNNER_TEMP.
        expect(run.post.code).toBe(0)
        expect(run.post.stderr).toBe('')
        // ... nor a process: no token source outlives it (workload
        // identity), on success and on every failure.
        expect(
          await lingeringTokenSources(
            dirs.runnerTemp,
            savedTokenSourceNonce(run.main)
          )
        ).toEqual([])
        // ... but rotated tokens that the failure message names.
        expect(
          fs
            .readdirSync(dirs.runnerTemp)
            .filter(
              (entry) =>
                !/^codex-auth-rotated-/.test(entry) ||
                !run.main.error?.includes(`${dirs.runnerTemp}/${entry}/`)
            )
        ).toEqual([])
      })
    }
  })
}
