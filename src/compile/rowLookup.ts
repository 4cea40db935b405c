import type { SqlStatement } from '../database/index.js'
import type { ModelNames } from '../naming/index.js'
import type { FilterContext } from './compileFilter.js'
import type { RowAccess } from './CompileContext.js'
import { visibleRows } from './relationSql.js'
import { policyConditions } from './rowPolicies.js'
import { ident, SqlParams, tableRef } from './sql.js'

/**
 * Reads whole rows by primary key (as JSON text keyed by column, in column `row`), only those
 * the caller can see: for object permission checks, which need the row a class judges.
 */
export function compileRowLookup(
  names: ModelNames,
  pks: readonly string[],
  access: RowAccess | undefined,
  options: FilterContext['options'],
): SqlStatement {
  const params = new SqlParams()
  let aliases = 0
  const ctx: FilterContext = { params, nextAlias: (prefix) => `${prefix}_o${aliases++}`, options }
  const rowConditions = policyConditions(ctx, access)
  if (rowConditions) ctx.rowConditions = rowConditions
  const pk = names.model.primaryKey[0]!
  const where = [
    `${ident('t')}.${ident(pk.column)} = any(${params.add([...pks])})`,
    ...visibleRows(ctx, names, 't'),
  ]
  return {
    text: `select row_to_json(${ident('t')})::text as "row" from ${tableRef(names.model)} as ${ident('t')} where ${where.join(' and ')}`,
    values: params.values,
  }
}
