import type { Redis } from 'ioredis'
import { createRedisClient } from '../redisClient.js'
import type { FailFastRedis } from '../redisClient.js'
import type { CacheStore } from './CacheStore.js'

/** Options of {@link redisCacheStore}: a URL (a connection is opened on first use) or your own client. */
export type RedisCacheStoreOptions = { url: string } | { client: Redis }

/**
 * A store in Redis, shared by every instance that uses the same server and keys: values with
 * `SET … EX`, counters with `INCR`. With a URL, the connection is the shared fail-fast one
 * (src/redisClient.ts): while Redis is away commands fail at once, without being sent once its
 * circuit breaker is open, and the caches act as if empty (see docs/caching.md). A client you pass
 * stays yours, with your settings: `close()` leaves it open.
 */
export function redisCacheStore(options: RedisCacheStoreOptions): CacheStore {
  const owned = 'url' in options
  let client: FailFastRedis | undefined
  const run = <T>(command: (redis: Redis) => Promise<T>): Promise<T> => {
    if (!owned) return command(options.client)
    client ??= createRedisClient(options.url)
    return client.run(command)
  }
  return {
    async get(key) {
      return (await run((redis) => redis.get(key))) ?? undefined
    },
    async set(key, value, ttlSeconds) {
      await run((redis) => redis.set(key, value, 'EX', ttlSeconds))
    },
    async counters(keys) {
      if (keys.length === 0) return []
      const values = await run((redis) => redis.mget(...keys))
      return values.map((value) => (value === null ? 0 : Number(value)))
    },
    async increment(keys) {
      if (keys.length === 0) return
      await run((redis) => {
        const batch = redis.multi()
        for (const key of keys) batch.incr(key)
        return batch.exec()
      })
    },
    async close() {
      const connection = client
      client = undefined
      await connection?.close()
    },
  }
}
