import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleepFor } from 'node:timers/promises'
import { verifyAssertion, type AssertionCheck } from './assertion.js'
import {
  describeAuthorization,
  type AuthorizationDescription
} from './authorization.js'
import {
  ChatgptAccounts,
  type ChatgptAuthJson,
  type ChatgptTokens,
  type MintChatgptAuthOptions,
  type RefreshTokenState
} from './chatgpt.js'
import { FaultTable, type FaultSpec, type FaultTarget } from './faults.js'
import {
  FederationRules,
  type FederationRule,
  type FederationRuleOptions,
  type WorkloadAccessToken
} from './federation.js'
import {
  GithubOidcService,
  type GithubOidcOptions,
  type IssuedOidcToken,
  type MintOidcTokenOptions
} from './github-oidc.js'
import {
  errorResult,
  jsonResult,
  type ListenerKind,
  type RouteContext,
  type RouteResult
} from './http.js'
import {
  AgentRegistry,
  mintAgentIdentity,
  type MintAgentIdentityOptions,
  type MintedAgentIdentity,
  type TaskIdDelivery
} from './identity.js'
import {
  PatStore,
  type MintedPersonalAccessToken,
  type MintPersonalAccessTokenOptions
} from './pat.js'
import {
  RequestLog,
  type LoggedRequest,
  type RequestFilter
} from './request-log.js'
import {
  resetConnection,
  writeHuge,
  writeResult,
  writeTruncated
} from './respond.js'
import { matchRoute } from './router.js'
import { OIDC_ISSUER_PATH, OIDC_TOKEN_PATH } from './routes/github-oidc.js'
import { jwksDocument, type JsonWebKeySet } from './routes/jwks.js'
import { exchangeLogFields } from './routes/token-exchange.js'
import { loadSodium } from './sodium.js'
import type { BackendSettings, BackendState } from './state.js'
import { loadTlsMaterial } from './tls.js'

/** Options of {@link startDevBackend}. */
export interface DevBackendOptions {
  /** Port of the http listener; 0 (default) picks a free one. */
  port?: number
  /** Also start an https listener with the fixture test CA. */
  https?: boolean
  /** Port of the https listener; 0 (default) picks a free one. */
  httpsPort?: number
  /**
   * The backend clock in epoch ms, for token times and the registration
   * skew check (tests move it instead of waiting).
   */
  now?: () => number
  /** How registration answers unless an identity says otherwise. */
  taskIdDelivery?: TaskIdDelivery
  /** Assistant text of every Responses stream. */
  responseText?: string
  /** Accepted registration skew in seconds (default 300). */
  maxSkewSeconds?: number
  /**
   * Status refusing websocket upgrades (default 426 Upgrade Required; any
   * non-101 status makes Codex fall back to HTTP).
   */
  websocketStatus?: number
  /**
   * `workspace_backend_origin` for `wham/accounts/check`; defaults to the
   * https origin (Codex requires https), else the http one.
   */
  workspaceBackendOrigin?: string
  /** Called for every request once its body is read. */
  onRequest?: (entry: LoggedRequest) => void
  /** Largest request body accepted (default 16 MiB); larger gets 413. */
  maxBodyBytes?: number
  /** The simulated job of the GitHub Actions OIDC service (claims, token). */
  oidc?: GithubOidcOptions
}

