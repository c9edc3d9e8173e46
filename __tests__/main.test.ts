/**
 * The main step's way out: everything that can fail on the runner fails
 * before any request, and a failure after a refresh rotated the tokens keeps
 * them (written back, or under RUNNER_TEMP) and says where.
 */
import { jest } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { renderAuthJson } from '../src/codex-home/auth-json.js'
import type { HttpClient, HttpResponse } from '../src/clients/http.js'
import { AUTH_CLAIM } from '../src/credentials/chatgpt-tokens.js'
import type { AuthJson } from '../src/credentials/types.js'
import { run, type MainDeps } from '../src/main.js'
import { REFRESH_INVALID_ID_TOKEN } from '../src/messages/chatgpt.js'
import { createActionsRunner } from '../src/runner/actions.js'
import { fakeRunner, type FakeRunner } from './support/fake-runner.js'

const NOW = new Date('2026-08-22T05:54:43.000Z')
const b64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url')
const jwt = (payload: unknown): string =>
  `${b64url({ alg: 'RS256' })}.${b64url(payload)}.c2lnbmF0dXJl`
const ID_TOKEN = jwt({ [AUTH_CLAIM]: { chatgpt_account_id: 'acct-1' } })
const OLD_RT = 'rt-old-refresh-token-0123456789'
const NEW_RT = 'rt-new-refresh-token-0123456789'
const NEW_AT = jwt({ exp: NOW.getTime() / 1000 + 3600, n: 'new' })

/** A ChatGPT login whose access token expires in a minute: refresh due. */
const expiring: AuthJson = {
  auth_mode: 'chatgpt',
  OPENAI_API_KEY: null,
  tokens: {
    id_token: ID_TOKEN,
    access_token: jwt({ exp: NOW.getTime() / 1000 + 60 }),
    refresh_token: OLD_RT,
    account_id: 'acct-1'
  },
  last_refresh: NOW.toISOString()
}

let root: string
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-auth-test-main-'))
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
afterEach(() => {
  process.exitCode = undefined
})

interface Machine {
  temp: string
  home: string
  env: Record<string, string>
}

function machine(): Machine {
  const base = fs.mkdtempSync(path.join(root, 'm-'))
  const temp = path.join(base, 'temp')
  const home = path.join(base, 'home')
  fs.mkdirSync(temp)
  fs.mkdirSync(path.join(home, '.codex'), { recursive: true })
  return { temp, home, env: { HOME: home, RUNNER_TEMP: temp } }
}

/** Deps whose token endpoint answers `reply`; counts requests. */
function deps(reply: unknown): MainDeps & { requests: () => number } {
  let requests = 0
  const http: HttpClient = {
    request: () => {
      requests++
      const res: HttpResponse = {
        status: 200,
        reason: 'OK',
        headers: {},
        body: JSON.stringify(reply),
        truncated: false
      }
      return Promise.resolve(res)
    }
  }
  return {
    now: () => NOW,
    createHttp: () => Promise.resolve(http),
    requests: () => requests
  }
}

const BAD_ID_TOKEN_REPLY = {
  id_token: 'not-a-jwt',
  access_token: NEW_AT,
  refresh_token: NEW_RT
}

const inputs = {
  'auth-json': JSON.stringify(expiring),
  'refresh-token-url': 'https://auth.test/oauth/token'
}

function expectNothingExported(runner: FakeRunner): void {
  expect(runner.exported()).toEqual({})
  expect(runner.outputs()).toEqual({})
  expect(runner.state).toEqual({ cleanup: '[]' })
}

/** The only directory left under RUNNER_TEMP, which holds the kept file. */
function keptFile(temp: string): string {
  const entries = fs.readdirSync(temp)
  expect(entries).toEqual([expect.stringMatching(/^codex-auth-rotated-/)])
  return path.join(temp, entries[0]!, 'auth.json')
}

/**
 * The real runner (@actions/core) reads process.env and prints on stdout:
 * runs `fn` with `env` as the process env and returns the printed lines.
 */
