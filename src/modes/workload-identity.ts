/**
 * Workload identity (keyless CI): the job's GitHub OIDC token is
 * exchanged through a federation rule for a short-lived ChatGPT access
 * token. This step does one preflight exchange, so a bad rule fails here and
 * not twenty minutes into a Codex run; later Codex runs exchange by
 * themselves, from the token file the token source serves.
 *
 * Nothing is stored: no auth.json is primed, and every OIDC token is masked
 * the moment it arrives.
 */
import type { HttpClient } from '../clients/http.js'
import { mapPlanType } from '../credentials/plan-type.js'
import type {
  Resolved,
  WorkloadIdentityCredential
} from '../credentials/types.js'
import type { WorkloadTokens } from '../clients/token-exchange.js'
import { resolveWorkloadExchange } from '../endpoints/workload-identity.js'
import { ActionError } from '../errors.js'
import {
  OIDC_PERMISSION_FORK,
  OIDC_PERMISSION_YAML,
  oidcPermissionMissing
} from '../messages/workload-identity.js'
import { workspaceViolation } from '../policy/rules.js'
import { maskSecret } from '../runner/port.js'
import { restrictionFailure, type ModeContext } from './context.js'

/**
 * The variables a command the model runs must not see: with them it could
 * mint OIDC tokens, or make Codex-like exchanges of its own. Codex matches
 * `exclude` patterns as case-insensitive globs.
 */
export const WORKLOAD_ENV_EXCLUDES = [
  'ACTIONS_ID_TOKEN_REQUEST_*',
  'OPENAI_FEDERATION_RULE_ID',
  'OPENAI_IDENTITY_TOKEN_FILE',
  'OPENAI_IDENTITY_TOKEN_SOURCE',
  'OPENAI_WORKLOAD_IDENTITY_CONTEXT'
] as const

/** The two endpoint clients, injected so tests need no network. */
export interface WorkloadClients {
  requestOidcToken(call: {
    http: HttpClient
    url: string
    requestToken: string
    audience: string
  }): Promise<string>
  oidcClaimsForMessage(token: string): string
  exchangeWorkloadToken(call: {
    http: HttpClient
    url: string
    mint: () => Promise<string>
    federationRuleId: string
    workloadIdentityContext?: string
  }): Promise<WorkloadTokens>
}

/** The real clients, loaded with the mode. */
async function defaultClients(): Promise<WorkloadClients> {
  // One after the other: both load jose, and jest's ESM loader fails two
  // concurrent first imports of one package ("not in cache").
  const oidc = await import('../clients/github-oidc.js')
  const exchange = await import('../clients/token-exchange.js')
  return {
    requestOidcToken: oidc.requestOidcToken,
    oidcClaimsForMessage: oidc.oidcClaimsForMessage,
    exchangeWorkloadToken: exchange.exchangeWorkloadToken
  }
}

/**
 * Requests an OIDC token, exchanges it once (preflight), and checks the
 * workspace the exchange names. Once the first OIDC token has come, a
 * second is requested alongside the exchange for the token source the main
 * step started ({@link ModeContext.handOverFirstToken}). The login method,
 * the routing and the config.toml were checked before (policy/workload.ts):
 * nothing here runs unless Codex would accept the setup.
 *
 * @param credential - the federation rule, audience and context
 * @param ctx - the mode context
 * @param clients - the endpoint clients (tests inject fakes)
 * @returns the resolved credential: `Bearer` header, account, expiry
 * @throws ActionError when the job has no OIDC access, the exchange is
 *   refused, or the workspace is not allowed
 */
