/**
 * A recording Runner for stage tests: every call lands in `events` in order,
 * so tests can assert that masks come before the values they protect.
 */
import type { Runner } from '../../src/runner/port.js'

export type RunnerEvent =
  | { kind: 'mask'; value: string }
  | { kind: 'env'; name: string; value: string }
  | { kind: 'output'; name: string; value: string }
  | { kind: 'state'; name: string; value: string }
  | { kind: 'info' | 'warning' | 'debug' | 'fail' | 'summary'; value: string }

export interface FakeRunner extends Runner {
  events: RunnerEvent[]
  inputs: Record<string, string>
  state: Record<string, string>
  masks(): string[]
  exported(): Record<string, string>
  outputs(): Record<string, string>
  failures(): string[]
  logs(): string[]
}

export function fakeRunner(
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
  state: Record<string, string> = {}
): FakeRunner {
  const events: RunnerEvent[] = []
  const pick = (kind: RunnerEvent['kind']): RunnerEvent[] =>
    events.filter((e) => e.kind === kind)
  const record = (kind: 'env' | 'output' | 'state'): Record<string, string> =>
    Object.fromEntries(
      pick(kind).map((e) => [
        (e as { name: string }).name,
        (e as { value: string }).value
      ])
    )
  return {
    events,
    inputs,
    state,
    env,
    input: (name) => (inputs[name] ?? '').trim(),
    mask: (value) => void events.push({ kind: 'mask', value }),
    exportVariable: (name, value) =>
      void events.push({ kind: 'env', name, value }),
    setOutput: (name, value) =>
      void events.push({ kind: 'output', name, value }),
    saveState: (name, value) => {
      state[name] = value
      events.push({ kind: 'state', name, value })
    },
    getState: (name) => state[name] ?? '',
    info: (value) => void events.push({ kind: 'info', value }),
    warning: (value) => void events.push({ kind: 'warning', value }),
    debug: (value) => void events.push({ kind: 'debug', value }),
    appendSummary: (value) => {
      events.push({ kind: 'summary', value })
      return Promise.resolve()
    },
    fail: (value) => void events.push({ kind: 'fail', value }),
    // A fake has no command files: there is nothing that could fail.
    checkCommandFiles: () => undefined,
    checkpoint: () => {
      const mark = events.length
      return () => {
        const kept = events.filter(
          (e, i) => i < mark || !['env', 'output', 'state'].includes(e.kind)
        )
        events.splice(0, events.length, ...kept)
      }
    },
    masks: () => pick('mask').map((e) => (e as { value: string }).value),
    exported: () => record('env'),
    outputs: () => record('output'),
    failures: () => pick('fail').map((e) => (e as { value: string }).value),
    logs: () =>
      events
        .filter((e) => ['info', 'warning', 'debug', 'fail'].includes(e.kind))
        .map((e) => (e as { value: string }).value)
  }
}
