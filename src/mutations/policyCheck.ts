import { keyIn, policyConditions, renderKeyText, SqlParams } from '../compile/index.js'
import type { Queryable } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import type { ModelNames } from '../naming/index.js'
import type { MutationCall, MutationFieldError, MutationSettings } from './MutationSettings.js'
import type { ParsedInput } from './parseInput.js'
import { outsidePolicy } from './rowPolicyCheck.js'
import { MutationFailed } from './runInTransaction.js'
import { ident, tableRef } from './writeSql.js'

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
  const where = [keyIn(names.model, 't', pks, params), ...conditions]
  const { rows } = await tx.query<{ n: number }>({
    text: `select count(*)::int as "n" from ${tableRef(names.model)} as ${ident('t')} where ${where.join(' and ')}`,
    values: params.values,
  })
  if ((rows[0]?.n ?? 0) < pks.length) throw new MutationFailed([outsidePolicy(names)])
}

/**
 * Refuses inputs that point at rows of another model the caller cannot see under that model's
 * row policy (INVALID_REFERENCE, worded as for a missing row so nothing about the row leaks):
 * without it a caller could attach data to, or probe for, rows hidden from them. One statement
 * per referenced model that has a policy for the caller.
 */
export async function checkReferencedRows(
  settings: MutationSettings,
  call: MutationCall,
  tx: Queryable,
  inputs: readonly ParsedInput[],
  bulk: boolean,
): Promise<void> {
  const rowFilters = call.access?.rowFilters
  if (!rowFilters || rowFilters.size === 0) return
  const byModel = new Map<string, Array<{ index: number; row: ParsedInput['pointsAt'][number] }>>()
  inputs.forEach((input, index) => {
    for (const row of input.pointsAt) {
      if (!rowFilters.has(row.target.model.name)) continue
      byModel.set(row.target.model.name, [...(byModel.get(row.target.model.name) ?? []), { index, row }])
    }
  })
  const errors: MutationFieldError[] = []
  for (const entries of byModel.values()) {
    const target = entries[0]!.row.target
    const visible = await visiblePks(settings, call, tx, target, [...new Set(entries.map((e) => e.row.pk))])
    for (const { index, row } of entries) {
      if (visible.has(row.pk)) continue
      errors.push({
        field: row.inputName,
        code: ErrorCodes.INVALID_REFERENCE,
        message: `No ${target.typeName} with this id (it does not exist or was deleted).`,
        ...(bulk ? { index } : {}),
      })
    }
  }
  if (errors.length > 0) throw new MutationFailed(errors)
}

async function visiblePks(
  settings: MutationSettings,
  call: MutationCall,
  tx: Queryable,
  names: ModelNames,
  pks: readonly string[],
): Promise<Set<string>> {
  const params = new SqlParams()
  let aliases = 0
  const ctx = { params, nextAlias: (prefix: string) => `${prefix}_r${aliases++}`, options: settings.filter }
  const conditions = policyConditions(ctx, call.access)?.(names, 't') ?? []
  // The key columns compared as they are (not cast to text), so the primary-key index finds the rows.
  const where = [keyIn(names.model, 't', pks, params), ...conditions]
  const key = renderKeyText(names.model, (column) => `${ident('t')}.${ident(column)}`)
  const { rows } = await tx.query<{ pk: string }>({
    text: `select ${key} as "pk" from ${tableRef(names.model)} as ${ident('t')} where ${where.join(' and ')}`,
    values: params.values,
  })
  return new Set(rows.map((row) => row.pk))
}
