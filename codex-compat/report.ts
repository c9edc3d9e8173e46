/**
 * The suite's output: a PASS/FAIL row per scenario and Codex version, the
 * failed checks with what was seen, and a last line `N passed, M failed`.
 */
import type { Checks } from './checks.js'
import type { Scenario } from './scenarios.js'

export interface ScenarioResult {
  scenario: Scenario
  /** The Codex release the scenario ran on. */
  codexVersion: string
  checks: Checks
  ms: number
  /** An unexpected exception (a harness bug, not a finding). */
  crash?: string
}

function passed(result: ScenarioResult): boolean {
  return !result.crash && result.checks.passed
}

function row(result: ScenarioResult, width: number): string {
  const status = passed(result) ? 'PASS' : 'FAIL'
  const seconds = `${(result.ms / 1000).toFixed(1)} s`.padStart(7)
  const notes = result.checks.notes.join('; ')
  return `${status}  ${result.codexVersion.padEnd(7)}  ${result.scenario.name.padEnd(width)}  ${seconds}  ${notes}`
}

function details(result: ScenarioResult, verbose: boolean): string[] {
  const lines: string[] = []
  for (const check of result.checks.results) {
    if (check.ok && !verbose) continue
    lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}`)
    if (check.detail) lines.push(indent(check.detail))
  }
  if (result.crash) lines.push('  harness error:', indent(result.crash))
  for (const detail of result.checks.details) lines.push(`  · ${detail}`)
  return lines
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.startsWith('    ') ? line : `      ${line}`))
    .join('\n')
}

/**
 * Prints results. `rowsOnly` prints just the rows (progress while the suite
 * runs); otherwise the table, the failures and the count line, and returns
 * the exit code.
 */
export function printReport(
  results: ScenarioResult[],
  options: { verbose: boolean; rowsOnly: boolean }
): number {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`)
  if (options.rowsOnly) {
    for (const result of results) {
      out(row(result, result.scenario.name.length))
      // Failures are detailed once, under the final table.
      if (options.verbose) {
        for (const line of details(result, options.verbose)) out(line)
      }
    }
    return 0
  }
  const width = Math.max(...results.map((r) => r.scenario.name.length), 8)
  out(
    `${'RESULT'}  ${'codex'.padEnd(7)}  ${'scenario'.padEnd(width)}  ${'time'.padStart(7)}  notes`
  )
  for (const result of results) out(row(result, width))
  const failed = results.filter((r) => !passed(r))
  if (failed.length > 0) {
    out('')
    for (const result of failed) {
      out(
        `FAIL ${result.scenario.name} on Codex ${result.codexVersion}: ${result.scenario.summary}`
      )
      for (const line of details(result, false)) out(line)
    }
  }
  out('')
  out(`${results.length - failed.length} passed, ${failed.length} failed`)
  return failed.length === 0 ? 0 : 1
}
