import type { ChatgptAccounts } from './chatgpt.js'
import type { FederationRules } from './federation.js'
import type { GithubOidcService } from './github-oidc.js'
import type { RouteContext, RouteResult } from './http.js'
import type { AgentRegistry, TaskIdDelivery } from './identity.js'
import type { PatStore } from './pat.js'
import type { Sodium } from './sodium.js'

/** Behaviour switches tests may flip while the backend runs. */
export interface BackendSettings {
  /** Default registration answer field. */
  taskIdDelivery: TaskIdDelivery
  /** Text of the assistant message in every Responses stream. */
  responseText: string
  /** Accepted registration clock skew, seconds. */
  maxSkewSeconds: number
  /** Status that refuses a websocket upgrade. */
  websocketStatus: number
  /** `workspace_backend_origin` in `wham/accounts/check`. */
  workspaceBackendOrigin: string
}

/** Everything route handlers share: stores, clock, settings. */
export interface BackendState {
  now(): number
  sodium: Sodium
  agents: AgentRegistry
  chatgpt: ChatgptAccounts
  pats: PatStore
  /** The GitHub Actions OIDC token service of one simulated job. */
  oidc: GithubOidcService
  /** OpenAI's workload identity federation rules and exchange. */
  federation: FederationRules
  settings: BackendSettings
}

/** A route's logic: request in, answer out, state mutated as needed. */
export type RouteHandler = (
  ctx: RouteContext,
  state: BackendState
) => RouteResult | Promise<RouteResult>
