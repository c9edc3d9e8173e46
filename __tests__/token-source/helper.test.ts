/**
 * The token source for real: the helper runs from its sources (node with
 * tsx's loader, so no `npm run package` is needed first) against the dev
 * backend's GitHub OIDC service, and is read the way Codex reads it (a
 * separate process opening the path). Every test stops what it started and
 * checks that no process and no directory is left.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ActionError } from '../../src/errors.js'
import {
  helperEnv,
  launchTokenSource,
  mintFirstToken,
  startTokenSource,
  stopTokenSource,
  type HelperScript,
  type TokenSourceHandle,
  type TokenSourceSpec
} from '../../src/token-source/launch.js'
import { readProcessIdentity } from '../../src/token-source/process-identity.js'
import { FifoUnavailableError } from '../../src/token-source/serve-fifo.js'
import { TEST_FILE_PERIOD_ENV } from '../../src/token-source/serve-file.js'
import { helperTestbed, SOURCE_HELPER } from '../support/source-helper.js'
import { tempDir } from '../support/temp-dirs.js'

const AUDIENCE = 'https://openai.example/federation'

const bed = helperTestbed()
const started = bed.started

function spec(overrides: Partial<TokenSourceSpec> = {}): TokenSourceSpec {
  return {
    runnerTemp: tempDir('token-source-'),
    mode: 'fifo',
    audience: AUDIENCE,
    requestUrl: bed.backend().oidcRequestUrl,
    requestToken: bed.backend().oidcRequestToken,
    env: {},
    ...overrides
  }
}

async function start(s: TokenSourceSpec): Promise<TokenSourceHandle> {
  const handle = await startTokenSource(s, { helper: SOURCE_HELPER })
  started.push(handle)
  return handle
}

/** Reads the path as Codex does: another process, open, read to EOF. */
function readAsCodex(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('cat', [file], { timeout: 10_000 }, (err, stdout) => {
      if (err) reject(new Error(`reading ${file} failed: ${err.message}`))
      else resolve(stdout)
    })
  })
}

function claims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? ''
  return JSON.parse(
    Buffer.from(payload, 'base64url').toString('utf8')
  ) as Record<string, unknown>
}

const running = (handle: TokenSourceHandle): boolean =>
  readProcessIdentity(handle.pid) !== undefined

