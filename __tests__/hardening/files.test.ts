/**
 * Files: what the built action creates, where, with which modes, what it
 * refuses to write through, and that its post step removes exactly what it
 * created without ever failing the job.
 */
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { startDevBackend, type DevBackend } from '../../dev/backend/index.js'
import { writeFileAtomic, writeNewFile } from '../../src/files/safe-write.js'
import { encodeState, STATE_KEY } from '../../src/cleanup/plan.js'
import { MARKER_FILE } from '../../src/codex-home/marker.js'
import { describeFindings } from '../support/leak-scan.js'
import {
  EMPTY_PLAN,
  listFiles,
  makeRunnerDirs,
  runAction,
  runPost,
  type RunnerDirs,
  type RunResult
} from '../support/run-action.js'
import { expectCleanFailure, runScanned } from './support/harness.js'
import { tempDir } from '../support/temp-dirs.js'

const UMASK_000 = pathToFileURL(
  path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    'support/umask-000.mjs'
  )
).href

let backend: DevBackend
beforeAll(async () => {
  backend = await startDevBackend()
})
afterAll(async () => {
  await backend.close()
})

function endpoints(): Record<string, string> {
  return {
    'chatgpt-base-url': backend.chatgptBaseUrl,
    'jwks-base-url': backend.chatgptBaseUrl,
    'authapi-base-url': backend.authapiBaseUrl,
    'refresh-token-url': backend.refreshTokenUrl
  }
}

/** One credential per mode, as inputs. */
const MODES: [string, () => Record<string, string>][] = [
  ['apikey', () => ({ 'api-key': 'sk-proj-files-test-000000000000' })],
  [
    'agentIdentity',
    () => ({ 'access-token': backend.mintAgentIdentity().jwt, ...endpoints() })
  ],
  [
    'personalAccessToken',
    () => ({
      'access-token': backend.mintPersonalAccessToken().token,
      ...endpoints()
    })
  ],
  [
    'chatgpt',
    () => ({
      'auth-json': JSON.stringify(
        backend.mintChatgptAuth({ accessTokenExpiresIn: -60 })
      ),
      ...endpoints()
    })
  ]
]

/**
 * Why an immutable file cannot be made here (no `chattr`, not root, or a
 * file system without the flag), or undefined when it can. Decided before
 * the tests are declared, so the test that needs it shows as skipped, with
 * this reason in the log, instead of passing without checking anything.
 */
function immutableFilesUnavailable(): string | undefined {
  const probe = tempDir('chattr-')
  const file = path.join(probe, 'probe')
  fs.writeFileSync(file, '')
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'pipe' })
    execFileSync('chattr', ['-i', file], { stdio: 'pipe' })
    return undefined
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim()
    return stderr || (error as Error).message
  } finally {
    fs.rmSync(probe, { recursive: true, force: true })
  }
}

const NO_IMMUTABLE_FILES = immutableFilesUnavailable()
if (NO_IMMUTABLE_FILES !== undefined) {
  process.stderr.write(
    `files.test.ts: SKIPPING the immutable-file test: chattr +i fails here (${NO_IMMUTABLE_FILES})\n`
  )
}
/** `it`, or a visible skip that names the reason when chattr cannot work. */
function itWithImmutableFiles(title: string, test: () => Promise<void>): void {
  if (NO_IMMUTABLE_FILES === undefined) it(title, test)
  else it.skip(`${title} (chattr +i fails here: ${NO_IMMUTABLE_FILES})`, test)
}

function modeOf(path: string): number {
  return fs.lstatSync(path).mode & 0o777
}

