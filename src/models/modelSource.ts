import { Column, getTableColumns, getViewSelectedFields, is, Relations } from 'drizzle-orm'
import {
  getMaterializedViewConfig,
  getTableConfig,
  getViewConfig,
  PgMaterializedView,
  PgSchema,
  PgSequence,
  PgTable,
  PgView,
} from 'drizzle-orm/pg-core'
import type { PgColumn } from 'drizzle-orm/pg-core'
import type { ModelKind } from './ModelGraph.js'

/** What a model can be read from: a Drizzle `pgTable`, `pgView` or `pgMaterializedView`. */
export type ModelSource = PgTable | PgView | PgMaterializedView

/** A foreign key as the reader needs it: its columns and the table they reference. */
export interface SourceForeignKey {
  columns: string[]
  foreignTable: ModelSource
  foreignColumns: string[]
}

/** The parts of a Drizzle source the reader uses, the same shape for tables and views. */
export interface SourceShape {
  kind: ModelKind
  name: string
  schema?: string
  /** Columns by property key. */
  columns: Record<string, PgColumn>
  /** SQL column names of the primary key, in key order (none for views: they have no constraints). */
  primaryKey: string[]
  /** SQL column lists of unique constraints and unique indexes. */
  uniqueSets: string[][]
  /** SQL column lists of the other indexes. */
  indexes: string[][]
  foreignKeys: SourceForeignKey[]
}

/** Whether a value is a Drizzle table, view or materialized view (what `models` accepts). */
export function isModelSource(value: unknown): value is ModelSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    (is(value, PgTable) || is(value, PgView) || is(value, PgMaterializedView))
  )
}

/**
 * What a Drizzle export that is not a model is (an enum, a sequence, a `relations()` object, a
 * `pgSchema`), so a whole `drizzle-kit pull` module can be given as `models`; undefined for
 * anything else.
 */
export function drizzleNonModelKind(value: unknown): string | undefined {
  if (typeof value === 'function' && typeof (value as { enumName?: unknown }).enumName === 'string')
    return 'enum'
  if (typeof value !== 'object' || value === null) return undefined
  if (is(value, PgSequence)) return 'sequence'
  if (is(value, Relations)) return 'relations'
  if (is(value, PgSchema)) return 'schema'
  return undefined
}

/** The SQL name of a model source. */
export function sourceName(source: ModelSource): string {
  return readSource(source).name
}

/** Reads a table, view or materialized view into one neutral shape. */
export function readSource(source: ModelSource): SourceShape {
  if (is(source, PgTable)) return readTableSource(source)
  const view = is(source, PgView) ? getViewConfig(source) : getMaterializedViewConfig(source)
  const columns = Object.fromEntries(
    Object.entries(getViewSelectedFields(source)).filter((entry): entry is [string, PgColumn] =>
      is(entry[1], Column),
    ),
  )
  return {
    kind: is(source, PgView) ? 'view' : 'materializedView',
    name: view.name,
    ...(view.schema !== undefined ? { schema: view.schema } : {}),
    columns,
    primaryKey: [],
    uniqueSets: [],
    indexes: [],
    foreignKeys: [],
  }
}

function readTableSource(table: PgTable): SourceShape {
  const config = getTableConfig(table)
  const columns = getTableColumns(table) as Record<string, PgColumn>
  const primaryKey = config.primaryKeys[0]?.columns.map((c) => c.name) ?? []
  return {
    kind: 'table',
    name: config.name,
    ...(config.schema !== undefined ? { schema: config.schema } : {}),
    columns,
    primaryKey:
      primaryKey.length > 0
        ? primaryKey
        : Object.values(columns)
            .filter((c) => c.primary)
            .map((c) => c.name),
    uniqueSets: [
      ...config.uniqueConstraints.map((u) => u.columns.map((c) => c.name)),
      ...config.indexes.filter((i) => i.config.unique).map((i) => i.config.columns.map(columnNameOf)),
    ],
    indexes: config.indexes.filter((i) => !i.config.unique).map((i) => i.config.columns.map(columnNameOf)),
    foreignKeys: config.foreignKeys.map((fk) => {
      const ref = fk.reference()
      return {
        columns: ref.columns.map((c) => c.name),
        foreignTable: ref.foreignTable,
        foreignColumns: ref.foreignColumns.map((c) => c.name),
      }
    }),
  }
}

function columnNameOf(column: unknown): string {
  return (column as { name?: string }).name ?? String(column)
}
