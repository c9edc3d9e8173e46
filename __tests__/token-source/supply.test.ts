import {
  MAX_TOKEN_AGE_MS,
  RETRY_BASE_MS,
  RETRY_MAX_MS,
  retryDelay,
  TokenSupply,
  type MintFailure
} from '../../src/token-source/supply.js'

/** A failure as requestOidcToken reports it: a status, or none. */
class Refused extends Error {
  constructor(readonly status?: number) {
    super(status === undefined ? 'connection refused' : `HTTP ${status}`)
  }
}

const classify = (err: unknown): MintFailure =>
  err instanceof Refused && (err.status === 401 || err.status === 403)
    ? 'stop'
    : 'retry'

/**
 * A supply over a scripted token service, a clock the test moves and
 * sleeps that end only when the test says so (nothing waits on real time).
 */
interface Harness {
  supply: TokenSupply
  log: string[]
  /** Reasons given to onStop. */
  stops: string[]
  sleeps: { ms: number; wake: () => void }[]
  minted: () => number
  advance: (ms: number) => void
  settle: () => Promise<void>
}

function harness(
  script: (n: number) => string | Refused = (n) => `t${n}`
): Harness {
  let clock = 1_000_000
  let minted = 0
  const sleeps: { ms: number; wake: () => void }[] = []
  const log: string[] = []
  const stops: string[] = []
  const supply = new TokenSupply({
    mint: () => {
      minted += 1
      const result = script(minted)
      return result instanceof Refused
        ? Promise.reject(result)
        : Promise.resolve(result)
    },
    classify,
    now: () => clock,
    sleep: (ms) =>
      new Promise<void>((resolve) => sleeps.push({ ms, wake: resolve })),
    random: () => 0.5,
    log: (line) => log.push(line),
    onStop: (reason) => stops.push(reason)
  })
  return {
    supply,
    log,
    stops,
    sleeps,
    minted: () => minted,
    advance: (ms: number) => {
      clock += ms
    },
    /** Lets pending promise callbacks run. */
    settle: async () => {
      for (let i = 0; i < 10; i += 1) await Promise.resolve()
    }
  }
}

