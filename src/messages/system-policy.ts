/**
 * Texts of the runner's system policy (/etc/codex): ours.
 *
 * Each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

// ---- Ours: the system policy (/etc/codex) ----------------------------------

export const systemPolicyInvalid = (path: string, why: string): string =>
  `The Codex system policy ${path} is not valid: ${why}. The runner's administrator must fix it; until then no credential is allowed.`

/** A forced login method from one source contradicts the system layer's. */
export const loginMethodConflictSystem = (
  method: string,
  from: string,
  managed: string,
  managedPath: string
): string =>
  `forced login method '${method}' (${from}) conflicts with forced_login_method = "${managed}" in ${managedPath}, which the runner's administrator set. Remove the workflow's setting or make it agree.`

export const loginMethodNotAllowed = (
  method: string,
  from: string,
  allowed: readonly string[],
  requirementsPath: string
): string =>
  allowed.length === 0
    ? `allowed_login_methods in ${requirementsPath} is empty: the runner's administrator allows no login method.`
    : `forced login method '${method}' (${from}) is not in allowed_login_methods (${allowed.join(', ')}) in ${requirementsPath}, which the runner's administrator set.`

/** One workspace list and where it came from, for the message below. */
export const workspaceListFrom = (
  ids: readonly string[],
  from: string
): string => `(${ids.join(', ') || 'none'}) from ${from}`

/** `lists` are {@link workspaceListFrom} texts. */
export const workspacePoliciesDisjoint = (lists: readonly string[]): string =>
  `The workspace lists ${lists.join(' and ')} have no workspace in common, so no credential could satisfy all of them. The runner's administrator's lists cannot be loosened: change the workflow's.`

/** Under a system workspace policy, only what can be checked counts. */
export const identityRecordUnverifiable = (from: string): string =>
  `The agent identity record from ${from} cannot satisfy the runner's workspace policy: its account_id is not signed, and a workflow can write any. Pass the identity as a JWT (input access-token), which is verified against the JWKS, or keep the record in the runner's own Codex home.`

export const systemPolicyForbidsEndpoint = (
  setting: string,
  path: string
): string =>
  `${setting} cannot be changed on this runner: its administrator set a Codex login policy in ${path}, and a workflow must not choose the server that vouches for its own credential. Remove ${setting}.`
