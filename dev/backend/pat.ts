import { randomBytes, randomUUID } from 'node:crypto'

/** Options of `mintPersonalAccessToken`; every field has a default. */
export interface MintPersonalAccessTokenOptions {
  /** The token itself; must start with `at-`. Random when absent. */
  token?: string
  accountId?: string
  userId?: string
  /** `null` makes whoami answer `"email": null`. */
  email?: string | null
  planType?: string
  fedramp?: boolean
}

/** A personal access token and the account whoami reports for it. */
export interface MintedPersonalAccessToken {
  token: string
  accountId: string
  userId: string
  email: string | null
  planType: string
  fedramp: boolean
}

/** The whoami answer, keys in the order SPEC 5 lists them. */
export interface WhoamiReply {
  email: string | null
  chatgpt_user_id: string
  chatgpt_account_id: string
  chatgpt_plan_type: string
  chatgpt_account_is_fedramp: boolean
}

/** Personal access tokens the whoami endpoint knows. */
export class PatStore {
  private readonly tokens = new Map<string, MintedPersonalAccessToken>()

  /** Issues a PAT (random `at-…` unless given) for an account. */
  mint(
    options: MintPersonalAccessTokenOptions = {}
  ): MintedPersonalAccessToken {
    const token = options.token ?? `at-${randomBytes(24).toString('base64url')}`
    if (!token.startsWith('at-')) {
      throw new Error('mintPersonalAccessToken: a PAT must start with at-')
    }
    const minted: MintedPersonalAccessToken = {
      token,
      accountId: options.accountId ?? randomUUID(),
      userId: options.userId ?? `user-${randomBytes(8).toString('hex')}`,
      email:
        options.email === undefined
          ? 'pat-user@dev-backend.test'
          : options.email,
      planType: options.planType ?? 'plus',
      fedramp: options.fedramp ?? false
    }
    this.tokens.set(token, minted)
    return minted
  }

  /** Forgets a token: whoami then answers 401 for it. */
  revoke(token: string): void {
    this.tokens.delete(token)
  }

  /** The account behind a token, if it is known and not revoked. */
  lookup(token: string): MintedPersonalAccessToken | undefined {
    return this.tokens.get(token)
  }

  /** The whoami body for a known token. */
  whoami(token: string): WhoamiReply | undefined {
    const pat = this.tokens.get(token)
    if (!pat) return undefined
    return {
      email: pat.email,
      chatgpt_user_id: pat.userId,
      chatgpt_account_id: pat.accountId,
      chatgpt_plan_type: pat.planType,
      chatgpt_account_is_fedramp: pat.fedramp
    }
  }

  /** Account ids of every token, in minting order. */
  accountIds(): string[] {
    return [...this.tokens.values()].map((pat) => pat.accountId)
  }
}
