import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import type { RateLimiterAbstract } from 'rate-limiter-flexible'
import type { ResolvedRateLimiting } from '../config/index.js'
import { createRedisClient } from '../redisClient.js'
import type { FailFastRedis } from '../redisClient.js'

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
  // The shared fail-fast connection (src/redisClient.ts): no offline queue, short timeouts.
  const client = createRedisClient(url)
  const insurance = options.failMode === 'open' ? new RateLimiterMemory(base) : undefined
  const limiter = new RateLimiterRedis({
    ...base,
    storeClient: client.redis,
    ...(insurance ? { insuranceLimiter: insurance } : {}),
  })
  return limiterOver(limiter, options.points, { client, insurance })
}

/** The Redis side of a limiter: its connection, and the memory budget used while it is away. */
interface RedisSide {
  client: FailFastRedis
  insurance: RateLimiterMemory | undefined
}

/**
 * The limiter that spends now: while Redis is known to be away (dropped, or its circuit breaker
 * open), the memory budget (fail open) or a refusal (fail closed), without sending a command.
 */
async function currentLimiter(limiter: RateLimiterAbstract, side: RedisSide | undefined) {
  if (!side) return limiter
  await side.client.connected()
  if (side.client.available()) return limiter
  if (side.insurance) return side.insurance
  throw new LimiterUnavailable(new Error('Redis is unavailable'))
}

function limiterOver(limiter: RateLimiterAbstract, points: number, side?: RedisSide): CostLimiter {
  return {
    async spend(key, cost) {
      const current = await currentLimiter(limiter, side)
      try {
        const result = await current.consume(key, cost)
        return { granted: true, status: statusOf(points, result.remainingPoints, result.msBeforeNext) }
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw new LimiterUnavailable(error)
        // rate-limiter-flexible counts refused points too; give them back so a refused heavy
        // query does not also block the cheap ones that still fit.
        await current.reward(key, cost).catch(() => undefined)
        const remaining = Math.max(0, points - (error.consumedPoints - cost))
        return {
          granted: false,
          status: statusOf(points, remaining, error.msBeforeNext),
          retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
        }
      }
    },
    async close() {
      await side?.client.close()
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
