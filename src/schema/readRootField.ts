import type { FieldNode, FragmentDefinitionNode, GraphQLSchema } from 'graphql'
import { compileRootField } from '../compile/index.js'
import type { CompileOptions, RootTarget, RowAccess } from '../compile/index.js'
import type { Queryable, SqlStatement } from '../database/index.js'
import { nodeTypes } from './buildModelTypes.js'
import type { SchemaRuntime } from './SchemaRuntime.js'
import { cachedStatement } from './statementCache.js'

/** The parts of an operation a compiled read needs (a GraphQLResolveInfo has them all). */
export interface ReadRequest {
  schema: GraphQLSchema
  fragments: Record<string, FragmentDefinitionNode>
  variableValues: Record<string, unknown>
  fieldNodes: readonly FieldNode[]
}

const optionsByRuntime = new WeakMap<SchemaRuntime, CompileOptions>()

/** The compiler's options as the schema's config sets them. */
export function compileOptions(runtime: SchemaRuntime): CompileOptions {
  let options = optionsByRuntime.get(runtime)
  if (!options) {
    options = {
      defaultPageSize: runtime.config.queries.defaultPageSize,
      maxPageSize: runtime.config.queries.maxPageSize,
      pagination: runtime.config.queries.pagination,
      filtering: runtime.config.queries.filtering,
      maxFilterDepth: runtime.config.queries.maxFilterDepth,
      guardRegex: guardsRegex(runtime),
    }
    optionsByRuntime.set(runtime, options)
  }
  return options
}

/** Whether callers' regular expressions are guarded: on PGlite (no statement timeout) unless opted out. */
export function guardsRegex(runtime: SchemaRuntime): boolean {
  return runtime.database.kind === 'pglite' && !runtime.config.queries.unsafeRegexOnPGlite
}

/**
 * The statement of a root field: compiled, or found in the one statement cache when `cacheKey` is
 * given (see statementKey; only query root fields, whose target follows from the operation; one
 * row by key re-binds a cached statement's key).
 * `enumNames` renders enums as the API names them, for answers sent without graphql-js.
 */
export function rootFieldStatement(
  runtime: SchemaRuntime,
  request: ReadRequest,
  target: RootTarget,
  access?: RowAccess,
  cacheKey?: string,
  enumNames = false,
): SqlStatement {
  return cachedStatement(runtime, cacheKey, target, () => {
    const base = compileOptions(runtime)
    return compileRootField({
      schema: request.schema,
      names: runtime.names,
      options: enumNames ? { ...base, enumNames } : base,
      fieldNodes: request.fieldNodes,
      fragments: request.fragments,
      variableValues: request.variableValues,
      target,
      ...(access ? { access } : {}),
    })
  })
}

/**
 * Runs a root field's statement and returns the JSON text the database built (null: no row).
 * Not async: one promise per statement, the database's (a throw from `query` itself is thrown).
 */
export function readRootFieldText(queryable: Queryable, statement: SqlStatement): Promise<string | null> {
  return queryable.query<{ data: string | null }>(statement).then(rootText)
}

function rootText({ rows }: { rows: readonly { data: string | null }[] }): string | null {
  return rows[0]?.data ?? null
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
  cacheKey?: string,
): Promise<unknown> {
  const data = await readRootFieldText(
    queryable,
    rootFieldStatement(runtime, request, target, access, cacheKey),
  )
  return parseRootText(target, data)
}

/** A root field's value from its statement's JSON text (one row remembers its type, for `Node`). */
export function parseRootText(target: RootTarget, data: string | null): unknown {
  if (data === null) return null
  const value: unknown = JSON.parse(data)
  if (target.kind === 'single' && value !== null && typeof value === 'object')
    nodeTypes.set(value, target.model.typeName)
  return value
}
