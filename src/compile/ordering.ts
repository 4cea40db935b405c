import { createHash } from 'node:crypto'
import { AutoGenError, badUserInput, ErrorCodes } from '../errors.js'
import type { Model, ModelField, OrderSpec } from '../models/index.js'
import type { ModelNames } from '../naming/index.js'
import { base64, ident, literal, tableRef } from './sql.js'
import type { SqlParams } from './sql.js'

/** One key of an ORDER BY: how to read it for a row alias, its direction and nulls placement. */
export interface OrderKey {
  /** SQL expression of the key for a row of the model under `alias`. */
  expr(alias: string): string
  /**
   * Joins the expression needs beside the row under `alias` (a to-one relation's row): joined, not
   * read by a subquery per row, so the planner can drive the page from an index on the related
   * column. Each joins at most one row (foreign key to a key), so no row is ever repeated.
   */
  joins?(alias: string, parentMayBeMissing?: boolean): OrderJoin[]
  /** The column the key finally reads, for validating cursor values. */
  field: ModelField
  descending: boolean
  nullsFirst: boolean
  /** Stable description, part of the cursor signature. */
  label: string
  /** Whether the key can be NULL (a nullable column, or a related row that may be missing). */
  nullable: boolean
}

/** A join an order key needs: the alias it introduces and its `join … on …` clause. */
export interface OrderJoin {
  alias: string
  sql: string
  /** The to-one relation it joins, so a selection of that relation can read the joined row. */
  relation: JoinedRelation
}

/** The to-one relation an {@link OrderJoin} joins, and for which row. */
export interface JoinedRelation {
  /** The relation's field name on the model of `parent`. */
  field: string
  /** Alias of the row the relation is joined to. */
  parent: string
  /** An inner join: the related row is always there. */
  inner: boolean
  /** A column of the related row that is never NULL when the (left) join found it. */
  marker: string
}

/** A resolved ordering: user keys plus the primary key that makes it total. */
export interface Ordering {
  keys: OrderKey[]
  /** Short hash of the labels, stored in cursors so a cursor only works with its own ordering. */
  signature: string
}

/** What an ordering obeys for the caller: guarded fields it may not use, and row policies of related rows. */
export interface OrderingAccess {
  deniedFields?: ReadonlySet<string>
  rowConditions?(names: ModelNames, alias: string): string[]
  /** Whether rows of a model are filtered by the caller's row policy (so a related row may be hidden). */
  restricts?(names: ModelNames): boolean
}

/** `orderBy` item directions as the GraphQL enum `OrderDirection` delivers them. */
const DIRECTIONS: Record<string, { descending: boolean; nullsFirst: boolean }> = {
  ASC: { descending: false, nullsFirst: false },
  DESC: { descending: true, nullsFirst: true },
  ASC_NULLS_FIRST: { descending: false, nullsFirst: true },
  ASC_NULLS_LAST: { descending: false, nullsFirst: false },
  DESC_NULLS_FIRST: { descending: true, nullsFirst: true },
  DESC_NULLS_LAST: { descending: true, nullsFirst: false },
}

/** The column a keyless model's rows are numbered in: the how-many-th of identical rows. */
const OCCURRENCE_COLUMN = '__occurrence'

/**
 * Keys that end every ordering so it is total: the model's row key (its primary key or a unique
 * NOT NULL key). A model without one (a view, a table without keys) orders by every column and
 * then by the occurrence number of identical rows ({@link orderedRowsRef}): identical rows are
 * interchangeable, so numbering them in any order still gives each one exactly one place, and a
 * walk by cursors sees every row once. Columns without a btree order (json, geometry, lists) take
 * part as their text form.
 */
