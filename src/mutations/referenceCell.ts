import { keyEquals, parseKeyText, policyConditions } from '../compile/index.js'
import type { SqlParams } from '../compile/index.js'
import { AutoGenError } from '../errors.js'
import type { ModelNames } from '../naming/index.js'
import type { MutationCall, MutationSettings } from './MutationSettings.js'
import type { ParsedInput } from './parseInput.js'
import { checkReferencedRows } from './policyCheck.js'
import { failingReference, referenceFailure } from './referenceMarker.js'
import { resolveReferences } from './relationWork.js'
import { explainMissingLinks } from './statementLinks.js'
import { MutationFailed } from './runInTransaction.js'
import { ident, SqlValue, tableRef, visibleCondition } from './writeSql.js'

/**
 * An input's column values for a one-statement write, with every to-one value that must be
 * checked in SQL replaced by a {@link SqlValue}: a reference that needs a lookup (soft-delete
 * target, a key other than the primary key; the target row share-locked, as the transaction path
 * does) and an id pointing at a model under the caller's row policy. Each becomes a scalar
 * subquery that reads the referenced column of the one visible row, or fails the statement with
 * a marked error (see {@link explainReferenceFailure}). `index` is the bulk input's.
 */
export function statementValues(
  settings: MutationSettings,
  call: MutationCall,
  input: ParsedInput,
  index: number | undefined,
): Record<string, unknown> {
  const values: Record<string, unknown> = { ...input.values }
  for (const ref of input.references) {
    const cell = { inputName: ref.inputName, target: ref.target, pk: ref.pk, index }
    values[ref.key] = referenceValue(settings, call, cell, ref.relation.targetColumns[0]!, true)
  }
  for (const row of input.pointsAt) {
    if (row.key === undefined || !underPolicy(call, row.target) || values[row.key] instanceof SqlValue)
      continue
    // A primary-key reference: the value is the key itself, read back only if the caller sees the row.
    const column = row.target.model.primaryKey[0]!.column
    values[row.key] = referenceValue(settings, call, { ...row, index }, column, false)
  }
  return values
}

/** Whether an input has values {@link statementValues} checks in SQL. */
function hasReferenceCells(call: MutationCall, input: ParsedInput): boolean {
  return (
    input.references.length > 0 ||
    input.pointsAt.some((row) => row.key !== undefined && underPolicy(call, row.target))
  )
}

function underPolicy(call: MutationCall, target: ModelNames): boolean {
  const policy = call.access?.rowFilters?.get(target.model.name)
  return policy !== undefined && policy !== null && policy !== true
}

/**
 * `(select case when count(*) = 1 then <the column> when '<marker>' || count(*) … ::int …)`: the
 * referenced column of the one row with this key that is visible (not soft-deleted, inside the
 * caller's row policy), else a failing cast. `count(*)` in the text keeps the cast from being
 * folded (and failing) at plan time; array_agg reads a column of any type (min has no uuid).
 */
function referenceValue(
  settings: MutationSettings,
  call: MutationCall,
  cell: { inputName: string; target: ModelNames; pk: string; index: number | undefined },
  column: string,
  lock: boolean,
): SqlValue {
  return new SqlValue((params: SqlParams) => {
    const target = cell.target
    const ref = ident('ref')
    let aliases = 0
    const ctx = { params, nextAlias: (prefix: string) => `${prefix}_f${aliases++}`, options: settings.filter }
    const conditions = [
      ...keyEquals(target.model, 'ref', parseKeyText(target.model, cell.pk)!, params),
      ...visibleCondition(target.model, 'ref'),
      ...(policyConditions(ctx, call.access)?.(target, 'ref') ?? []),
    ]
    const fail = failingReference(target.typeName, cell.index, cell.inputName, 'count(*)')
    const found = `select ${ref}.${ident(column)} as ${ident('v')} from ${tableRef(target.model)} as ${ref} where ${conditions.join(' and ')}${lock ? ` for share of ${ref}` : ''}`
    return `(select case when count(*) = 1 then (array_agg(${ident('s')}.${ident('v')}))[1] when ${fail} is null then null end from (${found}) as ${ident('s')})`
  })
}

/**
 * After a one-statement write with reference cells failed (any error, or NOT_FOUND): finds the
 * input errors the transaction path reports before writing (every unknown, deleted or hidden
 * referenced row, with its field and bulk index) and throws them. Otherwise, a marked error
 * (the row vanished since) becomes its INVALID_REFERENCE; anything else is left to the caller.
 */
export async function explainReferenceFailure(
  settings: MutationSettings,
  call: MutationCall,
  inputs: readonly ParsedInput[],
  bulk: boolean,
  error: unknown,
): Promise<void> {
  // A lost connection or pool timeout is not about the input, and the database may be gone.
  if (error instanceof AutoGenError) return
  if (inputs.some((input) => hasReferenceCells(call, input))) {
    const copies = inputs.map((input) => ({ ...input, values: { ...input.values } }))
    try {
      await resolveReferences(call.database, copies, bulk)
      await checkReferencedRows(settings, call, call.database, copies, bulk)
    } catch (diagnosis) {
      if (diagnosis instanceof MutationFailed) throw diagnosis
      // The diagnosis failing on its own says nothing about the input: report the write's error.
    }
  }
  const marked = referenceFailure(error)
  if (!marked) return
  // A link check failed after the row was written: the transaction path names the missing ids.
  await explainMissingLinks(call.database, inputs).catch((diagnosis: unknown) => {
    if (diagnosis instanceof MutationFailed) throw diagnosis
  })
  throw new MutationFailed([marked])
}
