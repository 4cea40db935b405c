import type { Relation } from '../models/index.js'
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
