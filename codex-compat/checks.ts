/**
 * Named checks a scenario records; the report prints the failed ones with
 * their details. A scenario passes only when it recorded no failure.
 */

export interface CheckResult {
  ok: boolean
  name: string
  /** What was seen, printed for a failed check. */
  detail?: string
}

/** Thrown to stop a scenario whose later checks would be meaningless. */
export class ScenarioAbort extends Error {}

export class Checks {
  readonly results: CheckResult[] = []
  /** Short observations for the scenario's row (timings). */
  readonly notes: string[] = []
  /** Longer observations, shown with --verbose and for a failed scenario. */
  readonly details: string[] = []

  /** Records a check; returns `ok` so callers can branch on it. */
  check(ok: boolean, name: string, detail?: () => string): boolean {
    this.results.push({
      ok,
      name,
      ...(ok || !detail ? {} : { detail: detail() })
    })
    return ok
  }

  /** Records `actual === expected`, printing both when they differ. */
  equal<T>(actual: T, expected: T, name: string): boolean {
    return this.check(
      actual === expected,
      name,
      () => `expected ${show(expected)}, got ${show(actual)}`
    )
  }

  /** Records a check that must hold for the rest of the scenario to mean anything. */
  require(ok: boolean, name: string, detail?: () => string): void {
    if (!this.check(ok, name, detail)) throw new ScenarioAbort(name)
  }

  note(text: string): void {
    this.notes.push(text)
  }

  detail(text: string): void {
    this.details.push(text)
  }

  get passed(): boolean {
    return this.results.length > 0 && this.results.every((r) => r.ok)
  }

  get failures(): CheckResult[] {
    return this.results.filter((r) => !r.ok)
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}

/** The last `lines` lines of a text, indented, for failure details. */
export function tail(text: string, lines = 15): string {
  const all = text.trimEnd().split('\n')
  const kept = all.slice(-lines)
  return (
    (all.length > lines ? `    … ${all.length - lines} lines above\n` : '') +
    kept.map((line) => `    ${line}`).join('\n')
  )
}
