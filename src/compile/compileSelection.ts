import { getArgumentValues, isObjectType } from 'graphql'
import type { FieldNode, SelectionSetNode } from 'graphql'
import type { FieldBinding, ModelNames } from '../naming/index.js'
import type { ModelField, Relation } from '../models/index.js'
import { collectFields, subSelections } from './collectFields.js'
import type { CollectedField } from './collectFields.js'
import type { CompileContext } from './CompileContext.js'
import { badUserInput } from '../errors.js'
import {
  cursorExpr,
  cursorText,
  decodeCursor,
  keyDirection,
  keysetCondition,
  orderByClause,
  orderedRowsRef,
  orderingJoins,
  resolveOrdering,
} from './ordering.js'
import type { CursorValues, OrderJoin, Ordering } from './ordering.js'
import { compileFilter } from './compileFilter.js'
import { atMostOneRow, correlation, visibleRows } from './relationSql.js'
import { renderEnumName, renderGlobalId, renderScalar } from './renderScalar.js'
import { isJoiningScope, ProjectedScope, tableScope } from './RowScope.js'
import type { JoinedRow, RowScope } from './RowScope.js'
import { base64, ident, jsonObject, literal, tableRef } from './sql.js'
import { compileComputedRow } from './compileComputedRow.js'

/** JSON object of one row of a model, with exactly the response keys the selection asks for. */
export function compileObject(
  ctx: CompileContext,
  names: ModelNames,
  nodes: readonly FieldNode[],
  scope: RowScope,
): string {
  const fields = collectFields(
    ctx,
    names.typeName,
    nodes.map((n) => n.selectionSet),
  )
  return jsonObject(
    fields.map((field) => [field.responseKey, compileField(ctx, names, field, scope)] as const),
  )
}

function compileField(
  ctx: CompileContext,
  names: ModelNames,
  field: CollectedField,
  scope: RowScope,
): string {
  if (field.fieldName === '__typename') return literal(names.typeName)
  const binding = names.fields.get(field.fieldName)
  if (!binding) throw new Error(`No binding for ${names.typeName}.${field.fieldName}`)
  return compileBinding(ctx, names, binding, field, scope)
}

function compileBinding(
  ctx: CompileContext,
  names: ModelNames,
  binding: FieldBinding,
  field: CollectedField,
  scope: RowScope,
): string {
  switch (binding.kind) {
    case 'globalId':
      return renderGlobalId(names.typeName, names.model, (column) => scope.column(column))
    case 'primaryKey':
    case 'column':
      return compileColumn(ctx, names, binding.field, scope)
    case 'compositeKey': {
      const parts = new Map(binding.fields.map((part) => [part.name, part.field]))
      const keyFields = collectFields(ctx, binding.typeName, subSelections(field))
      return jsonObject(
        keyFields.map((keyField): readonly [string, string] => {
          const part = parts.get(keyField.fieldName)
          return [
            keyField.responseKey,
            part ? compileColumn(ctx, names, part, scope) : literal(binding.typeName),
          ]
        }),
      )
    }
    case 'relation':
      return compileRelation(ctx, names, binding.relation, binding.target, field, scope)
    case 'removed':
      return 'NULL'
    case 'computed':
      return compileComputedRow(ctx, names, binding.computed, scope)
  }
}

/** One column of the row as the API serializes it (an enum by its GraphQL name when asked). */
function compileColumn(ctx: CompileContext, names: ModelNames, field: ModelField, scope: RowScope): string {
  // A guarded field the caller may not read is never read: NULL (its resolver adds FORBIDDEN).
  if (ctx.deniedFields?.has(`${names.model.name}.${field.key}`)) return 'NULL'
  if (ctx.options.enumNames && field.enum && !field.isList) {
    const values = ctx.names.enums.get(field.enum.sqlName)?.values
    if (values) return renderEnumName(values, scope.column(field.column))
  }
  return renderScalar(field, scope.column(field.column))
}

