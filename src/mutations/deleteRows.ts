import { AutoGenError, ErrorCodes } from '../errors.js'
import type { ModelNames } from '../naming/index.js'
import type { MutationCall, MutationResult, MutationSettings, ReadBack } from './MutationSettings.js'
import { chooseWritePath } from './chooseWritePath.js'
import { MutationFailed, runHookPhase, runInTransaction, runWrite, toModelRow } from './runInTransaction.js'
import type { Outcome } from './runInTransaction.js'
import { targetedStatement } from './targetedStatement.js'
import { lockTargets, targetConditions } from './targetRows.js'
import type { RowTarget } from './targetRows.js'
import {
  deleteStatement,
  ident,
  softDeleteFieldOf,
  softDeleteStatement,
  visibleCondition,
} from './writeSql.js'
import type { TargetedAction } from './writeSql.js'

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
  if (chooseWritePath(settings, call, names, { operation: 'delete', inputs: [] }).path === 'statement') {
    const visible = purge ? [] : visibleCondition(model, 't')
    const action: TargetedAction = soft ? { kind: 'softDelete', deleted: true } : { kind: 'delete' }
    const statement = targetedStatement(model, action, [...where.conditions, ...visible], where.values, {
      bulk: options.bulk,
      rows: 'rows',
    })
    const outcome = await runWrite(settings, call, names, 'delete', 'statement', async (db, committed) => {
      const rows = await statement.run(db)
      if (rows.length === 0 && !options.bulk) throw notFound(`No ${names.typeName} with this id.`)
      const pks = rows.map((row) => String(row['__pk']))
      if (pks.length > 0) committed({ model, operation: 'delete', pks, rows })
      return pks
    })
    return settle(outcome, options.bulk)
  }
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
  return settle(outcome, options.bulk)
}

/** The result of a finished write; bulk errors carry `index` (null when not tied to one input). */
function settle(outcome: Outcome<string[]>, bulk: boolean): MutationResult {
  if (!outcome.ok)
    return failure(bulk ? outcome.errors.map((e) => ({ ...e, index: e.index ?? null })) : outcome.errors)
  return { success: true, errors: [], pks: outcome.value, count: outcome.value.length }
}

function notFound(message: string): MutationFailed {
  return new MutationFailed([{ field: 'id', code: ErrorCodes.NOT_FOUND, message }])
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
  const deleted = `${ident('t')}.${ident(field.column)} IS NOT NULL`
  const facts = { operation: 'restore' as const, inputs: [] }
  if (chooseWritePath(settings, call, names, facts).path === 'statement') {
    const statement = targetedStatement(
      model,
      { kind: 'softDelete', deleted: false },
      [...where.conditions, deleted],
      where.values,
      { bulk: false, rows: 'keys', ...(readBack ? { readBack } : {}) },
    )
    if (
      !statement.rereads ||
      chooseWritePath(settings, call, names, { ...facts, rereadsTable: true }).path === 'statement'
    ) {
      const outcome = await runWrite(settings, call, names, 'write', 'statement', async (db, committed) => {
        const rows = await statement.run(db)
        if (rows.length === 0) throw notFound(`No deleted ${names.typeName} with this id.`)
        const pks = rows.map((row) => String(row['__pk']))
        committed({ model, operation: 'restore', pks })
        return pks
      })
      return settle(outcome, false)
    }
  }
  const outcome = await runInTransaction(settings, call, names, 'write', async (tx, committed) => {
    const pks = await lockTargets(tx, call, names, where, [deleted], {
      bulk: false,
      notFound: `No deleted ${names.typeName} with this id.`,
    })
    const hook = { settings, call, names, tx, operation: 'restore' as const, bulk: false, values: [], pks }
    await runHookPhase('before', { ...hook, rows: [] })
    const { rows } = await tx.query(softDeleteStatement(model, pks, false))
    await runHookPhase('after', { ...hook, rows: rows.map((row) => toModelRow(model, row)) })
    if (readBack) await readBack.read(tx, pks[0]!)
    committed({ model, operation: 'restore', pks })
    return pks
  })
  return settle(outcome, false)
}

function failure(errors: MutationResult['errors']): MutationResult {
  return { success: false, errors, pks: [], count: 0 }
}
