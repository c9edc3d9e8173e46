/**
 * No leaks, workload identity (keyless CI): every failure path (and the
 * success path) of the mode, run as the built action plus its post step,
 * with every channel a later step or a log reader could see scanned for
 * every form of every secret (the OIDC request token, every OIDC token
 * minted, every exchanged access token and its `Bearer` header, server
 * echoes), and no token source process or token directory left behind.
 * The only acceptable number of findings is zero.
 */
import * as fs from 'node:fs'
import { startDevBackend, type DevBackend } from '../../../dev/backend/index.js'
import { describeFindings, scanRun } from '../../support/leak-scan.js'
import { KEYLESS_SCENARIOS } from '../../support/leak-scenarios/keyless.js'
import { describeLeakScenarios } from '../../support/leak-scenarios/run.js'
import { runAction, runPost } from '../../support/run-action.js'
import {
  lingeringTokenSources,
  savedTokenSourceNonce,
  scannedDirs
} from '../support/harness.js'

describeLeakScenarios('workloadIdentity', KEYLESS_SCENARIOS)

// A check that cannot fail proves nothing: while main's token source runs,
// the process check finds it (by nonce, and by its directory alone) and the
// scan finds a served token where it is meant to be (the token file).
describe('the keyless checks find what they are meant to find', () => {
  let backend: DevBackend
  beforeAll(async () => {
    backend = await startDevBackend()
  })
  afterAll(() => backend.close())

  it('a running token source, and the OIDC token it serves', async () => {
    const dirs = scannedDirs()
    const rule = backend.createFederationRule({ audiences: ['aud-self-test'] })
    const main = await runAction({
      dirs,
      inputs: {
        'federation-rule-id': rule.id,
        'oidc-audience': 'aud-self-test',
        'refresh-token-url': backend.refreshTokenUrl,
        'identity-token-file-mode': 'file'
      },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: backend.oidcRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: backend.oidcRequestToken
      }
    })
    try {
      expect(main.error).toBeUndefined()
      const nonce = savedTokenSourceNonce(main)
      expect(nonce).toMatch(/^[0-9a-f]{32}$/)
      expect(
        await lingeringTokenSources(dirs.runnerTemp, nonce, 0)
      ).toHaveLength(1)
      expect(
        await lingeringTokenSources(dirs.runnerTemp, undefined, 0)
      ).toHaveLength(1)
      const tokenFile = main.outputs['identity-token-file']!
      const served = fs.readFileSync(tokenFile, 'utf8').trim()
      const minted = backend.oidcTokens().map((t) => ({
        label: 'OIDC token',
        value: t.jwt
      }))
      expect(minted.map((s) => s.value)).toContain(served)
      const findings = describeFindings(
        scanRun({ ...main, stdout: served, raw: {} }, minted).findings
      )
      expect(findings).toEqual(['OIDC token (as is) in stdout line 1'])
    } finally {
      const post = await runPost(main)
      expect(post.code).toBe(0)
    }
    expect(await lingeringTokenSources(dirs.runnerTemp)).toEqual([])
  })
})
