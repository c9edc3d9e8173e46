import * as fs from 'node:fs'
import * as path from 'node:path'
import { ChatgptAccounts } from '../../dev/backend/chatgpt.js'
import { runCleanup } from '../../src/cleanup/run.js'
import { MARKER_FILE } from '../../src/codex-home/marker.js'
import { digestFile } from '../../src/files/digest.js'
import {
  decodeState,
  encodeState,
  STATE_KEY,
  type CleanupAction
} from '../../src/cleanup/plan.js'
import type { StopDeps } from '../../src/token-source/stop.js'
import { fakeRunner, type FakeRunner } from '../support/fake-runner.js'
import { tempDir } from '../support/temp-dirs.js'

const tmp = (): string => tempDir('post-')

/** A directory that carries the marker of a home the action primed. */
function primedDir(sourceHome = '/src'): string {
  const home = tmp()
  fs.writeFileSync(
    path.join(home, MARKER_FILE),
    JSON.stringify({ primedHome: home, sourceHome })
  )
  return home
}

const accounts = new ChatgptAccounts(Date.now)
const chatgptAuthJson = (): string => JSON.stringify(accounts.mint(), null, 2)

/** A runner home whose auth.json was primed into a marked home. */
function primedPair(): {
  home: string
  primed: string
  target: string
  digest: string
} {
  const source = tmp()
  const target = path.join(source, 'auth.json')
  const home = primedDir(source)
  const primed = path.join(home, 'auth.json')
  const text = chatgptAuthJson()
  fs.writeFileSync(target, text)
  fs.writeFileSync(primed, text)
  return { home, primed, target, digest: digestFile(primed) }
}

function post(actions: CleanupAction[]): FakeRunner {
  const runner = fakeRunner({}, {}, { [STATE_KEY]: encodeState(actions) })
  runCleanup(runner)
  return runner
}

/** A write-back action, as the main step saves it. */
const writeBack = (
  primedAuthFile: string,
  target: string,
  exportedDigest: string
): CleanupAction => ({
  kind: 'write-back',
  primedAuthFile,
  target,
  exportedDigest
})

const warnings = (runner: FakeRunner): string[] =>
  runner.events
    .filter((e) => e.kind === 'warning')
    .map((e) => (e as { value: string }).value)

describe('state', () => {
  it.each([
    '',
    'not json',
    '{}',
    'null',
    '[{"kind":"rm","path":"/"}]',
    '[{"kind":"remove-home"}]',
    '[{"kind":"remove-home","path":""}]',
    '[{"kind":"remove-home","path":7}]',
    '[{"kind":"write-back","primedAuthFile":"/a","target":"/b"}]',
    '[{"kind":"remove-home","path":"/x"},{"kind":"nope"}]',
    '[{"kind":"stop-token-source","pid":0,"startTime":"1","nonce":"n","dir":"/d"}]',
    '[{"kind":"stop-token-source","pid":1.5,"startTime":"1","nonce":"n","dir":"/d"}]',
    '[{"kind":"stop-token-source","pid":"7","startTime":"1","nonce":"n","dir":"/d"}]',
    '[{"kind":"stop-token-source","pid":7,"startTime":"1","nonce":"","dir":"/d"}]',
    '[{"kind":"stop-token-source","pid":7,"startTime":"1","nonce":"n"}]'
  ])('damaged state %j means nothing to do', (raw) =>
    expect(decodeState(raw)).toEqual([])
  )

  it('round-trips', () => {
    const actions: CleanupAction[] = [
      { kind: 'remove-home', path: '/x' },
      writeBack('/p/auth.json', '/s/auth.json', 'abc'),
      {
        kind: 'stop-token-source',
        pid: 4242,
        startTime: '987654',
        nonce: 'f00d',
        dir: '/tmp/codex-identity-abc123'
      }
    ]
    expect(decodeState(encodeState(actions))).toEqual(actions)
  })
})

