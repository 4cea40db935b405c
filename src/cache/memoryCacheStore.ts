import type { CacheStore } from './CacheStore.js'

/** Options of {@link memoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /** Most values kept; the least recently used go first (default 10000). */
  maxEntries?: number
  /** The clock, in milliseconds (tests may pass their own). */
  now?: () => number
}

/**
 * A store in this process's memory: fast, and private to one instance (several instances each
 * keep their own, so a mutation on one does not invalidate the others: use Redis for that).
 */
export function memoryCacheStore(options: MemoryCacheStoreOptions = {}): CacheStore {
  const maxEntries = options.maxEntries ?? 10_000
  const now = options.now ?? Date.now
  // A Map iterates in insertion order: re-inserting on read keeps the oldest first for eviction.
  const entries = new Map<string, { value: string; expires: number }>()
  const counters = new Map<string, number>()
  return {
    async get(key) {
      const entry = entries.get(key)
      if (!entry) return undefined
      entries.delete(key)
      if (entry.expires <= now()) return undefined
      entries.set(key, entry)
      return entry.value
    },
    async set(key, value, ttlSeconds) {
      entries.delete(key)
      entries.set(key, { value, expires: now() + ttlSeconds * 1000 })
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!)
    },
    async counters(keys) {
      return keys.map((key) => counters.get(key) ?? 0)
    },
    async increment(keys) {
      for (const key of keys) counters.set(key, (counters.get(key) ?? 0) + 1)
    },
    async close() {
      entries.clear()
    },
  }
}
