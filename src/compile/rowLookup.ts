import type { SqlStatement } from '../database/index.js'
import type { ModelNames } from '../naming/index.js'
import type { FilterContext } from './compileFilter.js'
import type { RowAccess } from './CompileContext.js'
import { keyIn } from './primaryKey.js'
import { visibleRows } from './relationSql.js'
import { policyConditions } from './rowPolicies.js'
import { ident, SqlParams, tableRef } from './sql.js'

/**
 * Reads whole rows by key text (as JSON text keyed by column, in column `row`), only those
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
  const where = [keyIn(names.model, 't', pks, params), ...visibleRows(ctx, names, 't')]
  return {
    text: `select row_to_json(${ident('t')})::text as "row" from ${tableRef(names.model)} as ${ident('t')} where ${where.join(' and ')}`,
    values: params.values,
  }
}
