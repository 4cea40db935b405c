// Test helper: one database shared by several servers of a test (never part of the build).
import type { Database } from '../database/index.js'

/** A view of `database` whose `close()` does nothing, so several servers can share it and the test closes it once. */
export function sharedDatabase(database: Database): Database {
  return new Proxy(database, {
    get(target, key) {
      if (key === 'close') return async () => undefined
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