function tieBreakKeys(model: Model, descending: boolean, deniedFields?: ReadonlySet<string>): OrderKey[] {
  // A key column is compared as it is: its unique index is a btree, so it has an order.
  const columnKey = (field: ModelField, asText = false): OrderKey => {
    const column = ident(field.column)
    return {
      expr: (alias) => `${ident(alias)}.${column}${asText ? '::text' : ''}`,
      field: asText ? { ...field, kind: 'String', isList: false } : field,
      descending,
      // PostgreSQL's own placement for the direction, which is what an index delivers.
      nullsFirst: descending,
      label: asText ? `${field.column}::text` : field.column,
      nullable: field.nullable,
    }
  }
  if (model.rowKey.length > 0) return model.rowKey.map((field) => columnKey(field))
  return [
    ...comparedFields(model, deniedFields).map((field) => columnKey(field, !hasBtreeOrder(field))),
    {
      expr: (alias) => `${ident(alias)}.${ident(OCCURRENCE_COLUMN)}`,
      field: OCCURRENCE_FIELD,
      descending,
      nullsFirst: descending,
      label: OCCURRENCE_COLUMN,
      nullable: false,
    },
  ]
}

/** The occurrence number as a field, so cursor values are checked like any bigint. */
const OCCURRENCE_FIELD: ModelField = {
  key: OCCURRENCE_COLUMN,
  column: OCCURRENCE_COLUMN,
  kind: 'BigInt',
  sqlType: 'bigint',
  isList: false,
  itemsNullable: false,
  nullable: false,
  hasDefault: false,
  isPrimaryKey: false,
  isUnique: false,
  withTimezone: false,
  hidden: true,
  writeOnly: false,
  readOnly: true,
  isForeignKey: false,
}

/** Types PostgreSQL orders and compares with a btree: everything but json, lists and unknown types. */
function hasBtreeOrder(field: ModelField): boolean {
  if (field.isList || field.kind === 'JSON') return false
  // Unknown types (inet, point, …) read as String; only real text types are known to compare.
  return field.kind !== 'String' || /^(text|varchar|char|character)\b/.test(field.sqlType)
}

/**
 * The columns a keyless model's rows are told apart by: those the caller may read. A cursor holds
 * their values, so a hidden, write-only or denied column never takes part; rows that differ only
 * there look identical to this caller and are numbered like identical rows.
 */
function comparedFields(model: Model, deniedFields?: ReadonlySet<string>): ModelField[] {
  return model.fields.filter((f) => !f.hidden && !f.writeOnly && !deniedFields?.has(`${model.name}.${f.key}`))
}

/**
 * The rows of a model for a paginated read. A model with a row key is its table; a keyless one
 * numbers identical rows (`__occurrence`), partitioned by the compared columns as they are
 * compared, so a condition on a plain column is still pushed down to the table.
 */
export function orderedRowsRef(model: Model, deniedFields?: ReadonlySet<string>): string {
  if (model.rowKey.length > 0) return tableRef(model)
  const partition = comparedFields(model, deniedFields)
    .map((f) => `${ident(f.column)}${hasBtreeOrder(f) ? '' : '::text'}`)
    .join(', ')
  const over = partition === '' ? '' : `partition by ${partition}`
  return `(select *, row_number() over (${over}) as ${ident(OCCURRENCE_COLUMN)} from ${tableRef(model)})`
}

/**
 * Resolves `orderBy` (a list of one-key objects; a key is a column or a to-one relation holding
 * a nested order) into keys, falling back to the model's default ordering, and always ending with
 * the primary key so that keyset cursors are unambiguous.
 */
export function resolveOrdering(names: ModelNames, orderBy: unknown, access: OrderingAccess = {}): Ordering {
  const keys: OrderKey[] =
    Array.isArray(orderBy) && orderBy.length > 0
      ? orderBy.map((item, index) => resolveItem(names, item, `orderBy[${index}]`, access))
      : names.model.defaultOrderBy.map((spec) => resolveDefault(names, spec))
  // The tie-breaker follows the last key's direction, so one index (or a backward scan of it)
  // serves `created_at DESC, id DESC` with no sort step, as a hand-written page would be ordered.
  const descending = keys[keys.length - 1]?.descending ?? false
  for (const key of tieBreakKeys(names.model, descending, access.deniedFields)) {
    if (!keys.some((k) => k.label === key.label)) keys.push(key)
  }
  const description = keys
    .map((k) => `${k.label}:${k.descending ? 'D' : 'A'}${k.nullsFirst ? 'F' : 'L'}`)
    .join(',')
  return { keys, signature: createHash('sha1').update(description).digest('hex').slice(0, 8) }
}

