/**
 * Bad-input fuzzing (fast-check) of the post step: saved state of any shape,
 * and a forged cleanup plan that must touch nothing but a marked home and
 * its source auth.json.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import fc from 'fast-check'
import { ChatgptAccounts } from '../../../dev/backend/chatgpt.js'
import {
  decodeState,
  encodeState,
  STATE_KEY,
  type CleanupAction
} from '../../../src/cleanup/plan.js'
import { runCleanup } from '../../../src/cleanup/run.js'
import { MARKER_FILE } from '../../../src/codex-home/marker.js'
import { fakeRunner } from '../../support/fake-runner.js'
import { anyText, jsonText } from '../../support/fuzz/arbitraries.js'
import { NUM_RUNS, runCounter } from '../../support/fuzz/runs.js'

const count = runCounter('post-step')

const chatgptAccounts = new ChatgptAccounts(Date.now)
/** A valid ChatGPT auth.json document, as the dev backend mints them. */
const mintChatgptDoc = (): unknown => chatgptAccounts.mint()

describe('backend replies', () => {
  it('saved state: a list of actions or none, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, jsonText), (raw) => {
        count('state')
        expect(Array.isArray(decodeState(raw))).toBe(true)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  // State is data a later step can forge (a STATE_cleanup through
  // GITHUB_ENV): whatever the plan says, the post step deletes only a marked
  // primed home and writes only its source home's auth.json, with a valid
  // ChatGPT auth.json from that primed home.
  it('the post step under a forged plan: touches nothing but a marked home and its source auth.json', () => {
    const chatgpt = JSON.stringify(mintChatgptDoc(), null, 2)
    const names = [
      'secret.json',
      'precious',
      'unmarked',
      'unmarked/auth.json',
      'source',
      'source/auth.json',
      'primed',
      'primed/auth.json',
      'primed/config.toml',
      'missing/auth.json'
    ]
    // Each step: write-back or remove-home, two paths from the pool (or
    // `/`), and an exported digest.
    const steps = fc.array(
      fc.tuple(
        fc.boolean(),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('x', 'digest')
      ),
      { maxLength: 6 }
    )
    fc.assert(
      fc.property(steps, fc.boolean(), (picked, rotated) => {
        count('post step, forged plan')
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-post-'))
        try {
          const at = (name: string): string => path.join(root, name)
          for (const dir of ['unmarked', 'source', 'primed']) {
            fs.mkdirSync(at(dir))
          }
          // Valid ChatGPT auth.json content everywhere a forged copy
          // could take it from.
          for (const file of [
            'secret.json',
            'unmarked/auth.json',
            'primed/config.toml'
          ]) {
            fs.writeFileSync(at(file), chatgpt.replace('{', `{"f":"${file}",`))
          }
          fs.writeFileSync(at('precious'), 'keep me')
          fs.writeFileSync(at('source/auth.json'), 'the runner copy')
          const primedText = rotated ? chatgpt : 'as exported'
          fs.writeFileSync(at('primed/auth.json'), primedText)
          fs.writeFileSync(
            at(`primed/${MARKER_FILE}`),
            JSON.stringify({
              primedHome: at('primed'),
              sourceHome: at('source')
            })
          )
          const pick = (n: number): string =>
            n % 7 === 6 ? '/' : at(names[n % names.length]!)
          const plan: CleanupAction[] = picked.map(
            ([writeBack, a, b, digest]) =>
              writeBack
                ? {
                    kind: 'write-back',
                    primedAuthFile: pick(a),
                    target: pick(b),
                    exportedDigest: digest
                  }
                : { kind: 'remove-home', path: pick(a) }
          )
          const before = new Map(
            ['secret.json', 'precious', 'unmarked/auth.json'].map((f) => [
              f,
              fs.readFileSync(at(f), 'utf8')
            ])
          )
          runCleanup(fakeRunner({}, {}, { [STATE_KEY]: encodeState(plan) }))
          for (const [file, text] of before) {
            expect(fs.readFileSync(at(file), 'utf8')).toBe(text)
          }
          expect(fs.existsSync(at('unmarked'))).toBe(true)
          expect(fs.existsSync(at('source'))).toBe(true)
          const source = fs.readFileSync(at('source/auth.json'), 'utf8')
          expect(['the runner copy', chatgpt]).toContain(source)
        } finally {
          fs.rmSync(root, { recursive: true, force: true })
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })
})
