import { GraphQLObjectType, GraphQLSchema } from 'graphql'
import type { GraphQLFieldConfigMap, GraphQLNamedType } from 'graphql'
import { ConfigError } from '../errors.js'

/**
 * A copy of `schema` whose Query type has `fields` too (and `types`, for types only reachable
 * some other way): the usual body of a plugin's schema hook. Extensions, and so the runtime the
 * schema runs with, are kept. A field Query already has is a ConfigError (no silent override).
 */
export function addQueryFields(
  schema: GraphQLSchema,
  fields: GraphQLFieldConfigMap<unknown, unknown>,
  types: readonly GraphQLNamedType[] = [],
): GraphQLSchema {
  const query = schema.getQueryType()
  if (!query) throw new ConfigError('addQueryFields: the schema has no Query type.')
  const queryConfig = query.toConfig()
  for (const name of Object.keys(fields)) {
    if (queryConfig.fields[name] !== undefined) {
      throw new ConfigError(`addQueryFields: Query already has a field "${name}".`, { field: name })
    }
  }
  const newQuery = new GraphQLObjectType({ ...queryConfig, fields: { ...queryConfig.fields, ...fields } })
  const config = schema.toConfig()
  return new GraphQLSchema({
    ...config,
    query: newQuery,
    types: [...config.types.filter((type) => type !== query), ...types],
  })
}