export async function resolveWorkloadIdentity(
  credential: WorkloadIdentityCredential,
  ctx: ModeContext,
  clients?: WorkloadClients
): Promise<Resolved> {
  const { runner, settings } = ctx
  const oidc = settings.githubOidc
  const requestUrl = oidc?.requestUrl
  const requestToken = oidc?.requestToken
  if (requestUrl === undefined || requestToken === undefined) {
    const missing =
      requestUrl === undefined
        ? 'ACTIONS_ID_TOKEN_REQUEST_URL'
        : 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
    // The log shows each line as it is; an error is one line.
    for (const line of OIDC_PERMISSION_YAML.split('\n')) runner.info(line)
    const text = oidcPermissionMissing(missing)
    throw new ActionError(
      oidc?.forkPullRequest ? `${text} ${OIDC_PERMISSION_FORK}` : text
    )
  }
  maskSecret(runner, requestToken)

  // Codex's URL, unless refresh-token-url points this step at a test
  // backend (with a warning: Codex itself ignores it).
  const exchange = resolveWorkloadExchange(
    ctx.endpoints.chatgptBaseUrl,
    settings.refreshTokenUrl?.url
  )
  const exchangeUrl = exchange.url
  const warnings = exchange.warning ? [exchange.warning] : []

  const api = clients ?? (await defaultClients())
  const http = await ctx.http()
  const mintMasked = async (): Promise<string> => {
    const token = await api.requestOidcToken({
      http,
      url: requestUrl,
      requestToken,
      audience: credential.audience
    })
    // At once: nothing may print it, not even an error on the way out.
    maskSecret(runner, token)
    return token
  }
  let sent: string | undefined
  let handedOver = false
  const mint = async (): Promise<string> => {
    const token = await mintMasked()
    sent = token
    if (!handedOver && ctx.handOverFirstToken) {
      // The token source's first token, requested now (GitHub answered
      // once: the setup works) so it arrives alongside the exchange.
      handedOver = true
      const mintedAt = Date.now()
      const first = mintMasked().then((value) => ({ value, mintedAt }))
      first.catch(() => undefined)
      ctx.handOverFirstToken(first)
    }
    return token
  }
  const tokens = await api.exchangeWorkloadToken({
    http,
    url: exchangeUrl,
    mint,
    federationRuleId: credential.federationRuleId,
    ...(credential.workloadIdentityContext === undefined
      ? {}
      : { workloadIdentityContext: credential.workloadIdentityContext })
  })
  const authorization = `Bearer ${tokens.accessToken}`
  maskSecret(runner, tokens.accessToken)
  maskSecret(runner, authorization)

  // The account is only known now: checked before anything is exported.
  const workspace = workspaceViolation(ctx.policy, tokens.accountId)
  if (workspace) throw restrictionFailure(workspace, credential.source)

  const expiresAt = rfc3339Seconds(
    new Date(ctx.now().getTime() + tokens.expiresIn * 1000)
  )
  const claims = sent === undefined ? '' : api.oidcClaimsForMessage(sent)
  return {
    mode: 'workloadIdentity',
    source: credential.source,
    secrets: [tokens.accessToken],
    authorization,
    accountId: tokens.accountId,
    planType: mapPlanType(tokens.planType),
    fedramp: false,
    expiresAt,
    // Codex reads these, not CODEX_API_KEY or an auth.json; the token file
    // path joins them once the token source is serving.
    env: {
      OPENAI_FEDERATION_RULE_ID: credential.federationRuleId,
      OPENAI_IDENTITY_TOKEN_SOURCE: 'file',
      ...(credential.workloadIdentityContext === undefined
        ? {}
        : {
            OPENAI_WORKLOAD_IDENTITY_CONTEXT: credential.workloadIdentityContext
          })
    },
    config: {},
    shellEnvExclude: [...WORKLOAD_ENV_EXCLUDES],
    warnings,
    facts: [],
    workload: {
      federationRuleId: credential.federationRuleId,
      audience: credential.audience,
      claims,
      expiresAt,
      exchangeUrl
    }
  }
}

/** `2026-08-22T05:54:43Z`: RFC 3339, UTC, whole seconds. */
export function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z')
}