function resolveItem(names: ModelNames, item: unknown, path: string, access: OrderingAccess): OrderKey {
  const entries = Object.entries((item ?? {}) as Record<string, unknown>).filter(
    ([, v]) => v !== null && v !== undefined,
  )
  if (entries.length !== 1) {
    throw badUserInput(`${path}: each orderBy item takes exactly one key, got ${entries.length}.`, {
      argument: 'orderBy',
    })
  }
  const [name, value] = entries[0]!
  const binding = names.fields.get(name)
  if (binding?.kind === 'column' || binding?.kind === 'primaryKey') {
    const direction = DIRECTIONS[String(value)]
    if (!direction) throw badUserInput(`${path}.${name}: unknown direction.`, { argument: 'orderBy' })
    // No oracle: the order of rows would reveal a value the caller may not read.
    if (access.deniedFields?.has(`${names.model.name}.${binding.field.key}`)) {
      throw new AutoGenError(
        ErrorCodes.FORBIDDEN,
        `${path}.${name}: you do not have permission to order by this field.`,
        {
          argument: 'orderBy',
        },
      )
    }
    const column = binding.field.column
    return {
      expr: (alias) => `${ident(alias)}.${ident(column)}`,
      field: binding.field,
      ...direction,
      label: column,
      nullable: binding.field.nullable,
    }
  }
  if (binding?.kind === 'relation' && binding.relation.kind === 'toOne') {
    const { relation, target } = binding
    const nested = resolveItem(target, value, `${path}.${name}`, access)
    const related = (alias: string): string => `${alias}_${name}`
    // A NOT NULL foreign key always finds its row (unless the caller's row policy hides it): an
    // inner join, which lets the planner start from the related table's index on the order column.
    const always = relation.isForward && !relation.nullable && !(access.restricts?.(target) ?? false)
    return {
      ...nested,
      label: `${name}.${nested.label}`,
      nullable: nested.nullable || !always,
      expr: (alias) => nested.expr(related(alias)),
      joins: (alias, parentMayBeMissing = false) => {
        const sub = related(alias)
        // Under a left join the row under `alias` may be missing (all NULL): an inner join here
        // would drop the page's row with it, so it is a left join too.
        const inner = always && !parentMayBeMissing
        // A related row outside the caller's row policy orders as if absent (NULL).
        const policy = access.rowConditions?.(target, sub) ?? []
        const on = [
          ...relation.targetColumns.map(
            (tc, i) => `${ident(sub)}.${ident(tc)} = ${ident(alias)}.${ident(relation.sourceColumns[i]!)}`,
          ),
          ...policy,
        ].join(' and ')
        const join = `${inner ? 'join' : 'left join'} ${tableRef(target.model)} as ${ident(sub)} on ${on}`
        const joined = { field: name, parent: alias, inner, marker: relation.targetColumns[0]! }
        return [{ alias: sub, sql: join, relation: joined }, ...(nested.joins?.(sub, !inner) ?? [])]
      },
    }
  }
  throw badUserInput(`${path}: \`${name}\` cannot be ordered by.`, { argument: 'orderBy' })
}

function resolveDefault(names: ModelNames, spec: OrderSpec): OrderKey {
  const field = names.model.fields.find((f) => f.key === spec.path[0])!
  const descending = spec.direction === 'DESC'
  const nullsFirst = spec.nulls === undefined ? descending : spec.nulls === 'FIRST'
  return {
    expr: (alias) => `${ident(alias)}.${ident(field.column)}`,
    field,
    descending,
    nullsFirst,
    label: field.column,
    nullable: field.nullable,
  }
}

/** `ORDER BY` clause for the keys, reversed when paging backwards. */
export function orderByClause(ordering: Ordering, alias: string, reverse: boolean): string {
  return ordering.keys.map((k) => `${k.expr(alias)} ${keyDirection(k, reverse)}`).join(', ')
}

