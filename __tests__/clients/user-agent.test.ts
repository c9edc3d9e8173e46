import * as fs from 'node:fs'
import * as os from 'node:os'
import {
  USER_AGENT_PRODUCT,
  buildUserAgent,
  currentPlatform
} from '../../src/clients/user-agent.js'
import { ACTION_VERSION } from '../../src/version.js'

describe('buildUserAgent', () => {
  it('describes this machine in the SPEC 7 shape', () => {
    expect(buildUserAgent()).toBe(
      `codex_github_action/${ACTION_VERSION} (${os.type()} ${os.release()}; ${os.arch()}) node/${process.versions.node}`
    )
    expect(USER_AGENT_PRODUCT).toBe('codex_github_action')
  })

  it('formats a given platform', () => {
    expect(
      buildUserAgent({
        type: 'Linux',
        release: '6.8.0-1017-azure',
        arch: 'x64',
        node: '24.1.0'
      })
    ).toBe(
      `codex_github_action/${ACTION_VERSION} (Linux 6.8.0-1017-azure; x64) node/24.1.0`
    )
  })

  it('replaces characters a header cannot carry', () => {
    const ua = buildUserAgent({
      ...currentPlatform(),
      release: '6.8\n0-ü'
    })
    expect(ua).toContain('(')
    expect(ua).toMatch(/^[\x20-\x7e]+$/)
    expect(ua).toContain('6.8?0-?')
  })
})

describe('ACTION_VERSION', () => {
  it("equals package.json's version", () => {
    const pkg = JSON.parse(
      fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
    ) as { version: string }
    expect(ACTION_VERSION).toBe(pkg.version)
  })
})
