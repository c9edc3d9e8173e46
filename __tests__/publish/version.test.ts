/**
 * The action's version lives in package.json alone: the User-Agent and the
 * job summary show it, and the bundle carries that one string, not the
 * manifest it came from.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ROOT } from '../../dev/runner-sim.js'
import { buildUserAgent } from '../../src/clients/user-agent.js'
import { buildSummary } from '../../src/summary.js'
import { ACTION_VERSION } from '../../src/version.js'

const pkg = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')
) as { version: string; description: string }

describe('the action version', () => {
  it("is package.json's", () => {
    expect(ACTION_VERSION).toBe(pkg.version)
    expect(ACTION_VERSION).toMatch(/^\d+\.\d+\.\d+(?:-[\w.]+)?$/)
  })

  it('is in the User-Agent', () => {
    expect(buildUserAgent()).toMatch(
      new RegExp(`^codex_github_action/${pkg.version.replace(/\./g, '\\.')} `)
    )
  })

  it('is the last row of the job summary', () => {
    const summary = buildSummary({
      resolved: {
        mode: 'apikey',
        source: { label: 'input api-key' },
        secrets: [],
        authorization: 'Bearer sk-test',
        fedramp: false,
        authJson: { auth_mode: 'apikey', OPENAI_API_KEY: 'sk-test' },
        env: {},
        config: {},
        warnings: [],
        facts: []
      },
      ignored: [],
      policy: { workspaceRules: [] },
      home: '/tmp/codex-home',
      exportedEnv: ['CODEX_HOME']
    })
    expect(summary.trimEnd().split('\n').at(-1)).toBe(
      `| Action version | ${pkg.version} |`
    )
  })

  it('is in the committed bundle as the version string alone', () => {
    const chunks = fs
      .readdirSync(path.join(ROOT, 'dist'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => fs.readFileSync(path.join(ROOT, 'dist', f), 'utf8'))
    // One chunk carries it (the user agent and the summary import it).
    const withVersion = chunks.filter((c) =>
      c.includes(`{version:"${pkg.version}"}`)
    )
    expect(withVersion).toHaveLength(1)
    for (const chunk of chunks) {
      expect(chunk).not.toContain(pkg.description)
      expect(chunk).not.toContain('devDependencies')
    }
  })
})
