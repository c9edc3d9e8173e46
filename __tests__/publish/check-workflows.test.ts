/**
 * scripts/check-workflows.mjs (a step of .ci/run and of CI) passes the
 * repository's own workflows and action.yml, and fails, saying where and
 * why, on a broken copy of either.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { ROOT, spawnCollect } from '../../dev/runner-sim.js'

const CHECKER = path.join(ROOT, 'scripts/check-workflows.mjs')

async function check(
  root?: string
): Promise<{ code: number | null; out: string }> {
  const { code, stdout, stderr } = await spawnCollect(
    process.execPath,
    [CHECKER, ...(root ? [root] : [])],
    // No network: the tools are WebAssembly in node_modules.
    { env: { PATH: process.env['PATH'] ?? '' }, cwd: ROOT }
  )
  return { code, out: stdout + stderr }
}

/** A copy of action.yml and the workflows, with an edit applied to some. */
function brokenCopy(edits: Record<string, (text: string) => string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-auth-workflows-'))
  roots.push(root)
  fs.copyFileSync(path.join(ROOT, 'action.yml'), path.join(root, 'action.yml'))
  fs.cpSync(
    path.join(ROOT, '.github/workflows'),
    path.join(root, '.github/workflows'),
    { recursive: true }
  )
  for (const [file, edit] of Object.entries(edits)) {
    const target = path.join(root, file)
    const before = fs.readFileSync(target, 'utf8')
    const after = edit(before)
    expect(after).not.toBe(before)
    fs.writeFileSync(target, after)
  }
  return root
}

const roots: string[] = []
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true })
})

// One run per case: the WebAssembly tools take seconds to start on a busy
// machine.
describe('scripts/check-workflows.mjs', () => {
  it("passes the repository's workflows and action.yml", async () => {
    const { code, out } = await check()
    expect(out).toMatch(/action\.yml and \d+ workflow\(s\) are valid/)
    expect(code).toBe(0)
  })

  it('fails on broken workflows, naming file, line and problem', async () => {
    const { code, out } = await check(
      brokenCopy({
        '.github/workflows/ci.yml': (t) =>
          t
            .replace('contents: read', 'contents: reed')
            .replace('npm run typecheck', 'echo ${{ steps.nope.outputs.x }}'),
        '.github/workflows/self-test.yml': (t) =>
          t.replace(/^ {4}steps:$/m, '    step:')
      })
    )
    expect(code).toBe(1)
    expect(out).toMatch(
      /\.github\/workflows\/ci\.yml:\d+:\d+: "reed" is invalid for permission of scope "contents"/
    )
    expect(out).toMatch(
      /\.github\/workflows\/ci\.yml:\d+:\d+: property "nope" is not defined/
    )
    expect(out).toMatch(
      /\.github\/workflows\/self-test\.yml:\d+:\d+: unexpected key "step" for "job" section/
    )
  })

  it('fails on an invalid action.yml, naming the key at fault', async () => {
    const { code, out } = await check(
      brokenCopy({
        'action.yml': (t) =>
          t
            .replace(/^ {2}cleanup:\n/m, '  cleanup:\n    requried: true\n')
            .replace(/^ {2}main: .*\n/m, '')
            .replace('using: node24', 'using: node16')
      })
    )
    expect(code).toBe(1)
    expect(out).toContain(
      "action.yml: /inputs/cleanup: Additional property 'requried' is not allowed"
    )
    expect(out).toContain("runs.using 'node16' is not a runtime GitHub runs")
  })

  it('checks node24 actions against the schema too', async () => {
    const { code, out } = await check(
      brokenCopy({
        'action.yml': (t) => t.replace(/^ {2}main: .*\n/m, '')
      })
    )
    expect(code).toBe(1)
    expect(out).toContain('action.yml: /runs/main: This property is required')
  })
})