/** Polls `check` (real time: the helper is a real process) up to 10 s. */
async function eventually(check: () => boolean): Promise<void> {
  const until = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

function expectNothingLeft(handle: TokenSourceHandle): void {
  expect(running(handle)).toBe(false)
  expect(fs.existsSync(handle.dir)).toBe(false)
}

describe('token source, fifo mode', () => {
  it('gives three readers in a row three different tokens, each with its own jti', async () => {
    const handle = await start(spec())
    expect(fs.lstatSync(handle.path).isFIFO()).toBe(true)
    expect(fs.statSync(handle.dir).mode & 0o777).toBe(0o700)
    expect(fs.statSync(handle.path).mode & 0o777).toBe(0o600)
    expect(fs.statSync(path.join(handle.dir, 'helper.log')).mode & 0o777).toBe(
      0o600
    )

    const tokens = [
      await readAsCodex(handle.path),
      await readAsCodex(handle.path),
      await readAsCodex(handle.path)
    ]
    const jtis = tokens.map((t) => claims(t)['jti'])
    expect(new Set(tokens).size).toBe(3)
    expect(new Set(jtis).size).toBe(3)
    for (const t of tokens) expect(claims(t)['aud']).toBe(AUDIENCE)
    const issued = bed
      .backend()
      .oidcTokens()
      .map((t) => t.jwt)
    for (const t of tokens) expect(issued).toContain(t)

    // The log says what happened, never a token.
    const log = fs.readFileSync(path.join(handle.dir, 'helper.log'), 'utf8')
    expect(log).toContain('handed out token 3')
    for (const t of issued) expect(log).not.toContain(t)
    expect(log).not.toContain(bed.backend().oidcRequestToken)

    stopTokenSource(handle)
    expectNothingLeft(handle)
  })

  it('keeps the request token out of its argv', async () => {
    const handle = await start(spec())
    const argv = readProcessIdentity(handle.pid)?.argv ?? []
    expect(argv).toContain(handle.nonce)
    expect(argv).toContain(AUDIENCE)
    expect(argv.join(' ')).not.toContain(bed.backend().oidcRequestToken)
    stopTokenSource(handle)
    expectNothingLeft(handle)
  })

  it('ends on SIGTERM while waiting for a reader, and removes its directory', async () => {
    const handle = await start(spec())
    process.kill(handle.pid, 'SIGTERM')
    await eventually(() => !running(handle) && !fs.existsSync(handle.dir))
    expectNothingLeft(handle)
  })

  it('ends on SIGTERM after its directory was deleted while it waited for a reader', async () => {
    const handle = await start(spec())
    fs.rmSync(handle.dir, { recursive: true, force: true })
    process.kill(handle.pid, 'SIGTERM')
    await eventually(() => !running(handle))
    expectNothingLeft(handle)
  })

  it('ends by itself once its directory was deleted while it waited for a reader', async () => {
    // No open waits in a pool thread that nothing could end: the next poll
    // of the pipe finds it gone, and with nothing left to serve the
    // process exits.
    const handle = await start(spec())
    fs.rmSync(handle.dir, { recursive: true, force: true })
    await eventually(() => !running(handle))
    expectNothingLeft(handle)
  })

  it('ends and removes its directory once GitHub refuses the request token (403)', async () => {
    const handle = await start(spec())
    bed.backend().inject('oidc-token', { kind: 'status', status: 403 })
    // The token minted at start was never handed out: still served.
    const first = await readAsCodex(handle.path)
    expect(claims(first)['aud']).toBe(AUDIENCE)
    // Minting the next one is refused for good: the helper ends and the
    // path goes with its directory, so Codex fails at once ("could not read
    // workload identity assertion file") instead of reading empty tokens.
    await eventually(() => !running(handle) && !fs.existsSync(handle.dir))
    await expect(readAsCodex(handle.path)).rejects.toThrow(/reading .* failed/)
    expectNothingLeft(handle)
  })

  it('fails to start with a clear error when the first request is refused, leaving nothing behind', async () => {
    const s = spec({ requestToken: 'not-the-request-token' })
    const error = await startTokenSource(s, { helper: SOURCE_HELPER }).then(
      () => undefined,
      (err: unknown) => err
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toMatch(
      /^Could not start the identity token source for Codex: its first OIDC token request failed: .*403/
    )
    expect(fs.readdirSync(s.runnerTemp)).toEqual([])
  })
})

describe('launchTokenSource: started now, waited for later', () => {
  it('hands out the handle at once; ready() then resolves to it, serving the token handed over', async () => {
    const s = spec()
    const starting = await launchTokenSource(s, { helper: SOURCE_HELPER })
    started.push(starting.handle)
    expect(running(starting.handle)).toBe(true)
    const first = await mintFirstToken(s)
    const before = bed.backend().requestsFor('oidc-token').length
    starting.handOver(Promise.resolve(first))
    const handle = await starting.ready()
    expect(handle).toBe(starting.handle)
    // One wait, shared.
    expect(await starting.ready()).toBe(handle)
    // It served without a request of its own: the first reader gets the
    // token handed over, and only then is the next one minted.
    expect(bed.backend().requestsFor('oidc-token')).toHaveLength(before)
    expect(await readAsCodex(handle.path)).toBe(first.value)
    const second = await readAsCodex(handle.path)
    expect(second).not.toBe(first.value)
    expect(claims(second)['aud']).toBe(AUDIENCE)
    stopTokenSource(handle)
    expectNothingLeft(handle)
  })

  it('a first token that could not be minted: ready() says why; nothing left', async () => {
    const s = spec()
    const starting = await launchTokenSource(s, { helper: SOURCE_HELPER })
    starting.handOver(Promise.reject(new Error('GitHub said no')))
    await expect(starting.ready()).rejects.toThrow(
      'Could not start the identity token source for Codex: its first OIDC token request failed: GitHub said no. Nothing was exported and no helper process was left running.'
    )
    expectNothingLeft(starting.handle)
    expect(fs.readdirSync(s.runnerTemp)).toEqual([])
  })

  it('a helper handed no usable token says so; nothing left', async () => {
    const s = spec()
    const starting = await launchTokenSource(s, { helper: SOURCE_HELPER })
    starting.handOver(Promise.resolve({ value: '', mintedAt: Date.now() }))
    await expect(starting.ready()).rejects.toThrow(
      'Could not start the identity token source for Codex: it was handed no first OIDC token. Nothing was exported and no helper process was left running.'
    )
    expectNothingLeft(starting.handle)
    expect(fs.readdirSync(s.runnerTemp)).toEqual([])
  })

  it('no FIFO can be made: ready() says so before any token is handed over', async () => {
    const s = spec()
    const starting = await launchTokenSource(s, {
      helper: SOURCE_HELPER,
      makeFifo: () =>
        Promise.reject(new FifoUnavailableError('mkfifo not found at /x'))
    })
    starting.handOver(mintFirstToken(s))
    await expect(starting.ready()).rejects.toThrow(
      /^Could not start the identity token source for Codex: could not make the FIFO \(mkfifo not found at \/x\); set identity-token-file-mode: file\./
    )
    expectNothingLeft(starting.handle)
    expect(fs.readdirSync(s.runnerTemp)).toEqual([])
  })

  it('stopped while it starts (the preflight failed): nothing left, ready() rejects', async () => {
    const s = spec()
    const starting = await launchTokenSource(s, { helper: SOURCE_HELPER })
    stopTokenSource(starting.handle)
    expectNothingLeft(starting.handle)
    expect(fs.readdirSync(s.runnerTemp)).toEqual([])
    await expect(starting.ready()).rejects.toBeInstanceOf(ActionError)
    expect(fs.readdirSync(s.runnerTemp)).toEqual([])
  })
})

describe('helperEnv', () => {
  it('passes the request token and how to reach GitHub, nothing else', () => {
    const env = helperEnv({
      ...spec(),
      requestUrl: 'https://token.example/x?api-version=2.0',
      requestToken: 'request-token',
      env: {
        HTTPS_PROXY: 'http://proxy:3128',
        no_proxy: 'internal',
        NODE_EXTRA_CA_CERTS: '/ca.pem',
        GITHUB_TOKEN: 'ghs_secret',
        OPENAI_API_KEY: 'sk-secret',
        NODE_OPTIONS: '--require /tmp/evil.js'
      }
    })
    expect(env).toEqual({
      HTTPS_PROXY: 'http://proxy:3128',
      no_proxy: 'internal',
      NODE_EXTRA_CA_CERTS: '/ca.pem',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/x?api-version=2.0',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token'
    })
  })
})

describe('startTokenSource when the helper does not serve', () => {
  /** A stand-in helper script. */
  function script(code: string): HelperScript {
    const file = path.join(tempDir('fake-helper-'), 'helper.mjs')
    fs.writeFileSync(file, code)
    return { script: file, execArgv: [] }
  }

  it('stops a helper that says nothing within the wait, and removes its directory', async () => {
    const s = spec()
    const helper = script('setTimeout(() => {}, 60000)\n')
    let pid: number | undefined
    const error = await startTokenSource(s, {
      helper,
      // The bound, without waiting for it.
      readyTimeoutMs: 5000,
      now: (() => {
        let t = 0
        return () => (t += 5000)
      })(),
      readIdentity: (p) => {
        pid = p
        return readProcessIdentity(p)
      }
    }).then(
      () => undefined,
      (err: unknown) => err
    )
    expect((error as Error).message).toBe(
      'Could not start the identity token source for Codex: the helper did not serve a token within 5 s. Nothing was exported and no helper process was left running.'
    )
    expect(readProcessIdentity(pid!)).toBeUndefined()
    expect(fs.readdirSync(s.runnerTemp)).toEqual([])
  })

  it('reports a helper that ended before serving', async () => {
    const s = spec()
    const error = await startTokenSource(s, {
      helper: script('process.exit(3)\n')
    }).then(
      () => undefined,
      (err: unknown) => err
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toMatch(
      /^Could not start the identity token source for Codex: the helper process ended \(code 3\) before it served a token\./
    )
    expect(fs.readdirSync(s.runnerTemp)).toEqual([])
  })
})

describe('token source, file mode', () => {
  it('replaces the 0600 file with a fresh token every (shortened) period', async () => {
    const handle = await start(
      spec({ mode: 'file', env: { [TEST_FILE_PERIOD_ENV]: '200' } })
    )
    const stat = fs.lstatSync(handle.path)
    expect(stat.isFile()).toBe(true)
    expect(stat.mode & 0o777).toBe(0o600)
    const first = fs.readFileSync(handle.path, 'utf8')
    let second = first
    await eventually(() => {
      second = fs.readFileSync(handle.path, 'utf8')
      return second !== first
    })
    expect(claims(second)['jti']).not.toBe(claims(first)['jti'])
    // Written through temporary names and renames: nothing else is left.
    expect(fs.readdirSync(handle.dir).sort()).toEqual([
      'helper.log',
      'status.json',
      'token'
    ])
    stopTokenSource(handle)
    expectNothingLeft(handle)
  })
})
