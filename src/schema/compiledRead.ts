import type { CompiledField, CompiledPlan } from './chooseRoute.js'
import type { CompiledRow } from './compiledRows.js'
import { checkObjects } from './objectRows.js'
import { readRootFieldText } from './readRootField.js'

/**
 * What the compiled route gives: `data` as the database's JSON text, or — when a statement failed
 * or a Float came back NaN or infinite — the rows read so far, for graphql-js to answer from
 * (errors located and nulls propagated exactly as always, no statement run twice).
 */
export type CompiledOutcome = { data: string } | { rows: ReadonlyMap<string, CompiledRow>; reason: string }

/**
 * Runs a compiled plan: each root field's object permission check (when DRF asks for one) and its
 * one statement, all at once; then `data` is the texts joined under their response keys.
 */
export async function compiledRead(plan: CompiledPlan): Promise<CompiledOutcome> {
  const { fields } = plan
  // One root field (the usual query): no Promise.all and no array of promises.
  const rows =
    fields.length === 1
      ? [await readField(plan, fields[0]!)]
      : await Promise.all(fields.map((field) => readField(plan, field)))
  let data = '{'
  let reason: string | undefined
  for (let i = 0; i < rows.length && reason === undefined; i++) {
    const row = rows[i]!
    if (!('text' in row)) reason = 'a statement failed'
    else if (
      plan.readsFloats &&
      row.text !== null &&
      (row.text.includes('NaN') || row.text.includes('Infinity'))
    )
      reason = 'a Float may be NaN or infinite'
    else data += `${i === 0 ? '' : ','}${JSON.stringify(plan.fields[i]!.key)}:${row.text ?? 'null'}`
  }
  if (reason === undefined) return { data: `${data}}` }
  return {
    rows: new Map(plan.fields.map((field, i) => [field.key, rows[i]!])),
    reason: `${reason}: graphql-js over the rows read`,
  }
}

/** One root field's row: its object permission check (when DRF asks for one), then its statement. */
async function readField(plan: CompiledPlan, field: CompiledField): Promise<CompiledRow> {
  if ('text' in field) return { text: field.text }
  try {
    const model = field.target.model
    if (field.target.kind === 'single' && field.access.checksObjects(model.model.name, 'view')) {
      const found = await checkObjects(
        plan.runtime,
        plan.database,
        model,
        [field.target.pk],
        field.access,
        'view',
      )
      if (found === 0) return { text: null }
    }
    return { text: await readRootFieldText(plan.database, field.statement) }
  } catch (error) {
    return { error }
  }
}
