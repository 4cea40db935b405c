import { collectFields, subSelections } from '../compile/index.js'
import type { CollectedField, SelectionContext } from '../compile/index.js'
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
} from 'graphql'
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql'
import type { CostWeights } from '../config/index.js'
import { rowSourceOf } from './rowSource.js'
import type { RowSource } from './rowSource.js'

/** What the cost model needs besides the document: weights and the page sizes the compiler uses. */
export interface CostModel {
  weights: Required<CostWeights>
  /** Rows of a connection that gives neither `first` nor `last` (config `queries.defaultPageSize`). */
  defaultPageSize: number
  /** Larger pages are capped (or refused) at this (config `queries.maxPageSize`). */
  maxPageSize: number
  /**
   * Rows a table holds (by the SQL table a list field's `extensions.rowSource` names), when
   * known: a list under distinct parent rows can return no more rows than its table has.
   */
  tableRows?: (table: string) => number | undefined
}

/** The operation to price: a validated document, its operation name and its raw variables. */
export interface CostInput {
  schema: GraphQLSchema
  document: DocumentNode
  operationName?: string | null | undefined
  /** Variables as sent; defaults from the operation fill the gaps. */
  variables?: Record<string, unknown> | null | undefined
  /**
   * The variables already coerced for this operation (the pipeline coerces once), or null when
   * they do not coerce; absent: coerced here from `variables`.
   */
  variableValues?: Readonly<Record<string, unknown>> | null | undefined
}

/** The requested cost of an operation, and the first page argument above `maxPageSize`, if any. */
export interface CostReport {
  cost: number
  oversizedPage?: { field: string; argument: string; value: number }
  /** The variables do not coerce: execution will refuse the operation before any resolver runs. */
  invalidVariables?: true
}

/**
 * The cost an operation asks for, before it runs (the formula is in limits/README.md):
 * leaves cost `scalar`; an object field `object` plus its selection; a connection `connection`
 * plus, for each row it may return (its page size: `last` ?? `first` ?? defaultPageSize, capped at
 * maxPageSize), the row's selection — `nodes` rows cost `object` each, `edges` wrappers nothing
 * (their `node` costs `object`); a legacy list `connection` plus `limit` (?? maxPageSize, as the
 * compiler does) × (`object` + selection); a root mutation field `mutation` plus its payload.
 * Abstract types (`node`) cost their most expensive member. `Type.field` weights and a field's
 * `extensions.cost` replace its own weight; introspection is free.
 */
export function requestedQueryCost(input: CostInput, model: CostModel): CostReport {
  const walker = new CostWalker(input, model)
  const cost = walker.operationCost(REQUESTED)
  return {
    cost,
    ...(walker.oversizedPage ? { oversizedPage: walker.oversizedPage } : {}),
    ...(walker.invalidVariables ? { invalidVariables: true as const } : {}),
  }
}

/**
 * The cost an operation really had: the same formula, with each page size replaced by the rows
 * the result holds (`edges`/`nodes`/list lengths) and fields that came back null costing only
 * their own weight.
 */
export function actualQueryCost(input: CostInput, model: CostModel, data: unknown): number {
  return new CostWalker(input, model).operationCost(data)
}

/** Marks the static walk (no result data). */
const REQUESTED: unique symbol = Symbol('requested')
type Value = unknown

/** Walks past this many fields count as "too costly to price": a guard against pathological documents. */
const MAX_VISITS = 200_000

class CostWalker {
  private readonly ctx: SelectionContext
  private visits = 0
  oversizedPage: CostReport['oversizedPage']
  invalidVariables = false

  constructor(
    private readonly input: CostInput,
    private readonly model: CostModel,
  ) {
    const fragments: Record<string, FragmentDefinitionNode> = {}
    for (const definition of input.document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition
    }
    this.ctx = { schema: input.schema, fragments, variableValues: {} }
  }

  operationCost(data: Value): number {
    const operation = getOperationAST(this.input.document, this.input.operationName)
    if (!operation) return 0
    const given = this.input.variableValues
    const coerced =
      given === undefined
        ? operationVariables(this.input.schema, operation, this.input.variables ?? {})
        : given
    this.invalidVariables = !coerced
    // Only read (getArgumentValues, @skip/@include): typed mutable as graphql-js's helpers take it.
    this.ctx.variableValues = (coerced ?? this.input.variables ?? {}) as Record<string, unknown>
    const root = this.input.schema.getRootType(operation.operation)
    if (!root) return 0
    const isMutation = operation.operation === 'mutation'
    const cost = this.selectionCost(
      root,
      [operation.selectionSet],
      data,
      ONE_ROW,
      isMutation ? this.model.weights.mutation : undefined,
    )
    return Math.min(cost, Number.MAX_SAFE_INTEGER)
  }