describe('runCleanup', () => {
  it('removes the primed home and tolerates it being gone', () => {
    const home = primedDir()
    fs.writeFileSync(path.join(home, 'auth.json'), '{}')
    const state = {
      [STATE_KEY]: encodeState([{ kind: 'remove-home', path: home }])
    }
    const runner = fakeRunner({}, {}, state)
    runCleanup(runner)
    expect(fs.existsSync(home)).toBe(false)
    runCleanup(runner)
    expect(runner.logs()).toContain(
      `Primed Codex home ${home} is already gone.`
    )
    expect(runner.failures()).toEqual([])
  })

  it('writes a rotated auth.json back before removing the home', () => {
    const { home, primed, target, digest } = primedPair()
    const rotated = chatgptAuthJson()
    fs.writeFileSync(primed, rotated)
    const runner = post([
      writeBack(primed, target, digest),
      { kind: 'remove-home', path: home }
    ])
    expect(fs.readFileSync(target, 'utf8')).toBe(rotated)
    expect(fs.statSync(target).mode & 0o777).toBe(0o600)
    expect(fs.existsSync(home)).toBe(false)
    expect(runner.logs()).toContain(
      `Wrote the rotated ChatGPT tokens back to ${target}.`
    )
  })

  it('never deletes a directory without the marker, whatever the state says', () => {
    const dir = tmp()
    fs.writeFileSync(path.join(dir, 'precious'), 'x')
    const runner = post([{ kind: 'remove-home', path: dir }])
    expect(fs.existsSync(path.join(dir, 'precious'))).toBe(true)
    expect(warnings(runner)).toEqual([
      `Codex auth cleanup: ${dir} has no marker of a primed Codex home; left in place.`
    ])
  })

  it('leaves the runner file alone when nothing rotated', () => {
    const { primed, target, digest } = primedPair()
    const before = fs.readFileSync(target, 'utf8')
    const runner = post([writeBack(primed, target, digest)])
    expect(fs.readFileSync(target, 'utf8')).toBe(before)
    expect(runner.events).toEqual([])
  })

  it('a failing action warns and the others still run', () => {
    // /proc accepts no new file, not even from root.
    const home = primedDir('/proc/forbidden')
    const primed = path.join(home, 'auth.json')
    fs.writeFileSync(primed, chatgptAuthJson())
    const target = '/proc/forbidden/auth.json'
    const runner = post([
      writeBack(primed, target, 'old'),
      { kind: 'remove-home', path: home }
    ])
    expect(warnings(runner)).toEqual([
      expect.stringMatching(
        /^Codex auth cleanup: could not write the rotated auth.json back to \/proc\/forbidden\/auth.json: /
      )
    ])
    expect(fs.existsSync(home)).toBe(false)
    expect(runner.failures()).toEqual([])
  })
})

describe('write-back holds to what the main step primed', () => {
  const refused = (target: string, why: string): string =>
    `Codex auth cleanup: nothing written back to ${target}: ${why}.`

  it('refuses a source outside a marked primed home', () => {
    const { target } = primedPair()
    const loose = path.join(tmp(), 'auth.json')
    fs.writeFileSync(loose, chatgptAuthJson())
    const before = fs.readFileSync(target, 'utf8')
    const runner = post([writeBack(loose, target, 'x')])
    expect(fs.readFileSync(target, 'utf8')).toBe(before)
    expect(warnings(runner)).toEqual([
      refused(
        target,
        'the file to copy is not the auth.json of a Codex home this action primed'
      )
    ])
  })

  it('refuses a source in a primed home that is not its auth.json', () => {
    const { home, target } = primedPair()
    const other = path.join(home, 'config.toml')
    fs.writeFileSync(other, chatgptAuthJson())
    const before = fs.readFileSync(target, 'utf8')
    const runner = post([writeBack(other, target, 'x')])
    expect(fs.readFileSync(target, 'utf8')).toBe(before)
    expect(warnings(runner)).toHaveLength(1)
  })

  it.each([
    ['another file', (dir: string): string => path.join(dir, 'precious')],
    [
      'an auth.json the home was not made from',
      (dir: string): string => path.join(dir, 'auth.json')
    ]
  ])('refuses a target that is %s', (_what, targetIn) => {
    const { primed } = primedPair()
    fs.writeFileSync(primed, chatgptAuthJson())
    const target = targetIn(tmp())
    fs.writeFileSync(target, 'keep me')
    const runner = post([writeBack(primed, target, 'x')])
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me')
    expect(warnings(runner)).toEqual([
      refused(
        target,
        'it is not the auth.json the primed Codex home was made from'
      )
    ])
  })

  it.each([
    ['not JSON', 'not json'],
    ['an API key auth.json', '{"OPENAI_API_KEY":"sk-proj-forged"}'],
    ['a ChatGPT auth.json without tokens', '{"auth_mode":"chatgpt"}']
  ])('refuses content that is %s', (_what, content) => {
    const { primed, target, digest } = primedPair()
    const before = fs.readFileSync(target, 'utf8')
    fs.writeFileSync(primed, content)
    const runner = post([writeBack(primed, target, digest)])
    expect(fs.readFileSync(target, 'utf8')).toBe(before)
    expect(warnings(runner)).toEqual([
      refused(
        target,
        'the primed auth.json is no longer a valid ChatGPT auth.json'
      )
    ])
  })
})

