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
      // A date's own JSON (ISO, whatever the session's DateStyle) is YYYY-MM-DD for years 1 to
      // 9999 and costs half a to_char; BC dates and infinities keep to_char's rendering.
      return `(case when ${column} >= '0001-01-01' and ${column} < '10000-01-01' then to_json(${column}) else to_json(to_char(${column}, 'YYYY-MM-DD')) end)`
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
  const text = `${literal(`${typeName}:`)} || ${renderKeyText(model, column)}`
  const keyLength = asciiKeyTextLength(model)
  // A text that is ASCII and at most 56 bytes long is the same bytes in every encoding and gets
  // no line break from `encode` (one comes after each 57 bytes): the cheap form, per row.
  if (keyLength !== undefined && typeName.length + 1 + keyLength <= 56)
    return `encode(textsend(${text}), 'base64')`
  return base64(text)
}

/** Longest key text (renderKeyText) of a key whose columns' texts are ASCII, else undefined. */
function asciiKeyTextLength(model: Pick<Model, 'primaryKey'>): number | undefined {
  const lengths = model.primaryKey.map(asciiTextLength)
  if (lengths.length === 0 || lengths.some((length) => length === undefined)) return undefined
  const sum = (lengths as number[]).reduce((a, b) => a + b, 0)
  // One column: its text. Several: `[` + each text as a JSON string + `,` between + `]`.
  return lengths.length === 1 ? sum : sum + 2 * lengths.length + lengths.length - 1 + 2
}

/** Longest text of a column whose text is always ASCII (integers, UUIDs), else undefined. */
function asciiTextLength(field: ModelField): number | undefined {
  if (field.isList) return undefined
  switch (field.kind) {
    case 'Int':
      return 11
    case 'BigInt':
      return 20
    case 'UUID':
      return 36
    default:
      return undefined
  }
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
