/**
 * The credential kinds the benchmark runs, each as the inputs of one run
 * against the dev backend, with the issue 11 budgets and the network it must
 * (at most) make.
 */
import {
  DEFAULT_FEDERATION_AUDIENCE,
  type DevBackend,
  type RouteName
} from '../dev/backend/index.js'

/** Backend URLs a run points the action at (the backend or a relay). */
export interface Endpoints {
  chatgptBaseUrl: string
  authapiBaseUrl: string
  jwksBaseUrl: string
  refreshTokenUrl: string
  /** `ACTIONS_ID_TOKEN_REQUEST_URL` of the simulated job. */
  oidcRequestUrl: string
}

/** The backend's URLs with its origin replaced (e.g. by a relay's). */
export function endpointsVia(backend: DevBackend, origin: string): Endpoints {
  const swap = (url: string): string => origin + url.slice(backend.url.length)
  return {
    chatgptBaseUrl: swap(backend.chatgptBaseUrl),
    authapiBaseUrl: swap(backend.authapiBaseUrl),
    jwksBaseUrl: swap(backend.jwksBaseUrl),
    refreshTokenUrl: swap(backend.refreshTokenUrl),
    oidcRequestUrl: swap(backend.oidcRequestUrl)
  }
}

export interface BenchMode {
  name: string
  label: string
  /**
   * A yardstick, not the action: the bundled script of this path runs in
   * the action's place, and no budget applies.
   */
  reference?: string
  /** Wall time ratio to an empty node start (issue 11 budgets). */
  ratioBudget?: number
  /** Agent Identity: wall time ratio to the identity floor script. */
  floorBudget?: number
  /**
   * The reference mode (by name) whose script runs in this mode's own timed
   * loop, so the ratio to it is taken pair by pair, as the ratio to an
   * empty module is: two programs measured minutes apart on a shared VM
   * differ by more than the budget's margin.
   */
  yardstick?: string
  /** The requests one run must make, in order (issue 7 item 3). */
  expectedRoutes: RouteName[]
  /**
   * Its last `concurrentRoutes` requests are sent at once (keyless: the
   * token source's first OIDC token alongside the exchange), so they may
   * arrive in either order.
   */
  concurrentRoutes?: number
  /** Inputs of one run; called per run (some credentials work once). */
  inputs(endpoints: Endpoints): Record<string, string>
  /** Job env of a run beyond the runner's (keyless: the OIDC pair). */
  jobEnv?(endpoints: Endpoints): Record<string, string>
  /**
   * The main step leaves a process running (keyless: the token source):
   * every run is followed by the post step, untimed, which must stop it.
   */
  needsPost?: boolean
  /**
   * Processes that make the run's requests, each on its own connection
   * (keyless: the step and the token source it starts); default 1.
   */
  processes?: number
}

/**
 * Whether `seen` (routes joined with ` → `) is what `mode` expects: in
 * order, but for its last {@link BenchMode.concurrentRoutes}, in any order.
 */
export function expectedSequence(mode: BenchMode, seen: string): boolean {
  const expected = mode.expectedRoutes
  const routes = seen === 'none' ? [] : seen.split(' → ')
  const tail = mode.concurrentRoutes ?? 0
  const head = expected.length - tail
  const sorted = (list: readonly string[]): string => [...list].sort().join()
  return (
    routes.length === expected.length &&
    routes.slice(0, head).join() === expected.slice(0, head).join() &&
    sorted(routes.slice(head)) === sorted(expected.slice(head))
  )
}

/** Peak RSS on Node 20 ≤ 60 MB (10^6 bytes, the strict reading). */
export const RSS_BUDGET_MB = 60

/** On Node 24, peak RSS within this factor of the identity floor's. */
export const RSS_FLOOR_FACTOR = 1.1

/** Every mode that makes requests: ≤ 3× an empty module. */
export const NETWORKED_RATIO_BUDGET = 3

export function benchModes(backend: DevBackend): BenchMode[] {
  const identity = backend.mintAgentIdentity({ accountId: 'ws-bench' })
  const pat = backend.mintPersonalAccessToken({ accountId: 'ws-bench-pat' })
  // Replay protection on, as by default: every run must use fresh tokens.
  const rule = backend.createFederationRule({
    audiences: [DEFAULT_FEDERATION_AUDIENCE],
    accountId: 'ws-bench-keyless'
  })
  return [
    {
      name: 'apikey',
      label: 'API key',
      ratioBudget: 1.5,
      expectedRoutes: [],
      inputs: () => ({ 'api-key': 'sk-bench-not-a-real-key-0123456789' })
    },
    {
      name: 'identity',
      label: 'Agent Identity',
      ratioBudget: NETWORKED_RATIO_BUDGET,
      floorBudget: 1.25,
      yardstick: 'identity-floor',
      expectedRoutes: ['jwks', 'register'],
      // One JWT for every run: each run verifies it and registers a task.
      inputs: (e) => ({
        'access-token': identity.jwt,
        'chatgpt-base-url': e.chatgptBaseUrl,
        'authapi-base-url': e.authapiBaseUrl,
        'jwks-base-url': e.jwksBaseUrl
      })
    },
    {
      name: 'identity-floor',
      label: 'Identity floor',
      reference: 'bench/reference/identity.ts',
      expectedRoutes: ['jwks', 'register'],
      inputs: (e) => ({
        'access-token': identity.jwt,
        'jwks-url': `${e.jwksBaseUrl}/wham/agent-identities/jwks`,
        'register-url': `${e.authapiBaseUrl}/v1/agent/{id}/task/register`
      })
    },
    {
      name: 'chatgpt',
      label: 'ChatGPT + refresh',
      ratioBudget: NETWORKED_RATIO_BUDGET,
      expectedRoutes: ['refresh'],
      // A fresh login per run: a refresh token works once, and an access
      // token expiring within 5 minutes makes the action refresh.
      inputs: (e) => ({
        'auth-json': JSON.stringify(
          backend.mintChatgptAuth({ accessTokenExpiresIn: 60 })
        ),
        'refresh-token-url': e.refreshTokenUrl
      })
    },
    {
      name: 'pat',
      label: 'PAT',
      ratioBudget: NETWORKED_RATIO_BUDGET,
      expectedRoutes: ['whoami'],
      inputs: (e) => ({
        'access-token': pat.token,
        'authapi-base-url': e.authapiBaseUrl
      })
    },
    {
      name: 'keyless',
      label: 'Keyless (OIDC)',
      ratioBudget: NETWORKED_RATIO_BUDGET,
      // The preflight (one OIDC token exchanged) and, once its token came,
      // the token source's first, minted by the step alongside the
      // exchange: two requests at once, so two connections.
      expectedRoutes: ['oidc-token', 'oidc-token', 'token-exchange'],
      concurrentRoutes: 2,
      needsPost: true,
      processes: 2,
      jobEnv: (e) => ({
        ACTIONS_ID_TOKEN_REQUEST_URL: e.oidcRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: backend.oidcRequestToken
      }),
      inputs: (e) => ({
        'federation-rule-id': rule.id,
        'oidc-audience': DEFAULT_FEDERATION_AUDIENCE,
        'refresh-token-url': e.refreshTokenUrl
      })
    }
  ]
}