  /**
   * Cost of selections on `type` for `rows` parent rows (priced; a result walk passes one row at a
   * time); `rootWeight` is the own weight of every field at a mutation root.
   */
  private selectionCost(
    type: GraphQLNamedType,
    sets: readonly SelectionSetNode[],
    value: Value,
    rows: Rows,
    rootWeight?: number,
  ): number {
    if (value !== REQUESTED && (value === null || typeof value !== 'object')) return 0
    if (isAbstractType(type)) {
      let most = 0
      for (const member of this.input.schema.getPossibleTypes(type))
        most = Math.max(most, this.selectionCost(member, sets, value, rows))
      return most
    }
    if (!isObjectType(type)) return 0
    let total = 0
    for (const field of collectFields(this.ctx, type.name, sets)) {
      if (++this.visits > MAX_VISITS) return Number.MAX_SAFE_INTEGER
      const child = value === REQUESTED ? REQUESTED : (value as Record<string, unknown>)[field.responseKey]
      total += this.fieldCost(type, field, child, rows, rootWeight)
    }
    return total
  }

  private fieldCost(
    parent: GraphQLObjectType,
    field: CollectedField,
    value: Value,
    rows: Rows,
    rootWeight?: number,
  ): number {
    if (field.fieldName.startsWith('__')) return 0
    const definition = parent.getFields()[field.fieldName]
    if (!definition) return 0
    const { weights } = this.model
    const override =
      weights.fields[`${parent.name}.${field.fieldName}`] ?? extensionCost(definition) ?? rootWeight
    const named = getNamedType(definition.type)
    if (isLeafType(named)) return (override ?? weights.scalar) * rows.count
    const sets = subSelections(field)
    const page = this.pageOf(parent, field, definition)
    if (page) {
      const own = (override ?? weights.connection) * rows.count
      const children = this.childRows(rows, page.size, rowSourceOf(definition))
      return page.kind === 'connection'
        ? own + this.connectionCost(named as GraphQLObjectType, sets, value, rows, children)
        : own + this.rowsCost(named, sets, value, children, weights.object)
    }
    if (isListType(getNullableType(definition.type)))
      return (override ?? 0) * rows.count + this.rowsCost(named, sets, value, copies(rows), weights.object)
    if (value === null || value === undefined) return override ?? weights.object
    return (override ?? weights.object) * rows.count + this.selectionCost(named, sets, value, copies(rows))
  }

  /**
   * Rows a list returns under `parents`: `size` per parent, and, when the parents are distinct
   * rows and the list follows a foreign key to them (or is a root list), never more than its
   * table holds — each child row belongs to one parent, so distinct parents share none.
   */
  private childRows(parents: Rows, size: number, source: RowSource | undefined): Rows {
    const count = parents.count * size
    if (!parents.distinct || !source?.distinct) return { count, distinct: false }
    const tableRows = this.model.tableRows?.(source.table)
    return { count: tableRows === undefined ? count : Math.min(count, tableRows), distinct: true }
  }

  /** Inside a connection: its list fields (`edges`, `nodes`) repeat per row; the rest costs as usual. */
  private connectionCost(
    type: GraphQLObjectType,
    sets: readonly SelectionSetNode[],
    value: Value,
    parents: Rows,
    rows: Rows,
  ): number {
    if (value !== REQUESTED && (value === null || typeof value !== 'object')) return 0
    let total = 0
    for (const field of collectFields(this.ctx, type.name, sets)) {
      if (++this.visits > MAX_VISITS) return Number.MAX_SAFE_INTEGER
      const definition = type.getFields()[field.fieldName]
      const child = value === REQUESTED ? REQUESTED : (value as Record<string, unknown>)[field.responseKey]
      if (
        definition &&
        isListType(getNullableType(definition.type)) &&
        !isLeafType(getNamedType(definition.type))
      ) {
        // An edge is only a wrapper around the same row: its `node` carries the row's weight.
        const rowWeight = field.fieldName === 'edges' ? 0 : this.model.weights.object
        total += this.rowsCost(getNamedType(definition.type), subSelections(field), child, rows, rowWeight)
      } else {
        total += this.fieldCost(type, field, child, parents)
      }
    }
    return total
  }

