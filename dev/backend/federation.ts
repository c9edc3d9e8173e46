import { randomBytes, randomUUID, type KeyObject } from 'node:crypto'
import {
  applyOverrides,
  decodeJwt,
  encodeJwt,
  verifyRs256,
  type DecodedJwt
} from './jwt.js'
import { GITHUB_OIDC_KEY_ID, JWKS_KEY_ID, jwksSigningKey } from './keys.js'

/** The grant type of the workload identity exchange (RFC 7523). */
export const JWT_BEARER_GRANT_TYPE =
  'urn:ietf:params:oauth:grant-type:jwt-bearer'
/** `issued_token_type` of every successful exchange. */
export const ISSUED_ACCESS_TOKEN_TYPE =
  'urn:ietf:params:oauth:token-type:access_token'
/** Audience a rule accepts unless told otherwise. */
export const DEFAULT_FEDERATION_AUDIENCE = 'https://dev-backend.test/codex'

const AUTH_CLAIM = 'https://api.openai.com/auth'
const TOKEN_ISSUER = 'https://auth.openai.com'

/**
 * Options of `createFederationRule`. Patterns (`subject`, `claims` values)
 * match exactly, or by prefix when they end in `*`.
 */
export interface FederationRuleOptions {
  /** `idpm_…`; random when absent. */
  id?: string
  /** Trusted `iss`; the backend's own OIDC service by default. */
  issuer?: string
  /** `sub` pattern; `repo:{repository}:*` of the OIDC service by default. */
  subject?: string
  /** Accepted `aud` values (default `[DEFAULT_FEDERATION_AUDIENCE]`). */
  audiences?: string[]
  /** Further claims that must match, e.g. `{ repository: 'o/r' }`. */
  claims?: Record<string, string>
  /** Refuse a `jti` seen before (default true). */
  replayProtection?: boolean
  accountId?: string
  userId?: string
  /** `chatgpt_account_user_id`; `{userId}__{accountId}` by default. */
  accountUserId?: string
  /** `chatgpt_plan_type`; `null` leaves it out of the reply. */
  planType?: string | null
  /** `expires_in` and access token lifetime, seconds (default 3600). */
  expiresIn?: number
  /** `scope` of the reply. */
  scope?: string
  /** Reply overrides applied last (`undefined` removes a field). */
  reply?: Record<string, unknown>
  /** Overrides of the access token's claims (`undefined` removes one). */
  accessTokenClaims?: Record<string, unknown>
  /** A disabled rule refuses every exchange with 403. */
  disabled?: boolean
}

/** A rule as the backend holds it (every default filled in). */
export interface FederationRule {
  id: string
  issuer: string
  subject: string
  audiences: string[]
  claims: Record<string, string>
  replayProtection: boolean
  accountId: string
  userId: string
  accountUserId: string
  planType: string | null
  expiresIn: number
  scope: string
  reply?: Record<string, unknown>
  accessTokenClaims?: Record<string, unknown>
  disabled: boolean
}

/** An exchange request as parsed from the form body. */
export interface ExchangeRequest {
  assertion: string
  federationRuleId: string
  workloadIdentityContext?: string
}

/** A refusal: HTTP status plus the OAuth error pair. */
export interface ExchangeRefusal {
  ok: false
  status: 400 | 401 | 403
  error: string
  description: string
}

/** Outcome of an exchange before it becomes HTTP. */
export type ExchangeOutcome =
  { ok: true; reply: Record<string, unknown> } | ExchangeRefusal

/** An access token a successful exchange issued. */
export interface WorkloadAccessToken {
  token: string
  ruleId: string
  accountId: string
  userId: string
  /** `exp` in epoch seconds. */
  expiresAt: number
  /** `jti` of the OIDC token it was exchanged for. */
  assertionJti: string
}

/** Where the OIDC service is, for defaults and signature checks. */
export interface OidcTrust {
  issuer: string
  repository: string
  publicKey: KeyObject
}

