const reads = new WeakMap<object, Map<string, Promise<unknown>>>()

/**
 * Runs `read` once per (event, key) and hands every caller the same promise: subscribers of one
 * event that share a selection and a permission scope (the key) cost ONE statement together.
 * Every local subscriber receives the same event object, so no timing window is involved; the
 * memo lives exactly as long as some subscriber still holds the event.
 */
export function shareRead<T>(event: object, key: string, read: () => Promise<T>): Promise<T> {
  let perEvent = reads.get(event)
  if (!perEvent) reads.set(event, (perEvent = new Map()))
  let pending = perEvent.get(key) as Promise<T> | undefined
  if (!pending) {
    pending = read()
    perEvent.set(key, pending)
  }
  return pending
}

/** A stable text for JSON-like values (object keys sorted), for grouping keys. */
export function stableKey(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Map)
      return { $map: [...item.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)) }
    if (item instanceof Set) return { $set: [...item].map(String).sort() }
    if (typeof item === 'bigint') return { $bigint: item.toString() }
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && !(item instanceof Date)) {
      return Object.fromEntries(
        Object.keys(item)
          .sort()
          .map((k) => [k, (item as Record<string, unknown>)[k]]),
      )
    }
    return item
  })
}
