/**
 * The user-facing documents stay true to the repository: every npm script
 * they name exists, every file or folder they name exists, and every
 * example `uses:` of this action has the `<owner>` placeholder the README
 * explains.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ROOT } from '../../dev/runner-sim.js'

const DOCS = [
  'README.md',
  'CHANGELOG.md',
  'docs/SECURITY.md',
  'docs/TROUBLESHOOTING.md',
  'dev/backend/README.md'
]
const read = (file: string): string =>
  fs.readFileSync(path.join(ROOT, file), 'utf8')
const scripts = Object.keys(
  (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
    .scripts
)

/** A repository path in backticks: a known top-level folder or file. */
const REPO_PATH =
  /^(?:(?:\.github|\.ci|src|dev|scripts|__tests__|docs|bench|codex-compat|dist)\/[\w./-]*|action\.yml|CHANGELOG\.md|LICENSE|package\.json)$/

function namedPaths(text: string): string[] {
  const inCode = [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!)
  const linked = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target))
  return [...inCode.filter((p) => REPO_PATH.test(p)), ...linked]
}

describe.each(DOCS)('%s', (doc) => {
  const text = read(doc)

  it('names only npm scripts that exist', () => {
    const named = [...text.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map(
      (m) => m[1]!
    )
    expect(named.filter((name) => !scripts.includes(name))).toEqual([])
  })

  it('names only files and folders that exist', () => {
    const base = path.dirname(path.join(ROOT, doc))
    const missing = namedPaths(text).filter((p) => {
      // Links are relative to the document, backticked paths to the root.
      const candidates = [path.join(ROOT, p), path.join(base, p)]
      return !candidates.some((c) => fs.existsSync(c))
    })
    expect(missing).toEqual([])
  })

  it('uses this action only as <owner>/codex-auth-action', () => {
    const uses = [...text.matchAll(/uses: (\S+)/g)].map((m) => m[1]!)
    const ours = uses.filter((u) => u.includes('codex-auth-action'))
    expect(ours.filter((u) => !u.startsWith('<owner>/'))).toEqual([])
  })
})

describe('README', () => {
  const readme = read('README.md')

  it('explains the <owner> placeholder before the first example', () => {
    const explained = readme.indexOf('`<owner>`')
    expect(explained).toBeGreaterThan(-1)
    expect(explained).toBeLessThan(readme.indexOf('uses: <owner>/'))
  })

  it('has a Versions section: @v1, SHA pins, major versions, dist/', () => {
    const section = /## Versions\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? ''
    expect(section).toContain('`@v1`')
    expect(section).toContain('commit SHA')
    expect(section).toContain('major version')
    expect(section).toContain('`dist/`')
    expect(section).toContain('scripts/release.sh')
  })
})

describe('README.md "Architecture"', () => {
  const readme = read('README.md')
  const start = readme.indexOf('### Architecture')
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1))
  const tree = section.slice(
    section.indexOf('```text'),
    section.lastIndexOf('```')
  )
  // The first column of each line below `src/`: `sources/`, `index.ts, post.ts`.
  const named = tree
    .split('\n')
    .filter((line) => line.startsWith('  '))
    .flatMap((line) =>
      line
        .trim()
        .split(/\s{2,}/)[0]!
        .split(/,\s*/)
    )

  it('is there, with the tree of src/', () => {
    expect(start).toBeGreaterThan(0)
    expect(named.length).toBeGreaterThan(10)
  })

  it('names every folder and top-level module of src/, and nothing else', () => {
    const entries = fs
      .readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
      .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
      .sort()
    expect([...named].sort()).toEqual(entries)
  })
})
