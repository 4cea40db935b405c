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
  // Ids are ASCII almost always: decoded without a Buffer round trip (the same answer, tested).
  const text = asciiBase64Text(id) ?? utf8Base64Text(id)
  const separator = text === undefined ? -1 : text.indexOf(':')
  if (text === undefined || separator <= 0 || separator === text.length - 1) {
    throw badUserInput('Invalid global id: expected an `id` value returned by this API.', { argument: 'id' })
  }
  return { typeName: text.slice(0, separator), pk: text.slice(separator + 1) }
}

/** The text whose UTF-8 `id` is the base64 of, exactly as `encodeGlobalId` spells it, or undefined. */
function utf8Base64Text(id: string): string | undefined {
  const text = Buffer.from(id, 'base64').toString('utf8')
  return Buffer.from(text, 'utf8').toString('base64') === id ? text : undefined
}

/** Each base64 digit's value by character code (-1: not a digit). */
const SEXTETS = (() => {
  const table = new Int8Array(128).fill(-1)
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  for (let i = 0; i < digits.length; i++) table[digits.charCodeAt(i)] = i
  return table
})()

/**
 * The ASCII text `id` is the canonical padded base64 of (what Buffer's encoder writes: no
 * whitespace, `=` padding only, unused bits zero), or undefined for anything else, including
 * text with a non-ASCII byte (then {@link utf8Base64Text} decides).
 */
function asciiBase64Text(id: string): string | undefined {
  const length = id.length
  if (length === 0 || length % 4 !== 0) return undefined
  const padding = id.charCodeAt(length - 1) !== 61 ? 0 : id.charCodeAt(length - 2) !== 61 ? 1 : 2
  let text = ''
  for (let i = 0; i < length; i += 4) {
    const last = i + 4 === length
    const a = sextet(id, i)
    const b = sextet(id, i + 1)
    const c = last && padding === 2 ? 0 : sextet(id, i + 2)
    const d = last && padding >= 1 ? 0 : sextet(id, i + 3)
    if ((a | b | c | d) < 0) return undefined
    const bits = (a << 18) | (b << 12) | (c << 6) | d
    const bytes = last ? 3 - padding : 3
    // Canonical: the bits past the last byte are zero (Buffer would decode, but never write, others).
    if (last && padding > 0 && (bits & ((1 << (8 * padding)) - 1)) !== 0) return undefined
    const byte0 = bits >>> 16
    const byte1 = (bits >>> 8) & 0xff
    const byte2 = bits & 0xff
    if (byte0 > 0x7f || (bytes > 1 && byte1 > 0x7f) || (bytes > 2 && byte2 > 0x7f)) return undefined
    text +=
      bytes === 3
        ? String.fromCharCode(byte0, byte1, byte2)
        : bytes === 2
          ? String.fromCharCode(byte0, byte1)
          : String.fromCharCode(byte0)
  }
  return text
}

/** The value of the base64 digit at `index` of `id`, or -1. */
function sextet(id: string, index: number): number {
  const code = id.charCodeAt(index)
  return code < 128 ? SEXTETS[code]! : -1
}
