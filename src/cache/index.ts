// cache/: cached computed fields (per request, and across requests in memory or Redis) and the
// response cache (whole query answers per caller scope, invalidated by mutations).
export { cachedField } from './cachedField.js'
export type { CachedFieldOptions } from './cachedField.js'
export { responseCache, responseCacheFromConfig, RESPONSE_CACHE_PLUGIN } from './responseCache.js'
export type { ResponseCacheSettings } from './responseCache.js'
export type { CacheStore } from './CacheStore.js'
export { memoryCacheStore } from './memoryCacheStore.js'
export type { MemoryCacheStoreOptions } from './memoryCacheStore.js'
export { redisCacheStore } from './redisCacheStore.js'
export type { RedisCacheStoreOptions } from './redisCacheStore.js'
