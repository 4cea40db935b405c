import type { ModelNames } from '../naming/index.js'
import type { MutationCall, MutationResult, MutationSettings, ReadBack } from './MutationSettings.js'
import { parseInput } from './parseInput.js'
import { applyLinks, hashPasswords, resolveReferences } from './relationWork.js'
import { runHookPhase, runInTransaction, toModelRow } from './runInTransaction.js'
import { checkReferencedRows, checkRowPolicy } from './policyCheck.js'
import { lockTargets, targetConditions } from './targetRows.js'
import type { RowTarget } from './targetRows.js'
import { selectRowsStatement, updateStatement, visibleCondition } from './writeSql.js'
import { hasMutationHooks } from '../plugins/index.js'

/**
 * Applies an update input as a patch (absent keys untouched, explicit null sets NULL) to one row
 * by id (`updateX`) or to every row a filter matches (`bulkUpdateXs`), in one transaction: the
 * rows are locked first, so concurrent updates of the same row queue rather than interleave.
 * An unknown, deleted or foreign id fails on `id` (NOT_FOUND / INVALID_ID).
 */
export async function updateRows(
  settings: MutationSettings,
  call: MutationCall,
  names: ModelNames,
  target: RowTarget,
  input: Record<string, unknown>,
  options: { bulk: boolean; readBack?: ReadBack },
): Promise<MutationResult> {
  const where = targetConditions(settings, names, target, call.access)
  if (!where.ok) return failure(where.errors)
  const parsed = parseInput(names, input, 'update')
  if (parsed.errors.length > 0)
    return failure(options.bulk ? parsed.errors.map((e) => ({ ...e, index: null })) : parsed.errors)
  await hashPasswords(settings, [parsed])
  const model = names.model
  const outcome = await runInTransaction(settings, call, names, 'write', async (tx, committed) => {
    await resolveReferences(tx, [parsed], false)
    await checkReferencedRows(settings, call, tx, [parsed], false)
    const pks = await lockTargets(tx, call, names, where, visibleCondition(model, 't'), {
      bulk: options.bulk,
      notFound: `No ${names.typeName} with this id.`,
    })
    if (pks.length === 0) return pks
    const hook = {
      settings,
      call,
      names,
      tx,
      operation: 'update' as const,
      bulk: options.bulk,
      values: [parsed.values],
      pks,
    }
    await runHookPhase('before', { ...hook, rows: [] })
    let rows: Array<Record<string, unknown>> = []
    if (Object.keys(parsed.values).length > 0)
      rows = (await tx.query(updateStatement(model, pks, parsed.values))).rows
    for (const link of parsed.links) await applyLinks(tx, names, link, pks, false)
    await checkRowPolicy(settings, call, names, tx, pks)
    if (hasMutationHooks(settings.plugins, 'after')) {
      if (rows.length === 0) rows = (await tx.query(selectRowsStatement(model, pks))).rows
      await runHookPhase('after', { ...hook, rows: rows.map((row) => toModelRow(model, row)) })
    }
    if (options.readBack) await options.readBack(tx, pks[0]!)
    committed({ model, operation: 'update', pks })
    return pks
  })
  if (!outcome.ok)
    return failure(
      options.bulk ? outcome.errors.map((e) => ({ ...e, index: e.index ?? null })) : outcome.errors,
    )
  return { success: true, errors: [], pks: outcome.value, count: outcome.value.length }
}

function failure(errors: MutationResult['errors']): MutationResult {
  return { success: false, errors, pks: [], count: 0 }
}
