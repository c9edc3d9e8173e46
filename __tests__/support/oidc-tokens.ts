/**
 * JWT-shaped tokens for the keyless clients' tests: an unverified header and
 * payload, and a signature part no one checks.
 */

const part = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url')

let serial = 0

/** A JWT-shaped token with these claims (signature not a real one). */
export function fakeJwt(claims: Record<string, unknown>): string {
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${part(claims)}.c2lnbmF0dXJl`
}

/** GitHub's claims for a push to main of octo-org/octo-repo. */
export function githubClaims(
  overrides: Record<string, unknown> = {}
): Record<string, unknown> {
  return {
    jti: `jti-${++serial}`,
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
    aud: 'https://example.test/codex',
    repository: 'octo-org/octo-repo',
    repository_owner: 'octo-org',
    ref: 'refs/heads/main',
    sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    workflow: 'CI',
    job_workflow_ref:
      'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
    event_name: 'push',
    run_id: '4242',
    runner_environment: 'github-hosted',
    iat: 1_790_000_000,
    exp: 1_790_000_300,
    ...overrides
  }
}

/** A fresh GitHub OIDC token (its own `jti`) with these claim overrides. */
export function githubOidcToken(
  overrides: Record<string, unknown> = {}
): string {
  return fakeJwt(githubClaims(overrides))
}