/** A running dev backend. */
export interface DevBackend {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  readonly port: number
  /** `${url}/backend-api`, for `chatgpt-base-url` / `chatgpt_base_url`. */
  readonly chatgptBaseUrl: string
  /** `${url}/api/accounts`, for `authapi-base-url`. */
  readonly authapiBaseUrl: string
  /** Same as chatgptBaseUrl: the JWKS lives under it (see jwksUrl). */
  readonly jwksBaseUrl: string
  /** `${chatgptBaseUrl}/wham/agent-identities/jwks`. */
  readonly jwksUrl: string
  /** `${url}/oauth/token`, for `refresh-token-url`. */
  readonly refreshTokenUrl: string
  /** `${url}/v1`, the model endpoint for API-key mode (`openai_base_url`). */
  readonly openaiBaseUrl: string
  /**
   * `ACTIONS_ID_TOKEN_REQUEST_URL`: the OIDC token route with its
   * `?api-version=2.0` query, to which clients append `&audience=…`.
   */
  readonly oidcRequestUrl: string
  /** `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, fixed for this instance. */
  readonly oidcRequestToken: string
  /** `iss` of the OIDC tokens (`${url}/oidc` unless configured). */
  readonly oidcIssuer: string
  /** `${url}/oidc/.well-known/jwks`, the OIDC service's key set. */
  readonly oidcJwksUrl: string
  /** `https://127.0.0.1:<port>` when started with `https: true`. */
  readonly httpsUrl?: string
  readonly httpsPort?: number
  /** PEM of the test CA (with `https: true`). */
  readonly caCertPem?: string
  /** Path of that PEM, e.g. for `CODEX_CA_CERTIFICATE`. */
  readonly caCertPath?: string
  /** Mints a GitHub OIDC token directly (tests: tampered, expired, …). */
  mintOidcToken(options?: MintOidcTokenOptions): IssuedOidcToken
  /** Changes the OIDC claims of later tokens (merged into the current). */
  configureOidc(options: Omit<GithubOidcOptions, 'requestToken'>): void
  /** Every OIDC token handed out or minted, oldest first. */
  oidcTokens(): readonly IssuedOidcToken[]
  /** Creates a workload identity federation rule (`idpm_…`). */
  createFederationRule(options?: FederationRuleOptions): FederationRule
  /** Changes a rule in place (disable it, change its lifetime, …). */
  updateFederationRule(
    id: string,
    patch: Partial<Omit<FederationRule, 'id'>>
  ): void
  /** Access tokens issued by successful exchanges, oldest first. */
  workloadAccessTokens(): readonly WorkloadAccessToken[]
  /** Origin `wham/accounts/check` routes model calls to. */
  readonly workspaceBackendOrigin: string
  /** The request log, oldest first (live array). */
  readonly requests: readonly LoggedRequest[]
  /** Logged requests for a route name or predicate. */
  requestsFor(filter: RequestFilter): LoggedRequest[]
  /** Waits for a matching request (default timeout 5 s). */
  waitForRequest(
    filter: RequestFilter,
    timeoutMs?: number
  ): Promise<LoggedRequest>
  clearRequests(): void
  /** Injects a fault on a route (or `*`); see {@link FaultSpec}. */
  inject(route: FaultTarget, fault: FaultSpec): void
  /** Removes the faults of one route, or all. */
  clearFaults(route?: FaultTarget): void
  /** Mints an identity and trusts its agent key for registration. */
  mintAgentIdentity(options?: MintAgentIdentityOptions): MintedAgentIdentity
  /** Trusts an agent key minted elsewhere. */
  rememberAgent(
    runtimeId: string,
    accountId: string,
    publicKeyRaw: Uint8Array,
    taskIdDelivery?: TaskIdDelivery
  ): void
  /** Task ids registered for a runtime, oldest first. */
  tasksFor(runtimeId: string): string[]
  /** Changes the default registration answer field. */
  setTaskIdDelivery(delivery: TaskIdDelivery): void
  /** Checks an `AgentAssertion` header value against registered tasks. */
  verifyAssertion(headerValue: string | undefined): AssertionCheck
  /** Mints a ChatGPT login; its refresh token works once. */
  mintChatgptAuth(options?: MintChatgptAuthOptions): ChatgptAuthJson
  /** Current tokens of the newest login for an account. */
  chatgptTokens(accountId: string): ChatgptTokens | undefined
  /** Marks a refresh token expired, revoked, used or valid. */
  setRefreshTokenState(refreshToken: string, state: RefreshTokenState): void
  refreshTokenState(refreshToken: string): RefreshTokenState | undefined
  /** Mints a PAT that whoami then knows. */
  mintPersonalAccessToken(
    options?: MintPersonalAccessTokenOptions
  ): MintedPersonalAccessToken
  /** Makes whoami answer 401 for a PAT. */
  revokePersonalAccessToken(token: string): void
  /** Classifies an Authorization value (assertion, which token, …). */
  describeAuthorization(value: string | undefined): AuthorizationDescription
  setResponseText(text: string): void
  /** The published JWKS document. */
  jwks(): JsonWebKeySet
  /** Current backend clock (epoch ms). */
  now(): number
  /** Stops both listeners and drops open connections (hung requests too). */
  close(): Promise<void>
}

