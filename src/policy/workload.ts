/**
 * What Codex refuses for workload identity, checked before any token is
 * requested: a forced `api` login, a ChatGPT base it does not trust for
 * workload identity, and an `openai_base_url` override the primed
 * config.toml would carry over (with Codex's own texts). A later
 * Codex would stop on each of them; failing here keeps the step honest and
 * spends no token.
 */
import { ActionError } from '../errors.js'
import {
  workloadOpenaiBaseUrl,
  workloadRoutingUntrusted
} from '../messages/keyless-settings.js'
import type { CodexConfig } from '../sources/codex-config.js'
import { loginMethodViolation, type Policy } from './rules.js'

/** The ChatGPT base in force and where it was set. */
export interface ChatgptBaseSetting {
  url: string
  /** `input chatgpt-base-url`, or `chatgpt_base_url in <path>`. */
  from: string
}

/**
 * Refuses a workload identity run Codex would refuse.
 *
 * @param policy - the combined login policy
 * @param base - the ChatGPT base set by input, system layer or config.toml;
 *   undefined when none is (Codex's default is trusted)
 * @param config - the source home's config.toml (its table is carried over)
 * @param trusted - Codex's trusted-routing rule for workload identity
 * @throws ActionError with Codex's text (and, for routing, where it was set)
 */
export function refuseWorkloadIdentity(
  policy: Policy,
  base: ChatgptBaseSetting | undefined,
  config: Pick<CodexConfig, 'path' | 'table'>,
  trusted: (url: string) => boolean
): void {
  const violation = loginMethodViolation(policy, 'chatgpt')
  if (violation) throw new ActionError(violation)
  if (base && !trusted(base.url)) {
    throw new ActionError(workloadRoutingUntrusted(base.url, base.from))
  }
  if (config.table['openai_base_url'] !== undefined) {
    throw new ActionError(workloadOpenaiBaseUrl(config.path))
  }
}

/**
 * Where the ChatGPT base in force came from: the input wins, then the
 * runner's managed config, then the Codex home's config.toml (the order
 * `resolveEndpoints` is given them in).
 */
export function chatgptBaseSetting(
  input: { url: string; from: string } | undefined,
  managed: { url?: string; path: string },
  config: Pick<CodexConfig, 'chatgptBaseUrl' | 'path'>
): ChatgptBaseSetting | undefined {
  if (input) return input
  if (managed.url !== undefined) {
    return { url: managed.url, from: `chatgpt_base_url in ${managed.path}` }
  }
  if (config.chatgptBaseUrl !== undefined) {
    return {
      url: config.chatgptBaseUrl,
      from: `chatgpt_base_url in ${config.path}`
    }
  }
  return undefined
}
