import { createHash } from 'node:crypto'
import { getTableColumns, getTableName, getViewName, getViewSelectedFields, is } from 'drizzle-orm'
import { PgColumn, PgMaterializedView, PgTable, PgView } from 'drizzle-orm/pg-core'
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
  if (is(value, PgView) || is(value, PgMaterializedView)) return describeView(value)
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
  return `[table ${getTableName(table)} (${describeColumns(getTableColumns(table)).join(', ')})]`
}

/** A view or materialized view as its name and columns (it has no row of its own to key on). */
function describeView(view: PgView | PgMaterializedView): string {
  const columns = Object.fromEntries(
    Object.entries(getViewSelectedFields(view)).filter((entry): entry is [string, PgColumn] =>
      is(entry[1], PgColumn),
    ),
  )
  return `[view ${getViewName(view)} (${describeColumns(columns).join(', ')})]`
}

function describeColumns(columns: Record<string, PgColumn>): string[] {
  return Object.entries(columns).map(
    ([key, column]) =>
      `${key}:${column.name} ${column.getSQLType()}${column.notNull ? ' not null' : ''}${column.primary ? ' primary key' : ''}${column.isUnique ? ' unique' : ''}`,
  )
}
