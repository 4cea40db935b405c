/**
 * Where cached values live across requests: the memory of one process, or Redis (shared by every
 * instance). Values are text (JSON); counters are the per-model versions the response cache
 * invalidates with.
 */
export interface CacheStore {
  /** The value under `key`, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>
  /** Stores `value` under `key` for `ttlSeconds`. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>
  /** Current values of counters, in order (0 for a counter never incremented). */
  counters(keys: readonly string[]): Promise<number[]>
  /** Adds one to each counter. */
  increment(keys: readonly string[]): Promise<void>
  /** Releases connections; the store cannot be used afterwards. */
  close(): Promise<void>
}