describe('TokenSupply', () => {
  it('mints the first token at start and hands it out', async () => {
    const h = harness()
    await h.supply.start()
    expect(h.minted()).toBe(1)
    expect((await h.supply.take())?.value).toBe('t1')
  })

  it('never hands out a token twice, and keeps the next one ready', async () => {
    const h = harness()
    await h.supply.start()
    const values: (string | undefined)[] = []
    for (let i = 0; i < 5; i += 1) values.push((await h.supply.take())?.value)
    expect(values).toEqual(['t1', 't2', 't3', 't4', 't5'])
    await h.settle()
    // The sixth is already minted in the background, waiting.
    expect(h.minted()).toBe(6)
  })

  it('drops a token minted four minutes ago and hands out a new one', async () => {
    const h = harness()
    await h.supply.start()
    h.advance(MAX_TOKEN_AGE_MS - 1)
    expect((await h.supply.take())?.value).toBe('t1')
    await h.settle()
    h.advance(MAX_TOKEN_AGE_MS)
    const token = await h.supply.take()
    expect(token?.value).toBe('t3')
    expect(h.log).toContain(
      'dropped a token nobody asked for within four minutes'
    )
  })

  it('counts a token as old as when its request started', async () => {
    const h = harness()
    await h.supply.start()
    const token = await h.supply.take()
    expect(token?.mintedAt).toBe(1_000_000)
  })

  it('hands out nothing (an empty token) while it cannot mint, then recovers', async () => {
    const h = harness((n) => (n === 2 || n === 3 ? new Refused(503) : `t${n}`))
    await h.supply.start()
    expect((await h.supply.take())?.value).toBe('t1')
    await h.settle()
    // t2 failed: backing off. A reader now gets nothing, at once.
    expect(h.sleeps).toHaveLength(1)
    expect(await h.supply.take()).toBeUndefined()
    h.sleeps[0]!.wake()
    await h.settle()
    // t3 failed too: a longer wait.
    expect(h.sleeps).toHaveLength(2)
    expect(h.sleeps.map((s) => s.ms)).toEqual([
      retryDelay(1, () => 0.5),
      retryDelay(2, () => 0.5)
    ])
    h.sleeps[1]!.wake()
    await h.settle()
    expect((await h.supply.take())?.value).toBe('t4')
  })

  it('stops for good on 401/403: says so once, hands out nothing, asks no more', async () => {
    const h = harness((n) => (n === 2 ? new Refused(403) : `t${n}`))
    await h.supply.start()
    expect(h.stops).toEqual([])
    expect((await h.supply.take())?.value).toBe('t1')
    await h.settle()
    expect(h.stops).toEqual(['HTTP 403'])
    expect(h.supply.stopped).toBe('HTTP 403')
    expect(await h.supply.take()).toBeUndefined()
    expect(await h.supply.take()).toBeUndefined()
    await h.settle()
    expect(h.minted()).toBe(2)
    expect(h.sleeps).toEqual([])
    expect(h.stops).toEqual(['HTTP 403'])
  })

  it('backs off exponentially with jitter, up to a minute', () => {
    expect(retryDelay(1, () => 0)).toBe(RETRY_BASE_MS / 2)
    expect(retryDelay(1, () => 0.999999)).toBe(RETRY_BASE_MS)
    expect(retryDelay(3, () => 0)).toBe(2 * RETRY_BASE_MS)
    expect(retryDelay(30, () => 0.999999)).toBe(RETRY_MAX_MS)
    expect(retryDelay(30, () => 0)).toBe(RETRY_MAX_MS / 2)
  })

  it.each([401, 403])(
    'stops minting for good on %i from the token service',
    async (status) => {
      const h = harness((n) => (n === 1 ? 't1' : new Refused(status)))
      await h.supply.start()
      expect((await h.supply.take())?.value).toBe('t1')
      await h.settle()
      expect(h.supply.stopped).toBe(`HTTP ${status}`)
      expect(await h.supply.take()).toBeUndefined()
      expect(await h.supply.take()).toBeUndefined()
      expect(h.minted()).toBe(2)
      expect(h.sleeps).toHaveLength(0)
    }
  )

  it('waits for a request in flight rather than handing out nothing', async () => {
    const h = harness()
    await h.supply.start()
    await h.supply.take()
    // The background request is in flight; the next reader waits for it.
    const pending = h.supply.take()
    expect((await pending)?.value).toBe('t2')
  })

  it('fails start with the reason when the first request fails', async () => {
    const h = harness(() => new Refused(403))
    await expect(h.supply.start()).rejects.toThrow('HTTP 403')
  })

  it('fails start on a first 5xx too, and stops retrying once closed', async () => {
    const h = harness(() => new Refused(502))
    await expect(h.supply.start()).rejects.toThrow('HTTP 502')
    h.supply.close()
    h.sleeps[0]?.wake()
    await h.settle()
    expect(h.minted()).toBe(1)
  })

  it('never logs a token', async () => {
    const h = harness((n) => `secret-token-${n}`)
    await h.supply.start()
    await h.supply.take()
    await h.supply.take()
    expect(h.log.join('\n')).not.toContain('secret-token')
  })
})

describe('TokenSupply.hold (the first token, minted by the main step)', () => {
  it('hands the held token out first, minting nothing until it is taken', async () => {
    const h = harness()
    h.supply.hold({ value: 'first', mintedAt: 1_000_000 })
    await h.settle()
    expect(h.minted()).toBe(0)
    expect((await h.supply.take())?.value).toBe('first')
    await h.settle()
    expect(h.minted()).toBe(1)
    expect((await h.supply.take())?.value).toBe('t1')
  })

  it('drops a held token nobody took within four minutes', async () => {
    const h = harness()
    h.supply.hold({ value: 'first', mintedAt: 1_000_000 })
    h.advance(MAX_TOKEN_AGE_MS)
    expect((await h.supply.take())?.value).toBe('t1')
  })
})
