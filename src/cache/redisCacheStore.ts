import { Redis } from 'ioredis'
import type { CacheStore } from './CacheStore.js'

/** Options of {@link redisCacheStore}: a URL (a connection is opened on first use) or your own client. */
export type RedisCacheStoreOptions = { url: string } | { client: Redis }

/**
 * A store in Redis, shared by every instance that uses the same server and keys: values with
 * `SET … EX`, counters with `INCR`. Commands give up quickly while Redis is away (the caches then
 * act as if empty, see docs/caching.md). A client you pass stays yours: `close()` leaves it open.
 */
export function redisCacheStore(options: RedisCacheStoreOptions): CacheStore {
  const owned = 'url' in options
  let client: Redis | undefined = owned ? undefined : options.client
  const redis = (): Redis => {
    if (!client) {
      client = new Redis((options as { url: string }).url, {
        // Give up on a command after one reconnect attempt or two seconds: a miss is cheaper than a wait.
        maxRetriesPerRequest: 1,
        commandTimeout: 2000,
        connectTimeout: 2000,
        enableAutoPipelining: true,
      })
      // Failures surface through the commands; an unhandled 'error' event would crash the process.
      client.on('error', () => {})
    }
    return client
  }
  return {
    async get(key) {
      return (await redis().get(key)) ?? undefined
    },
    async set(key, value, ttlSeconds) {
      await redis().set(key, value, 'EX', ttlSeconds)
    },
    async counters(keys) {
      if (keys.length === 0) return []
      const values = await redis().mget(...keys)
      return values.map((value) => (value === null ? 0 : Number(value)))
    },
    async increment(keys) {
      if (keys.length === 0) return
      const batch = redis().multi()
      for (const key of keys) batch.incr(key)
      await batch.exec()
    },
    async close() {
      if (!owned || !client) return
      const connection = client
      client = undefined
      await connection.quit().catch(() => connection.disconnect())
    },
  }
}