/**
 * OpenAI's side of workload identity federation: rules, the `jwt-bearer`
 * exchange with strict assertion checks and replay protection, and the
 * access tokens it issued.
 */
export class FederationRules {
  private readonly rules = new Map<string, FederationRule>()
  private readonly seenJtis = new Set<string>()
  private readonly issuedTokens: WorkloadAccessToken[] = []

  constructor(
    private readonly now: () => number,
    private readonly trust: () => OidcTrust
  ) {}

  /** Creates (or replaces) a rule and returns it with defaults filled. */
  create(options: FederationRuleOptions = {}): FederationRule {
    const trust = this.trust()
    const accountId = options.accountId ?? randomUUID()
    const userId = options.userId ?? `user-${randomBytes(8).toString('hex')}`
    const rule: FederationRule = {
      id: options.id ?? `idpm_${randomBytes(12).toString('hex')}`,
      issuer: options.issuer ?? trust.issuer,
      subject: options.subject ?? `repo:${trust.repository}:*`,
      audiences: options.audiences ?? [DEFAULT_FEDERATION_AUDIENCE],
      claims: { ...options.claims },
      replayProtection: options.replayProtection ?? true,
      accountId,
      userId,
      accountUserId: options.accountUserId ?? `${userId}__${accountId}`,
      planType:
        options.planType === undefined ? 'enterprise' : options.planType,
      expiresIn: options.expiresIn ?? 3600,
      scope: options.scope ?? 'openid profile email',
      ...(options.reply ? { reply: options.reply } : {}),
      ...(options.accessTokenClaims
        ? { accessTokenClaims: options.accessTokenClaims }
        : {}),
      disabled: options.disabled ?? false
    }
    if (!rule.id.startsWith('idpm_')) {
      throw new Error('createFederationRule: a rule id must start with idpm_')
    }
    this.rules.set(rule.id, rule)
    return { ...rule }
  }

  /** Changes a rule in place (e.g. disables it, shortens its lifetime). */
  update(id: string, patch: Partial<Omit<FederationRule, 'id'>>): void {
    const rule = this.rules.get(id)
    if (!rule) throw new Error(`updateFederationRule: unknown rule ${id}`)
    Object.assign(rule, patch)
  }

  /** Every access token issued so far, oldest first. */
  get issued(): readonly WorkloadAccessToken[] {
    return this.issuedTokens
  }

  /** The exchange record behind an access token, if this backend issued it. */
  lookup(token: string): WorkloadAccessToken | undefined {
    return this.issuedTokens.find((issued) => issued.token === token)
  }

  /** Account ids of every rule, in creation order. */
  accountIds(): string[] {
    return [...this.rules.values()].map((rule) => rule.accountId)
  }

  /** Verifies an assertion against its rule and issues a token. */
  exchange(request: ExchangeRequest): ExchangeOutcome {
    const rule = this.rules.get(request.federationRuleId)
    if (!rule) {
      return refuse(
        401,
        'invalid_client',
        `Unknown federation rule ${request.federationRuleId}.`
      )
    }
    if (rule.disabled) {
      return refuse(
        403,
        'access_denied',
        `Federation rule ${rule.id} is disabled.`
      )
    }
    const jwt = decodeJwt(request.assertion)
    if (!jwt) return invalidGrant('The assertion is not a compact JWS.')
    const problem = this.checkAssertion(jwt, rule)
    if (problem) return invalidGrant(problem)
    // checkAssertion already refused a missing jti under replay protection.
    const jti = typeof jwt.claims.jti === 'string' ? jwt.claims.jti : ''
    if (rule.replayProtection) {
      const key = `${rule.issuer} ${jti}`
      if (this.seenJtis.has(key)) {
        return invalidGrant(`The assertion jti ${jti} was already used.`)
      }
      this.seenJtis.add(key)
    }
    return { ok: true, reply: this.issue(rule, jti) }
  }

