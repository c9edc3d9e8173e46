/**
 * The runner port writes the runner protocol itself (see runner.ts for why).
 * These tests hold it to what @actions/core writes, parsed the way the
 * runner parses it, so the two can never drift apart silently.
 */
import { jest } from '@jest/globals'
import * as core from '@actions/core'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  createActionsRunner,
  createStdoutWriter,
  fileCommandEntry,
  maskSecret,
  type StdoutTarget
} from '../../src/runner/runner.js'
import { parseCommands, parseFileCommands } from '../support/run-action.js'
import { tempDir } from '../support/temp-dirs.js'

function commandFiles(): Record<string, string> {
  const dir = tempDir('runner-')
  const files: Record<string, string> = {}
  for (const kind of ['ENV', 'OUTPUT', 'STATE', 'STEP_SUMMARY']) {
    files[`GITHUB_${kind}`] = path.join(dir, kind)
    fs.writeFileSync(files[`GITHUB_${kind}`]!, '')
  }
  return files
}

const read = (f: string): Record<string, string> =>
  parseFileCommands(fs.readFileSync(f, 'utf8'))

const VALUES = ['plain', 'multi\nline\r\nvalue', '100% sure: a, b', '']

describe('runner port matches @actions/core', () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
    process.exitCode = undefined
  })

  it.each(VALUES)('file commands carry %j identically', (value) => {
    const ours = commandFiles()
    const theirs = commandFiles()
    const runner = createActionsRunner({ ...ours }, () => undefined)
    runner.exportVariable('NAME', value)
    runner.setOutput('out', value)
    runner.saveState('st', value)

    Object.assign(process.env, theirs)
    core.exportVariable('NAME', value)
    core.setOutput('out', value)
    core.saveState('st', value)

    for (const kind of ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE']) {
      expect(read(ours[kind]!)).toEqual(read(theirs[kind]!))
    }
    // The runner reads these files line by line, so CRLF arrives as LF.
    expect(read(ours['GITHUB_ENV']!)).toEqual({
      NAME: value.replace(/\r\n/g, '\n')
    })
  })

  it.each(VALUES.filter((v) => v !== ''))(
    'stdout commands for %j are what core prints',
    (value) => {
      const lines: string[] = []
      const runner = createActionsRunner({}, (l) => void lines.push(l))
      runner.mask(value)
      runner.warning(value)
      runner.fail(value)
      const printed: string[] = []
      const spy = jest
        .spyOn(process.stdout, 'write')
        .mockImplementation((chunk: string | Uint8Array) => {
          printed.push(String(chunk).replace(/\r?\n$/, ''))
          return true
        })
      try {
        core.setSecret(value)
        core.warning(value)
        core.setFailed(value)
      } finally {
        spy.mockRestore()
      }
      expect(lines).toEqual(printed)
      expect(parseCommands(lines.join('\n')).map((c) => c.value)).toEqual([
        value,
        value,
        value
      ])
      expect(process.exitCode).toBe(1)
    }
  )

  it('inputs are read like core.getInput (hyphens kept, trimmed)', () => {
    const env = { 'INPUT_API-KEY': '  sk-x  ', INPUT_MY_INPUT: 'v' }
    const runner = createActionsRunner(env, () => undefined)
    Object.assign(process.env, env)
    expect(runner.input('api-key')).toBe(core.getInput('api-key'))
    expect(runner.input('my input')).toBe(core.getInput('my input'))
    expect(runner.input('absent')).toBe('')
  })

  it('masks a multi-line value line by line, skipping short lines', () => {
    const lines: string[] = []
    const runner = createActionsRunner({}, (l) => void lines.push(l))
    maskSecret(runner, '{\n  first-secret-line\r\n  second-secret-line\n}')
    expect(lines).toEqual([
      '::add-mask::first-secret-line',
      '::add-mask::second-secret-line'
    ])
  })

  it('masks each value once', () => {
    const lines: string[] = []
    const runner = createActionsRunner({}, (l) => void lines.push(l))
    runner.mask('s3cret')
    runner.mask('s3cret')
    expect(lines).toEqual(['::add-mask::s3cret'])
  })

  it('refuses to print outputs or env on stdout when the files are missing', () => {
    const lines: string[] = []
    const runner = createActionsRunner({}, (l) => void lines.push(l))
    expect(() => runner.exportVariable('A', 'secret')).toThrow(
      /GITHUB_ENV is not set/
    )
    expect(() => runner.setOutput('a', 'secret')).toThrow(
      /GITHUB_OUTPUT is not set/
    )
    expect(lines.join('\n')).not.toContain('secret')
  })
})

describe('file command delimiter', () => {
  afterEach(() => jest.restoreAllMocks())

  it('differs from entry to entry', () => {
    const delimiter = (entry: string): string =>
      /^n<<(ghadelimiter_[0-9a-f]{32})\r?\n/.exec(entry)?.[1] ?? ''
    const first = delimiter(fileCommandEntry('n', 'v'))
    expect(first).not.toBe('')
    expect(delimiter(fileCommandEntry('n', 'v'))).not.toBe(first)
  })

  it('refuses a name or value that contains the delimiter', () => {
    // What keeps a value from injecting a variable is this check, not the
    // randomness: with the delimiter known, it is still refused.
    jest.spyOn(Math, 'random').mockReturnValue(0.5)
    const known = `ghadelimiter_${'80000000'.repeat(4)}`
    const value = `x${os.EOL}${known}${os.EOL}INJECTED=1`
    expect(() => fileCommandEntry('n', value)).toThrow(
      'Unexpected input: the value contains the file delimiter'
    )
    expect(() => fileCommandEntry(known, 'v')).toThrow(
      'Unexpected input: the value contains the file delimiter'
    )
  })
})

describe('stdout writer', () => {
  /** fd 1 as a script of results: a byte count, or an error code to throw. */
  function fakeStdout(script: Array<number | string>): {
    target: StdoutTarget
    direct: string[]
    streamed: string[]
  } {
    const direct: string[] = []
    const streamed: string[] = []
    const target: StdoutTarget = {
      writeSync: (bytes, offset) => {
        const step = script.shift() ?? Infinity
        if (typeof step === 'string') {
          throw Object.assign(new Error(step), { code: step })
        }
        const end = Math.min(bytes.length, offset + step)
        direct.push(Buffer.from(bytes.subarray(offset, end)).toString())
        return end - offset
      },
      stream: () => ({
        write: (chunk) => {
          streamed.push(Buffer.from(chunk).toString())
          return true
        }
      })
    }
    return { target, direct, streamed }
  }

  it('writes whole lines to fd 1, finishing partial writes', () => {
    const { target, direct, streamed } = fakeStdout([3])
    const write = createStdoutWriter(target)
    write('::add-mask::abc')
    write('next')
    expect(direct.join('')).toBe(`::add-mask::abc${os.EOL}next${os.EOL}`)
    expect(direct[0]).toBe('::a')
    expect(streamed).toEqual([])
  })

  it.each(['EAGAIN', 'EPIPE'])(
    'after %s sends the rest of the line and every later line through process.stdout, in order',
    (code) => {
      const { target, direct, streamed } = fakeStdout([5, code])
      const write = createStdoutWriter(target)
      write('first line')
      write('second')
      expect(direct).toEqual(['first'])
      expect(streamed).toEqual([` line${os.EOL}`, `second${os.EOL}`])
    }
  )

  it('does not spin on a write that makes no progress', () => {
    const { target, streamed } = fakeStdout([0])
    createStdoutWriter(target)('line')
    expect(streamed).toEqual([`line${os.EOL}`])
  })
})