describe.each(MODES)('%s', (_mode, inputs) => {
  it('primes a fresh 0700 home of 0600 regular files, even with umask 000', async () => {
    const r = await runAction({
      inputs: inputs(),
      env: { NODE_OPTIONS: `--import=${UMASK_000}` }
    })
    expect(r.code).toBe(0)
    const home = r.outputs['codex-home']!
    expect(path.dirname(home)).toBe(r.dirs.runnerTemp)
    expect(path.basename(home)).toMatch(/^codex-home-/)
    expect(modeOf(home)).toBe(0o700)
    const entries = fs.readdirSync(home, { withFileTypes: true })
    expect(entries.map((e) => e.name).sort()).toEqual([
      '.codex-auth-action.json',
      'auth.json',
      'config.toml'
    ])
    for (const entry of entries) {
      expect(entry.isFile()).toBe(true)
      expect(modeOf(path.join(home, entry.name))).toBe(0o600)
    }
    // Nothing else anywhere: not in RUNNER_TEMP, HOME or the workspace.
    expect(listFiles(r.dirs.runnerTemp).map((f) => path.dirname(f))).toEqual(
      expect.arrayContaining([path.basename(home)])
    )
    expect(listFiles(r.dirs.workspace)).toEqual([])
    expect(listFiles(r.dirs.home)).toEqual([])
    await runPost(r)
  })

  it('two invocations in one job: two homes, the post steps clean both', async () => {
    const dirs = makeRunnerDirs()
    const first = await runAction({ dirs, inputs: inputs() })
    const second = await runAction({
      dirs,
      inputs: inputs(),
      env: { CODEX_HOME: first.env['CODEX_HOME'] ?? '' }
    })
    expect([first.code, second.code]).toEqual([0, 0])
    const homes = [first.outputs['codex-home']!, second.outputs['codex-home']!]
    expect(homes[0]).not.toBe(homes[1])
    // The second run did not read the first one's primed copy as its source.
    expect(second.stdout).not.toContain(`${homes[0]}/auth.json`)
    // Post steps run in reverse order on a runner.
    const postSecond = await runPost(second)
    expect(fs.existsSync(homes[1]!)).toBe(false)
    expect(fs.existsSync(homes[0]!)).toBe(true)
    const postFirst = await runPost(first)
    expect([postFirst.code, postSecond.code]).toEqual([0, 0])
    expect(fs.readdirSync(dirs.runnerTemp)).toEqual([])
  })
})

describe('refusing to write through links or over existing files', () => {
  const tmp = (): string => tempDir('codex-auth-files-')

  it('writeNewFile refuses an existing file, a symlink and a dangling symlink', () => {
    const dir = tmp()
    const target = path.join(dir, 'elsewhere')
    fs.writeFileSync(target, 'untouched')
    const existing = path.join(dir, 'existing')
    fs.writeFileSync(existing, 'old')
    fs.symlinkSync(target, path.join(dir, 'link'))
    fs.symlinkSync(path.join(dir, 'missing'), path.join(dir, 'dangling'))
    for (const name of ['existing', 'link', 'dangling']) {
      expect(() => writeNewFile(path.join(dir, name), 'new')).toThrow(/EEXIST/)
    }
    expect(fs.readFileSync(target, 'utf8')).toBe('untouched')
    expect(fs.readFileSync(existing, 'utf8')).toBe('old')
    // The dangling link was not followed to create its target.
    expect(fs.existsSync(path.join(dir, 'missing'))).toBe(false)
  })

  it('writeFileAtomic leaves no temp file behind when the rename fails', () => {
    const dir = tmp()
    const target = path.join(dir, 'auth.json')
    fs.mkdirSync(target)
    fs.writeFileSync(path.join(target, 'keep'), 'x')
    expect(() => writeFileAtomic(target, 'secret')).toThrow()
    expect(fs.readdirSync(dir)).toEqual(['auth.json'])
  })

  it('a refresh written back to a symlinked auth.json replaces the link, never its target', async () => {
    const dirs = makeRunnerDirs()
    const codexHome = path.join(dirs.home, '.codex')
    fs.mkdirSync(codexHome)
    const real = path.join(dirs.root, 'real-auth.json')
    const auth = backend.mintChatgptAuth({ accessTokenExpiresIn: -60 })
    fs.writeFileSync(real, JSON.stringify(auth))
    fs.symlinkSync(real, path.join(codexHome, 'auth.json'))
    const r = await runAction({ dirs, inputs: endpoints() })
    expect(r.code).toBe(0)
    const link = path.join(codexHome, 'auth.json')
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(false)
    expect(modeOf(link)).toBe(0o600)
    expect(fs.readFileSync(real, 'utf8')).toBe(JSON.stringify(auth))
    expect(
      (JSON.parse(fs.readFileSync(link, 'utf8')) as typeof auth).tokens
        .refresh_token
    ).not.toBe(auth.tokens.refresh_token)
    await runPost(r)
    expect(fs.readdirSync(dirs.runnerTemp)).toEqual([])
  })

  it('logging out of a symlinked auth.json removes the link, not its target', async () => {
    const dirs = makeRunnerDirs()
    const codexHome = path.join(dirs.home, '.codex')
    fs.mkdirSync(codexHome)
    const real = path.join(dirs.root, 'real-auth.json')
    fs.writeFileSync(
      real,
      JSON.stringify({ OPENAI_API_KEY: 'sk-proj-linked-000000000000' })
    )
    fs.symlinkSync(real, path.join(codexHome, 'auth.json'))
    const r = await runAction({
      dirs,
      inputs: { 'forced-login-method': 'chatgpt' }
    })
    expectCleanFailure(
      r,
      'ChatGPT login is required, but an API key is currently being used. Logging out.'
    )
    expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(false)
    expect(fs.existsSync(real)).toBe(true)
  })
})

