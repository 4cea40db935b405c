import type { FieldNode, FragmentDefinitionNode, GraphQLSchema } from 'graphql'
import { compileRootField } from '../compile/index.js'
import type { CompileOptions, RootTarget, RowAccess } from '../compile/index.js'
import type { Queryable } from '../database/index.js'
import { nodeTypes } from './buildModelTypes.js'
import type { SchemaRuntime } from './SchemaRuntime.js'

/** The parts of an operation a compiled read needs (a GraphQLResolveInfo has them all). */
export interface ReadRequest {
  schema: GraphQLSchema
  fragments: Record<string, FragmentDefinitionNode>
  variableValues: Record<string, unknown>
  fieldNodes: readonly FieldNode[]
}

/** The compiler's options as the schema's config sets them. */
export function compileOptions(runtime: SchemaRuntime): CompileOptions {
  return {
    defaultPageSize: runtime.config.queries.defaultPageSize,
    maxPageSize: runtime.config.queries.maxPageSize,
    pagination: runtime.config.queries.pagination,
    filtering: runtime.config.queries.filtering,
    maxFilterDepth: runtime.config.queries.maxFilterDepth,
  }
}

/**
 * Compiles a field's selection for `target` into ONE statement, runs it on `queryable` (the
 * database, or a mutation's transaction) and returns the field's value: the JSON the database
 * built, parsed. Query root fields and mutation payloads both read through here.
 */
export async function readRootField(
  runtime: SchemaRuntime,
  queryable: Queryable,
  request: ReadRequest,
  target: RootTarget,
  access?: RowAccess,
): Promise<unknown> {
  const statement = compileRootField({
    schema: request.schema,
    names: runtime.names,
    options: compileOptions(runtime),
    fieldNodes: request.fieldNodes,
    fragments: request.fragments,
    variableValues: request.variableValues,
    target,
    ...(access ? { access } : {}),
  })
  const { rows } = await queryable.query<{ data: string | null }>(statement)
  const data = rows[0]?.data
  if (data === null || data === undefined) return null
  const value: unknown = JSON.parse(data)
  if (target.kind === 'single' && value !== null && typeof value === 'object')
    nodeTypes.set(value, target.model.typeName)
  return value
}
