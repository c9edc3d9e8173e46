import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { renderAuthJson } from '../../src/codex-home/auth-json.js'
import {
  keepRotatedTokens,
  writeBackAuthJson,
  writeBackRefreshed
} from '../../src/codex-home/write-back.js'
import type { RefreshedTokens } from '../../src/credentials/types.js'

let root: string
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-auth-test-wb-'))
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
const tmp = (): string => fs.mkdtempSync(path.join(root, 'd-'))

const doc = {
  auth_mode: 'chatgpt',
  tokens: { id_token: 'i', access_token: 'a', refresh_token: 'r-new' },
  last_refresh: '2026-12-05T00:00:00.000Z'
}

/** A runner's auth.json with old tokens in it. */
function runnerFile(): string {
  const file = path.join(tmp(), 'auth.json')
  fs.writeFileSync(file, '{"old":true}', { mode: 0o400 })
  return file
}

const refreshed = (over: Partial<RefreshedTokens> = {}): RefreshedTokens => ({
  doc,
  rotated: true,
  from: 'input auth-json',
  ...over
})

describe('writeBackAuthJson', () => {
  it('replaces the file atomically, 0600 (never read-only), leaving no temp file', () => {
    const file = runnerFile()
    writeBackAuthJson(file, 'new')
    expect(fs.readFileSync(file, 'utf8')).toBe('new')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(path.dirname(file))).toEqual(['auth.json'])
  })
})

describe('writeBackRefreshed (right after a refresh)', () => {
  it('a runner file gets the tokens in Codex format, and the summary says so', () => {
    const file = runnerFile()
    expect(writeBackRefreshed(refreshed({ target: file }))).toEqual({
      warnings: [],
      facts: [['Refreshed tokens written to', file]]
    })
    expect(fs.readFileSync(file, 'utf8')).toBe(renderAuthJson(doc))
  })

  it('a file that cannot be written is a warning naming it, not a failure', () => {
    const dir = tmp()
    const target = path.join(dir, 'auth.json')
    fs.mkdirSync(target)
    fs.writeFileSync(path.join(target, 'x'), '')
    const report = writeBackRefreshed(refreshed({ target }))
    expect(report.facts).toEqual([])
    expect(report.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The ChatGPT tokens were refreshed, but writing them back to ${target} failed: .*Copy it over ${target} before the job ends\\.$`
        )
      )
    ])
  })

  it('a secret has nothing to write back', () => {
    expect(writeBackRefreshed(refreshed())).toEqual({
      warnings: [],
      facts: []
    })
  })
})

describe('keepRotatedTokens (after a failure)', () => {
  it('writes them back to the runner file and says so', () => {
    const file = runnerFile()
    const temp = tmp()
    expect(
      keepRotatedTokens('It failed.', refreshed({ target: file }), temp)
    ).toBe(
      `It failed. The token endpoint had already rotated the refresh token; the new ChatGPT tokens were written back to ${file}.`
    )
    expect(fs.readFileSync(file, 'utf8')).toBe(renderAuthJson(doc))
    expect(fs.readdirSync(temp)).toEqual([])
  })

  it('without a runner file: auth.json 0600 in a fresh 0700 directory under RUNNER_TEMP, named in the message', () => {
    const temp = tmp()
    const message = keepRotatedTokens('It failed.', refreshed(), temp)
    const [dir, ...others] = fs.readdirSync(temp)
    expect(others).toEqual([])
    const kept = path.join(temp, dir!, 'auth.json')
    expect(fs.statSync(path.dirname(kept)).mode & 0o777).toBe(0o700)
    expect(fs.statSync(kept).mode & 0o777).toBe(0o600)
    expect(fs.readFileSync(kept, 'utf8')).toBe(renderAuthJson(doc))
    expect(message).toBe(
      `It failed. The token endpoint had already rotated the refresh token, so the one stored in input auth-json is now used up. The new ChatGPT tokens are kept in ${kept} until the job ends: save that file (for example in an \`if: failure()\` step) and store it in place of the old auth.json.`
    )
  })

  it('a runner file that cannot take them: kept under RUNNER_TEMP instead', () => {
    const target = path.join(tmp(), 'auth.json')
    fs.mkdirSync(target)
    fs.writeFileSync(path.join(target, 'x'), '')
    const temp = tmp()
    const message = keepRotatedTokens(
      'It failed.',
      refreshed({ target, from: target }),
      temp
    )
    expect(message).toContain(`the one stored in ${target} is now used up`)
    expect(fs.readdirSync(temp)).toHaveLength(1)
  })

  it('nowhere to keep them: the message says they are lost, and why', () => {
    const temp = path.join(tmp(), 'a-file')
    fs.writeFileSync(temp, '')
    expect(keepRotatedTokens('It failed.', refreshed(), temp)).toMatch(
      /^It failed\. The token endpoint had already rotated the refresh token, so the one stored in input auth-json is now used up, and the new tokens could not be kept: .*ENOTDIR.*\. Sign in again with `codex login` and store the new auth\.json\.$/
    )
  })
})
