/**
 * Texts of the keyless settings (inputs and env vars) and of what workload
 * identity refuses in the Codex config: checked before any request, so every
 * run loads them (the OIDC and exchange texts are in workload-identity.ts).
 *
 * Texts marked "Codex" are byte-for-byte what the Codex CLI prints: users
 * grep their logs for them, so they must not be reworded. The others are
 * ours: each names what was wrong, where it came from and what to do.
 * docs/TROUBLESHOOTING.md is checked against them by __tests__/docs.test.ts.
 */

import { redactUrl } from '../clients/redact.js'

// ---- Workload identity (Codex) ----------------------------------------------

/** Codex: workload identity with a chatgpt_base_url it does not trust. */
export const WORKLOAD_ROUTING_UNTRUSTED =
  'workload identity auth supports only trusted production and staging app routing'

/** Codex: workload identity with an `openai_base_url` override. */
export const WORKLOAD_DEFAULT_RESPONSES_ENDPOINT =
  'workload identity requires the default OpenAI Responses endpoint'

// ---- Ours: workload identity settings ---------------------------------------

/** Ours: Codex's routing text, plus which setting and what to do. */
export const workloadRoutingUntrusted = (url: string, from: string): string =>
  `${WORKLOAD_ROUTING_UNTRUSTED}: chatgpt-base-url '${redactUrl(url)}' (${from}) is not https://chatgpt.com, https://chat.openai.com or https://chatgpt-staging.com (each optionally with /backend-api, /codex or /backend-api/codex). Remove it; a local test backend takes the exchange through refresh-token-url instead.`

/** Ours: Codex's endpoint text, plus where the override is. */
export const workloadOpenaiBaseUrl = (configPath: string): string =>
  `${WORKLOAD_DEFAULT_RESPONSES_ENDPOINT}: openai_base_url in ${configPath} would be carried into the primed config.toml, and Codex refuses workload identity with it. Remove openai_base_url from that file for keyless runs.`

/** Ours: a rule id without the audience its tokens must carry. */
export const oidcAudienceRequired = (ruleFrom: string): string =>
  `A federation rule id is set (${ruleFrom}) but oidc-audience is not. Set oidc-audience to the audience configured in the federation rule: OpenAI documents no default, and a token with another audience is refused by the exchange.`

/** Ours (warning): a keyless input that selects nothing on its own. */
export const keylessInputWithoutRule = (input: string): string =>
  `${input} is set but no federation rule id is (input federation-rule-id or env OPENAI_FEDERATION_RULE_ID), so it is ignored and workload identity is not used.`

/** Ours: a keyless setting with a line break or control character. */
export const keylessValueHasControlChars = (from: string): string =>
  `The value of ${from} contains a line break or another control character. Set it to the bare value, on one line.`

/** Ours: a keyless setting over its cap (the value is not shown). */
export const keylessValueTooLong = (
  from: string,
  length: number,
  max: number
): string =>
  `The value of ${from} is ${length} characters long, more than the ${max} this action accepts. Check that it holds only the value it names.`

/** Ours: `fifo` asked for where the OS has none. */
export const IDENTITY_TOKEN_FIFO_UNAVAILABLE =
  "Invalid identity-token-file-mode 'fifo': this runner's OS (Windows) has no FIFOs. Use 'file', or leave the input empty."
