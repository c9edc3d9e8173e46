import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  checkFifo,
  FifoServer,
  FifoUnavailableError,
  makeFifo,
  READER_POLL_MS
} from '../../src/token-source/serve-fifo.js'
import type { Token } from '../../src/token-source/supply.js'
import { tempDir } from '../support/temp-dirs.js'

function readWithCat(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('cat', [file], { timeout: 10_000 }, (err, stdout) => {
      if (err) reject(new Error(`cat failed: ${err.message}`))
      else resolve(stdout)
    })
  })
}

describe('makeFifo', () => {
  it('makes a 0600 FIFO with the system mkfifo', async () => {
    const file = path.join(tempDir('fifo-'), 'token')
    await makeFifo(file)
    const stat = fs.lstatSync(file)
    expect(stat.isFIFO()).toBe(true)
    expect(stat.mode & 0o777).toBe(0o600)
  })

  it('does not look for mkfifo on PATH', async () => {
    const file = path.join(tempDir('fifo-'), 'token')
    await expect(makeFifo(file, ['/nonexistent/mkfifo'])).rejects.toThrow(
      new FifoUnavailableError('mkfifo not found at /nonexistent/mkfifo')
    )
  })
})

describe('FifoServer', () => {
  // A server left waiting on its pipe would keep jest from exiting.
  const servers: FifoServer[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop()
  })

  async function served(
    tokens: (Token | undefined)[]
  ): Promise<{ server: FifoServer; file: string }> {
    const file = path.join(tempDir('fifo-'), 'token')
    await makeFifo(file)
    const server = new FifoServer(file, {
      take: () => Promise.resolve(tokens.shift()),
      // The real pause: without it a reader still open gets the next token.
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      log: () => undefined
    })
    servers.push(server)
    server.start()
    return { server, file }
  }

  it('writes one token per open, and an empty one when there is none', async () => {
    const { server, file } = await served([
      { value: 'one', mintedAt: 0 },
      undefined,
      { value: 'two', mintedAt: 0 }
    ])
    expect(await readWithCat(file)).toBe('one')
    expect(await readWithCat(file)).toBe('')
    expect(await readWithCat(file)).toBe('two')
    await server.stop()
  })

  it('stops serving, without waiting in a pool thread, once the pipe is removed', async () => {
    const logged: string[] = []
    const file = path.join(tempDir('fifo-'), 'token')
    await makeFifo(file)
    const server = new FifoServer(file, {
      take: () => Promise.resolve({ value: 'never', mintedAt: 0 }),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      log: (line) => logged.push(line)
    })
    servers.push(server)
    server.start()
    fs.rmSync(path.dirname(file), { recursive: true, force: true })
    await new Promise((resolve) => setTimeout(resolve, 5 * READER_POLL_MS))
    expect(logged).toEqual([
      expect.stringMatching(/^cannot open the pipe: ENOENT/)
    ])
    const started = Date.now()
    await server.stop(10_000)
    expect(Date.now() - started).toBeLessThan(100)
  })

  it('checkFifo refuses what is not a 0600 FIFO', async () => {
    const dir = tempDir('fifo-')
    const file = path.join(dir, 'token')
    expect(() => checkFifo(file)).toThrow(FifoUnavailableError)
    fs.writeFileSync(file, '', { mode: 0o600 })
    expect(() => checkFifo(file)).toThrow(`no 0600 FIFO at ${file}`)
    fs.rmSync(file)
    await makeFifo(file)
    expect(() => checkFifo(file)).not.toThrow()
    fs.chmodSync(file, 0o644)
    expect(() => checkFifo(file)).toThrow(FifoUnavailableError)
  })

  it('stops promptly while its open waits for a reader', async () => {
    const { server } = await served([])
    const started = Date.now()
    await server.stop(10_000)
    // Well before the grace time: the pending open returned at once.
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
