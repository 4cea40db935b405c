import { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import type { RateLimiterAbstract } from 'rate-limiter-flexible'
import type { ResolvedRateLimiting } from '../config/index.js'

/** A caller's budget after a request: what `rateLimit`, `extensions.cost` and the headers report. */
export interface BudgetStatus {
  /** Points per window. */
  limit: number
  /** Points left in this window. */
  remaining: number
  /** When the window ends and the budget is full again. */
  resetAt: Date
}

/** The outcome of spending: granted, or refused with when to retry. */
export type SpendResult =
  | { granted: true; status: BudgetStatus }
  | { granted: false; status: BudgetStatus; retryAfterSeconds: number }

/** A points budget per caller key and window, in memory or shared through Redis. */
export interface CostLimiter {
  /** Spends `points` of `key`'s budget; a refused request spends nothing. Throws {@link LimiterUnavailable} (fail-closed only). */
  spend(key: string, points: number): Promise<SpendResult>
  /** Releases the Redis connection, if any. */
  close(): Promise<void>
}

/** The shared store could not be reached and the fail mode is `closed`. */
export class LimiterUnavailable extends Error {
  constructor(cause: unknown) {
    super('Rate limit store unavailable', { cause })
    this.name = 'LimiterUnavailable'
  }
}

/** How long a request waits for a Redis connection that is still being opened (server start). */
const CONNECT_WAIT_MS = 1_000

/**
 * A limiter from `security.rateLimiting` (rate-limiter-flexible). With `store: 'redis'` every
 * instance pointing at one Redis shares one budget. When Redis is unreachable, `failMode: 'open'`
 * keeps serving with an in-memory budget of the same size per instance (rate-limiter-flexible's
 * insurance limiter), and `'closed'` refuses with SERVICE_UNAVAILABLE.
 */
export function createCostLimiter(options: ResolvedRateLimiting): CostLimiter {
  const base = { points: options.points, duration: options.durationSeconds, keyPrefix: options.keyPrefix }
  if (options.store === 'memory') return limiterOver(new RateLimiterMemory(base), options.points)
  const url = options.redisUrl ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'
  const client = new Redis(url, {
    // Fail fast while Redis is away instead of queueing requests behind reconnects.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  })
  // ioredis reports every failed reconnect as an 'error' event; without a listener that crashes the process.
  client.on('error', () => undefined)
  const limiter = new RateLimiterRedis({
    ...base,
    storeClient: client,
    ...(options.failMode === 'open' ? { insuranceLimiter: new RateLimiterMemory(base) } : {}),
  })
  return limiterOver(limiter, options.points, client)
}

function limiterOver(limiter: RateLimiterAbstract, points: number, client?: Redis): CostLimiter {
  return {
    async spend(key, cost) {
      if (client) await connected(client)
      try {
        const result = await limiter.consume(key, cost)
        return { granted: true, status: statusOf(points, result.remainingPoints, result.msBeforeNext) }
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw new LimiterUnavailable(error)
        // rate-limiter-flexible counts refused points too; give them back so a refused heavy
        // query does not also block the cheap ones that still fit.
        await limiter.reward(key, cost).catch(() => undefined)
        const remaining = Math.max(0, points - (error.consumedPoints - cost))
        return {
          granted: false,
          status: statusOf(points, remaining, error.msBeforeNext),
          retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
        }
      }
    },
    async close() {
      if (client) client.disconnect()
    },
  }
}

function statusOf(limit: number, remaining: number, msBeforeNext: number): BudgetStatus {
  return {
    limit,
    remaining: Math.max(0, remaining),
    resetAt: new Date(Date.now() + Math.max(0, msBeforeNext)),
  }
}

/** Waits briefly for a connection still being opened; a broken one fails at once (fail mode applies). */
async function connected(client: Redis): Promise<void> {
  if (client.status !== 'wait' && client.status !== 'connecting' && client.status !== 'connect') return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, CONNECT_WAIT_MS)
    client.once('ready', done)
    function done() {
      clearTimeout(timer)
      client.off('ready', done)
      resolve()
    }
  })
}
