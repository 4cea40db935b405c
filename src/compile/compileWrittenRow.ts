import type { FieldNode, FragmentDefinitionNode, GraphQLSchema } from 'graphql'
import type { ModelNames, SchemaNames } from '../naming/index.js'
import type { CompileContext, CompileOptions, RowAccess } from './CompileContext.js'
import { compileObject } from './compileSelection.js'
import { visibleRows } from './relationSql.js'
import { policyConditions } from './rowPolicies.js'
import { tableScope } from './RowScope.js'
import type { SqlParams } from './sql.js'

/** A written row's selection to compile into a statement that wrote it (see compileWrittenRow). */
export interface WrittenRowRequest {
  schema: GraphQLSchema
  names: SchemaNames
  options: CompileOptions
  /** The payload field's nodes (e.g. `order { total note }`). */
  fieldNodes: readonly FieldNode[]
  fragments: Record<string, FragmentDefinitionNode>
  variableValues: Record<string, unknown>
  model: ModelNames
  /** Alias of the written row (a row of the `RETURNING *` CTE) in the enclosing statement. */
  alias: string
  /** The enclosing statement's parameters: the write's values come first. */
  params: SqlParams
  access?: RowAccess
}

/**
 * The JSON expression of one written row as a selection asks for it, over `alias` (a row of a
 * data-modifying CTE, which the statement's own reads of the table cannot see yet), NULL when
 * the row is not visible (soft-deleted, outside the row policy), as a read of the row would be.
 * Relations are the same correlated subqueries a read compiles.
 */
export function compileWrittenRow(request: WrittenRowRequest): string {
  const counters = new Map<string, number>()
  const ctx: CompileContext = {
    schema: request.schema,
    names: request.names,
    options: request.options,
    fragments: request.fragments,
    variableValues: request.variableValues,
    params: request.params,
    nextAlias(prefix) {
      const n = counters.get(prefix) ?? 0
      counters.set(prefix, n + 1)
      // `w` keeps these aliases apart from the written row's own.
      return `${prefix}w${n}`
    },
    ...(request.access?.deniedFields ? { deniedFields: request.access.deniedFields } : {}),
  }
  const rowConditions = policyConditions(ctx, request.access)
  if (rowConditions) ctx.rowConditions = rowConditions
  const rowFilters = request.access?.rowFilters
  if (rowFilters) {
    ctx.restricts = (names) => {
      const policy = rowFilters.get(names.model.name)
      return policy !== undefined && policy !== null && policy !== true
    }
  }
  const object = compileObject(ctx, request.model, request.fieldNodes, tableScope(request.alias))
  const visible = visibleRows(ctx, request.model, request.alias)
  return visible.length === 0 ? object : `case when ${visible.join(' and ')} then ${object} end`
}
