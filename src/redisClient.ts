import { Redis } from 'ioredis'

/**
 * The one set of ioredis settings every Redis-backed part uses (response cache, rate limiter,
 * subscriptions broker): fail fast instead of waiting for a Redis that is away.
 */
export const FAIL_FAST_REDIS_SETTINGS = {
  // A command sent while disconnected fails at once instead of waiting in a queue for a reconnect.
  enableOfflineQueue: false,
  // No retry of a failed command across reconnects: the caller has a fallback (miss, memory budget).
  maxRetriesPerRequest: 0,
  connectTimeout: 1_000,
  // A Redis that accepts connections but does not answer (overloaded, stopped with SIGSTOP).
  commandTimeout: 1_000,
  // Reconnects keep trying, every 2 s at most, so a Redis back from an outage is used again.
  retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  enableAutoPipelining: true,
} as const

/** Consecutive failed commands that open the circuit breaker. */
export const BREAKER_FAILURES = 3
/** How long an open breaker refuses commands without sending them, in ms. */
export const BREAKER_COOLDOWN_MS = 1_000

/** Thrown instead of sending a command while Redis is known to be away (or the breaker is open). */
export class RedisUnavailable extends Error {
  constructor(cause?: unknown) {
    super('Redis is unavailable', { cause })
    this.name = 'RedisUnavailable'
  }
}

/** A Redis connection with fail-fast settings and a circuit breaker (see {@link createRedisClient}). */
export interface FailFastRedis {
  /** The ioredis client, for commands a library sends itself (the rate limiter's). */
  readonly redis: Redis
  /** True from a dropped connection (or a failed first connect) until it is ready again. */
  readonly lost: boolean
  /** Whether a command may be sent now: connected, and the breaker closed. */
  available(): boolean
  /** Runs a command, or throws {@link RedisUnavailable} at once while Redis is away. */
  run<T>(command: (redis: Redis) => Promise<T>): Promise<T>
  /** Waits (at most the connect timeout) for a connection still being opened for the first time. */
  connected(): Promise<void>
  /** Quits (or disconnects) the connection. */
  close(): Promise<void>
}

/**
 * Opens a Redis connection with {@link FAIL_FAST_REDIS_SETTINGS}: while it is away, commands fail
 * at once (no offline queue, no retries, short timeouts), and after {@link BREAKER_FAILURES}
 * failures in a row a circuit breaker refuses commands for {@link BREAKER_COOLDOWN_MS} without
 * sending them. `onLost` runs when a connection that was ready drops (a subscriber has then
 * missed messages).
 */
export function createRedisClient(
  url: string,
  options: { subscriber?: boolean; onLost?: () => void } = {},
): FailFastRedis {
  const redis = new Redis(url, {
    ...FAIL_FAST_REDIS_SETTINGS,
    // A subscriber's subscriptions are ended when it drops; nothing is resubscribed behind them.
    ...(options.subscriber ? { autoResubscribe: false } : {}),
  })
  let ready = false
  let lost = false
  let failures = 0
  let openUntil = 0
  // Failures surface through the commands; an unhandled 'error' event would crash the process.
  redis.on('error', () => {})
  redis.on('ready', () => {
    ready = true
    lost = false
    failures = 0
    openUntil = 0
  })
  // Any close (a drop, or a failed connection attempt) means "away until ready again".
  redis.on('close', () => {
    lost = true
    if (!ready) return
    ready = false
    options.onLost?.()
  })
  const client: FailFastRedis = {
    redis,
    get lost() {
      return lost
    },
    available: () => !lost && Date.now() >= openUntil,
    async connected() {
      // Only the first connect is waited for: a reconnect after a drop fails fast (`lost`).
      if (lost || ready) return
      if (redis.status !== 'wait' && redis.status !== 'connecting' && redis.status !== 'connect') return
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, FAIL_FAST_REDIS_SETTINGS.connectTimeout)
        redis.once('ready', done)
        redis.once('close', done)
        function done() {
          clearTimeout(timer)
          redis.off('ready', done)
          redis.off('close', done)
          resolve()
        }
      })
    },
    async run(command) {
      await client.connected()
      if (!client.available()) throw new RedisUnavailable()
      try {
        const result = await command(redis)
        failures = 0
        return result
      } catch (error) {
        // ioredis sets its status at once but emits 'close' on the next tick: a command failed
        // by the drop must not leave the client looking connected until then.
        if (redis.status !== 'ready') lost = true
        if (++failures >= BREAKER_FAILURES) openUntil = Date.now() + BREAKER_COOLDOWN_MS
        throw new RedisUnavailable(error)
      }
    },
    async close() {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect())
      else redis.disconnect()
    },
  }
  return client
}
