/**
 * The loopback dev backend: a strict, independent implementation of the
 * Codex auth protocol (SPEC sections 4 to 6, 11 and 12) for tests, the demo and
 * the command line.
 */
export {
  startDevBackend,
  type DevBackend,
  type DevBackendOptions
} from './server.js'
export type { AssertionCheck, AssertionEnvelope } from './assertion.js'
export type { AuthorizationDescription } from './authorization.js'
export {
  CODEX_OAUTH_CLIENT_ID,
  type ChatgptAuthJson,
  type ChatgptTokens,
  type MintChatgptAuthOptions,
  type RefreshTokenState
} from './chatgpt.js'
export type { Fault, FaultKind, FaultSpec, FaultTarget } from './faults.js'
export {
  DEFAULT_FEDERATION_AUDIENCE,
  ISSUED_ACCESS_TOKEN_TYPE,
  JWT_BEARER_GRANT_TYPE,
  type FederationRule,
  type FederationRuleOptions,
  type WorkloadAccessToken
} from './federation.js'
export {
  DEFAULT_REPOSITORY,
  GITHUB_OIDC_TOKEN_LIFETIME,
  type GithubOidcOptions,
  type IssuedOidcToken,
  type MintOidcTokenOptions,
  type OidcSubjectKind
} from './github-oidc.js'
export {
  AGENT_IDENTITY_AUDIENCE,
  AGENT_IDENTITY_ISSUER,
  type MintAgentIdentityOptions,
  type MintedAgentIdentity,
  type TaskIdDelivery
} from './identity.js'
export { GITHUB_OIDC_KEY_ID, JWKS_KEY_ID, untrustedSigningKey } from './keys.js'
export type {
  MintedPersonalAccessToken,
  MintPersonalAccessTokenOptions,
  WhoamiReply
} from './pat.js'
export type { LoggedRequest, RequestFilter } from './request-log.js'
export { ROUTE_NAMES, type RouteName } from './router.js'
export type { JsonWebKeySet } from './routes/jwks.js'
export { parseSse, RESPONSE_USAGE, type ParsedSseEvent } from './sse.js'
