/**
 * `npm run demo` as a user runs it, for the keyless scenario (issue 14): the
 * built action against the dev backend's OIDC service and federation rule,
 * a later step reading the token file, and the post step stopping the
 * helper. The demo checks all of that itself and exits 1 when anything is
 * off; this test holds it to that.
 */
import * as path from 'node:path'
import { ROOT, spawnCollect } from '../../dev/runner-sim.js'

describe('npm run demo -- keyless', () => {
  it('runs the keyless scenario end to end and proves every step', async () => {
    const { code, stdout, stderr } = await spawnCollect(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'dev/demo.ts'), 'keyless'],
      {
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          ...(process.env['TMPDIR'] ? { TMPDIR: process.env['TMPDIR'] } : {}),
          ...(process.env['ACTION_NODE']
            ? { ACTION_NODE: process.env['ACTION_NODE'] }
            : {}),
          NO_COLOR: '1'
        },
        cwd: ROOT,
        timeoutMs: 60_000
      }
    )
    expect(stderr).toBe('')
    expect(code).toBe(0)
    for (const line of [
      '  permissions:',
      '    id-token: write   # the job’s OIDC token',
      '  ✓ expected one OIDC token exchanged (the preflight), one more minted for the token file',
      '  ✓ OPENAI_IDENTITY_TOKEN_FILE is a FIFO in its own directory under RUNNER_TEMP',
      '  ✓ the token source helper has stopped',
      '  ✓ its token directory is gone',
      '  ✓ no secret appears unmasked in the logs, env, outputs, state or summary'
    ]) {
      expect(stdout.split('\n')).toContain(line)
    }
    expect(stdout).toMatch(
      /✓ a later step read it twice: two never-used OIDC tokens/
    )
    expect(stdout).toContain(
      '✓ Demo complete: Keyless CI: GitHub OIDC → workload identity.'
    )
    expect(stdout).not.toContain('✗')
  }, 60_000)
})