async function withRealRunner(
  env: Record<string, string | undefined>,
  fn: (runner: ReturnType<typeof createActionsRunner>) => Promise<void>
): Promise<string[]> {
  const saved = process.env
  const printed: string[] = []
  const spy = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array): boolean => {
      printed.push(String(chunk))
      return true
    })
  process.env = { ...env }
  try {
    await fn(createActionsRunner())
  } finally {
    process.env = saved
    spy.mockRestore()
    process.exitCode = undefined
  }
  return printed.join('').split('\n')
}

describe('a refresh reply with new tokens but an invalid id_token', () => {
  it('from a secret: the rotated auth.json is kept under RUNNER_TEMP and named; nothing exported', async () => {
    const m = machine()
    const runner = fakeRunner(inputs, m.env)
    const d = deps(BAD_ID_TOKEN_REPLY)
    await run(runner, d)
    expect(d.requests()).toBe(1)
    const file = keptFile(m.temp)
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as AuthJson
    expect(kept.tokens).toEqual({
      id_token: ID_TOKEN,
      access_token: NEW_AT,
      refresh_token: NEW_RT,
      account_id: 'acct-1'
    })
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700)
    expect(runner.failures()).toEqual([
      `${REFRESH_INVALID_ID_TOKEN}. The token endpoint had already rotated the refresh token, so the one stored in input auth-json is now used up. The new ChatGPT tokens are kept in ${file} until the job ends: save that file (for example in an \`if: failure()\` step) and store it in place of the old auth.json.`
    ])
    // Masked before the message could name anything.
    expect(runner.masks()).toEqual(expect.arrayContaining([NEW_RT, NEW_AT]))
    expectNothingExported(runner)
  })

  it('from <codex-home>/auth.json: written back to that file, which the message names', async () => {
    const m = machine()
    const authFile = path.join(m.home, '.codex', 'auth.json')
    fs.writeFileSync(authFile, JSON.stringify(expiring))
    const runner = fakeRunner(
      { 'refresh-token-url': inputs['refresh-token-url'] },
      m.env
    )
    await run(runner, deps(BAD_ID_TOKEN_REPLY))
    const written = JSON.parse(fs.readFileSync(authFile, 'utf8')) as AuthJson
    expect(written.tokens).toMatchObject({ refresh_token: NEW_RT })
    expect(fs.readdirSync(m.temp)).toEqual([])
    expect(runner.failures()).toEqual([
      `${REFRESH_INVALID_ID_TOKEN}. The token endpoint had already rotated the refresh token; the new ChatGPT tokens were written back to ${authFile}.`
    ])
    expectNothingExported(runner)
  })
})

describe('a failure after a successful rotation', () => {
  it('an output that cannot be written: the primed home goes, the rotated tokens stay', async () => {
    const m = machine()
    const runner = fakeRunner(inputs, m.env)
    runner.setOutput = () => {
      throw new Error('EIO: i/o error, write')
    }
    const reply = { ...BAD_ID_TOKEN_REPLY, id_token: ID_TOKEN }
    await run(runner, deps(reply))
    const file = keptFile(m.temp)
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as AuthJson
    expect(kept.tokens).toMatchObject({ refresh_token: NEW_RT })
    expect(fs.readFileSync(file, 'utf8')).toBe(renderAuthJson(kept))
    expect(runner.failures()).toEqual([
      expect.stringMatching(
        /^Unexpected error .*EIO: i\/o error, write\. The token endpoint had already rotated the refresh token, so the one stored in input auth-json is now used up\. The new ChatGPT tokens are kept in /
      )
    ])
    expect(runner.exported()).toEqual({})
  })

  it('a refreshed id_token outside the workspace list: rejected, and the rotated tokens of a secret still kept', async () => {
    const m = machine()
    // Without tokens.account_id, the id_token names the workspace.
    const doc = {
      ...expiring,
      tokens: { ...(expiring.tokens as object), account_id: null }
    }
    const runner = fakeRunner(
      {
        ...inputs,
        'auth-json': JSON.stringify(doc),
        'forced-workspace-id': 'acct-1'
      },
      m.env
    )
    const other = jwt({ [AUTH_CLAIM]: { chatgpt_account_id: 'acct-2' } })
    await run(
      runner,
      deps({ id_token: other, access_token: NEW_AT, refresh_token: NEW_RT })
    )
    const file = keptFile(m.temp)
    expect(runner.failures()).toEqual([
      `Login is restricted to workspace(s) acct-1, but current credentials belong to acct-2. Logging out. The token endpoint had already rotated the refresh token, so the one stored in input auth-json is now used up. The new ChatGPT tokens are kept in ${file} until the job ends: save that file (for example in an \`if: failure()\` step) and store it in place of the old auth.json.`
    ])
    expectNothingExported(runner)
  })

  it('without rotation nothing is kept: the secret still works', async () => {
    const m = machine()
    const runner = fakeRunner(inputs, m.env)
    runner.setOutput = () => {
      throw new Error('EIO')
    }
    await run(runner, deps({ access_token: NEW_AT }))
    expect(fs.readdirSync(m.temp)).toEqual([])
    expect(runner.failures()).toEqual([
      expect.stringMatching(/^Unexpected error .*EIO$/)
    ])
  })
})