function compileRelation(
  ctx: CompileContext,
  names: ModelNames,
  relation: Relation,
  target: ModelNames,
  field: CollectedField,
  scope: RowScope,
): string {
  const correlate = correlation(relation, scope)
  if (relation.kind === 'toOne') {
    // The page's query already joined this row for its ordering, under the caller's row policy:
    // read it from there rather than look it up again per row, at any depth (`order { user }`
    // of an item page ordered by its order's user). That join does not hide a soft-deleted row,
    // so a soft-deleting model is looked up as usual (and the rows below it too).
    const joined = isJoiningScope(scope) ? scope.joined(field.fieldName) : undefined
    if (joined && target.model.softDeleteField === undefined) {
      const object = compileObject(ctx, target, field.nodes, joined.scope)
      if (joined.join.inner) return object
      return `(case when ${joined.scope.column(joined.join.marker)} is null then null else ${object} end)`
    }
    const alias = ctx.nextAlias('t')
    const conditions = [correlate(alias), ...visibleRows(ctx, target, alias)]
    const object = compileObject(ctx, target, field.nodes, tableScope(alias))
    const limit = atMostOneRow(relation, target.model) ? '' : ' limit 1'
    return `(select ${object} from ${tableRef(target.model)} as ${ident(alias)} where ${conditions.join(' and ')}${limit})`
  }
  const args = relationArguments(ctx, names, field)
  const selections = { nodes: field.nodes, selectionSets: subSelections(field) }
  return subquery(
    ctx.options.pagination === 'legacy'
      ? compileList(ctx, target, selections, args, correlate)
      : compileConnection(ctx, target, selections, args, correlate),
  )
}

function relationArguments(
  ctx: CompileContext,
  names: ModelNames,
  field: CollectedField,
): Record<string, unknown> {
  const type = ctx.schema.getType(names.typeName)
  const definition = isObjectType(type) ? type.getFields()[field.fieldName] : undefined
  if (!definition) return {}
  return getArgumentValues(definition, field.nodes[0]!, ctx.variableValues)
}

/** The field nodes of a list or connection field and their sub-selections. */
export interface SelectionOf {
  nodes: readonly FieldNode[]
  selectionSets: readonly SelectionSetNode[]
}

/** Rows related to an outer row, expressed for a table alias; absent at the root. */
export type Correlate = (alias: string) => string

/**
 * What a read selects: `select value from from` (no `from`: a bare `select value`). Nested in a
 * row it is a scalar subquery ({@link subquery}); at the root it is the statement itself, so the
 * statement is no `select (select …)` wrapper whose InitPlan PostgreSQL would run on its own.
 */
export interface SelectQuery {
  value: string
  from?: string
}

/** A {@link SelectQuery} as an expression: a scalar subquery, or its value when it reads no table. */
export function subquery(query: SelectQuery): string {
  return query.from === undefined ? query.value : `(select ${query.value} from ${query.from})`
}

/**
 * A relay connection as one aggregate query over its page. The page is read once, as a
 * hand-written page is: `order by` the keys `limit n`, projecting only the columns used, and
 * edges, nodes and pageInfo are aggregated from those rows in page order (the keys). Only when the
 * selection asks whether there is a next page (`hasNextPage`; `hasPreviousPage` paging backwards)
 * is one more row read (`limit n + 1`): then a window over the page alone numbers its rows, so the
 * aggregates leave that row out and `count(*) > n` tells it was there. `totalCount` is its own
 * count subquery. A selection reading nothing from the page (only `totalCount`) does not read the
 * page at all.
 */