/**
 * `ASC NULLS LAST`-style direction of a key. A key that can never be NULL gets the placement an
 * index scan delivers for its direction (`DESC NULLS FIRST`), since PostgreSQL only matches an
 * index to an ORDER BY whose NULLS placement is the index's; the rows' order is the same.
 */
export function keyDirection(key: OrderKey, reverse: boolean): string {
  const descending = key.descending !== reverse
  const nullsFirst = key.nullable ? key.nullsFirst !== reverse : descending
  return `${descending ? 'DESC' : 'ASC'} NULLS ${nullsFirst ? 'FIRST' : 'LAST'}`
}

/**
 * The joins every key of the ordering needs for rows under `alias`, each related row once (two
 * keys through one relation share its join; the first one's clause is kept).
 */
export function orderingJoins(ordering: Ordering, alias: string): OrderJoin[] {
  const joins = new Map<string, OrderJoin>()
  for (const join of ordering.keys.flatMap((k) => k.joins?.(alias) ?? []))
    if (!joins.has(join.alias)) joins.set(join.alias, join)
  return [...joins.values()]
}

/** SQL for a row's cursor: base64 of a JSON array of the ordering signature and each key as text. */
export function cursorExpr(ordering: Ordering, keyColumn: (index: number) => string): string {
  return base64(cursorText(ordering, keyColumn))
}

/** SQL for a row's cursor before base64 ({@link cursorExpr}): the JSON array as text. */
export function cursorText(ordering: Ordering, keyColumn: (index: number) => string): string {
  const parts = [literal(ordering.signature), ...ordering.keys.map((_, i) => `${keyColumn(i)}::text`)]
  return `json_build_array(${parts.join(', ')})::text`
}

/** Cursor values decoded and checked against the ordering they must belong to. */
export type CursorValues = Array<string | null>

/** Decodes a cursor made by {@link cursorExpr}; anything else is a BAD_USER_INPUT error. */
export function decodeCursor(cursor: string, ordering: Ordering, argument: string): CursorValues {
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'))
  } catch {
    decoded = undefined
  }
  if (!Array.isArray(decoded) || decoded.length !== ordering.keys.length + 1) {
    throw badUserInput(`Invalid cursor in \`${argument}\`.`, { argument })
  }
  if (decoded[0] !== ordering.signature) {
    throw badUserInput(
      `The cursor in \`${argument}\` was made for another orderBy; paginate with the same orderBy.`,
      {
        argument,
      },
    )
  }
  const values = decoded.slice(1) as unknown[]
  values.forEach((value, i) => {
    const key = ordering.keys[i]!
    const valid =
      value === null
        ? key.field.nullable || key.label.includes('.')
        : typeof value === 'string' && isValidText(key.field, value)
    if (!valid) throw badUserInput(`Invalid cursor in \`${argument}\`.`, { argument })
  })
  return values as CursorValues
}

/** Whether a text value can be cast to the column's type, so a forged cursor cannot make SQL fail. */
export function isValidText(field: ModelField, value: string): boolean {
  switch (field.kind) {
    case 'Int': {
      // integer (and serial) or smallint: a value outside the column's range makes the cast fail.
      const limit = /^small/.test(field.sqlType) ? 32768 : 2147483648
      return /^-?\d{1,10}$/.test(value) && Number(value) >= -limit && Number(value) < limit
    }
    case 'BigInt':
      return /^-?\d{1,19}$/.test(value) && BigInt(value) >= -(2n ** 63n) && BigInt(value) < 2n ** 63n
    case 'Float':
      return value.trim() !== '' && (!Number.isNaN(Number(value)) || /^(-?Infinity|NaN)$/.test(value))
    case 'Decimal':
      return /^-?\d+(\.\d+)?$/.test(value) || value === 'NaN'
    case 'Boolean':
      return value === 'true' || value === 'false'
    case 'UUID':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
    case 'Date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && isCalendarDate(value)
    case 'DateTime': {
      const match =
        /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(?:([+-])(\d{2})(?::?(\d{2}))?|Z)?$/.exec(
          value,
        )
      return (
        match !== null &&
        isCalendarDate(match[1]!) &&
        isTimeOfDay(match[2]!) &&
        Number(match[4] ?? 0) <= 15 &&
        Number(match[5] ?? 0) < 60
      )
    }
    case 'Time':
      return /^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/.test(value) && isTimeOfDay(value)
    case 'Enum':
      return field.enum?.values.includes(value) ?? false
    case 'JSON':
      return false
    default:
      return !value.includes('\u0000')
  }
}

