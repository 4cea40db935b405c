/**
 * A map bounded to its `max` most recently used entries: the per-request caches (cost, compiled
 * SQL, fast-path plans) must not grow with the number of distinct documents or variables a
 * client can invent.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>()
  /** The most recently used key: a hot key is found without moving it (a delete and a set). */
  #newest: K | undefined

  constructor(readonly max: number) {}

  /** The value under `key` (now the most recently used), or undefined. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key)
    if (value === undefined || key === this.#newest) return value
    // A Map iterates in insertion order: re-inserting moves the entry to the young end.
    this.#entries.delete(key)
    this.#entries.set(key, value)
    this.#newest = key
    return value
  }

  /** Stores `value`, dropping the least recently used entry when full. */
  set(key: K, value: V): void {
    this.#entries.delete(key)
    this.#entries.set(key, value)
    this.#newest = key
    if (this.#entries.size > this.max) {
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size
  }
}
