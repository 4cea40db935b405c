import { keyIn, renderKeyText, SqlParams } from '../compile/index.js'
import type { Queryable } from '../database/index.js'
import { ErrorCodes } from '../errors.js'
import { encodeGlobalId } from '../naming/index.js'
import type { ParsedInput } from './parseInput.js'
import { failingReference } from './referenceMarker.js'
import { MutationFailed } from './runInTransaction.js'
import { ident, junctionRef, linkCtes, readsTable, tableRef, visibleCondition } from './writeSql.js'

/** An input's many-to-many changes as parts of the write's one statement. */
export interface StatementLinks {
  /** CTEs after `written` that change the junction rows of every written row. */
  ctes: string[]
  /** Select-list expressions that fail the statement when a named target row is missing. */
  checks: string[]
}

/**
 * The links of `input` as CTEs over the written rows (`written`, see writtenStatement), the
 * same changes the transaction path makes with one statement per link after the write; each
 * check counts the target rows found (visible ones for set/add) and fails the statement, undoing
 * the write, when one is missing. `isNew`: the rows were just created (an empty set is nothing).
 */
export function statementLinks(input: ParsedInput, params: SqlParams, isNew: boolean): StatementLinks {
  const ctes: string[] = []
  const checks: string[] = []
  input.links.forEach((link, i) => {
    // As applyLinks: nothing to add or remove, or an empty set on a new row, changes nothing.
    if (link.pks.length === 0 && (link.action !== 'set' || isNew)) return
    const sources = `select w.${ident(link.relation.through!.sourceKeys[0]!)} as k from ${ident('written')} as w`
    const suffix = `_${i}`
    ctes.push(...linkCtes(link.target.model, link.relation, link.action, sources, link.pks, params, suffix))
    const fail = failingReference(link.target.typeName, undefined, link.inputName, 'count(*)')
    checks.push(
      `(select case when count(*) = ${link.pks.length} then null when ${fail} is null then null end from ${ident(`wanted${suffix}`)})`,
    )
  })
  return { ctes, checks }
}

/** Whether payload or check SQL reads a junction table the input's links change (the statement would not show the change). */
export function readsChangedLinks(inputs: readonly ParsedInput[], columns: readonly string[]): boolean {
  return inputs.some((input) => input.links.some((link) => readsTable(junctionRef(link.relation), columns)))
}

/**
 * After a link check failed the statement: the error the transaction path gives (applyLinks),
 * naming the missing ids of the first link with any, in input order. Reads only.
 */
export async function explainMissingLinks(db: Queryable, inputs: readonly ParsedInput[]): Promise<void> {
  for (const input of inputs) {
    for (const link of input.links) {
      if (link.pks.length === 0) continue
      const params = new SqlParams()
      const target = link.target.model
      const conditions = [
        keyIn(target, 't', link.pks, params),
        ...(link.action === 'remove' ? [] : visibleCondition(target, 't')),
      ]
      const key = renderKeyText(target, (column) => `${ident('t')}.${ident(column)}`)
      const { rows } = await db.query<{ pk: string }>({
        text: `select ${key} as "pk" from ${tableRef(target)} as ${ident('t')} where ${conditions.join(' and ')}`,
        values: params.values,
      })
      const found = new Set(rows.map((row) => row.pk))
      const missing = link.pks.filter((pk) => !found.has(pk))
      if (missing.length === 0) continue
      const ids = missing.map((pk) => link.ids.get(pk) ?? encodeGlobalId(link.target.typeName, pk))
      throw new MutationFailed([
        {
          field: link.inputName,
          code: ErrorCodes.INVALID_REFERENCE,
          message: `No ${link.target.typeName} with id ${ids.join(', ')} (it does not exist or was deleted).`,
        },
      ])
    }
  }
}
