/**
 * ChatGPT login (auth.json with refreshable tokens, SPEC sections 3 and 6):
 * validate, restrict before any network call, refresh when Codex would, and
 * keep the one valid copy of a rotated refresh token where the user can
 * reach it.
 */
import { refreshTokens, TokenRefreshError } from '../clients/token-refresh.js'
import {
  accessTokenExpiry,
  isAccessTokenExpired,
  mergeRefreshReply,
  parseChatgptAuth,
  refreshReason,
  workspaceAccountId,
  type ChatgptAuth,
  type RefreshReason
} from '../credentials/chatgpt-tokens.js'
import { mapPlanType } from '../credentials/plan-type.js'
import type { ChatgptCredential, Resolved } from '../credentials/types.js'
import { renderAuthJson } from '../credentials/auth-json.js'
import { DEFAULT_REFRESH_TOKEN_URL } from '../endpoints/defaults.js'
import { describeError } from '../errors.js'
import { writeFileAtomic } from '../files/safe-write.js'
import {
  REFRESHED_INPUT_SECRET_STALE,
  refreshFailedTokenExpired,
  refreshFailedUsingCurrent,
  refreshWriteBackFailed
} from '../messages.js'
import { loginMethodViolation, workspaceViolation } from '../policy/rules.js'
import { restrictionFailure, type ModeContext } from './context.js'
import { maskSecret } from '../runner/port.js'

/** Masks every token of `auth` and the header value built from it. */
function maskTokens(ctx: ModeContext, auth: ChatgptAuth): void {
  const { idToken, accessToken, refreshToken } = auth.tokens
  for (const secret of [idToken, accessToken, refreshToken]) {
    maskSecret(ctx.runner, secret)
  }
  maskSecret(ctx.runner, `Bearer ${accessToken}`)
}

/** Codex's login-method and workspace rules, with Codex's messages. */
function restrict(
  ctx: ModeContext,
  credential: ChatgptCredential,
  auth: ChatgptAuth
): void {
  const violation =
    loginMethodViolation(ctx.policy, 'chatgpt') ??
    workspaceViolation(ctx.policy, workspaceAccountId(auth))
  if (violation) throw restrictionFailure(violation, credential.source)
}

/** What happened to the tokens during this step, for the summary. */
interface RefreshOutcome {
  auth: ChatgptAuth
  warnings: string[]
  facts: [string, string][]
}

/**
 * Refreshes when due. A permanent failure propagates (Codex's message, and
 * the stale token is never exported); a transient one falls back to a token
 * that has not expired yet, with a warning.
 */
async function refreshIfDue(
  ctx: ModeContext,
  credential: ChatgptCredential,
  auth: ChatgptAuth
): Promise<RefreshOutcome> {
  const now = ctx.now()
  const reason = refreshReason(auth, now)
  if (reason === undefined) {
    return { auth, warnings: [], facts: [['Token refresh', 'not needed']] }
  }
  let refreshed: ChatgptAuth
  try {
    const reply = await refreshTokens(await ctx.http(), {
      url: ctx.settings.refreshTokenUrl?.url ?? DEFAULT_REFRESH_TOKEN_URL,
      refreshToken: auth.tokens.refreshToken,
      reason
    })
    // New secrets: masked before they can reach any message or file.
    for (const token of [
      reply.id_token,
      reply.access_token,
      reply.refresh_token
    ]) {
      if (token !== undefined) maskSecret(ctx.runner, token)
    }
    if (reply.access_token !== undefined) {
      maskSecret(ctx.runner, `Bearer ${reply.access_token}`)
    }
    refreshed = mergeRefreshReply(auth, reply, ctx.now())
  } catch (err) {
    if (!(err instanceof TokenRefreshError) || err.permanent) throw err
    return fallBack(auth, err, now, reason)
  }
  // The refreshed id_token may name the account differently: check again
  // before the new tokens go anywhere.
  restrict(ctx, credential, refreshed)
  const rotated = refreshed.tokens.refreshToken !== auth.tokens.refreshToken
  return {
    auth: refreshed,
    ...persist(credential, refreshed, reason, rotated)
  }
}

/** After transient failures: the current token, unless it has expired. */
function fallBack(
  auth: ChatgptAuth,
  err: TokenRefreshError,
  now: Date,
  reason: RefreshReason
): RefreshOutcome {
  if (isAccessTokenExpired(auth, now)) {
    throw new TokenRefreshError(refreshFailedTokenExpired(err.message), false)
  }
  const expiry = accessTokenExpiry(auth.tokens.accessToken)
  return {
    auth,
    warnings: [
      refreshFailedUsingCurrent(
        err.message,
        expiry === undefined ? undefined : new Date(expiry).toISOString()
      )
    ],
    facts: [
      ['Token refresh', `failed (${reason}); using the current access token`]
    ]
  }
}

/**
 * Keeps the refreshed tokens where the user can reach them. A runner file
 * gets them at once, as Codex would write them. A secret cannot be updated:
 * when the refresh token rotated, the old one in the secret is used up and
 * the user is told how to keep the new copy.
 */
function persist(
  credential: ChatgptCredential,
  auth: ChatgptAuth,
  reason: RefreshReason,
  rotated: boolean
): Omit<RefreshOutcome, 'auth'> {
  const facts: [string, string][] = [['Token refresh', `refreshed (${reason})`]]
  const file = credential.source.authFilePath
  if (file === undefined) {
    // Without rotation the secret's refresh token still works.
    if (!rotated) return { warnings: [], facts }
    facts.push([
      'Refresh token in the source',
      'used up: persist the auth-file output before the job ends'
    ])
    return { warnings: [REFRESHED_INPUT_SECRET_STALE], facts }
  }
  try {
    writeFileAtomic(file, renderAuthJson(auth.doc))
  } catch (err) {
    // Not fatal: the primed copy holds the valid tokens, and failing would
    // delete it with the only usable refresh token.
    return {
      warnings: [refreshWriteBackFailed(file, describeError(err))],
      facts
    }
  }
  facts.push(['Refreshed tokens written to', file])
  return { warnings: [], facts }
}

/** Restricts, refreshes when due, and resolves a ChatGPT login. */
export async function resolveChatgpt(
  credential: ChatgptCredential,
  ctx: ModeContext
): Promise<Resolved> {
  const loaded = parseChatgptAuth(credential.doc, credential.source.label)
  maskTokens(ctx, loaded)
  // On the unverified claims, before any network call: a wrong workspace
  // never reaches the token endpoint.
  restrict(ctx, credential, loaded)

  const { auth, warnings, facts } = await refreshIfDue(ctx, credential, loaded)

  const { idToken, accessToken, refreshToken, accountId } = auth.tokens
  const resolved: Resolved = {
    mode: 'chatgpt',
    source: credential.source,
    secrets: [idToken, accessToken, refreshToken],
    authorization: `Bearer ${accessToken}`,
    planType: mapPlanType(auth.claims.chatgptPlanType),
    fedramp: auth.claims.fedramp,
    authJson: auth.doc,
    env: {},
    config: {},
    warnings,
    facts
  }
  if (accountId !== undefined) resolved.accountId = accountId
  // A later Codex may rotate the primed copy again (long jobs): the post
  // step copies the newest file back to the runner's.
  if (credential.source.authFilePath !== undefined) {
    resolved.writeBackPath = credential.source.authFilePath
  }
  return resolved
}
