import { compileFilter, policyConditions, SqlParams } from '../compile/index.js'
import type { FilterContext, RowAccess } from '../compile/index.js'
import type { SqlStatement } from '../database/index.js'
import type { ModelNames } from '../naming/index.js'

/**
 * A deleted row cannot be read back, so a `deleted` event is matched against the row's last
 * known values: one statement over `json_populate_record(null::<table>, $1)` (the values typed
 * by the table's own row type) with the subscriber's filter and row policy as conditions. It
 * returns a row when the subscriber may see the deletion. Relation filters still look at the
 * current related rows.
 */
export function deletedRowMatch(
  names: ModelNames,
  row: Record<string, unknown>,
  filter: unknown,
  access: RowAccess | undefined,
  options: FilterContext['options'],
): SqlStatement {
  const params = new SqlParams()
  let aliases = 0
  const ctx: FilterContext = {
    params,
    nextAlias: (prefix) => `${prefix}_d${aliases++}`,
    options,
    ...(access?.deniedFields ? { deniedFields: access.deniedFields } : {}),
  }
  const rowConditions = policyConditions(ctx, access)
  if (rowConditions) ctx.rowConditions = rowConditions
  const values = params.add(JSON.stringify(row))
  const conditions = [...(ctx.rowConditions?.(names, 't') ?? []), compileFilter(ctx, names, filter, 't')]
  const table = tableRef(names.model)
  return {
    text: `select 1 as "match" from json_populate_record(null::${table}, ${values}::json) as "t" where ${conditions.join(' and ')}`,
    values: params.values,
  }
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

function tableRef(model: { table: string; schema?: string }): string {
  return model.schema !== undefined ? `${ident(model.schema)}.${ident(model.table)}` : ident(model.table)
}
