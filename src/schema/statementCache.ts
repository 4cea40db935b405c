import { createHash } from 'node:crypto'
import type { RowAccess } from '../compile/index.js'
import type { SqlStatement } from '../database/index.js'
import { LruCache } from '../lruCache.js'
import type { SchemaRuntime } from './SchemaRuntime.js'

/** Compiled statements kept per schema: a hot query costs a lookup instead of a compile. */
const CACHED_STATEMENTS = 1_000
/**
 * Distinct prepared statements per schema. Each pooled PostgreSQL connection keeps the ones it
 * ran until it closes, so their number is bounded; past it, cached statements go unnamed.
 */
const PREPARED_STATEMENTS = 500

const caches = new WeakMap<SchemaRuntime, LruCache<string, SqlStatement>>()
const preparedNames = new WeakMap<SchemaRuntime, Set<string>>()
const operationIds = new WeakMap<object, number>()
let lastOperationId = 0
const scopeKeys = new WeakMap<RowAccess, string | null>()

/**
 * The cache key of a query root field's statement: the operation (a node of a document that
 * graphql-yoga's parse cache hands out again for the same text), the field's response key, the
 * coerced variables and the caller's permission scope (row policy filters and denied fields),
 * which together decide the statement. Undefined when something cannot be keyed (then no cache).
 */
export function statementKey(
  operation: object,
  responseKey: string,
  variables: Readonly<Record<string, unknown>>,
  access: RowAccess | undefined,
  enumNames: boolean,
): string | undefined {
  const scope = access ? scopeKey(access) : ''
  if (scope === null) return undefined
  let variablesKey: string
  try {
    variablesKey = JSON.stringify(variables)
  } catch {
    return undefined
  }
  let id = operationIds.get(operation)
  if (id === undefined) operationIds.set(operation, (id = ++lastOperationId))
  return `${id}\u0000${enumNames ? 'n' : 'v'}\u0000${responseKey}\u0000${scope}\u0000${variablesKey}`
}

/** The statement cached under `key`, or the one `compile` makes (then cached). */
export function cachedStatement(
  runtime: SchemaRuntime,
  key: string | undefined,
  compile: () => SqlStatement,
): SqlStatement {
  if (key === undefined) return compile()
  let cache = caches.get(runtime)
  if (!cache) caches.set(runtime, (cache = new LruCache(CACHED_STATEMENTS)))
  let statement = cache.get(key)
  if (!statement) {
    statement = prepared(runtime, compile())
    cache.set(key, statement)
  }
  return statement
}

/**
 * The statement with a prepared-statement name (on PostgreSQL servers), so that a hot query is
 * parsed and planned once per connection. The name is a hash of the text, so every schema and
 * server instance gives the same text the same name.
 */
function prepared(runtime: SchemaRuntime, statement: SqlStatement): SqlStatement {
  // Filter values are planned per execution (sent unnamed): no prepared statement to keep.
  if (runtime.database.kind !== 'pg' || statement.customPlan) return statement
  const name = `gag_${createHash('sha1').update(statement.text).digest('hex').slice(0, 24)}`
  let names = preparedNames.get(runtime)
  if (!names) preparedNames.set(runtime, (names = new Set()))
  if (!names.has(name)) {
    if (names.size >= PREPARED_STATEMENTS) return statement
    names.add(name)
  }
  return { ...statement, name }
}

/** What of the caller's access a compiled statement depends on, as text ('' when nothing); null when unkeyable. */
function scopeKey(access: RowAccess): string | null {
  let key = scopeKeys.get(access)
  if (key !== undefined) return key
  const filters = access.rowFilters ? [...access.rowFilters] : []
  const denied = access.deniedFields ? [...access.deniedFields].sort() : []
  if (filters.length === 0 && denied.length === 0) key = ''
  else {
    try {
      // Policy filters are data (the filter language), so their JSON says what they compile to.
      key = JSON.stringify([filters, denied])
    } catch {
      key = null
    }
  }
  scopeKeys.set(access, key)
  return key
}