export function compileConnection(
  ctx: CompileContext,
  names: ModelNames,
  selection: SelectionOf,
  args: Record<string, unknown>,
  correlate?: Correlate,
): SelectQuery {
  const ordering = resolveOrdering(names, args['orderBy'], ctx)
  const window = pageWindow(ctx, ordering, args)
  const table = ctx.nextAlias('t')
  const page = ctx.nextAlias('p')
  const joins = orderingJoins(ordering, table)
  const scope = new ProjectedScope(page, table, joinedRows(joins))
  const base = (alias: string): string[] => [
    ...(correlate ? [correlate(alias)] : []),
    ...visibleRows(ctx, names, alias),
    ...filterConditions(ctx, names, args, alias),
  ]
  const fields = collectFields(ctx, names.connectionTypeName, selection.selectionSets)
  // The row past the page is read only when the selection asks whether there is one.
  const readsExtraRow = asksForMoreRows(ctx, fields, window.backward)
  // The page size is written into the SQL, not bound: it has at most maxPageSize + 1 values, and a
  // statement without parameters keeps one plan per connection, where a bound LIMIT would leave
  // PostgreSQL to plan it for each value or guess a generic one.
  const size = String(window.size)
  const rowNumber = `${ident(page)}."__i"`
  // An aggregate's `order by` for the page's rows in display order (`reverse`: last first). A
  // forward page needs none: PostgreSQL feeds an aggregate the rows of its FROM item in the order
  // that item delivers them, and here the one FROM item is the page (`order by … limit n`, at most
  // numbered by a window that keeps its input's order), with no join, WHERE or GROUP BY that could
  // reorder them. PostgreSQL 15 would sort the rows again for an `order by` in the aggregate (16
  // and later see they are sorted), once per page: once per parent row for a nested page. Either
  // every aggregate of a page says its order or none does: PostgreSQL 16+ sorts an aggregate
  // query's input for one aggregate's `order by`, which would reorder the rows the others see.
  // Backward pages (read last row first) say it in all: by the rows' number when the extra row is
  // read, else by the keys themselves, which needs no window over the page. The pagination tests
  // walk every ordering both ways.
  const pageOrder = (reverse: boolean): string => {
    if (!window.backward) return ''
    const order = readsExtraRow
      ? `${rowNumber} ${window.backward !== reverse ? 'desc' : 'asc'}`
      : ordering.keys
          .map((k, i) => `${ident(page)}.${ident(`__k${i}`)} ${keyDirection(k, reverse)}`)
          .join(', ')
    return ` order by ${order}`
  }
  const inPage = readsExtraRow ? ` filter (where ${rowNumber} <= ${size})` : ''
  const keyColumn = (i: number): string => `${ident(page)}.${ident(`__k${i}`)}`
  let readsPage = false
  const aggregate = (expr: string): string => {
    readsPage = true
    return expr
  }
  const exists = (condition: (alias: string) => string): string => {
    const alias = ctx.nextAlias('c')
    const where = [...base(alias), condition(alias)].join(' and ')
    return `exists (select 1 from ${fromClause(ctx, names, orderingJoins(ordering, alias), alias)} where ${where})`
  }

  const entries = fields.map((field): readonly [string, string] => {
    const sets = subSelections(field)
    switch (field.fieldName) {
      case '__typename':
        return [field.responseKey, literal(names.connectionTypeName)]
      case 'totalCount': {
        const alias = ctx.nextAlias('c')
        const where = base(alias)
        const filter = where.length > 0 ? ` where ${where.join(' and ')}` : ''
        return [
          field.responseKey,
          `(select count(*) from ${tableRef(names.model)} as ${ident(alias)}${filter})`,
        ]
      }
      case 'nodes': {
        const object = compileObject(ctx, names, field.nodes, scope)
        return [
          field.responseKey,
          aggregate(`coalesce(json_agg(${object}${pageOrder(false)})${inPage}, '[]'::json)`),
        ]
      }
      case 'edges': {
        const edgeFields = collectFields(ctx, names.edgeTypeName, sets)
        const edge = jsonObject(
          edgeFields.map((edgeField): readonly [string, string] => {
            if (edgeField.fieldName === 'cursor')
              return [edgeField.responseKey, cursorExpr(ordering, keyColumn)]
            if (edgeField.fieldName === 'node')
              return [edgeField.responseKey, compileObject(ctx, names, edgeField.nodes, scope)]
            return [edgeField.responseKey, literal(names.edgeTypeName)]
          }),
        )
        return [
          field.responseKey,
          aggregate(`coalesce(json_agg(${edge}${pageOrder(false)})${inPage}, '[]'::json)`),
        ]
      }
      case 'pageInfo': {
        const info = collectFields(ctx, 'PageInfo', sets).map((infoField): readonly [string, string] => {
          const key = infoField.responseKey
          switch (infoField.fieldName) {
            case 'hasNextPage':
              return [
                key,
                window.backward ? edgeBeyond(window.before, 'after') : moreRows(window.before, 'after'),
              ]
            case 'hasPreviousPage':
              return [
                key,
                window.backward ? moreRows(window.after, 'before') : edgeBeyond(window.after, 'before'),
              ]
            case 'startCursor':
            case 'endCursor': {
              // Only the first (last) row's cursor is encoded, not every row's: NULL on an empty page.
              const last = infoField.fieldName === 'endCursor'
              const text = cursorText(ordering, keyColumn)
              // A forward page's last row is the last one aggregated: no aggregate there says an
              // order, so none makes PostgreSQL (16+) sort the others' input (see pageOrder).
              const index =
                !last || window.backward ? '1' : readsExtraRow ? `least(count(*), ${size})` : 'count(*)'
              const order = last && !window.backward ? '' : pageOrder(last)
              return [key, aggregate(base64(`(array_agg(${text}${order})${inPage})[${index}]`))]
            }
            default:
              return [key, literal('PageInfo')]
          }
        })
        return [field.responseKey, jsonObject(info)]
      }
      default:
        throw new Error(`Unknown connection field ${field.fieldName}`)
    }
  })

  // Rows beyond the page in the paging direction: the extra fetched row, or (with a cursor bound
  // on that side) a row at or past that cursor.
  function moreRows(bound: CursorValues | undefined, side: 'after' | 'before'): string {
    const extra = aggregate(`count(*) > ${size}`)
    if (!bound) return extra
    return `(${extra} or ${exists((alias) => keysetCondition(ordering, alias, bound, side, ctx.params, true))})`
  }
  // Rows on the far side of the cursor the page started from.
  function edgeBeyond(bound: CursorValues | undefined, side: 'after' | 'before'): string {
    if (!bound) return 'false'
    return exists((alias) => keysetCondition(ordering, alias, bound, side, ctx.params, true))
  }

  const object = jsonObject(entries)
  if (!readsPage) return { value: object }
  const where = [...base(table)]
  if (window.after) where.push(keysetCondition(ordering, table, window.after, 'after', ctx.params))
  if (window.before) where.push(keysetCondition(ordering, table, window.before, 'before', ctx.params))
  const rows = pageRows(ordering, page, window.backward, readsExtraRow, {
    table,
    select: [...scope.used.values()],
    from: fromClause(ctx, names, joins, table),
    where,
    orderBy: orderByClause(ordering, table, window.backward),
    limit: `limit ${window.size + (readsExtraRow ? 1 : 0)}`,
  })
  // Aggregates only (count, json_agg, array_agg): exactly one row, however many the page holds.
  return { value: object, from: rows }
}