describe('failures leave nothing behind', () => {
  it('RUNNER_TEMP that is a file: one clear error, nothing exported', async () => {
    const dirs = makeRunnerDirs()
    const notADir = path.join(dirs.root, 'temp-file')
    fs.writeFileSync(notADir, '')
    const r = await runAction({
      dirs,
      inputs: { 'api-key': 'sk-proj-files-test-000000000000' },
      env: { RUNNER_TEMP: notADir }
    })
    expect(r.code).toBe(1)
    expect(r.error).toMatch(
      /^Could not write the primed Codex home at .*temp-file: .*\. Check that RUNNER_TEMP is writable\.$/
    )
    expect(r.raw.env + r.raw.output).toBe('')
    expect(r.state).toEqual(EMPTY_PLAN)
    expect(fs.readFileSync(notADir, 'utf8')).toBe('')
  })

  it.each(MODES)(
    '%s: an unwritable GITHUB_OUTPUT leaves no primed home',
    async (mode, inputs) => {
      // GITHUB_OUTPUT pointing at a directory: checked before any request,
      // after the home's directory was created.
      const dirs = makeRunnerDirs()
      const run = await runScanned(
        dirs,
        { inputs: inputs(), env: { GITHUB_OUTPUT: dirs.workspace } },
        []
      )
      expect(run.main.code).toBe(1)
      expect(run.main.error).toMatch(/^Unexpected error|EISDIR/)
      expect(fs.readdirSync(dirs.runnerTemp)).toEqual([])
      expect(describeFindings(run.findings)).toEqual([])
      void mode
    }
  )

  // A failure half-way through exporting takes back what was exported: a
  // later `if: always()` step must not get a CODEX_HOME that was removed.
  it('a failure while exporting takes the exported env back', async () => {
    const dirs = makeRunnerDirs()
    const r = await runAction({
      dirs,
      inputs: { 'api-key': 'sk-proj-files-test-000000000000' },
      env: { GITHUB_OUTPUT: dirs.workspace }
    })
    expect(r.code).toBe(1)
    expect(r.raw.env).toBe('')
  })

  // Everything is exported before the summary; failing over the summary
  // would remove the home those exports point to.
  it('an unwritable job summary is a warning, not a failure', async () => {
    const dirs = makeRunnerDirs()
    const r = await runAction({
      dirs,
      inputs: { 'api-key': 'sk-proj-files-test-000000000000' },
      env: { GITHUB_STEP_SUMMARY: dirs.workspace }
    })
    expect(r.code).toBe(0)
    expect(fs.existsSync(r.outputs['codex-home'] ?? '')).toBe(true)
  })

  // The workspace is often uploaded or cached: credentials never go there.
  it('RUNNER_TEMP inside the workspace: no credentials in the checkout', async () => {
    const dirs = makeRunnerDirs()
    const inside = path.join(dirs.workspace, '_temp')
    fs.mkdirSync(inside)
    const r = await runAction({
      dirs,
      inputs: { 'api-key': 'sk-proj-files-test-000000000000' },
      env: { RUNNER_TEMP: inside }
    })
    expect(listFiles(dirs.workspace)).toEqual([])
    expect(r.code).toBe(1)
  })

  it('RUNNER_TEMP reached through a symlink into the workspace: refused too', async () => {
    const dirs = makeRunnerDirs()
    fs.mkdirSync(path.join(dirs.workspace, '_temp'))
    const link = path.join(dirs.root, 'temp-link')
    fs.symlinkSync(path.join(dirs.workspace, '_temp'), link)
    const r = await runAction({
      dirs,
      inputs: { 'api-key': 'sk-proj-files-test-000000000000' },
      env: { RUNNER_TEMP: link }
    })
    expect(r.code).toBe(1)
    expect(r.error).toBe(
      `RUNNER_TEMP (${link}) is inside GITHUB_WORKSPACE (${dirs.workspace}); the primed Codex home holds credentials and must not be written into the workspace, which may be uploaded or cached. Point RUNNER_TEMP elsewhere.`
    )
    expect(listFiles(dirs.workspace)).toEqual([])
    expect(r.raw.env + r.raw.output).toBe('')
    expect(r.state).toEqual(EMPTY_PLAN)
  })
})

