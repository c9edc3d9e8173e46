/**
 * Bad-input fuzzing (fast-check) of config.toml: a config or one clean,
 * one-line error that never echoes the file.
 */
import fc from 'fast-check'
import { parseCodexConfig } from '../../../src/sources/config-toml.js'
import { anyText } from '../../support/fuzz/arbitraries.js'
import { settle } from '../../support/fuzz/clean-errors.js'
import { NUM_RUNS, runCounter } from '../../support/fuzz/runs.js'

const count = runCounter('config-toml')

describe('config.toml', () => {
  const secret = 'sk-proj-config-secret-0123456789'
  const tomlish = fc.oneof(
    anyText,
    fc
      .tuple(
        anyText,
        fc.constantFrom(
          'forced_login_method',
          'forced_chatgpt_workspace_id',
          'chatgpt_base_url',
          'model'
        ),
        fc.jsonValue()
      )
      .map(
        ([junk, key, value]) => `${key} = ${JSON.stringify(value)}\n${junk}`
      ),
    fc
      .tuple(fc.jsonValue(), fc.jsonValue())
      .map(
        ([a, b]) =>
          `forced_login_method = ${JSON.stringify(a)}\nforced_chatgpt_workspace_id = ${JSON.stringify(b)}\n`
      ),
    anyText.map((junk) => `api_key = "${secret}"\n${junk}\nx = ${secret}\n`)
  )

  it('parseCodexConfig: a config or one clean, one-line error; never echoes the file', () => {
    fc.assert(
      fc.property(tomlish, (text) => {
        count('parseCodexConfig')
        const config = settle(
          () => parseCodexConfig(text, '/home/x/.codex/config.toml'),
          [secret]
        )
        try {
          parseCodexConfig(text, '/home/x/.codex/config.toml')
        } catch (err) {
          expect((err as Error).message).not.toContain('\n')
        }
        if (config?.forcedWorkspaceIds) {
          for (const id of config.forcedWorkspaceIds) expect(id).not.toBe('')
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })
})