/** Whether the selection asks if rows follow the page in its direction (the extra row). */
function asksForMoreRows(ctx: CompileContext, fields: readonly CollectedField[], backward: boolean): boolean {
  const wanted = backward ? 'hasPreviousPage' : 'hasNextPage'
  return fields.some(
    (field) =>
      field.fieldName === 'pageInfo' &&
      collectFields(ctx, 'PageInfo', subSelections(field)).some((info) => info.fieldName === wanted),
  )
}

/** What {@link pageRows} reads: the page's query, before its keys and row numbers are added. */
interface PageQuery {
  /** Alias of the model's row in `from`. */
  table: string
  select: string[]
  from: string
  where: string[]
  orderBy: string
  limit: string
}

/**
 * The rows of a page as a derived table under `page`: the query selects the columns used and each
 * order key as `__k<i>`, ordered and limited so an index can serve it. When `numbered`, around it
 * `__i` numbers those few rows in page order (a window over the page only, never over every
 * matching row).
 */
function pageRows(
  ordering: Ordering,
  page: string,
  reverse: boolean,
  numbered: boolean,
  query: PageQuery,
): string {
  const keys = ordering.keys.map((k, i) => `${k.expr(query.table)} as ${ident(`__k${i}`)}`)
  const inner = [
    `select ${[...query.select, ...keys].join(', ')}`,
    `from ${query.from}`,
    ...(query.where.length > 0 ? [`where ${query.where.join(' and ')}`] : []),
    `order by ${query.orderBy}`,
    query.limit,
  ].join(' ')
  if (!numbered) return `(${inner}) as ${ident(page)}`
  const rows = ident(`${page}_rows`)
  const order = ordering.keys.map((k, i) => `${rows}.${ident(`__k${i}`)} ${keyDirection(k, reverse)}`)
  return `(select ${rows}.*, row_number() over (order by ${order.join(', ')}) as "__i" from (${inner}) as ${rows}) as ${ident(page)}`
}

