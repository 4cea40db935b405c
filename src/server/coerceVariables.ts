import {
  getNullableType,
  getVariableValues,
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLString,
  isNonNullType,
  typeFromAST,
} from 'graphql'
import type { GraphQLSchema, OperationDefinitionNode } from 'graphql'

/** What graphql-js's getVariableValues answers: the coerced values, or why they do not coerce. */
export type CoercedVariables = ReturnType<typeof getVariableValues>

/** One variable of a simple operation: a built-in scalar, without a default. */
interface SimpleVariable {
  name: string
  nonNull: boolean
  /** Whether a given value is one the scalar's `parseValue` returns unchanged. */
  accepts: (value: unknown) => boolean
}

/** Per operation: its variables when every one is simple, else null (graphql-js coerces). */
const simpleVariables = new WeakMap<OperationDefinitionNode, readonly SimpleVariable[] | null>()

/** The coerced variables of an operation that declares none. */
const NONE: CoercedVariables = Object.freeze({ coerced: Object.freeze({}) })

const isString = (value: unknown): boolean => typeof value === 'string'
const ACCEPTS = new Map<unknown, (value: unknown) => boolean>([
  [GraphQLString, isString],
  // parseValue also turns an integer into its text: left to graphql-js.
  [GraphQLID, isString],
  [GraphQLBoolean, (value) => typeof value === 'boolean'],
  [
    GraphQLInt,
    (value) => Number.isInteger(value) && (value as number) <= 2147483647 && (value as number) >= -2147483648,
  ],
  [GraphQLFloat, (value) => typeof value === 'number' && Number.isFinite(value)],
])

/**
 * The operation's variables coerced exactly as graphql-js's `getVariableValues` coerces them.
 * Most operations declare only built-in scalars without defaults (`$id: ID!`, `$first: Int`),
 * sent as values those scalars keep unchanged: such values are checked here and copied, in
 * definition order, as graphql-js would copy them. Anything else (an input object, a list, an
 * enum, a default, a value the scalar would convert or refuse) goes to graphql-js itself, so
 * every error stays its error.
 */
export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  given: Readonly<Record<string, unknown>>,
): CoercedVariables {
  let simple = simpleVariables.get(operation)
  if (simple === undefined) simpleVariables.set(operation, (simple = simpleOf(schema, operation)))
  // No variables (most hot queries): one shared, frozen answer.
  if (simple?.length === 0) return NONE
  if (simple) {
    const coerced: Record<string, unknown> = {}
    let fast = true
    for (const variable of simple) {
      if (!Object.hasOwn(given, variable.name)) {
        if (variable.nonNull) fast = false
        continue
      }
      const value = given[variable.name]
      // graphql-js: null (or undefined) coerces to null for a nullable type, is an error otherwise.
      if (value === null || value === undefined) {
        if (variable.nonNull) fast = false
        else coerced[variable.name] = null
      } else if (variable.accepts(value)) coerced[variable.name] = value
      else fast = false
      if (!fast) break
    }
    if (fast) return { coerced }
  }
  return getVariableValues(schema, operation.variableDefinitions ?? [], given as Record<string, unknown>)
}

/** The operation's variables if every one is a built-in scalar without a default, else null. */
function simpleOf(schema: GraphQLSchema, operation: OperationDefinitionNode): SimpleVariable[] | null {
  const variables: SimpleVariable[] = []
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue || definition.directives?.length) return null
    const type = typeFromAST(schema, definition.type)
    const accepts = type && ACCEPTS.get(getNullableType(type))
    if (!type || !accepts) return null
    variables.push({ name: definition.variable.name.value, nonNull: isNonNullType(type), accepts })
  }
  return variables
}
