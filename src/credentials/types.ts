/**
 * The shared shape of a credential as it moves through the pipeline:
 * loaded (`Credential`), then resolved (`Resolved`) by its kind's hydrator.
 */

/** The `auth-mode` output; Codex's own names. */
export type AuthMode =
  | 'apikey'
  | 'agentIdentity'
  | 'personalAccessToken'
  | 'chatgpt'
  | 'workloadIdentity'

/** Where a credential came from. */
export interface CredentialSource {
  /** For logs and messages, e.g. `input api-key` or `/home/me/.codex/auth.json`. */
  label: string
  /**
   * Set when the credential was read from `<codex-home>/auth.json` on the
   * runner: a restriction failure deletes it (Codex's "Logging out"), and a
   * refreshed token is written back to it.
   */
  authFilePath?: string
}

/** An auth.json document, as Codex reads and writes it. */
export interface AuthJson {
  auth_mode?: string
  OPENAI_API_KEY?: string | null
  tokens?: unknown
  last_refresh?: unknown
  agent_identity?: unknown
  personal_access_token?: unknown
  [key: string]: unknown
}

export interface ApiKeyCredential {
  mode: 'apikey'
  source: CredentialSource
  apiKey: string
}

export interface AgentIdentityCredential {
  mode: 'agentIdentity'
  source: CredentialSource
  /** A JWT (inputs, env, or a string in auth.json) or a stored record. */
  material: { kind: 'jwt'; jwt: string } | { kind: 'record'; record: unknown }
}

export interface PatCredential {
  mode: 'personalAccessToken'
  source: CredentialSource
  token: string
}

export interface ChatgptCredential {
  mode: 'chatgpt'
  source: CredentialSource
  /** The whole auth.json, tokens validated by the chatgpt hydrator. */
  doc: AuthJson
}

/**
 * Keyless CI: nothing stored; the job's GitHub OIDC token is
 * exchanged through a federation rule.
 */
export interface WorkloadIdentityCredential {
  mode: 'workloadIdentity'
  source: CredentialSource
  federationRuleId: string
  /** The audience the OIDC tokens are minted for (the rule's). */
  audience: string
  /** Sent with every exchange when set. */
  workloadIdentityContext?: string
}

export type Credential =
  | ApiKeyCredential
  | AgentIdentityCredential
  | PatCredential
  | ChatgptCredential
  | WorkloadIdentityCredential

/** What the summary shows of a keyless run (never a token). */
export interface WorkloadFacts {
  federationRuleId: string
  audience: string
  /** The non-secret claims of the OIDC token the preflight exchanged. */
  claims: string
  /** The preflight access token's expiry, RFC 3339 UTC. */
  expiresAt: string
  /** Where the preflight exchange went. */
  exchangeUrl: string
}

/** A credential ready to export: everything later steps and Codex need. */
export interface Resolved {
  mode: AuthMode
  source: CredentialSource
  /**
   * Every secret value that reaches env, outputs, state or files. Masked
   * before anything is written.
   */
  secrets: string[]
  /** The full `Authorization` header value. */
  authorization: string
  /** ChatGPT-Account-ID header value; absent when the credential has none. */
  accountId?: string
  planType?: string
  fedramp: boolean
  agentRuntimeId?: string
  taskId?: string
  /**
   * The auth.json written into the primed home (Codex's format); absent for
   * workload identity, where Codex writes none either.
   */
  authJson?: AuthJson
  /** When the exported credential stops working (RFC 3339 UTC), if known. */
  expiresAt?: string
  /** Keyless runs: what the summary shows. */
  workload?: WorkloadFacts
  /**
   * Variables (Codex's glob patterns) the primed config.toml keeps out of
   * the commands the model runs: they would let a command mint tokens.
   */
  shellEnvExclude?: string[]
  /** Mode-specific variables for later steps (e.g. endpoint overrides). */
  env: Record<string, string>
  /** Keys added to the primed config.toml (e.g. chatgpt_base_url). */
  config: Record<string, unknown>
  /** Logged as warnings and listed in the summary. */
  warnings: string[]
  /** Extra non-secret rows for the job summary. */
  facts: [string, string][]
  /**
   * Set when the primed auth.json holds rotating tokens that must be copied
   * back to this runner file after later steps (post step).
   */
  writeBackPath?: string
  /** Set when this step refreshed the tokens. */
  refreshed?: RefreshedTokens
}

/**
 * An auth.json a refresh produced. Refresh tokens rotate: once the server
 * has rotated one, this document holds the only valid copy, and it must not
 * be lost, whatever fails afterwards.
 */
export interface RefreshedTokens {
  doc: AuthJson
  /** Whether the server replaced the refresh token (the old one is used up). */
  rotated: boolean
  /** Where the tokens came from, for messages (`input auth-json`, a path). */
  from: string
  /** The runner file the tokens came from; it gets the new ones at once. */
  target?: string
}
