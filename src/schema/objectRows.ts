import type { RequestAccess } from '../auth/index.js'
import type { Operation } from '../auth/index.js'
import { compileRowLookup } from '../compile/index.js'
import type { Queryable } from '../database/index.js'
import type { ModelNames } from '../naming/index.js'
import { compileOptions } from './readRootField.js'
import type { SchemaRuntime } from './SchemaRuntime.js'

/**
 * Rows by primary key, keyed by property names, only those the caller can see: what
 * `hasObjectPermission` judges. Costs one statement, and only runs when some permission class
 * of the operation has an object check.
 */
export async function readObjectRows(
  runtime: SchemaRuntime,
  queryable: Queryable,
  names: ModelNames,
  pks: readonly string[],
  access: RequestAccess,
): Promise<Array<Record<string, unknown>>> {
  const statement = compileRowLookup(names, pks, access, compileOptions(runtime))
  const { rows } = await queryable.query<{ row: string }>(statement)
  return rows.map(({ row }) => {
    const byColumn = JSON.parse(row) as Record<string, unknown>
    return Object.fromEntries(names.model.fields.map((f) => [f.key, byColumn[f.column]]))
  })
}

/** Object permission checks of `operation` over the rows `pks` (FORBIDDEN/UNAUTHENTICATED when refused). */
export async function checkObjects(
  runtime: SchemaRuntime,
  queryable: Queryable,
  names: ModelNames,
  pks: readonly string[],
  access: RequestAccess,
  operation: Operation,
): Promise<number> {
  const rows = await readObjectRows(runtime, queryable, names, pks, access)
  for (const row of rows) await access.requireObject(names.model.name, operation, row)
  return rows.length
}
