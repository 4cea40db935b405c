import type { FragmentDefinitionNode, GraphQLSchema } from 'graphql'
import type { SchemaNames } from '../naming/index.js'
import type { CompileContext, CompileOptions, RowAccess } from './CompileContext.js'
import { policyConditions } from './rowPolicies.js'
import type { SqlParams } from './sql.js'

/** What every statement's compile context is made from. */
export interface CompileContextRequest {
  schema: GraphQLSchema
  names: SchemaNames
  options: CompileOptions
  fragments: Record<string, FragmentDefinitionNode>
  variableValues: Record<string, unknown>
  /** The caller's row policies and denied fields (absent: everything visible, as before auth). */
  access?: RowAccess
}

/**
 * The context of one statement: its parameters, unique aliases (`aliasTag` keeps a nested
 * compile's aliases apart from the enclosing statement's) and the caller's row policies and
 * denied fields, obeyed by every read written with it.
 */
export function createCompileContext(
  request: CompileContextRequest,
  params: SqlParams,
  aliasTag = '',
): CompileContext {
  const counters = new Map<string, number>()
  const ctx: CompileContext = {
    schema: request.schema,
    names: request.names,
    options: request.options,
    fragments: request.fragments,
    variableValues: request.variableValues,
    params,
    nextAlias(prefix) {
      const n = counters.get(prefix) ?? 0
      counters.set(prefix, n + 1)
      return `${prefix}${aliasTag}${n}`
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
  return ctx
}
