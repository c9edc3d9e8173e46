import {
  END_SIGNALS,
  MAX_LIFETIME_MS,
  superviseLifetime,
  type LifetimeDeps
} from '../../src/token-source/lifetime.js'

interface FakeProcess {
  deps: LifetimeDeps
  handlers: Map<string, () => void>
  timers: { ms: number; fire: () => void }[]
  events: string[]
}

function fakeProcess(): FakeProcess {
  const handlers = new Map<string, () => void>()
  const timers: { ms: number; fire: () => void }[] = []
  const events: string[] = []
  const deps: LifetimeDeps = {
    onSignal: (signal, handler) => handlers.set(signal, handler),
    setTimer: (ms, fire) => timers.push({ ms, fire }),
    removeDir: (dir) => events.push(`rm ${dir}`),
    exit: (code) => events.push(`exit ${code}`),
    log: () => undefined
  }
  return { deps, handlers, timers, events }
}

/** A stop of serving that succeeds, noted among the process's events. */
function noteStop(p: FakeProcess): () => Promise<void> {
  return () => {
    p.events.push('stop')
    return Promise.resolve()
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve()
}

describe('superviseLifetime', () => {
  it('ends after six hours: stops serving, removes its directory, exits', async () => {
    const p = fakeProcess()
    superviseLifetime('/tmp/dir', noteStop(p), p.deps)
    expect(p.timers.map((t) => t.ms)).toEqual([MAX_LIFETIME_MS])
    expect(MAX_LIFETIME_MS).toBe(6 * 3600 * 1000)
    expect(p.events).toEqual([])
    p.timers[0]!.fire()
    await settle()
    expect(p.events).toEqual(['stop', 'rm /tmp/dir', 'exit 0'])
  })

  it.each(END_SIGNALS)('ends on %s, once', async (signal) => {
    const p = fakeProcess()
    superviseLifetime('/tmp/dir', noteStop(p), p.deps)
    p.handlers.get(signal)!()
    p.timers[0]!.fire()
    await settle()
    expect(p.events).toEqual(['stop', 'rm /tmp/dir', 'exit 0'])
  })

  it('removes its directory even when stopping fails', async () => {
    const p = fakeProcess()
    const end = superviseLifetime(
      '/tmp/dir',
      () => Promise.reject(new Error('boom')),
      p.deps
    )
    await end('fault', 1)
    expect(p.events).toEqual(['rm /tmp/dir', 'exit 1'])
  })
})
