import type { Model, Relation } from '../models/index.js'
import type { ModelNames } from '../naming/index.js'
import type { RowScope } from './RowScope.js'
import { ident, tableRef } from './sql.js'

/**
 * Conditions that tie a related row (under `alias`) to the row in `scope`: foreign-key equality,
 * or for a many-to-many an EXISTS over the junction table (so no join ever multiplies rows).
 */
export function correlation(relation: Relation, scope: RowScope): (alias: string) => string {
  const through = relation.through
  if (through) {
    return (alias) => {
      const junction = `${alias}_j`
      const conditions = [
        ...through.sourceColumns.map(
          (c, i) => `${ident(junction)}.${ident(c)} = ${scope.column(through.sourceKeys[i]!)}`,
        ),
        ...through.targetColumns.map(
          (c, i) => `${ident(junction)}.${ident(c)} = ${ident(alias)}.${ident(through.targetKeys[i]!)}`,
        ),
      ]
      const table = tableRef({
        table: through.table,
        ...(through.schema !== undefined ? { schema: through.schema } : {}),
      })
      return `exists (select 1 from ${table} as ${ident(junction)} where ${conditions.join(' and ')})`
    }
  }
  return (alias) =>
    relation.targetColumns
      .map((tc, i) => `${ident(alias)}.${ident(tc)} = ${scope.column(relation.sourceColumns[i]!)}`)
      .join(' and ')
}

/**
 * Whether the database lets at most one row of `target` match a to-one relation's columns: they
 * are the primary key of a table, or one column a unique constraint covers. Then a lookup needs no
 * `limit 1` (a Limit node per looked-up row), as a hand-written lookup by key has none. A view's,
 * or a keyless table's, `primaryKey` from config is a promise PostgreSQL does not keep, and a
 * scalar subquery that found two rows would fail the read: those keep their `limit 1`.
 */
export function atMostOneRow(relation: Relation, target: Model): boolean {
  if (relation.kind !== 'toOne' || target.kind !== 'table') return false
  const columns = relation.targetColumns
  // A table's primaryKey is its own only when the model is writable (readModels: config may name
  // a key only for a table without one, which then stays read-only).
  const isPrimaryKey =
    !target.readOnly &&
    target.primaryKey.length === columns.length &&
    target.primaryKey.every((field) => columns.includes(field.column))
  if (isPrimaryKey) return true
  if (columns.length !== 1) return false
  const field = target.fields.find((f) => f.column === columns[0])
  // isUnique of a field that is not a primary key comes from the table's own unique constraints.
  return field !== undefined && field.isUnique && !field.isPrimaryKey
}

/** Where per-request row conditions (row policies) come from while compiling. */
export interface VisibilityContext {
  /** Extra conditions on rows of a model under `alias` (the caller's row policy), if any. */
  rowConditions?(names: ModelNames, alias: string): string[]
}

/**
 * Conditions every read of a model obeys wherever it is reached: soft-deleted rows vanish, and
 * rows outside the caller's row policy vanish the same way. The ONE place a read gets them.
 */
export function visibleRows(ctx: VisibilityContext, names: ModelNames, alias: string): string[] {
  const policy = ctx.rowConditions?.(names, alias) ?? []
  const key = names.model.softDeleteField
  if (key === undefined) return policy
  const field = names.model.fields.find((f) => f.key === key)!
  return [`${ident(alias)}.${ident(field.column)} IS NULL`, ...policy]
}