describe('local failures come before any request', () => {
  it('RUNNER_TEMP that is a file', async () => {
    const m = machine()
    const notADir = path.join(m.temp, 'file')
    fs.writeFileSync(notADir, '')
    const runner = fakeRunner(inputs, { ...m.env, RUNNER_TEMP: notADir })
    const d = deps(BAD_ID_TOKEN_REPLY)
    await run(runner, d)
    expect(d.requests()).toBe(0)
    expect(runner.failures()).toEqual([
      expect.stringMatching(
        /^Could not write the primed Codex home at .*file: .*\. Check that RUNNER_TEMP is writable\.$/
      )
    ])
  })

  it('RUNNER_TEMP inside GITHUB_WORKSPACE', async () => {
    const m = machine()
    const runner = fakeRunner(inputs, { ...m.env, GITHUB_WORKSPACE: m.temp })
    const d = deps(BAD_ID_TOKEN_REPLY)
    await run(runner, d)
    expect(d.requests()).toBe(0)
    expect(runner.failures()).toEqual([
      expect.stringMatching(/is inside GITHUB_WORKSPACE/)
    ])
    expect(fs.readdirSync(m.temp)).toEqual([])
  })

  it('a runner whose command files cannot be written', async () => {
    const m = machine()
    const runner = fakeRunner(inputs, m.env)
    runner.checkCommandFiles = () => {
      throw new Error('not here')
    }
    const d = deps(BAD_ID_TOKEN_REPLY)
    await run(runner, d)
    expect(d.requests()).toBe(0)
    expect(runner.failures()).toEqual([expect.stringMatching(/not here$/)])
    expect(fs.readdirSync(m.temp)).toEqual([])
  })

  it.each([
    ['GITHUB_OUTPUT', 'a directory', (dir: string) => dir],
    [
      'GITHUB_STATE',
      'a missing file',
      (dir: string) => path.join(dir, 'missing', 'state')
    ]
  ])('the real runner: %s that is %s', async (name, _what, target) => {
    const m = machine()
    const files = Object.fromEntries(
      ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE'].map((n) => {
        const file = path.join(m.temp, '..', n)
        fs.writeFileSync(file, '')
        return [n, file]
      })
    )
    const d = deps(BAD_ID_TOKEN_REPLY)
    const lines = await withRealRunner(
      {
        ...m.env,
        ...files,
        [name]: target(m.temp),
        'INPUT_AUTH-JSON': inputs['auth-json'],
        'INPUT_REFRESH-TOKEN-URL': inputs['refresh-token-url']
      },
      (runner) => run(runner, d)
    )
    expect(d.requests()).toBe(0)
    expect(lines.filter((l) => l.startsWith('::error::'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::error::${name} \\(.*\\) cannot be written: .*The runner could not receive this step's results, so the step stopped before any request\\.$`
        )
      )
    ])
    expect(fs.readdirSync(m.temp)).toEqual([])
  })

  it('the real runner: GITHUB_ENV not set', async () => {
    const m = machine()
    const lines = await withRealRunner(
      { ...m.env, 'INPUT_API-KEY': 'sk-test-000000000000' },
      (runner) => run(runner, deps({}))
    )
    expect(lines).toContain(
      '::error::GITHUB_ENV is not set: this runner cannot receive exported variables safely'
    )
    expect(fs.readdirSync(m.temp)).toEqual([])
  })
})