/** Whether `YYYY-MM-DD` names a real day; PostgreSQL refuses 2023-02-30, which Date.parse accepts. */
function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number]
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  )
}

/** Whether `HH:MM[:SS[.f]]` is a time PostgreSQL accepts (24:00:00 and a leap second included). */
function isTimeOfDay(text: string): boolean {
  const [hours, minutes, seconds = 0] = text.split(':').map(Number) as [number, number, number?]
  return minutes < 60 && seconds <= 60 && (hours < 24 || (hours === 24 && minutes === 0 && seconds === 0))
}

/**
 * Keyset condition: rows strictly after (or before) the cursor row in the ordering, written out
 * key by key so mixed directions and NULLs are exact. With `inclusive`, the cursor row counts.
 */
export function keysetCondition(
  ordering: Ordering,
  alias: string,
  values: CursorValues,
  side: 'after' | 'before',
  params: SqlParams,
  inclusive = false,
): string {
  const bound = values.map((v) => (v === null ? null : params.add(v)))
  const keys = ordering.keys
  const greater = (key: OrderKey): boolean => (side === 'after') !== key.descending
  // Keys all one direction and never NULL: one row comparison, which an index on the keys seeks to
  // directly (`(created_at, id) < ($1, $2)`), as a hand-written keyset page is written.
  if (
    keys.length > 1 &&
    keys.every((k) => !k.nullable && k.descending === keys[0]!.descending) &&
    bound.every((b) => b !== null)
  ) {
    const op = `${greater(keys[0]!) ? '>' : '<'}${inclusive ? '=' : ''}`
    return `((${keys.map((k) => k.expr(alias)).join(', ')}) ${op} (${bound.join(', ')}))`
  }
  const branches: string[] = []
  ordering.keys.forEach((key, i) => {
    const equalities = ordering.keys.slice(0, i).map((k, j) => {
      const value = bound[j]
      return value === null ? `${k.expr(alias)} IS NULL` : `${k.expr(alias)} = ${value}`
    })
    const last = i === ordering.keys.length - 1
    const strict = beyond(key, key.expr(alias), bound[i] ?? null, side)
    const atom =
      last && inclusive
        ? `(${strict} OR ${bound[i] === null ? `${key.expr(alias)} IS NULL` : `${key.expr(alias)} = ${bound[i]}`})`
        : strict
    if (atom === 'false') return
    branches.push([...equalities, atom].join(' AND '))
  })
  if (branches.length === 0) return 'false'
  const expanded = `(${branches.map((b) => `(${b})`).join(' OR ')})`
  // The first key's own bound, implied by the branches but stated so an index on it gives the
  // scan a start (without it, a deep page reads every row before the cursor and filters them).
  const first = keys[0]!
  const value = bound[0]
  if (keys.length === 1 || value === null || value === undefined || first.nullable) return expanded
  return `(${first.expr(alias)} ${greater(first) ? '>=' : '<='} ${value} AND ${expanded})`
}

/** Rows whose key lies strictly beyond `value` on `side` of it in this key's order. */
function beyond(key: OrderKey, expr: string, value: string | null, side: 'after' | 'before'): string {
  // "after" in the key's own order; flip for "before".
  const nullsAfter = side === 'after' ? !key.nullsFirst : key.nullsFirst
  if (value === null) return nullsAfter ? 'false' : `${expr} IS NOT NULL`
  const greater = (side === 'after') !== key.descending
  const comparison = `${expr} ${greater ? '>' : '<'} ${value}`
  // A NOT NULL column never needs the IS NULL branch, and leaving it out keeps the condition a
  // plain range the index can seek to (deep keyset pages stay index lookups).
  return nullsAfter && key.nullable ? `(${comparison} OR ${expr} IS NULL)` : comparison
}
