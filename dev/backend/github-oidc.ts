import {
  createPublicKey,
  randomBytes,
  randomUUID,
  type JsonWebKey,
  type KeyObject
} from 'node:crypto'
import { applyOverrides, encodeJwt } from './jwt.js'
import {
  GITHUB_OIDC_KEY_ID,
  githubOidcSigningKey,
  untrustedSigningKey
} from './keys.js'

/** Lifetime of a GitHub Actions OIDC token, seconds (about five minutes). */
export const GITHUB_OIDC_TOKEN_LIFETIME = 300

/** The repository of the simulated job unless configured. */
export const DEFAULT_REPOSITORY = 'octo-org/octo-repo'

/** Which `sub` form GitHub uses for the job (SPEC 12, GitHub side). */
export type OidcSubjectKind = 'ref' | 'environment' | 'pull_request'

/**
 * The job the OIDC service mints tokens for. Every field has a default; the
 * claims follow GitHub's names (`repository` is `owner/name`).
 */
export interface GithubOidcOptions {
  /** The `ACTIONS_ID_TOKEN_REQUEST_TOKEN`; random per instance by default. */
  requestToken?: string
  /** `iss`; defaults to `${url}/oidc`, where the JWKS is served too. */
  issuer?: string
  repository?: string
  ref?: string
  sha?: string
  workflow?: string
  /** Defaults to `{repository}/.github/workflows/ci.yml@{ref}`. */
  jobWorkflowRef?: string
  eventName?: string
  /** Deployment environment; also switches `sub` to its environment form. */
  environment?: string
  /**
   * Form of `sub`; defaults to `environment` when one is set, `pull_request`
   * for that event, else `ref`.
   */
  subject?: OidcSubjectKind
  runId?: string
  runnerEnvironment?: string
  /** Token lifetime in seconds (default 300). */
  lifetimeSeconds?: number
  /** Claim overrides applied last; `undefined` removes a claim. */
  claims?: Record<string, unknown>
}

/** Options of `mintOidcToken`, for tokens a test builds by hand. */
export interface MintOidcTokenOptions {
  /** `aud`; defaults to GitHub's `https://github.com/{owner}`. */
  audience?: string
  /** `iat` in seconds; defaults to the backend clock. */
  issuedAt?: number
  /** Lifetime after `iat` in seconds; the service's lifetime else. */
  expiresIn?: number
  /** Claim overrides applied last; `undefined` removes a claim. */
  claims?: Record<string, unknown>
  /** Header overrides applied last; `undefined` removes an entry. */
  header?: Record<string, unknown>
  /** The service's key (default), one nobody publishes, or any RSA key. */
  signingKey?: 'trusted' | 'untrusted' | KeyObject
}

/** A token the service handed out, for assertions about uniqueness. */
export interface IssuedOidcToken {
  jwt: string
  jti: string
  audience: string
  claims: Record<string, unknown>
  /** `request` when served over HTTP, `api` when minted by a test. */
  source: 'request' | 'api'
}

/**
 * The GitHub Actions token service of one job: a fixed request token, a
 * signing key with a `kid`, and GitHub's claim set with a fresh `jti` each
 * time.
 */
export class GithubOidcService {
  readonly requestToken: string
  private settings: GithubOidcOptions
  private issuerUrl = ''
  private readonly issuedTokens: IssuedOidcToken[] = []

  constructor(
    options: GithubOidcOptions,
    private readonly now: () => number
  ) {
    this.settings = { ...options }
    this.requestToken =
      options.requestToken ?? `oidc-request-${randomBytes(18).toString('hex')}`
  }

  /** `iss` of every token, and where the JWKS lives under. */
  get issuer(): string {
    return this.settings.issuer ?? this.issuerUrl
  }

  /** `owner/name` of the simulated job's repository. */
  get repository(): string {
    return this.settings.repository ?? DEFAULT_REPOSITORY
  }

  /** Where the JWKS is served (under the default issuer's path). */
  get jwksUrl(): string {
    return `${this.issuerUrl}/.well-known/jwks`
  }

