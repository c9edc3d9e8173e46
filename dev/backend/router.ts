import { errorResult } from './http.js'
import {
  accountsCheck,
  configBundle,
  models
} from './routes/chatgpt-backend.js'
import {
  OIDC_ISSUER_PATH,
  OIDC_TOKEN_PATH,
  oidcConfiguration,
  oidcJwks,
  oidcToken
} from './routes/github-oidc.js'
import { serveJwks } from './routes/jwks.js'
import { refreshToken } from './routes/refresh.js'
import { registerTask } from './routes/register.js'
import { refuseWebsocket, responses } from './routes/responses.js'
import { isFormContentType, tokenExchange } from './routes/token-exchange.js'
import { whoami } from './routes/whoami.js'
import type { RouteHandler } from './state.js'

/** Names of the routes; the request log and fault injection use them. */
export type RouteName =
  | 'jwks'
  | 'register'
  | 'refresh'
  | 'whoami'
  | 'responses'
  | 'websocket'
  | 'models'
  | 'accounts-check'
  | 'config-bundle'
  | 'oidc-token'
  | 'oidc-jwks'
  | 'oidc-configuration'
  | 'token-exchange'
  | 'not-found'

/** Every route name, for validation and documentation. */
export const ROUTE_NAMES: readonly RouteName[] = [
  'jwks',
  'register',
  'refresh',
  'whoami',
  'responses',
  'websocket',
  'models',
  'accounts-check',
  'config-bundle',
  'oidc-token',
  'oidc-jwks',
  'oidc-configuration',
  'token-exchange',
  'not-found'
]

/** A matched route: its name, handler and path parameters. */
export interface MatchedRoute {
  name: RouteName
  handler: RouteHandler
  params: Record<string, string>
}

interface RouteEntry {
  name: RouteName
  pattern: RegExp
  handler: RouteHandler
  /** Further condition on the headers (same path, different protocol). */
  when?: (headers: Record<string, string>) => boolean
}

// Exact paths on purpose: a client that joins URLs wrongly (for example
// `new URL()` dropping `/api/accounts`) must get a 404, not a lucky match.
// Only Responses matches any prefix, because Codex derives that path from
// whichever base URL it was given.
const ROUTES: RouteEntry[] = [
  {
    name: 'jwks',
    pattern: /^(?:\/backend-api\/wham)?\/agent-identities\/jwks$/,
    handler: serveJwks
  },
  {
    name: 'register',
    pattern:
      /^\/api\/accounts\/v1\/agent\/(?<runtimeId>[^/]+)\/task\/register$/,
    handler: registerTask
  },
  // One path, two protocols: a form body is the workload identity exchange,
  // anything else stays the JSON refresh exactly as before.
  {
    name: 'token-exchange',
    pattern: /^\/oauth\/token$/,
    handler: tokenExchange,
    when: (headers) => isFormContentType(headers['content-type'])
  },
  { name: 'refresh', pattern: /^\/oauth\/token$/, handler: refreshToken },
  {
    name: 'whoami',
    pattern: /^\/api\/accounts\/v1\/user-auth-credential\/whoami$/,
    handler: whoami
  },
  { name: 'responses', pattern: /\/responses$/, handler: responses },
  {
    name: 'models',
    pattern: /^\/backend-api\/codex\/models$/,
    handler: models
  },
  {
    name: 'accounts-check',
    pattern: /^\/backend-api\/wham\/accounts\/check$/,
    handler: accountsCheck
  },
  {
    name: 'config-bundle',
    pattern: /^\/backend-api\/wham\/config\/bundle$/,
    handler: configBundle
  },
  {
    name: 'oidc-token',
    pattern: new RegExp(`^${escapeRegExp(OIDC_TOKEN_PATH)}$`),
    handler: oidcToken
  },
  {
    name: 'oidc-jwks',
    pattern: new RegExp(
      `^${escapeRegExp(OIDC_ISSUER_PATH)}/\\.well-known/jwks$`
    ),
    handler: oidcJwks
  },
  {
    name: 'oidc-configuration',
    pattern: new RegExp(
      `^${escapeRegExp(OIDC_ISSUER_PATH)}/\\.well-known/openid-configuration$`
    ),
    handler: oidcConfiguration
  }
]

const notFound: RouteHandler = (ctx) =>
  errorResult(404, 'not_found', `No dev backend route for ${ctx.path}.`)

/** Finds the route for a request path; unknown paths get `not-found`. */
export function matchRoute(
  path: string,
  headers: Record<string, string>
): MatchedRoute {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path)
    if (!match || (route.when && !route.when(headers))) continue
    if (route.name === 'responses' && isWebsocketUpgrade(headers)) {
      return { name: 'websocket', handler: refuseWebsocket, params: {} }
    }
    return {
      name: route.name,
      handler: route.handler,
      params: { ...match.groups }
    }
  }
  return { name: 'not-found', handler: notFound, params: {} }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function isWebsocketUpgrade(headers: Record<string, string>): boolean {
  return (headers.upgrade ?? '').toLowerCase() === 'websocket'
}
