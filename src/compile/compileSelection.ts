import { getArgumentValues, isObjectType } from 'graphql'
import type { FieldNode, SelectionSetNode } from 'graphql'
import type { FieldBinding, ModelNames } from '../naming/index.js'
import type { ModelField, Relation } from '../models/index.js'
import { collectFields, subSelections } from './collectFields.js'
import type { CollectedField } from './collectFields.js'
import type { CompileContext } from './CompileContext.js'
import { badUserInput } from '../errors.js'
import { cursorExpr, decodeCursor, keysetCondition, orderByClause, resolveOrdering } from './ordering.js'
import type { CursorValues, Ordering } from './ordering.js'
import { compileFilter } from './compileFilter.js'
import { correlation, visibleRows } from './relationSql.js'
import { renderEnumName, renderGlobalId, renderScalar } from './renderScalar.js'
import { ProjectedScope, tableScope } from './RowScope.js'
import type { RowScope } from './RowScope.js'
import { ident, jsonObject, literal, tableRef } from './sql.js'
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
    const alias = ctx.nextAlias('t')
    const conditions = [correlate(alias), ...visibleRows(ctx, target, alias)]
    const object = compileObject(ctx, target, field.nodes, tableScope(alias))
    return `(select ${object} from ${tableRef(target.model)} as ${ident(alias)} where ${conditions.join(' and ')} limit 1)`
  }
  const args = relationArguments(ctx, names, field)
  const selections = { nodes: field.nodes, selectionSets: subSelections(field) }
  return ctx.options.pagination === 'legacy'
    ? compileList(ctx, target, selections, args, correlate)
    : compileConnection(ctx, target, selections, args, correlate)
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
 * A relay connection as one scalar subquery: the page is read once (one row more than asked, for
 * `hasNextPage`) projecting only the columns used, then edges, nodes and pageInfo are aggregated
 * from it in order; `totalCount` is a count subquery under the same conditions.
 */
