/**
 * scripts/release.sh in a temporary clone: a dry run (the default) prints
 * the plan and changes nothing; --apply bumps, moves the changelog entries,
 * commits and tags locally, and pushes nothing.
 */
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { ROOT, spawnCollect } from '../../dev/runner-sim.js'

/** The files the script reads or writes, as they are in this worktree. */
const OVERLAY = [
  'scripts/release.sh',
  'CHANGELOG.md',
  'package.json',
  'package-lock.json'
]

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()

let clone: string

/** Everything a release could change: HEAD, tags, the worktree. */
function snapshot(dir: string): string {
  return [
    git(dir, 'rev-parse', 'HEAD'),
    git(dir, 'tag', '-l', '--format=%(refname) %(objectname)'),
    git(dir, 'status', '--porcelain', '--untracked-files=all'),
    git(dir, 'diff')
  ].join('\n--\n')
}

async function release(
  ...args: string[]
): Promise<{ code: number | null; out: string }> {
  const { code, stdout, stderr } = await spawnCollect(
    'bash',
    ['scripts/release.sh', ...args],
    {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: path.dirname(clone),
        GIT_CONFIG_NOSYSTEM: '1'
      },
      cwd: clone
    }
  )
  return { code, out: stdout + stderr }
}

beforeAll(() => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-auth-release-'))
  clone = path.join(parent, 'clone')
  git(parent, 'clone', '--quiet', ROOT, clone)
  git(clone, 'config', 'user.name', 'Release Test')
  git(clone, 'config', 'user.email', 'release-test@example.invalid')
  git(clone, 'config', 'commit.gpgsign', 'false')
  git(clone, 'config', 'tag.gpgsign', 'false')
  for (const file of OVERLAY) {
    fs.mkdirSync(path.dirname(path.join(clone, file)), { recursive: true })
    fs.copyFileSync(path.join(ROOT, file), path.join(clone, file))
  }
  git(clone, 'add', '-A')
  if (git(clone, 'status', '--porcelain') !== '') {
    git(clone, 'commit', '--quiet', '-m', 'worktree files under test')
  }
})

afterAll(() => {
  fs.rmSync(path.dirname(clone), { recursive: true, force: true })
})

const version = (): string =>
  (
    JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf8')) as {
      version: string
    }
  ).version

describe('scripts/release.sh', () => {
  it('dry run by default: prints the plan, changes nothing', async () => {
    const before = snapshot(clone)
    const current = version()
    const { code, out } = await release('minor')
    expect(out).toContain(`Release ${current} -> `)
    expect(out).toContain('Dry run: would do, in order:')
    expect(out).toContain('npm run package')
    expect(out).toMatch(/git tag -f -a v\d+ /)
    expect(out).toContain('Nothing changed.')
    expect(code).toBe(0)
    expect(snapshot(clone)).toBe(before)
  })

  it('a dry run on a dirty worktree says what --apply would refuse', async () => {
    const changelog = path.join(clone, 'CHANGELOG.md')
    const text = fs.readFileSync(changelog, 'utf8')
    fs.appendFileSync(changelog, '\n- uncommitted\n')
    try {
      const before = snapshot(clone)
      const { code, out } = await release('patch')
      expect(code).toBe(1)
      expect(out).toContain('--apply would refuse: the worktree has')
      expect(snapshot(clone)).toBe(before)
    } finally {
      fs.writeFileSync(changelog, text)
    }
  })

  it('rejects an unknown bump', async () => {
    const { code, out } = await release('huge')
    expect(code).toBe(2)
    expect(out).toContain('Usage: bash scripts/release.sh')
  })

  it('--apply bumps, moves the changelog, commits and tags, pushes nothing', async () => {
    // A stand-in for the bundler, so the clone needs no node_modules.
    const pkgFile = path.join(clone, 'package.json')
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as {
      scripts: Record<string, string>
    }
    pkg.scripts['package'] =
      "node -e \"require('fs').writeFileSync('dist/index.js', 'export const v = ' + JSON.stringify(require('./package.json').version))\""
    fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`)
    git(clone, 'commit', '--quiet', '-am', 'stand-in bundler')
    const originTags = git(ROOT, 'tag', '-l')
    const [major, minor] = version().split('.').map(Number) as [number, number]
    const next = `${major}.${minor + 1}.0`
    const entries = /## \[Unreleased\]\n([\s\S]*?)(?=\n## |$)/
      .exec(fs.readFileSync(path.join(clone, 'CHANGELOG.md'), 'utf8'))![1]!
      .trim()

    const { code, out } = await release('minor', '--apply')
    expect(out).toContain(`Committed and tagged v${next}`)
    expect(code).toBe(0)

    expect(version()).toBe(next)
    const lock = JSON.parse(
      fs.readFileSync(path.join(clone, 'package-lock.json'), 'utf8')
    ) as { version: string }
    expect(lock.version).toBe(next)
    expect(fs.readFileSync(path.join(clone, 'dist/index.js'), 'utf8')).toBe(
      `export const v = "${next}"`
    )
    const changelog = fs.readFileSync(path.join(clone, 'CHANGELOG.md'), 'utf8')
    expect(changelog).toMatch(
      new RegExp(
        `## \\[Unreleased\\]\\n\\n## \\[${next.replace(/\./g, '\\.')}\\] - \\d{4}-\\d\\d-\\d\\d\\n`
      )
    )
    expect(changelog).toContain(entries)
    expect(git(clone, 'log', '-1', '--format=%s')).toBe(`Release v${next}`)
    expect(git(clone, 'status', '--porcelain')).toBe('')
    const head = git(clone, 'rev-parse', 'HEAD')
    expect(git(clone, 'rev-parse', `v${next}^{commit}`)).toBe(head)
    expect(git(clone, 'rev-parse', `v${major}^{commit}`)).toBe(head)
    expect(git(ROOT, 'tag', '-l')).toBe(originTags)
  })
})
