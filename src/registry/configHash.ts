import { getTableColumns, getTableName, getViewName, getViewSelectedFields, is } from 'drizzle-orm'
import { PgColumn, PgMaterializedView, PgTable, PgView } from 'drizzle-orm/pg-core'
import type { ResolvedConfig } from '../config/index.js'
import { sha256, stableJson } from '../stableJson.js'

/**
 * A SHA-256 of the resolved config, stable across runs: tables by name and columns, functions by name,
 * plugins by name, and without `database` (its URL may hold a password and does not shape the
 * schema).
 */
export function configHash(config: ResolvedConfig): string {
  const { database: _database, ...shaping } = config
  return sha256(stableJson(shaping, configValue))
}

/** How the config's tables, functions and bigints are hashed (everything else: stableJson's way). */
function configValue(value: unknown): unknown {
  if (typeof value === 'function') return `[function ${value.name}]`
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value !== 'object' || value === null) return undefined
  if (is(value, PgTable)) return describeTable(value)
  if (is(value, PgView) || is(value, PgMaterializedView)) return describeView(value)
  return undefined
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