  /** The first problem with the assertion, or undefined when it passes. */
  private checkAssertion(
    jwt: DecodedJwt,
    rule: FederationRule
  ): string | undefined {
    const { header, claims } = jwt
    if (header.alg !== 'RS256') {
      return `The assertion alg must be RS256, got ${String(header.alg)}.`
    }
    if (header.kid !== GITHUB_OIDC_KEY_ID) {
      return `The assertion kid ${String(header.kid)} is not a key of the issuer.`
    }
    if (!verifyRs256(jwt, this.trust().publicKey)) {
      return 'The assertion signature does not verify.'
    }
    if (claims.iss !== rule.issuer) {
      return `The assertion iss ${String(claims.iss)} is not the rule's issuer.`
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
    if (!audiences.some((aud) => rule.audiences.includes(aud as string))) {
      return `The assertion aud ${JSON.stringify(claims.aud)} is not an audience of the rule.`
    }
    const now = Math.floor(this.now() / 1000)
    if (typeof claims.exp !== 'number') return 'The assertion has no exp.'
    if (claims.exp <= now) return 'The assertion has expired.'
    if (typeof claims.nbf === 'number' && claims.nbf > now) {
      return 'The assertion is not valid yet (nbf).'
    }
    if (typeof claims.iat === 'number' && claims.iat > now) {
      return 'The assertion was issued in the future (iat).'
    }
    if (!matches(rule.subject, claims.sub)) {
      return `The assertion sub ${String(claims.sub)} does not match the rule.`
    }
    for (const [name, pattern] of Object.entries(rule.claims)) {
      if (!matches(pattern, claims[name])) {
        return `The assertion claim ${name} does not match the rule.`
      }
    }
    if (rule.replayProtection && typeof claims.jti !== 'string') {
      return 'The assertion has no jti and the rule refuses replays.'
    }
    return undefined
  }

  private issue(
    rule: FederationRule,
    assertionJti: string
  ): Record<string, unknown> {
    const iat = Math.floor(this.now() / 1000)
    const exp = iat + rule.expiresIn
    const claims = applyOverrides(
      {
        iss: TOKEN_ISSUER,
        aud: ['https://api.openai.com/v1'],
        sub: rule.userId,
        iat,
        nbf: iat,
        exp,
        jti: randomUUID(),
        [AUTH_CLAIM]: {
          chatgpt_account_id: rule.accountId,
          chatgpt_account_user_id: rule.accountUserId,
          ...(rule.planType === null
            ? {}
            : { chatgpt_plan_type: rule.planType }),
          chatgpt_user_id: rule.userId,
          user_id: rule.userId
        },
        federation_rule_id: rule.id
      },
      rule.accessTokenClaims
    )
    const token = encodeJwt(
      { alg: 'RS256', kid: JWKS_KEY_ID, typ: 'JWT' },
      claims,
      { key: jwksSigningKey() }
    )
    this.issuedTokens.push({
      token,
      ruleId: rule.id,
      accountId: rule.accountId,
      userId: rule.userId,
      expiresAt: exp,
      assertionJti
    })
    // Alphabetical, as SPEC 12 lists the fields.
    return applyOverrides(
      {
        access_token: token,
        chatgpt_account_id: rule.accountId,
        chatgpt_account_user_id: rule.accountUserId,
        ...(rule.planType === null ? {} : { chatgpt_plan_type: rule.planType }),
        expires_in: rule.expiresIn,
        issued_token_type: ISSUED_ACCESS_TOKEN_TYPE,
        scope: rule.scope,
        token_type: 'bearer',
        user_id: rule.userId
      },
      rule.reply
    )
  }
}

/** Exact match, or prefix match for a pattern ending in `*`. */
function matches(pattern: string, value: unknown): boolean {
  if (typeof value !== 'string') return false
  return pattern.endsWith('*')
    ? value.startsWith(pattern.slice(0, -1))
    : value === pattern
}

function refuse(
  status: ExchangeRefusal['status'],
  error: string,
  description: string
): ExchangeRefusal {
  return { ok: false, status, error, description }
}

function invalidGrant(description: string): ExchangeRefusal {
  return refuse(400, 'invalid_grant', description)
}
