import { spawn } from 'node:child_process'
import {
  carriesNonce,
  isSameProcess,
  newNonce,
  parseProcStat,
  readProcessIdentity,
  type ProcessIdentity
} from '../../src/token-source/process-identity.js'
import { stopHelper, type StopDeps } from '../../src/token-source/stop.js'

/** /proc/<pid>/stat of a process whose name holds spaces and parens. */
const STAT =
  '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 11 0 987654 1 2 3'

describe('parseProcStat', () => {
  it('reads state and start time (field 22) after the last parenthesis', () => {
    expect(parseProcStat(STAT)).toEqual({ state: 'S', startTime: '987654' })
  })

  it('refuses a line it cannot read', () => {
    expect(parseProcStat('4242 node S 1')).toBeUndefined()
    expect(parseProcStat('4242 (node) S 1 2')).toBeUndefined()
  })
})

describe('carriesNonce', () => {
  it('finds --nonce followed by the nonce, nothing looser', () => {
    expect(carriesNonce(['node', 'x.js', '--nonce', 'abc'], 'abc')).toBe(true)
    expect(carriesNonce(['node', 'x.js', '--nonce', 'abcd'], 'abc')).toBe(false)
    expect(carriesNonce(['node', 'abc', '--nonce'], 'abc')).toBe(false)
    expect(carriesNonce(['--nonce', ''], '')).toBe(false)
  })
})

describe('readProcessIdentity', () => {
  it('reads this process: a start time and its argv', () => {
    const me = readProcessIdentity(process.pid)
    expect(me?.startTime).toMatch(/\S/)
    expect(me?.argv[0]).toContain('node')
    // Stable: the same process reads the same.
    expect(readProcessIdentity(process.pid)).toEqual(me)
  })

  it('finds no process for a pid nobody has', () => {
    expect(readProcessIdentity(2 ** 22 + 1)).toBeUndefined()
    expect(readProcessIdentity(0)).toBeUndefined()
    expect(readProcessIdentity(-1)).toBeUndefined()
  })

  it('reads a child with the nonce in its argv', async () => {
    // `--` ends node's own options: without it node exits at once with
    // "bad option: --nonce". The child says when it runs, so the read
    // never races its start or its end.
    const child = spawn(
      process.execPath,
      [
        '-e',
        'process.stdout.write("up"); setTimeout(() => {}, 20000)',
        '--',
        '--nonce',
        'n0nce'
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] }
    )
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve))
      const pid = child.pid!
      const found = readProcessIdentity(pid)
      expect(found).toBeDefined()
      expect(
        isSameProcess({ pid, startTime: found!.startTime, nonce: 'n0nce' })
      ).toBe(true)
    } finally {
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  })
})

describe('stopHelper: signals only the process the main step started', () => {
  const expected = { pid: 4242, startTime: '987654', nonce: 'n0nce' }
  const running: ProcessIdentity = {
    startTime: '987654',
    argv: ['node', 'index.js', '--nonce', 'n0nce']
  }

  function system(found: ProcessIdentity | undefined): {
    deps: StopDeps
    signals: NodeJS.Signals[]
  } {
    const signals: NodeJS.Signals[] = []
    let current = found
    const deps: StopDeps = {
      readIdentity: () => current,
      kill: (_pid, signal) => {
        signals.push(signal)
        if (signal === 'SIGTERM') current = undefined
      },
      sleepSync: () => undefined,
      now: (() => {
        let t = 0
        return () => (t += 10)
      })()
    }
    return { deps, signals }
  }

  const dir = '/nonexistent/codex-identity-abc123'

  it.each([
    ['another start time', { ...running, startTime: '111' }],
    ['no nonce', { ...running, argv: ['node', 'index.js'] }],
    ['another nonce', { ...running, argv: ['node', '--nonce', 'other'] }],
    ['no such process', undefined]
  ])('does not signal a process with %s', (_name, found) => {
    const { deps, signals } = system(found)
    expect(stopHelper({ ...expected, dir }, deps)).toBe('gone')
    expect(signals).toEqual([])
  })

  it('sends SIGTERM when pid, start time and nonce match', () => {
    const { deps, signals } = system(running)
    expect(stopHelper({ ...expected, dir }, deps)).toBe('stopped')
    expect(signals).toEqual(['SIGTERM'])
  })

  it('sends SIGKILL when SIGTERM did not end it within the grace time', () => {
    const { deps, signals } = system(running)
    const stubborn: StopDeps = {
      ...deps,
      kill: (pid, signal) => {
        signals.push(signal)
      }
    }
    expect(stopHelper({ ...expected, dir }, stubborn)).toBe('survived')
    expect(signals).toEqual(['SIGTERM', 'SIGKILL'])
  })
})

describe('newNonce', () => {
  it('is 16 random bytes as hex, new each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newNonce()))
    expect(nonces.size).toBe(50)
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{32}$/)
  })
})
