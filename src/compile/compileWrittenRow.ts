import type { FieldNode } from 'graphql'
import type { ModelNames } from '../naming/index.js'
import { compileObject } from './compileSelection.js'
import { createCompileContext } from './createCompileContext.js'
import type { CompileContextRequest } from './createCompileContext.js'
import { visibleRows } from './relationSql.js'
import { tableScope } from './RowScope.js'
import type { SqlParams } from './sql.js'

/** A written row's selection to compile into a statement that wrote it (see compileWrittenRow). */
export interface WrittenRowRequest extends CompileContextRequest {
  /** The payload field's nodes (e.g. `order { total note }`). */
  fieldNodes: readonly FieldNode[]
  model: ModelNames
  /** Alias of the written row (a row of the `RETURNING *` CTE) in the enclosing statement. */
  alias: string
  /** The enclosing statement's parameters: the write's values come first. */
  params: SqlParams
}

/**
 * The JSON expression of one written row as a selection asks for it, over `alias` (a row of a
 * data-modifying CTE, which the statement's own reads of the table cannot see yet), NULL when
 * the row is not visible (soft-deleted, outside the row policy), as a read of the row would be.
 * Relations are the same correlated subqueries a read compiles.
 */
export function compileWrittenRow(request: WrittenRowRequest): string {
  // `w` keeps the payload's aliases apart from the written row's own.
  const ctx = createCompileContext(request, request.params, 'w')
  const object = compileObject(ctx, request.model, request.fieldNodes, tableScope(request.alias))
  const visible = visibleRows(ctx, request.model, request.alias)
  return visible.length === 0 ? object : `case when ${visible.join(' and ')} then ${object} end`
}
