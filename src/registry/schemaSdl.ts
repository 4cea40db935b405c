import { printSchema } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { sortedSchema } from '../schema/index.js'

/** The schema as SDL in a stable order: what `schema export` writes and the registry stores. */
export function schemaSdl(schema: GraphQLSchema): string {
  return printSchema(sortedSchema(schema))
}
