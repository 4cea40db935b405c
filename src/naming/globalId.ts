import { badUserInput } from '../errors.js'

/** A decoded global id: the GraphQL type name and the primary key as key text (see {@link encodeKeyText}). */
export interface GlobalId {
  typeName: string
  pk: string
}

/**
 * The key text of a row: what follows `Type:` in its global id, and how the API names a row
 * internally. For a one-column key it is the value as PostgreSQL writes it as text (`42`), so
 * such ids stay exactly what they always were; for a composite key it is a compact JSON array of
 * every key column's text in key order (`["1","23"]`), which holds any value, separators
 * included. The SQL compiler renders the same bytes (compile/primaryKey.ts, tested equal).
 */
export function encodeKeyText(values: readonly string[]): string {
  return values.length === 1 ? values[0]! : JSON.stringify(values)
}

/**
 * The column texts of key text made by {@link encodeKeyText} for a key of `arity` columns;
 * undefined for anything else (wrong count, non-strings, or a spelling the encoder would not
 * make), so a forged id can never name a different or wider set of rows.
 */
export function decodeKeyText(text: string, arity: number): string[] | undefined {
  if (arity === 1) return [text]
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== arity ||
    !parsed.every((value): value is string => typeof value === 'string')
  ) {
    return undefined
  }
  return encodeKeyText(parsed) === text ? parsed : undefined
}

/**
 * Encodes a global id the same way the SQL compiler renders it: base64 of `Type:` and the key
 * text. `pk` is the key text, or every key column's value in key order (composite keys).
 */
export function encodeGlobalId(
  typeName: string,
  pk: string | number | ReadonlyArray<string | number>,
): string {
  const keyText = typeof pk === 'object' ? encodeKeyText(pk.map(String)) : String(pk)
  return Buffer.from(`${typeName}:${keyText}`, 'utf8').toString('base64')
}

/** Decodes a global id, refusing anything that is not exactly what {@link encodeGlobalId} makes. */
export function decodeGlobalId(id: string): GlobalId {
  const text = Buffer.from(id, 'base64').toString('utf8')
  const separator = text.indexOf(':')
  if (
    separator <= 0 ||
    separator === text.length - 1 ||
    encodeGlobalId(text.slice(0, separator), text.slice(separator + 1)) !== id
  ) {
    throw badUserInput('Invalid global id: expected an `id` value returned by this API.', { argument: 'id' })
  }
  return { typeName: text.slice(0, separator), pk: text.slice(separator + 1) }
}
