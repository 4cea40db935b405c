import { createHash } from 'node:crypto'
import { getTableColumns, getTableName, is } from 'drizzle-orm'
import { PgTable } from 'drizzle-orm/pg-core'
import type { ResolvedConfig } from '../config/index.js'

/**
 * A SHA-256 of the resolved config, stable across runs: tables by name and columns, functions by name,
 * plugins by name, and without `database` (its URL may hold a password and does not shape the
 * schema).
 */
export function configHash(config: ResolvedConfig): string {
  const { database: _database, ...shaping } = config
  return createHash('sha256').update(stableJson(shaping)).digest('hex')
}

/** JSON with sorted object keys, so the same config always gives the same text. */
function stableJson(value: unknown): string {
  return JSON.stringify(normalise(value, new WeakSet()))
}

function normalise(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'function') return `[function ${value.name}]`
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value !== 'object' || value === null) return value
  if (is(value, PgTable)) return describeTable(value)
  // Shared sub-objects are fine; only a true cycle is cut.
  if (seen.has(value)) return '[cycle]'
  seen.add(value)
  const result = Array.isArray(value)
    ? value.map((item) => normalise(item, seen))
    : Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, normalise((value as Record<string, unknown>)[key], seen)]),
      )
  seen.delete(value)
  return result
}

/** A table as its name and columns' SQL shapes (the parts of a Drizzle table the schema reads). */
function describeTable(table: PgTable): string {
  const columns = Object.entries(getTableColumns(table)).map(
    ([key, column]) =>
      `${key}:${column.name} ${column.getSQLType()}${column.notNull ? ' not null' : ''}${column.primary ? ' primary key' : ''}${column.isUnique ? ' unique' : ''}`,
  )
  return `[table ${getTableName(table)} (${columns.join(', ')})]`
}
