import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  MAX_READ_BYTES,
  readRegularFile,
  UnsafeReadError
} from '../../src/files/safe-read.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-auth-read-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const reason = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    if (err instanceof UnsafeReadError) return err.reason
    return (err as NodeJS.ErrnoException).code ?? String(err)
  }
  return 'read'
}

describe('readRegularFile', () => {
  it('reads a regular file, and one behind a symlink', () => {
    const file = path.join(dir, 'config.toml')
    fs.writeFileSync(file, 'a = "ü"\n')
    fs.symlinkSync(file, path.join(dir, 'link.toml'))
    expect(readRegularFile(file)).toBe('a = "ü"\n')
    expect(readRegularFile(path.join(dir, 'link.toml'))).toBe('a = "ü"\n')
  })

  it('reads a file of exactly the cap and refuses one byte more', () => {
    const file = path.join(dir, 'auth.json')
    fs.writeFileSync(file, Buffer.alloc(64, 0x61))
    expect(readRegularFile(file, 64)).toHaveLength(64)
    fs.appendFileSync(file, 'a')
    expect(reason(() => readRegularFile(file, 64))).toBe('too-large')
  })

  it('has a 1 MiB cap by default', () => {
    const file = path.join(dir, 'big.json')
    fs.writeFileSync(file, Buffer.alloc(MAX_READ_BYTES + 1, 0x20))
    expect(reason(() => readRegularFile(file))).toBe('too-large')
  })

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const fifo = path.join(dir, 'config.toml')
    execFileSync('mkfifo', [fifo])
    expect(reason(() => readRegularFile(fifo))).toBe('not-regular')
  })

  it('refuses a device such as /dev/zero instead of reading forever', () => {
    expect(reason(() => readRegularFile('/dev/zero'))).toBe('not-regular')
  })

  it('refuses a directory', () => {
    expect(reason(() => readRegularFile(dir))).toBe('not-regular')
  })

  it('passes a missing file on as ENOENT', () => {
    expect(reason(() => readRegularFile(path.join(dir, 'nope')))).toBe('ENOENT')
  })
})
