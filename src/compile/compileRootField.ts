import type { FieldNode } from 'graphql'
import type { SqlStatement } from '../database/index.js'
import type { ModelNames } from '../naming/index.js'
import { compileFilter } from './compileFilter.js'
import { createCompileContext } from './createCompileContext.js'
import type { CompileContextRequest } from './createCompileContext.js'
import { compileConnection, compileList, compileObject } from './compileSelection.js'
import type { SelectQuery } from './compileSelection.js'
import { keyEquals, parseKeyText } from './primaryKey.js'
import { visibleRows } from './relationSql.js'
import { subSelections } from './collectFields.js'
import { tableScope } from './RowScope.js'
import { ident, SqlParams, tableRef } from './sql.js'

/** What a root field reads: a page, a legacy list, or one row by primary key. */
export type RootTarget =
  | { kind: 'connection'; model: ModelNames; args: Record<string, unknown> }
  | { kind: 'list'; model: ModelNames; args: Record<string, unknown> }
  | {
      kind: 'single'
      model: ModelNames
      /** The row's key text (naming's `encodeKeyText`): one value, or every key column's. */
      pk: string
      filter?: unknown
    }

/** A root field to compile: its nodes in the operation plus what the operation knows. */
export interface RootFieldRequest extends CompileContextRequest {
  fieldNodes: readonly FieldNode[]
  target: RootTarget
}

/**
 * Compiles one root field, whatever its nesting, into ONE statement returning a single text
 * column `data`: the field's JSON in response shape. A single row that is not there (or not
 * visible) gives no row at all, which callers read as NULL (`readRootFieldText`).
 */
export function compileRootField(request: RootFieldRequest): SqlStatement {
  const ctx = createCompileContext(request, new SqlParams())
  const { target } = request
  const selection = {
    nodes: request.fieldNodes,
    selectionSets: request.fieldNodes.flatMap((n) =>
      subSelections({ responseKey: '', fieldName: '', nodes: [n] }),
    ),
  }
  let query: SelectQuery
  if (target.kind === 'connection') {
    query = compileConnection(ctx, target.model, selection, target.args)
  } else if (target.kind === 'list') {
    query = compileList(ctx, target.model, selection, target.args)
  } else {
    const alias = ctx.nextAlias('t')
    const key = parseKeyText(target.model.model, target.pk)
    // Callers hand over keys they decoded and checked (or that the database rendered).
    if (!key) throw new Error(`Not a key of ${target.model.typeName}: ${target.pk}`)
    const where = [
      ...keyEquals(target.model.model, alias, key, ctx.params),
      ...visibleRows(ctx, target.model, alias),
    ]
    // A filter on the one row (subscriptions): the field is NULL unless the row matches it.
    const filter =
      target.filter === undefined ? 'true' : compileFilter(ctx, target.model, target.filter, alias)
    if (filter !== 'true') where.push(filter)
    const object = compileObject(ctx, target.model, request.fieldNodes, tableScope(alias))
    // No row (none with that key, or not visible): the statement returns no row, read as NULL.
    query = {
      value: object,
      from: `${tableRef(target.model.model)} as ${ident(alias)} where ${where.join(' and ')}`,
    }
  }
  return {
    text: `select ${query.value}::text as "data"${query.from === undefined ? '' : ` from ${query.from}`}`,
    values: ctx.params.values,
    ...(ctx.params.customPlan ? { customPlan: true } : {}),
  }
}
