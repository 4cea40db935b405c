import type { Model } from '../models/index.js'
import { decodeKeyText } from '../naming/index.js'
import { isValidText } from './ordering.js'
import { ident } from './sql.js'
import type { SqlParams } from './sql.js'

/** A model's primary key, which is all these helpers read. */
type Keyed = Pick<Model, 'primaryKey'>

/** SQL for a column of the row under `alias`, or bare (UPDATE/DELETE … RETURNING) without one. */
function columnOf(alias: string | undefined, column: string): string {
  return alias === undefined ? ident(column) : `${ident(alias)}.${ident(column)}`
}

/**
 * SQL for a row's key text, byte for byte what naming's `encodeKeyText` makes of the key
 * columns' text: the column as text for a one-column key (so those ids never change), else a
 * compact JSON array of every key column as text, built by concatenation so no JSON formatting
 * choice of PostgreSQL (`json_build_array` writes `", "`) can differ from `JSON.stringify`.
 */
export function renderKeyText(model: Keyed, column: (name: string) => string): string {
  const texts = model.primaryKey.map((field) => `${column(field.column)}::text`)
  if (texts.length === 1) return texts[0]!
  return `('[' || ${texts.map((text) => `to_json(${text})::text`).join(` || ',' || `)} || ']')`
}

/**
 * The key columns' texts named by key text, checked against each column's type, or undefined:
 * wrong arity, a non-canonical spelling, or a value the column could never hold. Every way in by
 * id (node, lookups, mutations, filters) decodes through here, so none can match wider.
 */
export function parseKeyText(model: Keyed, keyText: string): string[] | undefined {
  const values = decodeKeyText(keyText, model.primaryKey.length)
  if (!values || !values.every((value, i) => isValidText(model.primaryKey[i]!, value))) return undefined
  return values
}

/**
 * Conditions that the row under `alias` has exactly the key `values` (every key column equal),
 * each value bound and typed by its column.
 */
export function keyEquals(
  model: Keyed,
  alias: string | undefined,
  values: readonly string[],
  params: SqlParams,
): string[] {
  if (values.length !== model.primaryKey.length) throw new Error('Key values do not match the primary key')
  return model.primaryKey.map((field, i) => `${columnOf(alias, field.column)} = ${params.add(values[i])}`)
}

/**
 * A condition that the row under `alias` has one of these keys (key texts this API made). One
 * column: `= any($n)`. Several: each column `= any` of its own array, which types the arrays by
 * their columns and lets the key index seek, then the exact pairs from `unnest` of the same
 * arrays, so (1,2) and (3,4) never also match (1,4).
 */
export function keyIn(
  model: Keyed,
  alias: string | undefined,
  keyTexts: readonly string[],
  params: SqlParams,
): string {
  const columns = model.primaryKey.map((field) => columnOf(alias, field.column))
  if (columns.length === 1) return `${columns[0]!} = any(${params.add([...keyTexts])})`
  const keys = keyTexts.map((keyText) => {
    const values = decodeKeyText(keyText, columns.length)
    if (!values) throw new Error(`Not the key text of a ${columns.length}-column key: ${keyText}`)
    return values
  })
  // Array literals, not JS arrays: the drivers cannot serialize a JS array for a parameter whose
  // type PostgreSQL infers (an enum array, say); PostgreSQL parses the literal as that type.
  const arrays = columns.map((_, i) => params.add(arrayLiteral(keys.map((key) => key[i]!))))
  const each = columns.map((column, i) => `${column} = any(${arrays[i]!})`)
  const pairs = `(${columns.join(', ')}) in (select * from unnest(${arrays.join(', ')}))`
  return `(${[...each, pairs].join(' and ')})`
}

/** A PostgreSQL array literal of texts, every element quoted. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`
}
