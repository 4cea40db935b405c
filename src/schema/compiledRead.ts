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
export function compiledRead(plan: CompiledPlan): Promise<CompiledOutcome> {
  const { fields } = plan
  // One root field (the usual query): no Promise.all and no array of promises.
  if (fields.length === 1) return readField(plan, fields[0]!).then((row) => outcomeOf(plan, [row]))
  return Promise.all(fields.map((field) => readField(plan, field))).then((rows) => outcomeOf(plan, rows))
}

/** The answer of the rows read: `data` as the texts joined, or the rows for graphql-js. */
function outcomeOf(plan: CompiledPlan, rows: readonly CompiledRow[]): CompiledOutcome {
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

/**
 * One root field's row: its object permission check (when DRF asks for one), then its statement.
 * Never rejects: a failure is the row's `error`. Not async: the usual field is one promise, the
 * statement's.
 */
function readField(plan: CompiledPlan, field: CompiledField): Promise<CompiledRow> {
  if ('text' in field) return Promise.resolve({ text: field.text })
  try {
    const { target } = field
    if (target.kind === 'single' && field.access.checksObjects(target.model.model.name, 'view'))
      return checkedField(plan, field, target.pk)
    return readRootFieldText(plan.database, field.statement).then(textRow, errorRow)
  } catch (error) {
    return Promise.resolve(errorRow(error))
  }
}

/** A one-row field whose object permission is checked first (no row when the check finds none). */
async function checkedField(plan: CompiledPlan, field: StatementField, pk: string): Promise<CompiledRow> {
  try {
    const found = await checkObjects(
      plan.runtime,
      plan.database,
      field.target.model,
      [pk],
      field.access,
      'view',
    )
    if (found === 0) return { text: null }
    return { text: await readRootFieldText(plan.database, field.statement) }
  } catch (error) {
    return { error }
  }
}

/** A root field that runs a statement. */
type StatementField = Exclude<CompiledField, { text: string }>

function textRow(text: string | null): CompiledRow {
  return { text }
}

function errorRow(error: unknown): CompiledRow {
  return { error }
}
