import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  FILE_PERIOD_MS,
  FileServer,
  filePeriod,
  jittered,
  TEST_FILE_PERIOD_ENV
} from '../../src/token-source/serve-file.js'
import { MAX_TOKEN_AGE_MS, type Token } from '../../src/token-source/supply.js'
import { tempDir } from '../support/temp-dirs.js'

describe('filePeriod', () => {
  it.each([
    [undefined, FILE_PERIOD_MS],
    ['200', 200],
    ['10', FILE_PERIOD_MS],
    ['1.5', FILE_PERIOD_MS],
    ['soon', FILE_PERIOD_MS]
  ])('%j gives %i ms', (raw, period) => {
    expect(filePeriod({ [TEST_FILE_PERIOD_ENV]: raw })).toBe(period)
  })

  it('jitters by at most 10 %', () => {
    expect(jittered(60_000, () => 0)).toBe(54_000)
    expect(jittered(60_000, () => 0.999999)).toBe(66_000)
  })
})

describe('FileServer', () => {
  /** A server whose sleeps end when the test says so. */
  function harness(tokens: (Token | undefined)[]): {
    server: FileServer
    file: string
    wake: () => Promise<void>
    advance: (ms: number) => void
  } {
    let clock = 0
    let waker: (() => void) | undefined
    const file = path.join(tempDir('serve-file-'), 'token')
    const server = new FileServer(file, 1000, {
      take: () => Promise.resolve(tokens.shift()),
      now: () => clock,
      random: () => 0.5,
      sleep: (_ms, signal) =>
        new Promise<void>((resolve) => {
          waker = resolve
          signal.addEventListener('abort', () => resolve())
        }),
      log: () => undefined
    })
    return {
      server,
      file,
      wake: async () => {
        waker?.()
        for (let i = 0; i < 10; i += 1) await Promise.resolve()
      },
      advance: (ms) => {
        clock += ms
      }
    }
  }

  it('replaces the token each period, keeps a fresh one while none comes, empties a stale one', async () => {
    const h = harness([
      { value: 'a', mintedAt: 0 },
      { value: 'b', mintedAt: 1000 },
      undefined,
      undefined
    ])
    await h.server.start()
    expect(fs.readFileSync(h.file, 'utf8')).toBe('a')
    expect(fs.statSync(h.file).mode & 0o777).toBe(0o600)
    await h.wake()
    expect(fs.readFileSync(h.file, 'utf8')).toBe('b')
    h.advance(MAX_TOKEN_AGE_MS)
    await h.wake()
    // b was minted at 1000: still under four minutes old.
    expect(fs.readFileSync(h.file, 'utf8')).toBe('b')
    h.advance(1000)
    await h.wake()
    expect(fs.readFileSync(h.file, 'utf8')).toBe('')
    await h.server.stop()
    expect(fs.readdirSync(path.dirname(h.file))).toEqual(['token'])
  })
})
