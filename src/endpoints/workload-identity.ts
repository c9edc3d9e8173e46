/**
 * Where the workload identity exchange goes, and Codex's rule about which
 * ChatGPT routing workload identity may be used with.
 *
 * Pure: no IO.
 */
import { ActionError } from '../errors.js'
import { WORKLOAD_ROUTING_UNTRUSTED } from '../messages/keyless-settings.js'
import { workloadExchangeUrlOverridden } from '../messages/workload-identity.js'
import { safeTarget } from '../clients/http/target.js'
import { knownEnvironment, type ChatgptEnvironment } from './agent-identity.js'

/** Codex's production exchange endpoint. */
export const WORKLOAD_EXCHANGE_URL = 'https://auth.openai.com/oauth/token'

/** Codex's exchange endpoint when the ChatGPT base is a staging one. */
export const STAGING_WORKLOAD_EXCHANGE_URL =
  'https://auth.api.openai.org/oauth/token'

/**
 * Codex's routing rule for workload identity: the ChatGPT base must be
 * `https://chatgpt.com`, `https://chat.openai.com` or
 * `https://chatgpt-staging.com`, each also with `/backend-api`, `/codex` or
 * `/backend-api/codex`, trailing `/` ignored (the same table Codex knows
 * environments by).
 *
 * @param chatgptBaseUrl - the ChatGPT base URL in force
 * @returns whether it is production or staging
 * @throws {@link ActionError} with Codex's `WORKLOAD_ROUTING_UNTRUSTED` for
 *   any other base
 */
export function requireTrustedWorkloadRouting(
  chatgptBaseUrl: string
): ChatgptEnvironment {
  const environment = knownEnvironment(chatgptBaseUrl)
  if (environment === undefined) {
    throw new ActionError(WORKLOAD_ROUTING_UNTRUSTED)
  }
  return environment
}

/**
 * The exchange URL Codex uses for an environment.
 *
 * @param environment - from {@link requireTrustedWorkloadRouting}
 * @returns the production or the staging token endpoint
 */
export function workloadExchangeUrl(environment: ChatgptEnvironment): string {
  return environment === 'staging'
    ? STAGING_WORKLOAD_EXCHANGE_URL
    : WORKLOAD_EXCHANGE_URL
}

/** Where this step's preflight exchange goes. */
export interface WorkloadExchangeEndpoint {
  /** Production or staging, from the ChatGPT base. */
  environment: ChatgptEnvironment
  /** Where this step exchanges: the override when set, else `codexUrl`. */
  url: string
  /** Where a later Codex exchanges, whatever the override. */
  codexUrl: string
  /** The warning to log when an override moved the exchange. */
  warning?: string
}

/**
 * Resolves the preflight exchange: Codex's routing rule first (an override
 * does not lift it: a later Codex would refuse the run), then Codex's URL,
 * unless `refresh-token-url` points this step elsewhere (a test backend),
 * which Codex itself ignores, hence the warning.
 *
 * @param chatgptBaseUrl - the ChatGPT base URL in force
 * @param override - `refresh-token-url` (input or env) when set
 * @returns the endpoint
 * @throws {@link ActionError} with Codex's `WORKLOAD_ROUTING_UNTRUSTED`
 */
export function resolveWorkloadExchange(
  chatgptBaseUrl: string,
  override?: string
): WorkloadExchangeEndpoint {
  const environment = requireTrustedWorkloadRouting(chatgptBaseUrl)
  const codexUrl = workloadExchangeUrl(environment)
  if (override === undefined || override === codexUrl) {
    return { environment, url: codexUrl, codexUrl }
  }
  return {
    environment,
    url: override,
    codexUrl,
    warning: workloadExchangeUrlOverridden(safeTarget(override), codexUrl)
  }
}
