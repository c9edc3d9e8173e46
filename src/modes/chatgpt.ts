/**
 * ChatGPT login (auth.json with refreshable tokens): validate, restrict
 * before any network call, refresh when Codex would, and report the
 * refreshed tokens so `main.ts` writes them back (this stage writes no file).
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
  type RefreshReason,
  type RefreshReply
} from '../credentials/chatgpt-tokens.js'
import { mapPlanType } from '../credentials/plan-type.js'
import type {
  AuthJson,
  ChatgptCredential,
  RefreshedTokens,
  Resolved
} from '../credentials/types.js'
import { FailedAfterRefresh } from '../errors.js'
import {
  REFRESHED_INPUT_SECRET_STALE,
  refreshFailedTokenExpired,
  refreshFailedUsingCurrent
} from '../messages/chatgpt.js'
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
  refreshed?: RefreshedTokens
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
    const reply = await refreshTokens({
      http: await ctx.http(),
      url: ctx.endpoints.refreshTokenUrl,
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
    refreshed = mergeReply(credential, auth, reply, ctx.now())
  } catch (err) {
    if (!(err instanceof TokenRefreshError) || err.permanent) throw err
    return fallBack(auth, err, now, reason)
  }
  const rotated = refreshed.tokens.refreshToken !== auth.tokens.refreshToken
  // The refreshed id_token may name the account differently: check again
  // before the new tokens go anywhere.
  try {
    restrict(ctx, credential, refreshed)
  } catch (err) {
    // Logging out removes a runner file's login; a secret's rotated tokens
    // are kept all the same (its old refresh token is used up).
    if (!rotated || credential.source.authFilePath !== undefined) throw err
    throw new FailedAfterRefresh(
      err,
      refreshedTokens(credential, refreshed.doc, true)
    )
  }
  return {
    auth: refreshed,
    ...afterRefresh(credential, refreshed, reason, rotated)
  }
}

/**
 * The reply merged into the auth.json. When that fails (an id_token Codex
 * cannot parse) after the server rotated the refresh token, the old one is
 * already used up: the new tokens travel with the error, the unusable
 * id_token replaced by the previous one so that the kept file still loads.
 */
function mergeReply(
  credential: ChatgptCredential,
  auth: ChatgptAuth,
  reply: RefreshReply,
  now: Date
): ChatgptAuth {
  try {
    return mergeRefreshReply(auth, reply, now)
  } catch (err) {
    const rotatedTo = reply.refresh_token
    if (rotatedTo === undefined || rotatedTo === auth.tokens.refreshToken) {
      throw err
    }
    const usable: RefreshReply = { ...reply }
    delete usable.id_token
    const kept = mergeRefreshReply(auth, usable, now)
    throw new FailedAfterRefresh(
      err,
      refreshedTokens(credential, kept.doc, true)
    )
  }
}

function refreshedTokens(
  credential: ChatgptCredential,
  doc: AuthJson,
  rotated: boolean
): RefreshedTokens {
  const { label, authFilePath } = credential.source
  return {
    doc,
    rotated,
    from: label,
    ...(authFilePath !== undefined && { target: authFilePath })
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
 * What a successful refresh leaves for later. A runner file gets the new
 * tokens at once (`main.ts` writes them back). A secret cannot be updated:
 * when the refresh token rotated, the old one in the secret is used up and
 * the user is told how to keep the new copy.
 */
function afterRefresh(
  credential: ChatgptCredential,
  auth: ChatgptAuth,
  reason: RefreshReason,
  rotated: boolean
): Omit<RefreshOutcome, 'auth'> {
  const facts: [string, string][] = [['Token refresh', `refreshed (${reason})`]]
  const refreshed = refreshedTokens(credential, auth.doc, rotated)
  // A runner file is updated; without rotation, a secret still works.
  if (credential.source.authFilePath !== undefined || !rotated) {
    return { warnings: [], facts, refreshed }
  }
  facts.push([
    'Refresh token in the source',
    'used up: persist the auth-file output before the job ends'
  ])
  return { warnings: [REFRESHED_INPUT_SECRET_STALE], facts, refreshed }
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

  const { auth, warnings, facts, refreshed } = await refreshIfDue(
    ctx,
    credential,
    loaded
  )

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
  if (refreshed !== undefined) resolved.refreshed = refreshed
  // A later Codex may rotate the primed copy again (long jobs): the post
  // step copies the newest file back to the runner's.
  if (credential.source.authFilePath !== undefined) {
    resolved.writeBackPath = credential.source.authFilePath
  }
  return resolved
}