const LOOPBACK = '127.0.0.1'

/**
 * Starts the loopback dev backend. It binds 127.0.0.1 only and never
 * resolves a host name, so it runs inside a loopback-only namespace.
 */
export async function startDevBackend(
  options: DevBackendOptions = {}
): Promise<DevBackend> {
  const sodium = await loadSodium()
  const backend = new DevBackendServer(options, sodium)
  await backend.listen()
  return backend
}

class DevBackendServer implements DevBackend {
  url = ''
  port = 0
  chatgptBaseUrl = ''
  authapiBaseUrl = ''
  jwksBaseUrl = ''
  jwksUrl = ''
  refreshTokenUrl = ''
  openaiBaseUrl = ''
  oidcRequestUrl = ''
  oidcJwksUrl = ''
  httpsUrl?: string
  httpsPort?: number
  caCertPem?: string
  caCertPath?: string

  private readonly log = new RequestLog()
  private readonly faults = new FaultTable()
  private readonly state: BackendState
  private readonly servers: Server[] = []
  private readonly closing = new AbortController()
  private readonly maxBodyBytes: number
  private closed: Promise<void> | undefined

  constructor(
    private readonly options: DevBackendOptions,
    sodium: BackendState['sodium']
  ) {
    const now = options.now ?? Date.now
    const settings: BackendSettings = {
      taskIdDelivery: options.taskIdDelivery ?? 'encrypted_task_id',
      responseText:
        options.responseText ?? 'Hello from the Codex Auth Action dev backend.',
      maxSkewSeconds: options.maxSkewSeconds ?? 300,
      websocketStatus: options.websocketStatus ?? 426,
      workspaceBackendOrigin: ''
    }
    const oidc = new GithubOidcService(options.oidc ?? {}, now)
    this.state = {
      now,
      sodium,
      agents: new AgentRegistry(),
      chatgpt: new ChatgptAccounts(now),
      pats: new PatStore(),
      oidc,
      federation: new FederationRules(now, () => ({
        issuer: oidc.issuer,
        repository: oidc.repository,
        publicKey: oidc.publicKey()
      })),
      settings
    }
    this.maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024
  }

  get workspaceBackendOrigin(): string {
    return this.state.settings.workspaceBackendOrigin
  }

  get oidcRequestToken(): string {
    return this.state.oidc.requestToken
  }

  get oidcIssuer(): string {
    return this.state.oidc.issuer
  }

  get requests(): readonly LoggedRequest[] {
    return this.log.entries
  }

  /** Binds the listeners and fills in the URLs. */
  async listen(): Promise<void> {
    const http = createHttpServer((req, res) => this.dispatch(req, res, 'http'))
    this.port = await bind(http, this.options.port ?? 0)
    this.servers.push(http)
    this.url = `http://${LOOPBACK}:${this.port}`
    this.chatgptBaseUrl = `${this.url}/backend-api`
    this.authapiBaseUrl = `${this.url}/api/accounts`
    this.jwksBaseUrl = this.chatgptBaseUrl
    this.jwksUrl = `${this.chatgptBaseUrl}/wham/agent-identities/jwks`
    this.refreshTokenUrl = `${this.url}/oauth/token`
    this.openaiBaseUrl = `${this.url}/v1`
    this.oidcRequestUrl = `${this.url}${OIDC_TOKEN_PATH}?api-version=2.0`
    this.state.oidc.setDefaultIssuer(`${this.url}${OIDC_ISSUER_PATH}`)
    this.oidcJwksUrl = this.state.oidc.jwksUrl

    if (this.options.https) {
      const tls = loadTlsMaterial()
      const https = createHttpsServer(
        { key: tls.key, cert: tls.cert },
        (req, res) => this.dispatch(req, res, 'https')
      )
      this.httpsPort = await bind(https, this.options.httpsPort ?? 0)
      this.servers.push(https)
      this.httpsUrl = `https://${LOOPBACK}:${this.httpsPort}`
      this.caCertPem = tls.caCertPem
      this.caCertPath = tls.caCertPath
    }
    this.state.settings.workspaceBackendOrigin =
      this.options.workspaceBackendOrigin ?? this.httpsUrl ?? this.url
  }

