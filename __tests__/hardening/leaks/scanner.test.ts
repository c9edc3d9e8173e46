/**
 * The leak scanner itself: a scanner that cannot fail proves nothing, so
 * each channel and form is shown to be caught, on synthetic runs and on a
 * real run that echoes a value.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  describeFindings,
  scanRun,
  snapshotFiles,
  type Secret
} from '../../support/leak-scan.js'
import type { RunResult } from '../../support/run-action.js'
import { runScanned, scannedDirs } from '../support/harness.js'

function syntheticRun(parts: {
  stdout?: string
  stderr?: string
  env?: string
  summary?: string
}): RunResult {
  const dirs = scannedDirs()
  return {
    code: 0,
    stdout: parts.stdout ?? '',
    stderr: parts.stderr ?? '',
    dirs,
    env: {},
    outputs: {},
    state: {},
    summary: parts.summary ?? '',
    raw: {
      env: parts.env ?? '',
      output: '',
      state: '',
      summary: parts.summary ?? ''
    },
    commands: [],
    masks: []
  }
}

describe('the scanner finds what it is meant to find', () => {
  const secret: Secret = { label: 'S', value: 'sk-proj-scanner-self-test-0123' }
  const scan = (run: RunResult): string[] =>
    describeFindings(scanRun(run, [secret]).findings)

  it('a value on stdout before its mask, but not after it', () => {
    const v = secret.value
    expect(
      scan(syntheticRun({ stdout: `x ${v}\n::add-mask::${v}\ny ${v}\n` }))
    ).toEqual(['S (as is) in stdout line 1'])
  })

  it('derived forms: base64, base64url, JSON-escaped, header, lines', () => {
    const v = secret.value
    const b64 = Buffer.from(v).toString('base64')
    const findings = scan(
      syntheticRun({ stdout: `::add-mask::${v}\n${b64}\nBearer ${v}\n` })
    )
    // The header is covered by the value's mask; the base64 form is not.
    expect(findings).toEqual(['S (base64) in stdout line 2'])
    const multi: Secret = {
      label: 'M',
      value: 'first-line-abc\nsecond-line-xyz'
    }
    expect(
      describeFindings(
        scanRun(syntheticRun({ stdout: 'second-line-xyz\n' }), [multi]).findings
      )
    ).toEqual(['M (line 2) in stdout line 1'])
  })

  it('stderr always, even after a mask', () => {
    const v = secret.value
    expect(
      scan(syntheticRun({ stdout: `::add-mask::${v}\n`, stderr: v }))
    ).toEqual(['S (as is) in stderr'])
  })

  it('a mask registered while commands are stopped does not count', () => {
    const v = secret.value
    expect(
      scan(
        syntheticRun({
          stdout: `::stop-commands::tok\n::add-mask::${v}\n::tok::\nnow ${v}\n`
        })
      )
    ).toEqual(['S (as is) in stdout line 2', 'S (as is) in stdout line 4'])
  })

  it('a command file without a mask, and a decoded ::error:: line', () => {
    const v = 'sk-proj-percent%secret-000'
    const s: Secret = { label: 'P', value: v }
    const run = syntheticRun({
      stdout: `::error::failed for sk-proj-percent%25secret-000\n`,
      env: `X<<EOF\n${v}\nEOF\n`
    })
    expect(describeFindings(scanRun(run, [s]).findings)).toEqual([
      'P (as is) in stdout line 1',
      'P (as is) in env file'
    ])
  })

  it('a file written outside the primed home, not one inside it', () => {
    const run = syntheticRun({ stdout: '' })
    const roots = [run.dirs.root]
    const before = snapshotFiles(roots)
    const home = path.join(run.dirs.runnerTemp, 'codex-home-x')
    fs.mkdirSync(home)
    fs.writeFileSync(path.join(home, 'auth.json'), secret.value)
    fs.writeFileSync(path.join(run.dirs.workspace, 'debug.log'), secret.value)
    expect(
      describeFindings(
        scanRun(run, [secret], { roots, before, primedHomes: [home] }).findings
      )
    ).toEqual([
      `S (as is) in file ${path.join(run.dirs.workspace, 'debug.log')}`
    ])
  })

  it('a real run that echoes an unmasked value is caught', async () => {
    // export-env is not a secret input, so its bad value is quoted back:
    // exactly what the scanner must notice if it were a secret.
    const dirs = scannedDirs()
    const run = await runScanned(
      dirs,
      {
        inputs: {
          'api-key': 'sk-proj-real-key-000000000',
          'export-env': secret.value
        }
      },
      [secret]
    )
    expect(run.main.code).toBe(1)
    expect(describeFindings(run.findings)).toEqual([
      expect.stringMatching(/^S \(as is\) in stdout line \d+$/)
    ])
  })
})