  /** `rows` (requested) or the rows the result holds (actual), each `rowWeight` plus its selection. */
  private rowsCost(
    type: GraphQLNamedType,
    sets: readonly SelectionSetNode[],
    value: Value,
    rows: Rows,
    rowWeight: number,
  ): number {
    if (value === REQUESTED) return rows.count * rowWeight + this.selectionCost(type, sets, REQUESTED, rows)
    if (!Array.isArray(value)) return 0
    let total = 0
    for (const row of value)
      total += row === null ? 0 : rowWeight + this.selectionCost(type, sets, row, ONE_ROW)
    return total
  }

  /** A connection (`first`/`last` over a type with `edges`/`nodes`) or a legacy list (`limit`), with its page size. */
  private pageOf(
    parent: GraphQLObjectType,
    field: CollectedField,
    definition: GraphQLField<unknown, unknown>,
  ): { kind: 'connection' | 'list'; size: number } | undefined {
    const argNames = new Set(definition.args.map((a) => a.name))
    const named = getNamedType(definition.type)
    const isConnection =
      (argNames.has('first') || argNames.has('last')) &&
      isObjectType(named) &&
      ('edges' in named.getFields() || 'nodes' in named.getFields())
    const isLegacyList =
      !isConnection && argNames.has('limit') && isListType(getNullableType(definition.type))
    if (!isConnection && !isLegacyList) return undefined
    const args = this.argumentsOf(definition, field)
    const argument = isConnection ? (typeof args['last'] === 'number' ? 'last' : 'first') : 'limit'
    const given = args[argument]
    const fallback = isConnection ? this.model.defaultPageSize : this.model.maxPageSize
    const requested = typeof given === 'number' ? given : fallback
    if (requested > this.model.maxPageSize && !this.oversizedPage) {
      this.oversizedPage = { field: `${parent.name}.${field.fieldName}`, argument, value: requested }
    }
    return {
      kind: isConnection ? 'connection' : 'list',
      size: Math.max(0, Math.min(requested, this.model.maxPageSize)),
    }
  }

  private argumentsOf(
    definition: GraphQLField<unknown, unknown>,
    field: CollectedField,
  ): Record<string, unknown> {
    try {
      return getArgumentValues(definition, field.nodes[0]!, this.ctx.variableValues)
    } catch {
      // Bad arguments fail in execution before any SQL; price the field with defaults meanwhile.
      return {}
    }
  }
}

/** How many rows a selection is priced for, and whether they are distinct table rows. */
interface Rows {
  count: number
  /** No row repeats: a to-many list under them returns each child row at most once. */
  distinct: boolean
}

/** The root: one (distinct) row. */
const ONE_ROW: Rows = { count: 1, distinct: true }

/** The same number of rows, which may repeat (a to-one field: many orders share one user). */
function copies(rows: Rows): Rows {
  return { count: rows.count, distinct: false }
}

/** A field's own weight from `extensions.cost` (how built-in free fields such as `rateLimit` say so). */
function extensionCost(definition: GraphQLField<unknown, unknown>): number | undefined {
  const cost = (definition.extensions as Record<string, unknown> | undefined)?.['cost']
  return typeof cost === 'number' ? cost : undefined
}

/**
 * Variables coerced as execution will coerce them (defaults filled), or undefined when they do not
 * coerce (execution then refuses the operation before any resolver runs).
 */
function operationVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  given: Record<string, unknown>,
): Record<string, unknown> | null {
  return (
    getVariableValues(schema, operation.variableDefinitions ?? [], given, { maxErrors: 1 }).coerced ?? null
  )
}

/**
 * The variables a cost walk reads, coerced (null when they do not coerce): the input's own
 * `variableValues` when the caller coerced them already.
 */
export function costVariables(input: CostInput): Readonly<Record<string, unknown>> | null {
  if (input.variableValues !== undefined) return input.variableValues
  const operation = getOperationAST(input.document, input.operationName)
  return operation ? operationVariables(input.schema, operation, input.variables ?? {}) : null
}
