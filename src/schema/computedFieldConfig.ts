import { GraphQLError, GraphQLID, GraphQLList, GraphQLNonNull, Kind, parseType } from 'graphql'
import type {
  GraphQLEnumType,
  GraphQLFieldConfig,
  GraphQLFieldConfigArgumentMap,
  GraphQLResolveInfo,
  GraphQLScalarType,
  TypeNode,
} from 'graphql'
import { forbidden, userOf } from '../auth/index.js'
import { suggestion } from '../didYouMean.js'
import { AutoGenError, ConfigError, toClientError } from '../errors.js'
import type { ModelAccessOptions } from '../auth/index.js'
import type { ComputedField, Model, ResolverContext } from '../models/index.js'
import type { ModelNames } from '../naming/index.js'
import type { ModelTypes } from './ModelTypes.js'
import { SCALAR_BY_KIND } from './scalars.js'

/**
 * The GraphQL field of a computed field: its declared type and arguments, and a resolver that
 * hands the columns the compiler read (the JSON object under the field's response key) to the
 * user's function. Callers without the field's permission get null and FORBIDDEN before the
 * function runs; errors it throws are masked (INTERNAL_SERVER_ERROR with an error id) unless they
 * are catalogue errors (`AutoGenError`).
 */
export function computedFieldConfig(
  types: ModelTypes,
  names: ModelNames,
  computed: ComputedField,
): GraphQLFieldConfig<unknown, unknown> {
  const label = `${names.typeName}.${computed.name}`
  const type = graphqlType(types, computed.type, `${computed.source}.type`)
  const { permission } = computed
  return {
    // A guarded field is nullable: callers without the permission get null and FORBIDDEN.
    type: permission && type instanceof GraphQLNonNull ? type.ofType : type,
    ...(computed.description !== undefined ? { description: computed.description } : {}),
    args: argumentsOf(types, computed),
    resolve: async (source, args, context, info) => {
      if (permission && !permission.allows(userOf(context)))
        throw toClientError(forbidden(`You do not have permission to read \`${label}\`.`))
      const row = (source as Record<string, unknown> | null)?.[info.path.key as string]
      if (row === null || row === undefined) return null
      try {
        return await computed.resolve(row as Record<string, unknown>, args, contextFor(context, info), info)
      } catch (error) {
        throw maskResolverError(error, context)
      }
    },
  }
}

/** Built-in scalars plus the API's own, by name. */
const SCALARS = new Map<string, GraphQLScalarType>([
  ['ID', GraphQLID],
  ...Object.values(SCALAR_BY_KIND).map((scalar) => [scalar.name, scalar] as const),
])

/** A type reference (`String`, `Int!`, `[Status!]!`) resolved against the schema's scalars and enums. */
function graphqlType(
  types: ModelTypes,
  text: string,
  path: string,
): GraphQLScalarType | GraphQLEnumType | GraphQLList<never> | GraphQLNonNull<never> {
  let node: TypeNode
  try {
    node = parseType(text)
  } catch {
    throw new ConfigError(
      `${path}: \`${text}\` is not a GraphQL type (e.g. 'String', 'Int!', '[String!]').`,
      {
        path,
      },
    )
  }
  const enums = new Map([...types.enums.values()].map((e) => [e.name, e]))
  const build = (
    type: TypeNode,
  ): GraphQLScalarType | GraphQLEnumType | GraphQLList<never> | GraphQLNonNull<never> => {
    if (type.kind === Kind.NON_NULL_TYPE) return new GraphQLNonNull(build(type.type) as never)
    if (type.kind === Kind.LIST_TYPE) return new GraphQLList(build(type.type) as never)
    const name = type.name.value
    const named = SCALARS.get(name) ?? enums.get(name)
    if (!named) {
      const known = [...SCALARS.keys(), ...enums.keys()]
      throw new ConfigError(
        `${path}: unknown type \`${name}\`; a computed field returns a scalar or an enum (${known.join(', ')}).${suggestion(name, known)}`,
        { path },
      )
    }
    return named
  }
  return build(node)
}

function argumentsOf(types: ModelTypes, computed: ComputedField): GraphQLFieldConfigArgumentMap {
  return Object.fromEntries(
    Object.entries(computed.args).map(([name, argument]) => [
      name,
      {
        type: graphqlType(types, argument.type, `${computed.source}.args.${name}`),
        ...(argument.description !== undefined ? { description: argument.description } : {}),
        ...(argument.defaultValue !== undefined ? { defaultValue: argument.defaultValue } : {}),
      },
    ]),
  )
}

/** One empty context per execution when graphql() got none, so per-request memos still work. */
const emptyContexts = new WeakMap<object, ResolverContext>()

function contextFor(context: unknown, info: GraphQLResolveInfo): ResolverContext {
  if (typeof context === 'object' && context !== null) return context as ResolverContext
  // graphql-js coerces variables into a new object per execution: a key that lives as long as it.
  let empty = emptyContexts.get(info.variableValues)
  if (!empty) emptyContexts.set(info.variableValues, (empty = {}))
  return empty
}

/** Catalogue errors pass; anything else a user's resolver throws (GraphQLErrors too) is masked and logged. */
function maskResolverError(error: unknown, context: unknown): GraphQLError {
  if (error instanceof AutoGenError) return toClientError(error)
  const cause = error instanceof GraphQLError ? new Error(error.message, { cause: error }) : error
  return toClientError(cause, context)
}

/**
 * A model's access options with the `permission` of each computed field added as a field guard,
 * so the caller's denied fields (compiled as NULL) include guarded computed fields too.
 */
export function withComputedGuards(options: ModelAccessOptions, model: Model): ModelAccessOptions {
  const guarded = (model.computedFields ?? []).filter((c) => c.permission !== undefined)
  if (guarded.length === 0) return options
  return {
    ...options,
    fields: {
      ...options.fields,
      ...Object.fromEntries(guarded.map((c) => [c.name, { permission: c.permission! }])),
    },
  }
}