describe('the post step never fails the job', () => {
  function post(dirs: RunnerDirs, state: string): Promise<RunResult> {
    return runAction({ dirs, entry: 'post', state: { [STATE_KEY]: state } })
  }
  const warnings = (r: RunResult): string[] =>
    r.commands.filter((c) => c.name === 'warning').map((c) => c.value)
  /** Makes `home` look like a home the main step primed (its marker). */
  const markPrimed = (home: string, sourceHome = '/source'): void =>
    fs.writeFileSync(
      path.join(home, MARKER_FILE),
      JSON.stringify({ primedHome: home, sourceHome })
    )

  itWithImmutableFiles(
    'a home that cannot be removed: a warning, exit 0',
    async () => {
      const dirs = makeRunnerDirs()
      const home = path.join(dirs.runnerTemp, 'codex-home-stuck')
      fs.mkdirSync(home)
      markPrimed(home)
      const pinned = path.join(home, 'auth.json')
      fs.writeFileSync(pinned, '{}')
      // An immutable file: root cannot delete it either.
      execFileSync('chattr', ['+i', pinned], { stdio: 'ignore' })
      try {
        const r = await post(
          dirs,
          encodeState([{ kind: 'remove-home', path: home }])
        )
        expect(r.code).toBe(0)
        expect(r.error).toBeUndefined()
        expect(warnings(r)).toEqual([
          expect.stringMatching(
            new RegExp(`^Codex auth cleanup: could not remove ${home}: `)
          )
        ])
      } finally {
        execFileSync('chattr', ['-i', pinned], { stdio: 'ignore' })
      }
    }
  )

  it('a write-back that cannot be written: a warning, exit 0, the home still removed', async () => {
    const dirs = makeRunnerDirs()
    const home = path.join(dirs.runnerTemp, 'codex-home-wb')
    fs.mkdirSync(home)
    markPrimed(home, dirs.home)
    const primed = path.join(home, 'auth.json')
    fs.writeFileSync(primed, JSON.stringify(backend.mintChatgptAuth()))
    const target = path.join(dirs.home, 'auth.json')
    fs.mkdirSync(target)
    fs.writeFileSync(path.join(target, 'x'), '')
    const r = await post(
      dirs,
      encodeState([
        {
          kind: 'write-back',
          primedAuthFile: primed,
          target,
          exportedDigest: 'digest-of-an-older-copy'
        },
        { kind: 'remove-home', path: home }
      ])
    )
    expect(r.code).toBe(0)
    expect(warnings(r)).toEqual([
      expect.stringMatching(
        /^Codex auth cleanup: could not write the rotated auth\.json back to /
      )
    ])
    expect(fs.existsSync(home)).toBe(false)
    expect(fs.readdirSync(path.dirname(target))).toEqual(['auth.json'])
  })

  it.each(['', 'garbage', '[{"kind":"remove-home","path":""}]', '{}'])(
    'damaged state %j: does nothing, exit 0',
    async (state) => {
      const dirs = makeRunnerDirs()
      const r = await post(dirs, state)
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('')
      expect(warnings(r)).toEqual([])
    }
  )

  // A STATE_cleanup the main step did not write must not make the post
  // step delete any directory: only a home whose marker names it.
  it('removes only homes it primed (marker present)', async () => {
    const dirs = makeRunnerDirs()
    const precious = path.join(dirs.workspace, 'src')
    fs.mkdirSync(precious)
    fs.writeFileSync(path.join(precious, 'main.c'), 'int main() {}')
    const r = await post(
      dirs,
      encodeState([{ kind: 'remove-home', path: precious }])
    )
    expect(r.code).toBe(0)
    expect(fs.existsSync(path.join(precious, 'main.c'))).toBe(true)
  })
})

describe('reading what the runner holds: regular files of at most 1 MiB', () => {
  // A FIFO would block the read forever; /dev/zero would grow memory until
  // the runner kills the job. Both must be one clear error, at once.
  const KEY = 'sk-test-fake-key-0123456789'

  it.each([
    ['config.toml', 'a FIFO', (file: string) => execFileSync('mkfifo', [file])],
    [
      'config.toml',
      'a link to /dev/zero',
      (file: string) => fs.symlinkSync('/dev/zero', file)
    ],
    [
      'config.toml',
      'over 1 MiB',
      (file: string) => fs.writeFileSync(file, `# ${'x'.repeat(1024 * 1024)}\n`)
    ],
    ['auth.json', 'a FIFO', (file: string) => execFileSync('mkfifo', [file])]
  ])('<codex-home>/%s that is %s', async (name, _what, make) => {
    const dirs = makeRunnerDirs()
    const home = tempDir('home-')
    make(path.join(home, name))
    const r = await runAction({
      dirs,
      // auth.json is read only when no other credential is given.
      inputs: {
        'codex-home': home,
        ...(name === 'auth.json' ? {} : { 'api-key': KEY })
      },
      timeoutMs: 20_000
    })
    expect(r.code).toBe(1)
    expect(r.error).toMatch(/(not a regular file|larger than 1 MiB)/)
    expect(r.error).toContain(path.join(home, name))
    expect(r.raw.env + r.raw.output).toBe('')
  })
})