  /** Sets the default issuer once the listener's URL is known. */
  setDefaultIssuer(url: string): void {
    this.issuerUrl = url
  }

  /** Changes the job's claims for later tokens (merged into the current). */
  configure(options: Omit<GithubOidcOptions, 'requestToken'>): void {
    this.settings = { ...this.settings, ...options }
  }

  /** Every token handed out so far, oldest first. */
  get issued(): readonly IssuedOidcToken[] {
    return this.issuedTokens
  }

  /** The claims of a token for this audience issued then (no `jti`). */
  claimsFor(audience: string | undefined, issuedAt: number): ClaimSet {
    const s = this.settings
    const repository = this.repository
    const owner = repository.split('/')[0] ?? repository
    const ref = s.ref ?? 'refs/heads/main'
    const eventName = s.eventName ?? 'push'
    const subjectKind =
      s.subject ??
      (s.environment !== undefined
        ? 'environment'
        : eventName === 'pull_request'
          ? 'pull_request'
          : 'ref')
    const sub =
      subjectKind === 'environment'
        ? `repo:${repository}:environment:${s.environment ?? ''}`
        : subjectKind === 'pull_request'
          ? `repo:${repository}:pull_request`
          : `repo:${repository}:ref:${ref}`
    const lifetime = s.lifetimeSeconds ?? GITHUB_OIDC_TOKEN_LIFETIME
    return {
      lifetime,
      claims: {
        sub,
        aud: audience ?? `https://github.com/${owner}`,
        ref,
        sha: s.sha ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        repository,
        repository_owner: owner,
        run_id: s.runId ?? '4242424242',
        run_number: '7',
        run_attempt: '1',
        actor: 'octocat',
        workflow: s.workflow ?? 'CI',
        event_name: eventName,
        ...(s.environment !== undefined ? { environment: s.environment } : {}),
        job_workflow_ref:
          s.jobWorkflowRef ?? `${repository}/.github/workflows/ci.yml@${ref}`,
        runner_environment: s.runnerEnvironment ?? 'github-hosted',
        iss: this.issuer,
        nbf: issuedAt,
        exp: issuedAt + lifetime,
        iat: issuedAt
      }
    }
  }

  /** Mints a token as the token route does (or with test overrides). */
  mint(
    options: MintOidcTokenOptions = {},
    source: IssuedOidcToken['source'] = 'api'
  ): IssuedOidcToken {
    const iat = options.issuedAt ?? Math.floor(this.now() / 1000)
    const base = this.claimsFor(options.audience, iat)
    const claims = applyOverrides(
      {
        jti: randomUUID(),
        ...base.claims,
        exp: iat + (options.expiresIn ?? base.lifetime)
      },
      { ...this.settings.claims, ...options.claims }
    )
    const header = applyOverrides(
      { typ: 'JWT', alg: 'RS256', kid: GITHUB_OIDC_KEY_ID },
      options.header
    )
    const jwt = encodeJwt(header, claims, {
      key: signingKey(options.signingKey)
    })
    const issued: IssuedOidcToken = {
      jwt,
      jti: String(claims.jti),
      audience: String(claims.aud),
      claims,
      source
    }
    this.issuedTokens.push(issued)
    return issued
  }

  /** The public key tokens verify against. */
  publicKey(): KeyObject {
    return createPublicKey(githubOidcSigningKey())
  }

  /** The service's JWKS: its one signing key. */
  jwks(): { keys: JsonWebKey[] } {
    const jwk = this.publicKey().export({ format: 'jwk' })
    return {
      keys: [{ ...jwk, kid: GITHUB_OIDC_KEY_ID, alg: 'RS256', use: 'sig' }]
    }
  }
}

/** GitHub's claims for a token, and its lifetime. */
export interface ClaimSet {
  claims: Record<string, unknown>
  lifetime: number
}

function signingKey(choice: MintOidcTokenOptions['signingKey']): KeyObject {
  if (choice === undefined || choice === 'trusted') {
    return githubOidcSigningKey()
  }
  if (choice === 'untrusted') return untrustedSigningKey()
  return choice
}