  requestsFor(filter: RequestFilter): LoggedRequest[] {
    return this.log.filter(filter)
  }

  waitForRequest(
    filter: RequestFilter,
    timeoutMs = 5000
  ): Promise<LoggedRequest> {
    return this.log.waitFor(filter, timeoutMs)
  }

  clearRequests(): void {
    this.log.clear()
  }

  inject(route: FaultTarget, fault: FaultSpec): void {
    this.faults.inject(route, fault)
  }

  clearFaults(route?: FaultTarget): void {
    this.faults.clear(route)
  }

  mintAgentIdentity(
    options: MintAgentIdentityOptions = {}
  ): MintedAgentIdentity {
    const minted = mintAgentIdentity(options, this.state.now())
    this.rememberAgent(
      minted.runtimeId,
      minted.accountId,
      minted.publicKeyRaw,
      minted.taskIdDelivery
    )
    return minted
  }

  rememberAgent(
    runtimeId: string,
    accountId: string,
    publicKeyRaw: Uint8Array,
    taskIdDelivery?: TaskIdDelivery
  ): void {
    this.state.agents.remember(
      runtimeId,
      accountId,
      publicKeyRaw,
      taskIdDelivery
    )
  }

  tasksFor(runtimeId: string): string[] {
    return [...(this.state.agents.get(runtimeId)?.tasks ?? [])]
  }

  setTaskIdDelivery(delivery: TaskIdDelivery): void {
    this.state.settings.taskIdDelivery = delivery
  }

  verifyAssertion(headerValue: string | undefined): AssertionCheck {
    return verifyAssertion(headerValue, this.state.agents, this.state.now())
  }

  mintChatgptAuth(options?: MintChatgptAuthOptions): ChatgptAuthJson {
    return this.state.chatgpt.mint(options)
  }

  chatgptTokens(accountId: string): ChatgptTokens | undefined {
    return this.state.chatgpt.tokens(accountId)
  }

  setRefreshTokenState(refreshToken: string, state: RefreshTokenState): void {
    this.state.chatgpt.setRefreshTokenState(refreshToken, state)
  }

  refreshTokenState(refreshToken: string): RefreshTokenState | undefined {
    return this.state.chatgpt.refreshTokenState(refreshToken)
  }

  mintPersonalAccessToken(
    options?: MintPersonalAccessTokenOptions
  ): MintedPersonalAccessToken {
    return this.state.pats.mint(options)
  }

  revokePersonalAccessToken(token: string): void {
    this.state.pats.revoke(token)
  }

  describeAuthorization(value: string | undefined): AuthorizationDescription {
    return describeAuthorization(value, this.state)
  }

  setResponseText(text: string): void {
    this.state.settings.responseText = text
  }

  jwks(): JsonWebKeySet {
    return jwksDocument()
  }

  mintOidcToken(options?: MintOidcTokenOptions): IssuedOidcToken {
    return this.state.oidc.mint(options)
  }

  configureOidc(options: Omit<GithubOidcOptions, 'requestToken'>): void {
    this.state.oidc.configure(options)
  }

  oidcTokens(): readonly IssuedOidcToken[] {
    return this.state.oidc.issued
  }

  createFederationRule(options?: FederationRuleOptions): FederationRule {
    return this.state.federation.create(options)
  }

  updateFederationRule(
    id: string,
    patch: Partial<Omit<FederationRule, 'id'>>
  ): void {
    this.state.federation.update(id, patch)
  }

  workloadAccessTokens(): readonly WorkloadAccessToken[] {
    return this.state.federation.issued
  }

  now(): number {
    return this.state.now()
  }

