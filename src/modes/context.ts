/**
 * What every credential mode receives: the settings, the policy, the
 * resolved endpoints, the runner port, a lazily created HTTP client and a
 * clock. Passing these in keeps the
 * modes free of globals, so tests inject fakes instead of mocking modules.
 */
import type { CodexConfig } from '../sources/codex-config.js'
import type { HttpClient } from '../clients/http.js'
import type { CredentialSource } from '../credentials/types.js'
import type { Endpoints } from '../endpoints/resolve.js'
import { ActionError } from '../errors.js'
import type { Settings } from '../inputs.js'
import type { Policy } from '../policy/rules.js'
import type { Runner } from '../runner/port.js'

export interface ModeContext {
  runner: Runner
  settings: Settings
  config: CodexConfig
  policy: Policy
  /** Every endpoint of the run, resolved once. */
  endpoints: Endpoints
  /** Created on first use, so modes without network never load the HTTP stack. */
  http(): Promise<HttpClient>
  now(): Date
  /**
   * Workload identity: hands the token source Codex will read (started by
   * the main step once every local check held) its first OIDC token, masked,
   * minted alongside the preflight exchange. Returns at once; the main step
   * waits for the helper before exporting and stops it when anything fails,
   * a failure of `first` included.
   */
  handOverFirstToken?(first: Promise<MintedToken>): void
}

/** An OIDC token and when the request for it started (epoch ms). */
export interface MintedToken {
  value: string
  mintedAt: number
}

/** What the token source needs to start (workload identity). */
export interface TokenSourceRequest {
  /** `aud` of the OIDC tokens (the federation rule's audience). */
  audience: string
  /** ACTIONS_ID_TOKEN_REQUEST_URL */
  requestUrl: string
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN */
  requestToken: string
}

/**
 * A restriction failure. When the credential came from a Codex home's
 * auth.json, that file is deleted before failing, as Codex's "Logging out"
 * does; a file that was merely present is left alone.
 */
export function restrictionFailure(
  message: string,
  source: CredentialSource
): ActionError {
  return new ActionError(message, source.authFilePath)
}
