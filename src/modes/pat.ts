/**
 * Personal access tokens (`at-…`): whoami tells which
 * account the token belongs to, then the workspace rule applies. Never
 * refreshed: a PAT is valid until it expires or is revoked.
 */
import { whoami } from '../clients/whoami.js'
import { mapPlanType } from '../credentials/plan-type.js'
import type { PatCredential, Resolved } from '../credentials/types.js'
import { ActionError } from '../errors.js'
import { WHOAMI_NO_ACCOUNT } from '../messages/pat.js'
import { loginMethodViolation, workspaceViolation } from '../policy/rules.js'
import { restrictionFailure, type ModeContext } from './context.js'
import { maskSecret } from '../runner/port.js'

/** Restricts, resolves (whoami) and describes a personal access token. */
export async function resolvePat(
  credential: PatCredential,
  ctx: ModeContext
): Promise<Resolved> {
  const { token, source } = credential
  const authorization = `Bearer ${token}`
  // The header value is a new string the runner does not know yet.
  maskSecret(ctx.runner, token)
  maskSecret(ctx.runner, authorization)

  // A PAT is ChatGPT login as far as forced_login_method goes; checked
  // before the token is sent anywhere.
  const violation = loginMethodViolation(ctx.policy, 'chatgpt')
  if (violation) throw restrictionFailure(violation, source)

  const identity = await whoami({
    http: await ctx.http(),
    url: ctx.endpoints.whoamiUrl,
    token
  })
  // The account is only known now: checked before anything is exported.
  const workspace = workspaceViolation(ctx.policy, identity.chatgptAccountId)
  if (workspace) throw restrictionFailure(workspace, source)
  const accountId = identity.chatgptAccountId
  if (accountId === undefined) throw new ActionError(WHOAMI_NO_ACCOUNT)

  return {
    mode: 'personalAccessToken',
    source,
    secrets: [token],
    authorization,
    accountId,
    planType: mapPlanType(identity.chatgptPlanType),
    fedramp: identity.fedramp,
    // Codex writes no auth_mode for PATs, so older builds can read it.
    authJson: { OPENAI_API_KEY: null, personal_access_token: token },
    env: {},
    config: {},
    warnings: [],
    facts: [['Account lookup', `whoami at ${ctx.endpoints.whoamiBase}`]]
  }
}
