import { badUserInput } from '../errors.js'

/** A decoded global id: the GraphQL type name and the primary-key value as text. */
export interface GlobalId {
  typeName: string
  pk: string
}

/** Encodes a global id the same way the SQL compiler renders it: base64 of `Type:pk`. */
export function encodeGlobalId(typeName: string, pk: string | number): string {
  return Buffer.from(`${typeName}:${pk}`, 'utf8').toString('base64')
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
