import type { ModelNames } from '../naming/index.js'
import { ErrorCodes } from '../errors.js'
import type { Queryable } from '../database/index.js'
import { chooseWritePath } from './chooseWritePath.js'
import type {
  CommittedChange,
  MutationCall,
  MutationResult,
  MutationSettings,
  ReadBack,
} from './MutationSettings.js'
import { parseInput } from './parseInput.js'
import type { ParsedInput } from './parseInput.js'
import { applyLinks, hashPasswords, resolveReferences } from './relationWork.js'
import { MutationFailed, runHookPhase, runInTransaction, runWrite, toModelRow } from './runInTransaction.js'
import { checkReferencedRows, checkRowPolicy } from './policyCheck.js'
import { explainReferenceFailure, statementValues } from './referenceCell.js'
import { rowPolicyCheck } from './rowPolicyCheck.js'
import { readsChangedLinks, statementLinks } from './statementLinks.js'
import { lockTargets, targetConditions } from './targetRows.js'
import type { RowTarget } from './targetRows.js'
import { targetedStatement } from './targetedStatement.js'
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
  const single = oneStatement(settings, call, names, where, parsed, options)
  if (single) {
    const outcome = await runWrite(settings, call, names, 'write', 'statement', single)
    if (!outcome.ok)
      return failure(
        options.bulk ? outcome.errors.map((e) => ({ ...e, index: e.index ?? null })) : outcome.errors,
      )
    return { success: true, errors: [], pks: outcome.value, count: outcome.value.length }
  }
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
    if (options.readBack) await options.readBack.read(tx, pks[0]!)
    committed({ model, operation: 'update', pks })
    return pks
  })
  if (!outcome.ok)
    return failure(
      options.bulk ? outcome.errors.map((e) => ({ ...e, index: e.index ?? null })) : outcome.errors,
    )
  return { success: true, errors: [], pks: outcome.value, count: outcome.value.length }
}

/**
 * The update as ONE statement: an UPDATE of the target rows (locked in key order first on bulk
 * calls) in a data-modifying CTE, and the payload's read over its `RETURNING *`; undefined when
 * chooseWritePath wants a transaction. A single-row call that finds no row fails with NOT_FOUND.
 */
function oneStatement(
  settings: MutationSettings,
  call: MutationCall,
  names: ModelNames,
  where: { conditions: string[]; values: unknown[] },
  parsed: ParsedInput,
  options: { bulk: boolean; readBack?: ReadBack },
): ((db: Queryable, committed: (change: CommittedChange) => void) => Promise<string[]>) | undefined {
  const model = names.model
  const facts = { operation: 'update' as const, inputs: [parsed] }
  if (chooseWritePath(settings, call, names, facts).path !== 'statement') return undefined
  const patch = statementValues(settings, call, parsed, undefined)
  // A patch of links only locks and reads the rows; the links change in CTEs after them.
  const action =
    Object.keys(patch).length > 0 ? { kind: 'update' as const, patch } : { kind: 'lock' as const }
  const statement = targetedStatement(
    model,
    action,
    [...where.conditions, ...visibleCondition(model, 't')],
    where.values,
    {
      bulk: options.bulk,
      rows: 'keys',
      ...(options.readBack ? { readBack: options.readBack } : {}),
      check: (params, alias) => rowPolicyCheck(settings, call, names, params, alias),
      links: (params) => statementLinks(parsed, params, false),
    },
  )
  if (statement.rereads) {
    if (chooseWritePath(settings, call, names, { ...facts, rereadsTable: true }).path !== 'statement')
      return undefined
  }
  if (readsChangedLinks([parsed], statement.reads)) {
    if (chooseWritePath(settings, call, names, { ...facts, rereadsLinks: true }).path !== 'statement')
      return undefined
  }
  return async (db, committed) => {
    try {
      const rows = await statement.run(db)
      if (rows.length === 0 && !options.bulk)
        throw new MutationFailed([
          { field: 'id', code: ErrorCodes.NOT_FOUND, message: `No ${names.typeName} with this id.` },
        ])
      const pks = rows.map((row) => String(row['__pk']))
      if (pks.length > 0) committed({ model, operation: 'update', pks })
      return pks
    } catch (error) {
      // The transaction path checks the input's references before looking for the row.
      await explainReferenceFailure(settings, call, [parsed], false, error)
      throw error
    }
  }
}

function failure(errors: MutationResult['errors']): MutationResult {
  return { success: false, errors, pks: [], count: 0 }
}
