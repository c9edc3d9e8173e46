/**
 * The post step acts only on the state its own main step saved. A
 * `STATE_cleanup` that an earlier step smuggled into the job env (through
 * GITHUB_ENV) reaches the post step only when the main step saved none, so
 * the main step saves its plan first, before anything can fail.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { encodeState } from '../../src/cleanup/plan.js'
import { MARKER_FILE } from '../../src/codex-home/marker.js'
import { ChatgptAccounts } from '../../dev/backend/chatgpt.js'
import {
  EMPTY_PLAN,
  makeRunnerDirs,
  runAction,
  runPost,
  type RunnerDirs
} from '../support/run-action.js'

const accounts = new ChatgptAccounts(Date.now)

/**
 * A forged plan: overwrite the runner's own auth.json with a file an earlier
 * step planted (in a directory it marked as a primed home of that runner
 * home), and delete another marked directory.
 */
function forge(dirs: RunnerDirs): {
  state: string
  victim: string
  victimText: string
  doomed: string
} {
  const codexHome = path.join(dirs.home, '.codex')
  fs.mkdirSync(codexHome, { recursive: true })
  const victim = path.join(codexHome, 'auth.json')
  const victimText = JSON.stringify(accounts.mint())
  fs.writeFileSync(victim, victimText, { mode: 0o600 })

  const mark = (dir: string): void => {
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(
      path.join(dir, MARKER_FILE),
      JSON.stringify({ primedHome: dir, sourceHome: codexHome })
    )
  }
  const planted = path.join(dirs.workspace, 'planted')
  mark(planted)
  fs.writeFileSync(
    path.join(planted, 'auth.json'),
    JSON.stringify(accounts.mint())
  )
  const doomed = path.join(dirs.workspace, 'doomed')
  mark(doomed)
  const state = encodeState([
    {
      kind: 'write-back',
      primedAuthFile: path.join(planted, 'auth.json'),
      target: victim,
      exportedDigest: 'forged'
    },
    { kind: 'remove-home', path: doomed }
  ])
  return { state, victim, victimText, doomed }
}

describe('a STATE_cleanup smuggled in through the job env', () => {
  it.each([
    ['succeeds', { 'api-key': 'sk-proj-post-state-test-0000' }],
    ['fails early', { 'forced-login-method': 'nope' }]
  ])('does nothing when the main step %s', async (_how, inputs) => {
    const dirs = makeRunnerDirs()
    try {
      const forged = forge(dirs)
      // A job env variable reaches both steps, as GITHUB_ENV makes it.
      const env = { STATE_cleanup: forged.state }
      const main = await runAction({ dirs, inputs, env })
      if (main.code === 0) {
        expect(main.state['cleanup']).not.toBe(forged.state)
      } else {
        expect(main.state).toEqual(EMPTY_PLAN)
      }
      const post = await runPost(main, { env })
      expect(post.code).toBe(0)
      expect(post.commands.filter((c) => c.name === 'warning')).toEqual([])
      expect(fs.readFileSync(forged.victim, 'utf8')).toBe(forged.victimText)
      expect(fs.existsSync(forged.doomed)).toBe(true)
    } finally {
      fs.rmSync(dirs.root, { recursive: true, force: true })
    }
  })

  it('is acted on without the main step’s state (what the early save prevents)', async () => {
    const dirs = makeRunnerDirs()
    try {
      const forged = forge(dirs)
      const post = await runAction({
        dirs,
        entry: 'post',
        env: { STATE_cleanup: forged.state }
      })
      expect(post.code).toBe(0)
      // The post step alone cannot tell a forged plan from a real one.
      expect(fs.existsSync(forged.doomed)).toBe(false)
      expect(fs.readFileSync(forged.victim, 'utf8')).not.toBe(forged.victimText)
    } finally {
      fs.rmSync(dirs.root, { recursive: true, force: true })
    }
  })
})
