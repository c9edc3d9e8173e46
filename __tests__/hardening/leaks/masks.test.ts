/**
 * What the runner is told to mask for later steps: the forms a later step
 * may print of a credential the action exported.
 */
import { startDevBackend, type DevBackend } from '../../../dev/backend/index.js'
import { endpoints } from '../../support/leak-scenarios/common.js'
import { runScanned, scannedDirs } from '../support/harness.js'

let backend: DevBackend
beforeAll(async () => {
  backend = await startDevBackend()
})
afterAll(async () => {
  await backend.close()
})

describe('masks registered for what later steps may print', () => {
  it('PAT: the token itself and the full header', async () => {
    const pat = backend.mintPersonalAccessToken()
    const r = await runScanned(
      scannedDirs(),
      { inputs: { 'access-token': pat.token, ...endpoints(backend) } },
      []
    )
    expect(r.main.masks).toEqual(
      expect.arrayContaining([pat.token, `Bearer ${pat.token}`])
    )
  })

  // A later step may print the token part alone (e.g.
  // `${CODEX_AUTHORIZATION#AgentAssertion }` or a tool logging the
  // credential without its scheme); the runner does not mask parts of a
  // registered value, so export.ts masks the part after the scheme too.
  it('Agent Identity: the assertion token without its scheme too', async () => {
    const id = backend.mintAgentIdentity()
    const r = await runScanned(
      scannedDirs(),
      { inputs: { 'access-token': id.jwt, ...endpoints(backend) } },
      []
    )
    const header = r.main.outputs['authorization'] ?? ''
    expect(header).toMatch(/^AgentAssertion \S+$/)
    expect(r.main.masks).toContain(header.slice('AgentAssertion '.length))
  })
})
