import type { Model, ModelField } from '../models/index.js'
import { renderKeyText } from './primaryKey.js'
import { base64, literal } from './sql.js'

/**
 * SQL that renders a column exactly as the API serializes it, so the database's JSON is already
 * the response: DateTime as ISO-8601 UTC, Date as YYYY-MM-DD, Decimal/BigInt as strings.
 */
export function renderScalar(field: ModelField, column: string): string {
  if (field.isList) return column
  switch (field.kind) {
    case 'DateTime': {
      const utc = field.withTimezone ? `${column} AT TIME ZONE 'UTC'` : column
      return `to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    }
    case 'Date':
      return `to_char(${column}, 'YYYY-MM-DD')`
    case 'Decimal':
    case 'BigInt':
    case 'Time':
      return `${column}::text`
    case 'String':
      return /^(text|varchar|char|character)/.test(field.sqlType) ? column : `${column}::text`
    default:
      return column
  }
}

/**
 * SQL for a row's global id: base64 of `Type:` and the row's key text, as `encodeGlobalId`
 * makes it (`column` gives the SQL of each key column).
 */
export function renderGlobalId(
  typeName: string,
  model: Pick<Model, 'primaryKey'>,
  column: (name: string) => string,
): string {
  return base64(`${literal(`${typeName}:`)} || ${renderKeyText(model, column)}`)
}

/**
 * SQL for an enum column as its GraphQL value names (`values`: SQL value → name), which is what
 * graphql-js would serialize; the column itself when every name is its value.
 */
export function renderEnumName(values: ReadonlyMap<string, string>, column: string): string {
  const renamed = [...values].filter(([value, name]) => value !== name)
  if (renamed.length === 0) return column
  const cases = renamed.map(([value, name]) => `when ${literal(value)} then ${literal(name)}`).join(' ')
  return `(case ${column}::text ${cases} else ${column}::text end)`
}
