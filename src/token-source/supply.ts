/**
 * The helper's supply of GitHub OIDC tokens: one kept ready, each handed out
 * once, none older than four minutes, the next minted in the background.
 *
 * A GitHub OIDC token lives about five minutes and a federation rule may
 * refuse a `jti` it has seen, so a token is handed out at most once and only
 * while it has a minute or more left. A token nobody asked for within four
 * minutes is dropped, and the next reader waits for a new one (one request
 * to GitHub) rather than getting an old one.
 *
 * When no token can be had now (GitHub's token service failing, between
 * backoff retries, or refusing the request token for good), `take()` says so
 * at once instead of waiting: the reader is Codex, which should fail with its
 * own message rather than hang. A refusal for good is also reported through
 * `onStop`, so the helper can end (see helper.ts).
 */
import { describeError } from '../errors.js'

/** A token is handed out only while younger than this. */
export const MAX_TOKEN_AGE_MS = 4 * 60_000

/** First retry delay after a failed request; doubles up to the maximum. */
export const RETRY_BASE_MS = 1_000

/** Longest wait between two requests to a failing token service. */
export const RETRY_MAX_MS = 60_000

/** One OIDC token and when the request for it started (epoch ms). */
export interface Token {
  value: string
  mintedAt: number
}

/**
 * What a failed request means: `stop` when every later request would be
 * refused too (GitHub's 401/403 on the request token), `retry` otherwise.
 */
export type MintFailure = 'stop' | 'retry'

/** The supply's outside world, injected so tests need no server or clock. */
export interface SupplyDeps {
  /** Requests one new OIDC token from GitHub. */
  mint(): Promise<string>
  classify(err: unknown): MintFailure
  /** Epoch milliseconds. */
  now: () => number
  sleep(ms: number): Promise<void>
  /** Uniform in [0, 1), for backoff jitter. */
  random: () => number
  /** A line for the helper's log; never given a token. */
  log(line: string): void
  /**
   * Called once, when minting stops for good (`classify` said `stop`); the
   * request's `take()` still gets its answer (nothing) after this returns.
   */
  onStop(reason: string): void
}

/**
 * Delay before retry number `failures` (1-based): exponential with equal
 * jitter, so helpers of parallel jobs do not retry in step.
 */
export function retryDelay(failures: number, random: () => number): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1))
  return Math.round(ceiling / 2 + (ceiling / 2) * random())
}

/** See the module comment. */
export class TokenSupply {
  private ready: Token | undefined
  /** The request in flight; resolves true when it produced a token. */
  private attempt: Promise<boolean> | undefined
  private producing = false
  private backingOff = false
  private closed = false
  private stopReason: string | undefined
  private lastFailure: string | undefined

  constructor(private readonly deps: SupplyDeps) {}

  /** Why minting stopped for good, or undefined while it goes on. */
  get stopped(): string | undefined {
    return this.stopReason
  }

  /**
   * Mints the first token.
   *
   * @throws Error with a secret-free reason when the first request failed
   */
  async start(): Promise<void> {
    this.produce()
    const ok = (await this.attempt) ?? false
    if (!ok) {
      throw new Error(this.stopReason ?? this.lastFailure ?? 'no token')
    }
  }

  /**
   * Hands out a token that was never handed out before and was minted less
   * than four minutes ago, and starts minting the next; undefined when none
   * can be had now.
   */
  async take(): Promise<Token | undefined> {
    this.dropStale()
    if (this.ready === undefined && !this.backingOff) {
      this.produce()
      if (this.attempt) await this.attempt
      this.dropStale()
    }
    const token = this.ready
    this.ready = undefined
    this.produce()
    return token
  }

  /**
   * Holds `token`, minted elsewhere and never handed out, as the one kept
   * ready (the main step mints the helper's first token); the next is minted
   * once it is taken.
   */
  hold(token: Token): void {
    if (!this.closed) this.ready = token
  }

  /** Stops minting; a request in flight is left to finish unused. */
  close(): void {
    this.closed = true
    this.ready = undefined
  }

  private dropStale(): void {
    if (
      this.ready !== undefined &&
      this.deps.now() - this.ready.mintedAt >= MAX_TOKEN_AGE_MS
    ) {
      this.ready = undefined
      this.deps.log('dropped a token nobody asked for within four minutes')
    }
  }

  /** Starts the background loop unless it runs or has nothing to do. */
  private produce(): void {
    if (this.producing || this.ready || this.closed || this.stopReason) return
    this.producing = true
    void this.loop().finally(() => {
      this.producing = false
      // A reader may have taken the token between the loop's last check and
      // now, when produce() still saw the loop running.
      this.produce()
    })
  }

  /** Requests tokens until one is ready, backing off after each failure. */
  private async loop(): Promise<void> {
    let failures = 0
    while (!this.ready && !this.closed && this.stopReason === undefined) {
      // Set before the first await, so a caller of produce() finds it.
      this.attempt = this.request()
      const ok = await this.attempt
      this.attempt = undefined
      if (ok || this.closed || this.stopReason !== undefined) continue
      failures += 1
      const delay = retryDelay(failures, this.deps.random)
      this.deps.log(`retrying in ${delay} ms`)
      this.backingOff = true
      try {
        await this.deps.sleep(delay)
      } finally {
        this.backingOff = false
      }
    }
  }

  /** One request; never throws. */
  private async request(): Promise<boolean> {
    const mintedAt = this.deps.now()
    try {
      const value = await this.deps.mint()
      if (this.closed) return false
      this.ready = { value, mintedAt }
      this.lastFailure = undefined
      this.deps.log('minted a token')
      return true
    } catch (err) {
      const why = describeError(err)
      this.lastFailure = why
      if (this.deps.classify(err) === 'stop') {
        this.stopReason = why
        this.deps.log(`stopped minting: ${why}`)
        this.deps.onStop(why)
      } else {
        this.deps.log(`OIDC token request failed: ${why}`)
      }
      return false
    }
  }
}