/** The model's rows under `alias`, joined with the related rows the ordering reads (`joins`). */
function fromClause(
  ctx: CompileContext,
  names: ModelNames,
  joins: readonly OrderJoin[],
  alias: string,
): string {
  return [
    `${orderedRowsRef(names.model, ctx.deniedFields)} as ${ident(alias)}`,
    ...joins.map((j) => j.sql),
  ].join(' ')
}

/** The to-one rows `joins` join (to the page's row or to each other), for a page to read them from. */
function joinedRows(joins: readonly OrderJoin[]): JoinedRow[] {
  return joins.map((join) => ({
    field: join.relation.field,
    parent: join.relation.parent,
    alias: join.alias,
    inner: join.relation.inner,
    marker: join.relation.marker,
  }))
}

/** The `filter` argument as conditions on rows under `alias` (none when absent or always true). */
function filterConditions(
  ctx: CompileContext,
  names: ModelNames,
  args: Record<string, unknown>,
  alias: string,
): string[] {
  const condition = compileFilter(ctx, names, args['filter'], alias)
  return condition === 'true' ? [] : [condition]
}

/** The page a connection's arguments ask for, checked and capped. */
interface PageWindow {
  size: number
  backward: boolean
  after?: CursorValues
  before?: CursorValues
}

function pageWindow(ctx: CompileContext, ordering: Ordering, args: Record<string, unknown>): PageWindow {
  const first = args['first']
  const last = args['last']
  if (typeof first === 'number' && typeof last === 'number') {
    throw badUserInput('Pass either `first` or `last`, not both.', { argument: 'first' })
  }
  const requested =
    typeof last === 'number' ? last : typeof first === 'number' ? first : ctx.options.defaultPageSize
  // GraphQL's Int makes it an integer; the check keeps the literal in the SQL a plain number.
  if (!Number.isSafeInteger(requested))
    throw badUserInput('The page size must be an integer.', { argument: 'first' })
  if (requested < 0) {
    throw badUserInput(`\`${typeof last === 'number' ? 'last' : 'first'}\` must not be negative.`, {
      argument: typeof last === 'number' ? 'last' : 'first',
    })
  }
  const window: PageWindow = {
    size: Math.min(requested, ctx.options.maxPageSize),
    backward: typeof last === 'number',
  }
  if (typeof args['after'] === 'string') window.after = decodeCursor(args['after'], ordering, 'after')
  if (typeof args['before'] === 'string') window.before = decodeCursor(args['before'], ordering, 'before')
  return window
}

/**
 * A deprecated legacy list (`limit`/`offset`) as one aggregate query returning a JSON array.
 */
export function compileList(
  ctx: CompileContext,
  names: ModelNames,
  selection: SelectionOf,
  args: Record<string, unknown>,
  correlate?: Correlate,
): SelectQuery {
  const ordering = resolveOrdering(names, args['orderBy'], ctx)
  const limit = typeof args['limit'] === 'number' ? args['limit'] : ctx.options.maxPageSize
  const offset = typeof args['offset'] === 'number' ? args['offset'] : 0
  if (!Number.isSafeInteger(limit)) throw badUserInput('`limit` must be an integer.', { argument: 'limit' })
  if (limit < 0) throw badUserInput('`limit` must not be negative.', { argument: 'limit' })
  if (offset < 0) throw badUserInput('`offset` must not be negative.', { argument: 'offset' })
  const table = ctx.nextAlias('t')
  const page = ctx.nextAlias('p')
  const joins = orderingJoins(ordering, table)
  const scope = new ProjectedScope(page, table, joinedRows(joins))
  const object = compileObject(ctx, names, selection.nodes, scope)
  const where = [
    ...(correlate ? [correlate(table)] : []),
    ...visibleRows(ctx, names, table),
    ...filterConditions(ctx, names, args, table),
  ]
  const rows = pageRows(ordering, page, false, false, {
    table,
    select: [...scope.used.values()],
    from: fromClause(ctx, names, joins, table),
    where,
    orderBy: orderByClause(ordering, table, false),
    limit: `limit ${Math.min(limit, ctx.options.maxPageSize)} offset ${ctx.params.add(offset)}::int`,
  })
  // In the order the page delivers its rows, as a forward connection page (see compileConnection).
  return { value: `coalesce(json_agg(${object}), '[]'::json)`, from: rows }
}
