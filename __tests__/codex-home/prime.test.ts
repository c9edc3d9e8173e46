import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  createPrimedHome,
  primeCodexHome,
  resolveSourceHome
} from '../../src/codex-home/prime.js'
import { writeFileAtomic, writeNewFile } from '../../src/files/safe-write.js'
import { MARKER_FILE } from '../../src/codex-home/marker.js'
import { tempDir } from '../support/temp-dirs.js'

const tmp = (): string => tempDir('home-')

const files = {
  sourceHome: '/src/home',
  authJsonText: '{"a":1}',
  configToml: 'model = "o3"\n'
}

describe('primeCodexHome', () => {
  it('creates a fresh 0700 home with 0600 files and a marker', () => {
    const parent = tmp()
    const primed = primeCodexHome(createPrimedHome(parent, undefined), files)
    expect(path.dirname(primed.home)).toBe(parent)
    expect(fs.statSync(primed.home).mode & 0o777).toBe(0o700)
    expect(fs.readdirSync(primed.home).sort()).toEqual([
      MARKER_FILE,
      'auth.json',
      'config.toml'
    ])
    for (const f of fs.readdirSync(primed.home)) {
      expect(fs.statSync(path.join(primed.home, f)).mode & 0o777).toBe(0o600)
    }
    expect(fs.readFileSync(primed.authFile!, 'utf8')).toBe('{"a":1}')
    expect(fs.readFileSync(primed.configFile, 'utf8')).toBe('model = "o3"\n')
    expect(resolveSourceHome(primed.home)).toBe('/src/home')
  })

  it('two primes get two homes', () => {
    const parent = tmp()
    expect(createPrimedHome(parent, undefined)).not.toBe(
      createPrimedHome(parent, undefined)
    )
  })

  it('creates a missing RUNNER_TEMP', () => {
    const parent = path.join(tmp(), 'a', 'b')
    expect(path.dirname(createPrimedHome(parent, undefined))).toBe(parent)
  })

  it('a file that cannot be written names RUNNER_TEMP', () => {
    const home = createPrimedHome(tmp(), undefined)
    fs.writeFileSync(path.join(home, 'auth.json'), 'in the way')
    expect(() => primeCodexHome(home, files)).toThrow(
      new RegExp(
        `^Could not write the primed Codex home at ${path.dirname(home)}: .*EEXIST.*\\. Check that RUNNER_TEMP is writable\\.$`
      )
    )
  })

  it('a copied marker naming another directory does not redirect', () => {
    const home = tmp()
    fs.writeFileSync(
      path.join(home, MARKER_FILE),
      JSON.stringify({ primedHome: '/elsewhere', sourceHome: '/s' })
    )
    expect(resolveSourceHome(home)).toBe(home)
    fs.writeFileSync(path.join(home, MARKER_FILE), 'not json')
    expect(resolveSourceHome(home)).toBe(home)
  })
})

describe('where the primed home may go', () => {
  it('RUNNER_TEMP that is a file: the home cannot be created', () => {
    const file = path.join(tmp(), 'temp-file')
    fs.writeFileSync(file, '')
    expect(() => createPrimedHome(file, undefined)).toThrow(
      new RegExp(
        `^Could not write the primed Codex home at ${file}: .*\\. Check that RUNNER_TEMP is writable\\.$`
      )
    )
    expect(fs.readFileSync(file, 'utf8')).toBe('')
  })

  it('refuses a RUNNER_TEMP inside the workspace, and creates nothing there', () => {
    const workspace = tmp()
    const temp = path.join(workspace, 'tmp')
    expect(() => createPrimedHome(temp, workspace)).toThrow(
      `RUNNER_TEMP (${temp}) is inside GITHUB_WORKSPACE (${workspace})`
    )
    expect(() => createPrimedHome(workspace, workspace)).toThrow(
      /is inside GITHUB_WORKSPACE/
    )
    expect(fs.readdirSync(workspace)).toEqual([])
  })

  it('compares real paths: a symlinked RUNNER_TEMP into the workspace is refused', () => {
    const base = tmp()
    const workspace = path.join(base, 'work')
    fs.mkdirSync(path.join(workspace, 'inside'), { recursive: true })
    const link = path.join(base, 'runner-temp')
    fs.symlinkSync(path.join(workspace, 'inside'), link)
    expect(() => createPrimedHome(link, workspace)).toThrow(
      `RUNNER_TEMP (${link}) is inside GITHUB_WORKSPACE (${workspace})`
    )
    // A missing RUNNER_TEMP below the link is inside as well.
    expect(() => createPrimedHome(path.join(link, 'new'), workspace)).toThrow(
      /is inside GITHUB_WORKSPACE/
    )
    expect(fs.readdirSync(path.join(workspace, 'inside'))).toEqual([])
  })

  it('compares real paths: a workspace reached through a symlink is recognised', () => {
    const base = tmp()
    fs.mkdirSync(path.join(base, 'work', '_temp'), { recursive: true })
    const workspaceLink = path.join(base, 'ws-link')
    fs.symlinkSync(path.join(base, 'work'), workspaceLink)
    expect(() =>
      createPrimedHome(path.join(base, 'work', '_temp'), workspaceLink)
    ).toThrow(/is inside GITHUB_WORKSPACE/)
  })

  it('a sibling of the workspace is fine', () => {
    const base = tmp()
    fs.mkdirSync(path.join(base, 'work'))
    const home = createPrimedHome(
      path.join(base, '_temp'),
      path.join(base, 'work')
    )
    expect(path.dirname(home)).toBe(path.join(base, '_temp'))
  })
})

describe('safe writes', () => {
  it('writeNewFile refuses an existing file and a symlink', () => {
    const dir = tmp()
    const target = path.join(dir, 'target')
    fs.writeFileSync(target, 'original')
    expect(() => writeNewFile(target, 'x')).toThrow(/EEXIST/)
    const link = path.join(dir, 'link')
    fs.symlinkSync(path.join(dir, 'victim'), link)
    expect(() => writeNewFile(link, 'x')).toThrow(/EEXIST/)
    expect(fs.existsSync(path.join(dir, 'victim'))).toBe(false)
  })

  it('writeFileAtomic replaces content with mode 0600 and leaves no temp file', () => {
    const dir = tmp()
    const file = path.join(dir, 'auth.json')
    fs.writeFileSync(file, 'old', { mode: 0o644 })
    writeFileAtomic(file, 'new')
    expect(fs.readFileSync(file, 'utf8')).toBe('new')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(dir)).toEqual(['auth.json'])
  })

  it('writeFileAtomic replaces a symlink instead of writing through it', () => {
    const dir = tmp()
    const victim = path.join(dir, 'victim')
    fs.writeFileSync(victim, 'keep')
    const file = path.join(dir, 'auth.json')
    fs.symlinkSync(victim, file)
    writeFileAtomic(file, 'new')
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep')
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(false)
  })
})
