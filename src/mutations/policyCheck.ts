import { policyConditions, SqlParams } from '../compile/index.js'
import type { Queryable } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import type { ModelNames } from '../naming/index.js'
import type { MutationCall, MutationSettings } from './MutationSettings.js'
import { MutationFailed } from './runInTransaction.js'
import { ident, primaryKeyOf, tableRef } from './writeSql.js'

/**
 * Refuses (FORBIDDEN, rolling the transaction back) written rows that fall outside the caller's
 * row policy, as PostgreSQL's `WITH CHECK`: nobody creates or moves a row where they could not
 * see it. One statement, and only for models the caller has a policy on.
 */
export async function checkRowPolicy(
  settings: MutationSettings,
  call: MutationCall,
  names: ModelNames,
  tx: Queryable,
  pks: readonly string[],
): Promise<void> {
  if (pks.length === 0 || !call.access?.rowFilters?.has(names.model.name)) return
  const params = new SqlParams()
  let aliases = 0
  const ctx = { params, nextAlias: (prefix: string) => `${prefix}_w${aliases++}`, options: settings.filter }
  const conditions = policyConditions(ctx, call.access)?.(names, 't') ?? []
  if (conditions.length === 0) return
  const pk = ident(primaryKeyOf(names.model).column)
  const where = [`${ident('t')}.${pk} = any(${params.add([...pks])})`, ...conditions]
  const { rows } = await tx.query<{ n: number }>({
    text: `select count(*)::int as "n" from ${tableRef(names.model)} as ${ident('t')} where ${where.join(' and ')}`,
    values: params.values,
  })
  if ((rows[0]?.n ?? 0) < pks.length) {
    throw new MutationFailed([
      {
        field: null,
        code: ErrorCodes.FORBIDDEN,
        message: `You may not write a ${names.typeName} outside the rows you have access to.`,
      },
    ])
  }
}