describe('stop-token-source', () => {
  /** A token source directory, as the launcher names it. */
  function tokenDir(): string {
    const dir = path.join(tmp(), 'codex-identity-Ab12Cd')
    fs.mkdirSync(dir, { mode: 0o700 })
    fs.writeFileSync(path.join(dir, 'token'), '')
    return dir
  }

  /** A system where the helper runs until its first signal. */
  function system(matching: boolean): { deps: StopDeps; calls: string[] } {
    const calls: string[] = []
    let alive = matching
    const deps: StopDeps = {
      readIdentity: () =>
        alive
          ? { startTime: '987654', argv: ['node', '--nonce', 'f00d'] }
          : undefined,
      kill: (pid, signal) => {
        calls.push(`${signal} ${pid}`)
        alive = false
      },
      sleepSync: () => undefined,
      now: Date.now
    }
    return { deps, calls }
  }

  const stop = (dir: string): CleanupAction => ({
    kind: 'stop-token-source',
    pid: 4242,
    startTime: '987654',
    nonce: 'f00d',
    dir
  })

  it('stops the helper before anything else and removes its directory', () => {
    const dir = tokenDir()
    const home = primedDir()
    const { deps, calls } = system(true)
    const runner = fakeRunner(
      {},
      {},
      {
        [STATE_KEY]: encodeState([
          { kind: 'remove-home', path: home },
          stop(dir)
        ])
      }
    )
    runCleanup(runner, deps)
    expect(calls).toEqual(['SIGTERM 4242'])
    expect(fs.existsSync(dir)).toBe(false)
    expect(fs.existsSync(home)).toBe(false)
    expect(runner.logs()[0]).toBe(
      `Stopped the identity token source (pid 4242) and removed ${dir}.`
    )
  })

  it('signals nothing when the process is not the one saved, and still removes the directory', () => {
    const dir = tokenDir()
    const { deps, calls } = system(false)
    const runner = fakeRunner({}, {}, { [STATE_KEY]: encodeState([stop(dir)]) })
    runCleanup(runner, deps)
    expect(calls).toEqual([])
    expect(fs.existsSync(dir)).toBe(false)
    expect(runner.logs()).toContain(
      `The identity token source (pid 4242) had already ended; removed ${dir}.`
    )
  })

  it('removes only a directory named like a token source directory', () => {
    const dir = tmp()
    fs.writeFileSync(path.join(dir, 'precious'), 'x')
    const { deps } = system(false)
    const runner = fakeRunner({}, {}, { [STATE_KEY]: encodeState([stop(dir)]) })
    runCleanup(runner, deps)
    expect(fs.existsSync(path.join(dir, 'precious'))).toBe(true)
    expect(runner.failures()).toEqual([])
  })
})