export function compileConnection(
  ctx: CompileContext,
  names: ModelNames,
  selection: SelectionOf,
  args: Record<string, unknown>,
  correlate?: Correlate,
): string {
  const ordering = resolveOrdering(names, args['orderBy'], ctx)
  const window = pageWindow(ctx, ordering, args)
  const table = ctx.nextAlias('t')
  const page = ctx.nextAlias('p')
  const scope = new ProjectedScope(page)
  const base = (alias: string): string[] => [
    ...(correlate ? [correlate(alias)] : []),
    ...visibleRows(ctx, names, alias),
    ...filterConditions(ctx, names, args, alias),
  ]
  // The page size is written into the SQL, not bound: it has at most maxPageSize + 1 values, and a
  // statement without parameters keeps one plan per connection, where a bound LIMIT would leave
  // PostgreSQL to plan it for each value or guess a generic one.
  const size = String(window.size)
  const rowNumber = `${ident(page)}."__i"`
  const displayOrder = window.backward ? 'desc' : 'asc'
  const inPage = `filter (where ${rowNumber} <= ${size})`
  const cursor = (): string => cursorExpr(ordering, (i) => `${ident(page)}.${ident(`__k${i}`)}`)
  let usesKeys = false
  const exists = (condition: (alias: string) => string): string => {
    const alias = ctx.nextAlias('c')
    const where = [...base(alias), condition(alias)].join(' and ')
    return `exists (select 1 from ${tableRef(names.model)} as ${ident(alias)} where ${where})`
  }

  const fields = collectFields(ctx, names.connectionTypeName, selection.selectionSets)
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
          `coalesce(json_agg(${object} order by ${rowNumber} ${displayOrder}) ${inPage}, '[]'::json)`,
        ]
      }
      case 'edges': {
        const edgeFields = collectFields(ctx, names.edgeTypeName, sets)
        const edge = jsonObject(
          edgeFields.map((edgeField): readonly [string, string] => {
            if (edgeField.fieldName === 'cursor') {
              usesKeys = true
              return [edgeField.responseKey, cursor()]
            }
            if (edgeField.fieldName === 'node')
              return [edgeField.responseKey, compileObject(ctx, names, edgeField.nodes, scope)]
            return [edgeField.responseKey, literal(names.edgeTypeName)]
          }),
        )
        return [
          field.responseKey,
          `coalesce(json_agg(${edge} order by ${rowNumber} ${displayOrder}) ${inPage}, '[]'::json)`,
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
              usesKeys = true
              const first = (infoField.fieldName === 'startCursor') === !window.backward
              return [
                key,
                `(array_agg(${cursor()} order by ${rowNumber} ${first ? 'asc' : 'desc'}) ${inPage})[1]`,
              ]
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
    const extra = `count(*) > ${size}`
    if (!bound) return extra
    return `(${extra} or ${exists((alias) => keysetCondition(ordering, alias, bound, side, ctx.params, true))})`
  }
  // Rows on the far side of the cursor the page started from.
  function edgeBeyond(bound: CursorValues | undefined, side: 'after' | 'before'): string {
    if (!bound) return 'false'
    return exists((alias) => keysetCondition(ordering, alias, bound, side, ctx.params, true))
  }

  const where = [...base(table)]
  if (window.after) where.push(keysetCondition(ordering, table, window.after, 'after', ctx.params))
  if (window.before) where.push(keysetCondition(ordering, table, window.before, 'before', ctx.params))
  const columns = [...scope.used].map((c) => `${ident(table)}.${ident(c)}`)
  const keys = usesKeys ? ordering.keys.map((k, i) => `${k.expr(table)} as ${ident(`__k${i}`)}`) : []
  const order = orderByClause(ordering, table, window.backward)
  const inner = [
    `select ${[...columns, ...keys, `row_number() over (order by ${order}) as "__i"`].join(', ')}`,
    `from ${tableRef(names.model)} as ${ident(table)}`,
    where.length > 0 ? `where ${where.join(' and ')}` : '',
    `order by ${order} limit ${window.size + 1}`,
  ]
    .filter((line) => line !== '')
    .join(' ')
  // `group by ()` makes the select an aggregate even when no field aggregates (e.g. only
  // `totalCount`), so it yields exactly one row however many rows the page holds.
  return `(select ${jsonObject(entries)} from (${inner}) as ${ident(page)} group by ())`
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
 * A deprecated legacy list (`limit`/`offset`) as one scalar subquery returning a JSON array.
 */
export function compileList(
  ctx: CompileContext,
  names: ModelNames,
  selection: SelectionOf,
  args: Record<string, unknown>,
  correlate?: Correlate,
): string {
  const ordering = resolveOrdering(names, args['orderBy'], ctx)
  const limit = typeof args['limit'] === 'number' ? args['limit'] : ctx.options.maxPageSize
  const offset = typeof args['offset'] === 'number' ? args['offset'] : 0
  if (!Number.isSafeInteger(limit)) throw badUserInput('`limit` must be an integer.', { argument: 'limit' })
  if (limit < 0) throw badUserInput('`limit` must not be negative.', { argument: 'limit' })
  if (offset < 0) throw badUserInput('`offset` must not be negative.', { argument: 'offset' })
  const table = ctx.nextAlias('t')
  const page = ctx.nextAlias('p')
  const scope = new ProjectedScope(page)
  const object = compileObject(ctx, names, selection.nodes, scope)
  const where = [
    ...(correlate ? [correlate(table)] : []),
    ...visibleRows(ctx, names, table),
    ...filterConditions(ctx, names, args, table),
  ]
  const order = orderByClause(ordering, table, false)
  const columns = [...scope.used].map((c) => `${ident(table)}.${ident(c)}`)
  const inner = [
    `select ${[...columns, `row_number() over (order by ${order}) as "__i"`].join(', ')}`,
    `from ${tableRef(names.model)} as ${ident(table)}`,
    where.length > 0 ? `where ${where.join(' and ')}` : '',
    `order by ${order} limit ${Math.min(limit, ctx.options.maxPageSize)} offset ${ctx.params.add(offset)}::int`,
  ]
    .filter((line) => line !== '')
    .join(' ')
  return `coalesce((select json_agg(${object} order by ${ident(page)}."__i") from (${inner}) as ${ident(page)}), '[]'::json)`
}
