import * as fs from 'node:fs'
import * as path from 'node:path'
import { runCleanup } from '../../src/cleanup/run.js'
import { digestFile } from '../../src/export.js'
import { MARKER_FILE } from '../../src/codex-home/marker.js'
import { decodeState, encodeState, STATE_KEY } from '../../src/cleanup/plan.js'
import { fakeRunner } from '../support/fake-runner.js'
import { tempDir } from '../support/temp-dirs.js'

const tmp = (): string => tempDir('post-')

/** A directory that carries the marker of a home the action primed. */
function primedDir(): string {
  const home = tmp()
  fs.writeFileSync(
    path.join(home, MARKER_FILE),
    JSON.stringify({ primedHome: home, sourceHome: '/src' })
  )
  return home
}

describe('state', () => {
  it.each([
    '',
    'not json',
    '{}',
    '[{"kind":"rm","path":"/"}]',
    '[{"kind":"remove-home"}]'
  ])('damaged state %j means nothing to do', (raw) =>
    expect(decodeState(raw)).toEqual([])
  )

  it('round-trips', () => {
    const actions = [{ kind: 'remove-home' as const, path: '/x' }]
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
    const home = primedDir()
    const primed = path.join(home, 'auth.json')
    fs.writeFileSync(primed, 'v1')
    const target = path.join(tmp(), 'auth.json')
    fs.writeFileSync(target, 'v1')
    const digest = digestFile(primed)
    fs.writeFileSync(primed, 'v2-rotated')
    runCleanup(
      fakeRunner(
        {},
        {},
        {
          [STATE_KEY]: encodeState([
            {
              kind: 'write-back',
              primedAuthFile: primed,
              target,
              exportedDigest: digest
            },
            { kind: 'remove-home', path: home }
          ])
        }
      )
    )
    expect(fs.readFileSync(target, 'utf8')).toBe('v2-rotated')
    expect(fs.statSync(target).mode & 0o777).toBe(0o600)
    expect(fs.existsSync(home)).toBe(false)
  })

  it('never deletes a directory without the marker, whatever the state says', () => {
    const dir = tmp()
    fs.writeFileSync(path.join(dir, 'precious'), 'x')
    const runner = fakeRunner(
      {},
      {},
      {
        [STATE_KEY]: encodeState([{ kind: 'remove-home', path: dir }])
      }
    )
    runCleanup(runner)
    expect(fs.existsSync(path.join(dir, 'precious'))).toBe(true)
    expect(runner.events).toContainEqual({
      kind: 'warning',
      value: `Codex auth cleanup: ${dir} has no marker of a primed Codex home; left in place.`
    })
  })

  it('leaves the runner file alone when nothing rotated', () => {
    const home = tmp()
    const primed = path.join(home, 'auth.json')
    fs.writeFileSync(primed, 'same')
    const target = path.join(tmp(), 'auth.json')
    fs.writeFileSync(target, 'runner copy')
    runCleanup(
      fakeRunner(
        {},
        {},
        {
          [STATE_KEY]: encodeState([
            {
              kind: 'write-back',
              primedAuthFile: primed,
              target,
              exportedDigest: digestFile(primed)
            }
          ])
        }
      )
    )
    expect(fs.readFileSync(target, 'utf8')).toBe('runner copy')
  })

  it('a failing action warns and the others still run', () => {
    const home = primedDir()
    const primed = path.join(home, 'auth.json')
    fs.writeFileSync(primed, 'x')
    const runner = fakeRunner(
      {},
      {},
      {
        [STATE_KEY]: encodeState([
          {
            kind: 'write-back',
            primedAuthFile: primed,
            target: '/proc/forbidden/auth.json',
            exportedDigest: 'old'
          },
          { kind: 'remove-home', path: home }
        ])
      }
    )
    runCleanup(runner)
    expect(runner.events.filter((e) => e.kind === 'warning')).toEqual([
      {
        kind: 'warning',
        value: expect.stringMatching(
          /^Codex auth cleanup: could not write the rotated auth.json back to \/proc\/forbidden\/auth.json/
        )
      }
    ])
    expect(fs.existsSync(home)).toBe(false)
    expect(runner.failures()).toEqual([])
  })
})
