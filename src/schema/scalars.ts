import {
  GraphQLBoolean,
  GraphQLError,
  GraphQLFloat,
  GraphQLInt,
  GraphQLScalarType,
  GraphQLString,
  Kind,
} from 'graphql'
import type { ValueNode } from 'graphql'
import type { ScalarKind } from '../models/index.js'

/** Keeps strings the compiler already rendered; accepts the JS values a custom resolver may return. */
function serializeText(name: string, fromOther: (value: unknown) => string | undefined) {
  return (value: unknown): string => {
    if (typeof value === 'string') return value
    const text = fromOther(value)
    if (text === undefined) throw new GraphQLError(`${name} cannot represent ${typeof value} value.`)
    return text
  }
}

function textScalar(
  name: string,
  description: string,
  valid: (text: string) => boolean,
  fromOther: (value: unknown) => string | undefined = () => undefined,
): GraphQLScalarType {
  const parse = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value)) {
      throw new GraphQLError(`${name} expects ${description.charAt(0).toLowerCase()}${description.slice(1)}`)
    }
    return value
  }
  return new GraphQLScalarType({
    name,
    description,
    serialize: serializeText(name, fromOther),
    parseValue: parse,
    parseLiteral: (ast: ValueNode) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
  })
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/

/** ISO-8601 date-time in UTC. Inputs also accept a plain date, meaning midnight UTC. */
export const DateTimeScalar = textScalar(
  'DateTime',
  'An ISO-8601 date-time such as 2023-01-01T12:00:00Z (inputs also take a date: midnight UTC).',
  (text) => (ISO_DATE.test(text) || ISO_DATE_TIME.test(text)) && !Number.isNaN(Date.parse(text)),
  (value) => (value instanceof Date ? value.toISOString() : undefined),
)

/** A calendar date, YYYY-MM-DD. */
export const DateScalar = textScalar(
  'Date',
  'A calendar date as YYYY-MM-DD.',
  (text) => ISO_DATE.test(text) && !Number.isNaN(Date.parse(text)),
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : undefined),
)

/** A time of day, HH:MM[:SS[.ffffff]]. */
export const TimeScalar = textScalar('Time', 'A time of day as HH:MM:SS.', (text) =>
  /^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/.test(text),
)

/** An exact decimal number, as a string so no precision is lost. */
export const DecimalScalar = textScalar(
  'Decimal',
  'An exact decimal number as a string, such as "19.99".',
  (text) => /^-?\d+(\.\d+)?$/.test(text),
  (value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined),
)

/** A 64-bit integer, as a string since JSON numbers lose precision past 2^53. */
export const BigIntScalar = textScalar(
  'BigInt',
  'A 64-bit integer as a string, such as "9007199254740993".',
  (text) => /^-?\d{1,19}$/.test(text),
  (value) =>
    typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))
      ? String(value)
      : undefined,
)

/** A UUID in its canonical text form. */
export const UUIDScalar = textScalar(
  'UUID',
  'A UUID such as "123e4567-e89b-12d3-a456-426614174000".',
  (text) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text),
)

/** Any JSON value. */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: function parseJsonLiteral(ast, variables): unknown {
    switch (ast.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return ast.value
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value)
      case Kind.NULL:
        return null
      case Kind.LIST:
        return ast.values.map((v) => parseJsonLiteral(v, variables))
      case Kind.OBJECT:
        return Object.fromEntries(ast.fields.map((f) => [f.name.value, parseJsonLiteral(f.value, variables)]))
      case Kind.VARIABLE:
        return variables?.[ast.name.value]
      default:
        return undefined
    }
  },
})

/** The GraphQL scalar of each scalar kind (enums are built per enum). */
export const SCALAR_BY_KIND: Record<Exclude<ScalarKind, 'Enum'>, GraphQLScalarType> = {
  Int: GraphQLInt,
  Float: GraphQLFloat,
  String: GraphQLString,
  Boolean: GraphQLBoolean,
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Time: TimeScalar,
  Decimal: DecimalScalar,
  BigInt: BigIntScalar,
  JSON: JSONScalar,
  UUID: UUIDScalar,
}
