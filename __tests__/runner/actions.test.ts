/**
 * The real runner is @actions/core; these tests hold what the action relies
 * on, read back the way the runner reads it: masks, values that survive the
 * trip (multi-line, CRLF, `%`), the refusal to print values when a command
 * file is missing, one-line info, rollback, and a summary that cannot fail
 * the step.
 */
import { jest } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createActionsRunner } from '../../src/runner/actions.js'
import { maskSecret, type Runner } from '../../src/runner/port.js'
import { parseCommands, parseFileCommands } from '../support/run-action.js'

const FILES = ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE']

let dir: string
let stdout: string[]
const saved = process.env

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'))
  process.env = { ...saved }
  stdout = []
  jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk))
      return true
    })
})

afterEach(() => {
  jest.restoreAllMocks()
  process.env = saved
  process.exitCode = undefined
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Points the command files (and the summary) at fresh files. */
function withCommandFiles(): Record<string, string> {
  const files: Record<string, string> = {}
  for (const name of [...FILES, 'GITHUB_STEP_SUMMARY']) {
    files[name] = path.join(dir, name)
    fs.writeFileSync(files[name], '')
    process.env[name] = files[name]
  }
  return files
}

const read = (file: string): Record<string, string> =>
  parseFileCommands(fs.readFileSync(file, 'utf8'))

const printed = (): string => stdout.join('')

describe('file commands', () => {
  it.each(['plain', 'multi\nline\r\nvalue', '100% sure: a, b', ''])(
    'carry %j to the runner',
    (value) => {
      const files = withCommandFiles()
      const runner = createActionsRunner()
      runner.exportVariable('NAME', value)
      runner.setOutput('out', value)
      runner.saveState('st', value)
      // The runner reads these files line by line, so CRLF arrives as LF.
      const expected = value.replace(/\r\n/g, '\n')
      expect(read(files['GITHUB_ENV']!)).toEqual({ NAME: expected })
      expect(read(files['GITHUB_OUTPUT']!)).toEqual({ out: expected })
      expect(read(files['GITHUB_STATE']!)).toEqual({ st: expected })
      // Exported variables are visible to the rest of this process too.
      expect(process.env['NAME']).toBe(value)
      expect(printed()).toBe('')
    }
  )

  it.each([
    ['GITHUB_ENV', (r: Runner) => r.exportVariable('A', 'secret-value')],
    ['GITHUB_OUTPUT', (r: Runner) => r.setOutput('a', 'secret-value')],
    ['GITHUB_STATE', (r: Runner) => r.saveState('a', 'secret-value')]
  ])(
    'refuses to print the value on stdout when %s is not set',
    (variable, call) => {
      withCommandFiles()
      delete process.env[variable]
      const runner = createActionsRunner()
      expect(() => call(runner)).toThrow(`${variable} is not set`)
      expect(printed()).not.toContain('secret-value')
      expect(process.env['A']).toBeUndefined()
    }
  )

  it('a checkpoint takes back everything exported since', () => {
    const files = withCommandFiles()
    const runner = createActionsRunner()
    runner.exportVariable('KEPT', 'before')
    const rollback = runner.checkpoint()
    runner.exportVariable('GONE', 'after')
    runner.exportVariable('KEPT', 'changed')
    runner.setOutput('o', 'after')
    runner.saveState('s', 'after')
    rollback()
    expect(read(files['GITHUB_ENV']!)).toEqual({ KEPT: 'before' })
    expect(read(files['GITHUB_OUTPUT']!)).toEqual({})
    expect(read(files['GITHUB_STATE']!)).toEqual({})
    expect(process.env['GONE']).toBeUndefined()
    expect(process.env['KEPT']).toBe('before')
  })
})

describe('stdout', () => {
  it.each(['plain', 'multi\nline\r\nvalue', '100% sure: a, b'])(
    'a mask of %j reaches the runner intact',
    (value) => {
      createActionsRunner().mask(value)
      expect(parseCommands(printed())).toEqual([
        expect.objectContaining({ name: 'add-mask', value })
      ])
    }
  )

  it.each([
    ['plain', 'plain'],
    ['100% sure: a, b', '100% sure: a, b'],
    // Messages can quote a server: no line break or escape reaches the log.
    ['multi\nline\r\nvalue', 'multi\\u000aline\\u000d\\u000avalue'],
    ['\u001b[31mred', '\\u001b[31mred']
  ])('a warning and a failure of %j read %j', (value, shown) => {
    const runner = createActionsRunner()
    runner.warning(value)
    runner.fail(value)
    expect(parseCommands(printed())).toEqual([
      expect.objectContaining({ name: 'warning', value: shown }),
      expect.objectContaining({ name: 'error', value: shown })
    ])
    expect(process.exitCode).toBe(1)
  })

  it('masks a multi-line value line by line, skipping short lines', () => {
    maskSecret(
      createActionsRunner(),
      '{\n  first-secret-line\r\n  second-secret-line\n}'
    )
    expect(parseCommands(printed()).map((c) => c.value)).toEqual([
      'first-secret-line',
      'second-secret-line'
    ])
  })

  it('masks each value once', () => {
    const runner = createActionsRunner()
    runner.mask('s3cret')
    runner.mask('s3cret')
    expect(printed()).toBe(`::add-mask::s3cret${os.EOL}`)
  })

  it('writes an info message as one line, so it cannot start a command', () => {
    createActionsRunner().info('Registered task x\n::stop-commands::zz\r\nend')
    expect(printed()).toBe(
      `Registered task x\\u000a::stop-commands::zz\\u000d\\u000aend${os.EOL}`
    )
    expect(parseCommands(printed())).toEqual([])
  })

  it('breaks an old-style ##[command] anywhere in a line', () => {
    createActionsRunner().info(
      'Registered agent task task-##[stop-commands]zz.'
    )
    expect(printed()).not.toContain('##[')
  })
})

describe('inputs and state', () => {
  it('reads inputs like the runner sets them (hyphens kept, trimmed)', () => {
    process.env['INPUT_API-KEY'] = '  sk-x  '
    process.env['INPUT_MY_INPUT'] = 'v'
    const runner = createActionsRunner()
    expect(runner.input('api-key')).toBe('sk-x')
    expect(runner.input('my input')).toBe('v')
    expect(runner.input('absent')).toBe('')
  })

  it('reads the state the runner hands the post step', () => {
    process.env['STATE_cleanup'] = '[]'
    expect(createActionsRunner().getState('cleanup')).toBe('[]')
    expect(createActionsRunner().getState('other')).toBe('')
  })
})

describe('job summary', () => {
  it('appends markdown to the summary file', async () => {
    const files = withCommandFiles()
    const runner = createActionsRunner()
    await runner.appendSummary('# one\n')
    await runner.appendSummary('two\n')
    expect(fs.readFileSync(files['GITHUB_STEP_SUMMARY']!, 'utf8')).toBe(
      '# one\ntwo\n'
    )
  })

  it('is a no-op without a summary file', async () => {
    await createActionsRunner().appendSummary('# x')
    expect(printed()).toBe('')
  })

  it('a write failure is a warning, never a failure', async () => {
    process.env['GITHUB_STEP_SUMMARY'] = path.join(dir, 'missing', 'summary')
    await createActionsRunner().appendSummary('# x')
    expect(parseCommands(printed())).toEqual([
      expect.objectContaining({
        name: 'warning',
        value: expect.stringMatching(/^Could not write the job summary: /)
      })
    ])
    expect(process.exitCode).toBeUndefined()
  })
})