  close(): Promise<void> {
    this.closed ??= (async (): Promise<void> => {
      this.closing.abort()
      await Promise.all(
        this.servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve())
              // Hung and keep-alive connections would hold close() forever.
              server.closeAllConnections()
            })
        )
      )
    })()
    return this.closed
  }

  private dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    listener: ListenerKind
  ): void {
    // A client that goes away mid-answer is normal under fault injection.
    res.on('error', () => undefined)
    this.handle(req, res, listener).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy()
        return
      }
      const message = error instanceof Error ? error.message : String(error)
      writeResult(res, errorResult(500, 'dev_backend_error', message))
    })
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
    listener: ListenerKind
  ): Promise<void> {
    const rawBody = await readBody(req, this.maxBodyBytes)
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`)
    const headers = flattenHeaders(req.headers)
    const route = matchRoute(url.pathname, headers)
    const fault = this.faults.take(route.name)
    const entry = this.log.add({
      route: route.name,
      listener,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: rawBody?.toString('utf8') ?? '',
      rawBody: rawBody ?? Buffer.alloc(0),
      timestamp: Date.now(),
      ...(fault ? { fault: fault.kind } : {}),
      ...(route.name === 'token-exchange' && rawBody
        ? exchangeLogFields(rawBody.toString('utf8'))
        : {})
    })
    this.options.onRequest?.(entry)

    const respond = (result: RouteResult): void => {
      entry.status = result.status
      writeResult(res, result)
    }
    if (rawBody === undefined) {
      respond(errorResult(413, 'body_too_large', 'Request body too large.'))
      return
    }
    const ctx: RouteContext = {
      method: entry.method,
      path: entry.path,
      query: url.searchParams,
      headers,
      rawBody,
      body: entry.body,
      listener,
      params: route.params
    }
    const run = async (): Promise<RouteResult> => route.handler(ctx, this.state)

    if (fault?.delayMs && !(await this.sleep(fault.delayMs))) return
    if (!fault || fault.kind === 'delay') {
      if (fault && !(await this.sleep(fault.ms))) return
      respond(await run())
      return
    }
    const processed = fault.process ? await run() : undefined
    switch (fault.kind) {
      case 'status':
        respond(statusFaultResult(fault))
        return
      case 'invalid-json':
        respond({
          status: fault.status ?? 200,
          headers: { 'content-type': 'application/json' },
          body: fault.body ?? '{"error": {"code": "broken'
        })
        return
      case 'truncate': {
        const base =
          processed ??
          jsonResult(fault.status ?? 200, {
            note: 'this body is cut short by an injected fault'
          })
        entry.status = base.status
        writeTruncated(res, base)
        return
      }
      case 'huge':
        entry.status = fault.status ?? 200
        writeHuge(res, fault.bytes, entry.status)
        return
      case 'reset':
        resetConnection(res)
        return
      case 'hang':
        // Left open on purpose; close() or the client ends it.
        return
    }
  }

  /** Waits unless the backend closes first; false when it closed. */
  private async sleep(ms: number): Promise<boolean> {
    try {
      await sleepFor(ms, undefined, { signal: this.closing.signal })
      return true
    } catch {
      return false
    }
  }
}

function statusFaultResult(fault: {
  status: number
  body?: unknown
  headers?: Record<string, string>
  retryAfter?: number | string
}): RouteResult {
  const body =
    fault.body === undefined
      ? JSON.stringify({
          error: {
            code: 'injected_fault',
            message: `Injected status ${fault.status}.`
          }
        })
      : typeof fault.body === 'string'
        ? fault.body
        : JSON.stringify(fault.body)
  return {
    status: fault.status,
    headers: {
      'content-type': 'application/json',
      ...(fault.retryAfter === undefined
        ? {}
        : { 'retry-after': String(fault.retryAfter) }),
      ...fault.headers
    },
    body
  }
}

/** Reads the whole body; undefined once it exceeds the limit. */
async function readBody(
  req: IncomingMessage,
  limit: number
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  let tooLarge = false
  for await (const chunk of req) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > limit) tooLarge = true
    if (!tooLarge) chunks.push(buffer)
  }
  return tooLarge ? undefined : Buffer.concat(chunks)
}

function flattenHeaders(
  headers: IncomingMessage['headers']
): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

function bind(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}
