import { AutoGenError, ErrorCodes } from '../errors.js'
import type { ModelNames } from '../naming/index.js'
import type { MutationCall, MutationResult, MutationSettings, ReadBack } from './MutationSettings.js'
import { runHookPhase, runInTransaction, toModelRow } from './runInTransaction.js'
import { lockTargets, targetConditions } from './targetRows.js'
import type { RowTarget } from './targetRows.js'
import {
  deleteStatement,
  ident,
  softDeleteFieldOf,
  softDeleteStatement,
  visibleCondition,
} from './writeSql.js'

/**
 * Deletes one row by id or the rows a filter matches. On a soft-delete model (with
 * `mutations.softDelete`) this sets the timestamp, so the rows vanish from every read but keep
 * their values (and unique keys); `hard: true` removes them for good, allowed only with
 * `mutations.allowHardDelete` (FORBIDDEN otherwise), and by id it also purges an already
 * soft-deleted row. A row still referenced by a restricting foreign key fails with PROTECTED.
 */
export async function deleteRows(
  settings: MutationSettings,
  call: MutationCall,
  names: ModelNames,
  target: RowTarget,
  options: { bulk: boolean; hard: boolean },
): Promise<MutationResult> {
  const model = names.model
  const softModel = settings.softDelete && softDeleteFieldOf(model) !== undefined
  if (options.hard && softModel && !settings.allowHardDelete) {
    throw new AutoGenError(
      ErrorCodes.FORBIDDEN,
      `Hard delete of ${names.typeName} is disabled; set \`mutations.allowHardDelete\` to allow it.`,
    )
  }
  const soft = softModel && !options.hard
  const where = targetConditions(settings, names, target, call.access)
  if (!where.ok) return failure(where.errors)
  const purge = options.hard && target.kind === 'id'
  const outcome = await runInTransaction(settings, call, names, 'delete', async (tx, committed) => {
    const visible = purge ? [] : visibleCondition(model, 't')
    const pks = await lockTargets(tx, call, names, where, visible, {
      bulk: options.bulk,
      notFound: `No ${names.typeName} with this id.`,
    })
    if (pks.length === 0) return pks
    const hook = {
      settings,
      call,
      names,
      tx,
      operation: 'delete' as const,
      bulk: options.bulk,
      values: [],
      pks,
    }
    await runHookPhase('before', { ...hook, rows: [] })
    const { rows } = await tx.query(
      soft ? softDeleteStatement(model, pks, true) : deleteStatement(model, pks),
    )
    await runHookPhase('after', { ...hook, rows: rows.map((row) => toModelRow(model, row)) })
    committed({ model, operation: 'delete', pks: rows.map((row) => String(row['__pk'])), rows })
    return pks
  })
  if (!outcome.ok)
    return failure(
      options.bulk ? outcome.errors.map((e) => ({ ...e, index: e.index ?? null })) : outcome.errors,
    )
  return { success: true, errors: [], pks: outcome.value, count: outcome.value.length }
}

/** Clears the soft-delete timestamp of one deleted row (`restoreX`); NOT_FOUND unless it is deleted. */
export async function restoreRow(
  settings: MutationSettings,
  call: MutationCall,
  names: ModelNames,
  id: string,
  readBack?: ReadBack,
): Promise<MutationResult> {
  const model = names.model
  const field = softDeleteFieldOf(model)!
  const where = targetConditions(settings, names, { kind: 'id', id }, call.access)
  if (!where.ok) return failure(where.errors)
  const outcome = await runInTransaction(settings, call, names, 'write', async (tx, committed) => {
    const deleted = `${ident('t')}.${ident(field.column)} IS NOT NULL`
    const pks = await lockTargets(tx, call, names, where, [deleted], {
      bulk: false,
      notFound: `No deleted ${names.typeName} with this id.`,
    })
    const hook = { settings, call, names, tx, operation: 'restore' as const, bulk: false, values: [], pks }
    await runHookPhase('before', { ...hook, rows: [] })
    const { rows } = await tx.query(softDeleteStatement(model, pks, false))
    await runHookPhase('after', { ...hook, rows: rows.map((row) => toModelRow(model, row)) })
    if (readBack) await readBack(tx, pks[0]!)
    committed({ model, operation: 'restore', pks })
    return pks
  })
  if (!outcome.ok) return failure(outcome.errors)
  return { success: true, errors: [], pks: outcome.value, count: outcome.value.length }
}

function failure(errors: MutationResult['errors']): MutationResult {
  return { success: false, errors, pks: [], count: 0 }
}
